"""The item analysis as text tables for `python -m exercisekit check --report` (French labels).

Three tables, a row per module and a « Banque » row: what the bank holds, where the keys sit,
and the other cues. Figures are « count/total (share) » so that a reader can check them.
"""

from __future__ import annotations

from exercisekit.bank import thresholds
from exercisekit.bank.analysis import LETTERS, Figures, Report, decimal, percent

TYPE_LABELS = {
    "single": "unique",
    "multiple": "multiple",
    "true_false": "vrai/faux",
    "classify": "classement",
    "order": "ordre",
    "scenario": "scénario",
    "dilemma": "dilemme",
    "reflection": "réflexion",
}


def histogram(counts: list[int] | None) -> str:
    """« A:5 B:4 C:6 D:2 »: how many keys at each position."""
    if counts is None:
        return "?"
    return " ".join(f"{LETTERS[i]}:{n}" for i, n in enumerate(counts)) or "—"


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({percent(part, whole)})" if whole else "—"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(r) for r in rows]
    # The bank's row is set apart from the modules'.
    return "\n".join([line(headers), rule, *body[:-1], rule, body[-1]])


def composition(rows: list[Figures]) -> str:
    headers = ["Module", *TYPE_LABELS.values(), "total"]
    return table(
        headers,
        [
            [
                r.name,
                *(str(r.items_by_type[t]) for t in TYPE_LABELS),
                str(sum(r.items_by_type.values())),
            ]
            for r in rows
        ],
    )


def keys_first_cell(r: Figures) -> str:
    cell = f"{r.keys_first}/{r.multiple_items}"
    if r.keys_first_written is not None:
        cell += f" (écrit : {r.keys_first_written}/{r.multiple_items})"
    return cell


def key_positions(rows: list[Figures]) -> str:
    headers = [
        "Module",
        "Unique : clé en",
        "ordre écrit",
        "Multiple : clés en",
        "clés d'abord",
    ]
    return table(
        headers,
        [
            [
                r.name,
                histogram(r.key_positions),
                histogram(r.key_positions_written),
                histogram(r.multiple_key_positions),
                keys_first_cell(r),
            ]
            for r in rows
        ],
    )


def key_longest_cell(r: Figures) -> str:
    single = r.items_by_type["single"]
    return f"{share(r.key_longest, r.choice_items)}, unique : {r.single_key_longest}/{single}"


def recall_cell(r: Figures) -> str:
    # Without any level the share says nothing: the « sans niveau » column tells why.
    return "—" if r.unknown_level == r.graded else share(r.recall, r.graded)


def scenario_cell(r: Figures) -> str:
    cell = share(r.longest_choice_best, r.decision_points)
    return cell + " *" if r.inferred_decision_points else cell


def other_cues(rows: list[Figures]) -> str:
    headers = [
        "Module",
        "Clé la plus longue",
        "Énoncés vrais",
        "Rappel",
        "sans niveau",
        "Choix long = meilleur",
        "Alignement",
        "Analyse",
    ]
    return table(
        headers,
        [
            [
                r.name,
                key_longest_cell(r),
                share(r.true_statements, r.statements),
                recall_cell(r),
                str(r.unknown_level),
                scenario_cell(r),
                str(r.alignment_findings),
                str(r.analysis_findings),
            ]
            for r in rows
        ],
    )


def threshold_lines(report: Report) -> list[str]:
    t = thresholds
    kind = "erreurs" if report.findings_are_errors else "avertissements"
    return [
        "Seuils (src/exercisekit/bank/thresholds.py) : clé la plus longue dans "
        f"{round(100 * t.KEY_LONGEST_MIN_SHARE)} à {round(100 * t.KEY_LONGEST_MAX_SHARE)} % "
        "des questions à choix de la banque ; "
        f"énoncés vrais {round(100 * t.TRUE_SHARE_MIN)}–{round(100 * t.TRUE_SHARE_MAX)} % ; "
        f"rappel ≤ {round(100 * t.RECALL_MAX_SHARE)} % par module ; choix long = meilleur ≤ "
        f"{round(100 * t.LONGEST_CHOICE_BEST_MAX_SHARE)} % des points de décision d'un scénario ; "
        f"similarité entre modules < {decimal(t.NEAR_DUPLICATE_SIMILARITY)} ; position des clés : "
        f"probabilité ≥ {decimal(t.KEY_POSITION_ALPHA)} au hasard.",
        f"Les constats sont des {kind} (ITEM_ANALYSIS_IS_ERROR = {t.ITEM_ANALYSIS_IS_ERROR}).",
    ]


def report_text(report: Report) -> str:
    rows = [*report.modules, report.bank]
    parts = [
        "Analyse des items (options dans l'ordre présenté ; « ordre écrit » : celui du fichier)",
        "",
        "Exercices par type",
        composition(rows),
        "",
        "Position des bonnes réponses (A = première option affichée)",
        key_positions(rows),
        "",
        "Autres indices et nombre de constats",
        other_cues(rows),
    ]
    if report.bank.inferred_decision_points:
        parts.append(
            f"* qualité des choix déduite des fins atteignables pour "
            f"{report.bank.inferred_decision_points} points de décision sans « quality »."
        )
    return "\n".join([*parts, "", *threshold_lines(report)])
