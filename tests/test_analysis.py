"""Item analysis (`check`, `check --report`, `--json`, the build): each finding on a small fixture
bank, right and wrong; the switch that makes findings errors; the presented order; scenario
paths; objectives without an item."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from exercisekit.__main__ import main
from exercisekit.bank import analysis, thresholds
from exercisekit.bank.alignment import alignment_findings
from exercisekit.bank.analysis import absolute_words, build_report, item_findings
from exercisekit.bank.graph import path_problems
from exercisekit.bank.loader import load_bank
from exercisekit.bank.model import Module
from exercisekit.bank.presentation import present, shuffled

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- fixture banks
def write_bank(root: Path, modules: dict[str, list[dict]], objectives=None) -> Path:
    """A course folder with a minimal _config.yml, the course's competencies (`check` validates
    them too) and one exercises/<module>.yaml per module."""
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    (root / "course").mkdir(exist_ok=True)
    (root / "_config.yml").write_text("title: Test\n", encoding="utf-8")
    shutil.copy(ROOT / "course" / "competences.yaml", root / "course" / "competences.yaml")
    for page in competency_pages():
        (root / f"{page}.md").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{page}.md").touch()
    for name, exercises in modules.items():
        data = {"module": name, "title": f"Module {name}", "exercises": exercises}
        if objectives and name in objectives:
            data["objectives"] = objectives[name]
        (root / "exercises" / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return root


def competency_pages() -> set[str]:
    data = yaml.safe_load((ROOT / "course" / "competences.yaml").read_text(encoding="utf-8"))
    return {page for f in data["families"] for item in f["items"] for page in item["modules"]}


def bank_of(tmp_path: Path, modules: dict[str, list[dict]], **kwargs):
    return load_bank(write_bank(tmp_path, modules, **kwargs))


def option(ident: str, text: str, correct: bool = False, fixed: bool = False, feedback=None):
    found = {"id": ident, "text": text, "feedback": feedback or f"Parce que {ident} ({text})."}
    if correct:
        found["correct"] = True
    if fixed:
        found["fixed"] = True
    return found


def single(ident: str, key: str, *others: str, key_at: int = 0, pinned: bool = False, **extra):
    """A single item; `pinned` fixes every option so that the shown order is the written one."""
    texts = list(others)
    texts.insert(key_at, key)
    options = [
        option("abcdefgh"[i], text, correct=(i == key_at), fixed=pinned)
        for i, text in enumerate(texts)
    ]
    return {
        "id": ident,
        "type": "single",
        "prompt": f"Question {ident} ?",
        "options": options,
    } | extra


def true_false(ident: str, answer: bool, statement: str | None = None):
    return {
        "id": ident,
        "type": "true_false",
        "statement": statement or f"Énoncé numéro {ident}.",
        "answer": answer,
        "justification": "Parce que.",
    }


EQUAL = ("Option de même longueur B", "Option de même longueur C", "Option de même longueur D")


# ---------------------------------------------------------------- key position
def test_key_pinned_at_a_in_every_item_is_flagged(tmp_path):
    items = [single(f"q{i}", "Clé de même longueur A", *EQUAL, pinned=True) for i in range(8)]
    found = analysis.key_position_findings(bank_of(tmp_path, {"m": items}))
    assert len(found) == 1
    problem = found[0]
    assert (problem.file, problem.exercise, problem.field) == ("exercises/", None, "options")
    assert "position A dans 8 des 8" in problem.message
    assert "m/q0" in problem.message


def test_keys_spread_over_positions_pass(tmp_path):
    items = [
        single(f"q{i}", "Clé de même longueur A", *EQUAL, key_at=i % 4, pinned=True)
        for i in range(8)
    ]
    assert analysis.key_position_findings(bank_of(tmp_path, {"m": items})) == []


def multiple(ident: str, keys_at: list[int], pinned: bool = True):
    options = [
        option("abcde"[i], f"Option {i} de même longueur", correct=i in keys_at, fixed=pinned)
        for i in range(5)
    ]
    return {"id": ident, "type": "multiple", "prompt": "Lesquelles ?", "options": options}


def test_every_key_before_every_distractor_is_flagged(tmp_path):
    items = [multiple(f"q{i}", [0, 1]) for i in range(4)]
    found = analysis.keys_first_findings(bank_of(tmp_path, {"m": items}))
    assert len(found) == 1
    assert "4 des 4 questions à choix multiple" in found[0].message


def test_keys_among_distractors_pass(tmp_path):
    items = [multiple(f"q{i}", [i % 3, 3 + i % 2]) for i in range(4)]
    assert analysis.keys_first_findings(bank_of(tmp_path, {"m": items})) == []


def test_tail_probability_is_the_binomial_tail():
    assert analysis.tail_probability([0.5, 0.5], 2) == pytest.approx(0.25)
    assert analysis.tail_probability([0.25] * 3, 0) == pytest.approx(1.0)
    assert analysis.tail_probability([0.25] * 3, 3) == pytest.approx(1 / 64)


# ---------------------------------------------------------------- key length
def test_key_longest_in_three_of_three_items_is_flagged(tmp_path):
    items = [
        single(f"q{i}", "La clé, nettement plus longue que les autres options", "Court", "Bref")
        for i in range(3)
    ]
    found = analysis.key_longest_findings(bank_of(tmp_path, {"m": items}))
    assert [(p.file, p.exercise, p.field) for p in found] == [
        ("exercises/m.yaml", f"q{i}", "options.a.text") for i in range(3)
    ]
    assert "3 des 3 questions à choix" in found[0].message
    assert "40 %" in found[0].message


def test_balanced_lengths_pass(tmp_path):
    items = [
        single("q0", "Une clé longue, plus que les autres", "Court", "Bref"),
        single("q1", "Clé", "Un distracteur bien plus long", "Bref"),
        single("q2", "Clé courte", "Autre", "Le distracteur le plus long"),
    ]
    assert analysis.key_longest_findings(bank_of(tmp_path, {"m": items})) == []


def test_keys_never_the_longest_is_a_cue_too(tmp_path):
    items = [
        single(f"q{i}", "Clé", "Un distracteur plus long", "Un autre, long aussi")
        for i in range(12)
    ]
    found = analysis.key_longest_findings(bank_of(tmp_path, {"m": items}))
    assert [(p.file, p.exercise, p.field) for p in found] == [("exercises/", None, "options")]
    assert "0 des 12 questions" in found[0].message and "10 %" in found[0].message
    items[0] = single("q0", "Une clé longue, plus que les autres", "Court", "Bref")
    items[1] = single("q1", "Une autre clé longue, plus que le reste", "Court", "Bref")
    assert analysis.key_longest_findings(bank_of(tmp_path / "b", {"m": items})) == []


def test_markdown_does_not_count_in_length():
    assert analysis.length("**gras** et [lien](https://exemple.org/tres/long)") == len(
        "gras et lien"
    )


# ---------------------------------------------------------------- true / false
def test_mostly_false_statements_are_flagged(tmp_path):
    items = [true_false(f"q{i}", False) for i in range(3)] + [true_false("q3", True)]
    found = analysis.true_false_findings(bank_of(tmp_path, {"m": items}))
    assert [(p.exercise, p.field) for p in found] == [(f"q{i}", "answer") for i in range(3)]
    assert "25 % de vrais" in found[0].message and "35–65 %" in found[0].message


def test_balanced_statements_pass(tmp_path):
    items = [true_false(f"q{i}", i % 2 == 0) for i in range(4)]
    assert analysis.true_false_findings(bank_of(tmp_path, {"m": items})) == []


# ---------------------------------------------------------------- absolute words
def test_absolute_words_ignore_case_and_accents_and_need_whole_words():
    assert absolute_words("Il faut NÉCESSAIREMENT le faire") == ["nécessairement"]
    assert absolute_words("Elle tousse ; c'est toujours ainsi") == ["toujours"]
    assert absolute_words("Rester le plus   possible en retrait") == ["le plus possible"]
    assert absolute_words("Le tout-petit") == []


def test_absolute_word_only_in_a_distractor_is_flagged(tmp_path):
    item = single("q1", "Écouter le groupe", "Toujours décider seul", "Attendre")
    found = analysis.absolute_word_findings(bank_of(tmp_path, {"m": [item]}))
    assert [(p.exercise, p.field) for p in found] == [("q1", "options.b.text")]
    assert "« toujours »" in found[0].message


def test_absolute_word_also_in_the_key_passes(tmp_path):
    item = single("q1", "Toujours écouter le groupe", "Toujours décider seul", "Attendre")
    assert analysis.absolute_word_findings(bank_of(tmp_path, {"m": [item]})) == []


def test_absolute_word_in_false_statements_only_is_flagged(tmp_path):
    items = [true_false("q1", False, "Il faut jamais douter."), true_false("q2", True)]
    found = analysis.absolute_word_findings(bank_of(tmp_path, {"m": items}))
    assert [(p.exercise, p.field) for p in found] == [("q1", "statement")]
    items.append(true_false("q3", True, "On ne doit jamais nommer les personnes."))
    assert analysis.absolute_word_findings(bank_of(tmp_path, {"m": items})) == []


# ---------------------------------------------------------------- near duplicates
DUPLICATE = single(
    "q-citation",
    "Au savoir-être, selon la citation de la CSSSPNQL",
    "Au savoir, comme être bien informé",
    "Au savoir-faire, poser les actions nécessaires",
)


def test_the_same_item_in_two_modules_is_flagged(tmp_path):
    other = single("q9", "Planifier la rencontre annuelle", "Réserver une salle", "Inviter")
    bank = bank_of(tmp_path, {"a": [DUPLICATE, other], "b": [{**DUPLICATE, "id": "q2"}]})
    found = analysis.near_duplicate_findings(bank)
    assert [(p.file, p.exercise, p.field) for p in found] == [("exercises/b.yaml", "q2", "prompt")]
    assert "« a/q-citation »" in found[0].message


def test_different_items_pass(tmp_path):
    other = single("q2", "Planifier la rencontre annuelle", "Réserver une salle", "Inviter")
    bank = bank_of(tmp_path, {"a": [DUPLICATE], "b": [other]})
    assert analysis.near_duplicate_findings(bank) == []


def test_the_same_item_twice_in_one_module_is_not_a_cross_module_duplicate(tmp_path):
    bank = bank_of(tmp_path, {"a": [DUPLICATE, {**DUPLICATE, "id": "q2"}]})
    assert analysis.near_duplicate_findings(bank) == []


# ---------------------------------------------------------------- feedback
def test_identical_feedback_is_flagged(tmp_path):
    item = single("q1", "Oui", "Non", "Peut-être")
    item["options"][2]["feedback"] = item["options"][1]["feedback"] = "Non, relisez la source."
    found = analysis.feedback_findings(bank_of(tmp_path, {"m": [item]}))
    assert len(found) == 1
    assert found[0].exercise == "q1"
    assert found[0].field in ("options.b.feedback", "options.c.feedback")
    assert "même rétroaction" in found[0].message


def test_distinct_feedback_passes(tmp_path):
    item = single("q1", "Oui", "Non", "Peut-être")
    assert analysis.feedback_findings(bank_of(tmp_path, {"m": [item]})) == []


def dilemma(benefits: list[str], costs: list[str]):
    return {
        "id": "d1",
        "type": "dilemma",
        "prompt": "Que faites-vous ?",
        "options": [
            {"id": f"o{i}", "text": f"Option {i}", "benefit": b, "cost": c}
            for i, (b, c) in enumerate(zip(benefits, costs, strict=True))
        ],
    }


def test_dilemma_with_the_same_benefit_twice_is_flagged(tmp_path):
    item = dilemma(["Gagne du temps", "Gagne du temps"], ["Perd la confiance", "Perd l'élan"])
    found = analysis.feedback_findings(bank_of(tmp_path, {"m": [item]}))
    assert len(found) == 1
    assert found[0].field in ("options.o0.benefit", "options.o1.benefit")  # the shown second


def test_dilemma_with_distinct_benefits_and_costs_passes(tmp_path):
    item = dilemma(["Gagne du temps", "Garde la confiance"], ["Perd la confiance", "Perd l'élan"])
    assert analysis.feedback_findings(bank_of(tmp_path, {"m": [item]})) == []


# ---------------------------------------------------------------- recall share
def leveled(levels: list[str]) -> list[dict]:
    return [
        single(f"q{i}", "Clé", "Autre", "Encore") | {"level": level}
        for i, level in enumerate(levels)
    ]


def test_recall_heavy_module_is_flagged(tmp_path):
    bank = bank_of(tmp_path, {"m": leveled(["recall", "recall", "recall", "analysis"])})
    found = analysis.recall_findings(bank)
    assert [(p.file, p.exercise, p.field) for p in found] == [("exercises/m.yaml", None, "level")]
    assert "3 des 4 questions notées" in found[0].message


def test_module_of_practice_situations_passes(tmp_path):
    bank = bank_of(tmp_path, {"m": leveled(["recall", "application", "analysis", "analysis"])})
    assert analysis.recall_findings(bank) == []


# ---------------------------------------------------------------- scenarios
def scenario(long_is_good: bool, poor_to_good: bool = False) -> dict:
    """Two decision points, each with a long and a short choice; which one is good is chosen."""
    long_quality, short_quality = ("good", "poor") if long_is_good else ("poor", "good")

    def node(ident: str, good_next: str, poor_next: str) -> dict:
        def target(quality):
            return good_next if quality == "good" else poor_next

        return {
            "id": ident,
            "text": f"Situation {ident}.",
            "choices": [
                {
                    "id": "long",
                    "text": "Un choix beaucoup plus long que l'autre, avec des détails",
                    "consequence": "Conséquence.",
                    "next": target(long_quality),
                    "quality": long_quality,
                },
                {
                    "id": "court",
                    "text": "Court",
                    "consequence": "Conséquence.",
                    "next": target(short_quality),
                    "quality": short_quality,
                },
            ],
        }

    nodes = [
        node("debut", "suite", "fin-poor"),
        node("suite", "fin-good", "fin-good" if poor_to_good else "fin-poor"),
        {"id": "fin-good", "ending": "good", "text": "Bravo."},
        {"id": "fin-poor", "ending": "poor", "text": "Dommage."},
    ]
    return {
        "id": "sc",
        "type": "scenario",
        "title": "Titre",
        "context": "Contexte.",
        "start": "debut",
        "nodes": nodes,
    }


def test_longest_choice_always_best_is_flagged(tmp_path):
    found = analysis.longest_choice_findings(bank_of(tmp_path, {"m": [scenario(True)]}))
    assert [(p.exercise, p.field) for p in found] == [
        ("sc", "nodes.debut.choices"),
        ("sc", "nodes.suite.choices"),
    ]
    assert "2 des 2 points de décision" in found[0].message
    assert "50 %" in found[0].message


def test_short_best_choices_pass(tmp_path):
    assert analysis.longest_choice_findings(bank_of(tmp_path, {"m": [scenario(False)]})) == []


def test_choices_without_quality_are_judged_by_their_endings(tmp_path):
    item = scenario(True)
    for node in item["nodes"]:
        for choice in node.get("choices", []):
            del choice["quality"]
    bank = bank_of(tmp_path, {"m": [item]})
    points = analysis.decision_points(bank.get("m/sc"))
    assert [(p.longest, p.best, p.inferred) for p in points] == [("long", "long", True)] * 2
    assert "ajoutez `quality`" in analysis.longest_choice_findings(bank)[0].message


def test_good_ending_through_a_poor_choice_names_the_path(tmp_path):
    bank = bank_of(tmp_path, {"m": [scenario(True, poor_to_good=True)]})
    problems = path_problems(bank.get("m/sc"))
    assert problems == [
        (
            "nodes.fin-good.ending",
            "fin « good » atteinte par un choix « poor » : chemin debut:long → suite:court",
        )
    ]


# ---------------------------------------------------------------- dilemma wording
def test_graded_item_saying_several_options_are_defensible_is_flagged(tmp_path):
    item = multiple("q1", [0, 2]) | {"prompt": "Lesquelles de ces façons d'agir sont défendables ?"}
    found = analysis.dilemma_wording_findings(bank_of(tmp_path, {"m": [item]}))
    assert [(p.exercise, p.field) for p in found] == [("q1", "prompt")]
    assert "dilemma" in found[0].message


def test_asking_for_the_most_defensible_option_passes(tmp_path):
    item = single("q1", "Clé", "Autre", "Encore") | {"prompt": "Laquelle est la plus défendable ?"}
    assert analysis.dilemma_wording_findings(bank_of(tmp_path, {"m": [item]})) == []


# ---------------------------------------------------------------- objectives
OBJECTIVES = {
    "m": [{"id": "o1", "text": "**expliquer** A"}, {"id": "o2", "text": "**analyser** B"}]
}


def aligned(ident: str, objective: str) -> dict:
    return single(ident, "Clé", "Autre", "Encore") | {
        "objectives": [objective],
        "level": "analysis",
    }


def test_removing_the_last_item_of_an_objective_reports_its_id(tmp_path, monkeypatch, capsys):
    both = bank_of(
        tmp_path, {"m": [aligned("q1", "o1"), aligned("q2", "o2")]}, objectives=OBJECTIVES
    )
    assert alignment_findings(both) == []
    root = write_bank(tmp_path, {"m": [aligned("q1", "o1")]}, objectives=OBJECTIVES)
    found = alignment_findings(load_bank(root))
    assert [(p.file, p.exercise, p.field) for p in found] == [
        ("exercises/m.yaml", None, "objectives.o2")
    ]
    monkeypatch.setattr(thresholds, "ITEM_ANALYSIS_IS_ERROR", True)
    assert main(["check", str(root)]) == 1
    assert "objectives.o2" in capsys.readouterr().err


# ---------------------------------------------------------------- presented order
def test_shuffle_is_deterministic_and_keeps_fixed_items_in_place():
    items = [SimpleNamespace(id=str(i), fixed=(i == 5)) for i in range(6)]
    orders = {tuple(x.id for x in shuffled(items, f"m/q{seed}")) for seed in range(20)}
    assert shuffled(items, "m/q1") == shuffled(items, "m/q1")
    assert len(orders) > 1, "the seed changes the order"
    assert all(order[5] == "5" for order in orders), "a fixed item keeps its written position"


def test_present_shuffles_options_and_statements_only():
    module = Module.model_validate(
        {
            "module": "m",
            "title": "M",
            "exercises": [
                {
                    "id": "q1",
                    "type": "single",
                    "prompt": "?",
                    "options": [option(x, x.upper(), x == "a") for x in "abcde"]
                    + [option("z", "Aucune de ces réponses", fixed=True)],
                },
                {
                    "id": "q2",
                    "type": "order",
                    "prompt": "Ordonnez.",
                    "explanation": "Ainsi.",
                    "steps": [{"id": s, "text": s} for s in ("un", "deux", "trois")],
                },
            ],
        }
    )
    shown = present(module)
    assert [o.id for o in shown.exercises[0].options] == [
        o.id for o in shuffled(module.exercises[0].options, "m/q1")
    ]
    assert shown.exercises[0].options[-1].id == "z"
    assert sorted(o.id for o in shown.exercises[0].options) == list("abcdez")
    assert shown.exercises[1] == module.exercises[1], "steps stay written in the right order"
    assert present(module) == shown


# ---------------------------------------------------------------- CLI and the switch
def cued_course(tmp_path: Path) -> Path:
    items = [true_false(f"q{i}", False) for i in range(4)]
    return write_bank(tmp_path, {"m": items})


def test_findings_are_warnings_while_the_switch_is_off(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(thresholds, "ITEM_ANALYSIS_IS_ERROR", False)
    assert main(["check", str(cued_course(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Avertissement : exercises/m.yaml — exercice « q0 » — champ « answer »" in out


def test_findings_are_errors_when_the_switch_is_on(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(thresholds, "ITEM_ANALYSIS_IS_ERROR", True)
    assert main(["check", str(cued_course(tmp_path))]) == 1
    assert (
        "Erreur : exercises/m.yaml — exercice « q0 » — champ « answer »" in capsys.readouterr().err
    )


def test_a_clean_bank_passes_even_with_the_switch_on(tmp_path, monkeypatch):
    monkeypatch.setattr(thresholds, "ITEM_ANALYSIS_IS_ERROR", True)
    items = [aligned("q1", "o1"), aligned("q2", "o2")]
    items[1]["options"][0]["text"] = "Clé aussi longue"
    items[1]["options"][1]["text"] = "Un distracteur plus long"
    root = write_bank(tmp_path, {"m": items}, objectives=OBJECTIVES)
    assert item_findings(load_bank(root)) == []
    assert main(["check", str(root)]) == 0


def test_json_report_shape(tmp_path, capsys):
    # The switch is on: a cued bank fails, and the JSON says so.
    assert thresholds.ITEM_ANALYSIS_IS_ERROR
    assert main(["check", "--json", str(cued_course(tmp_path))]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"findings_are_errors", "thresholds", "modules", "bank", "findings"}
    assert [row["name"] for row in report["modules"]] == ["m"]
    assert report["bank"]["name"] == "Banque"
    assert report["bank"]["statements"] == 4 and report["bank"]["true_statements"] == 0
    assert report["thresholds"]["true_share_min"] == thresholds.TRUE_SHARE_MIN
    finding = next(f for f in report["findings"] if f["field"] == "answer")
    assert finding == {
        "kind": "analysis",
        "severity": "error",
        "file": "exercises/m.yaml",
        "exercise": "q0",
        "field": "answer",
        "message": finding["message"],
    }


def test_report_table_has_a_row_per_module_and_the_bank(tmp_path, capsys):
    items = [single("q1", "Clé", "Autre", "Encore"), true_false("q2", True)]
    root = write_bank(tmp_path, {"alpha": items, "beta": [true_false("q1", False)]})
    assert main(["check", "--report", str(root)]) == 1  # no objectives: errors, tables printed
    out = capsys.readouterr().out
    lines = out.splitlines()
    for name in ("alpha", "beta", "Banque"):
        assert sum(line.startswith(name) for line in lines) == 3, name  # one row per table
    assert "1/2 (50 %)" in out  # true statements of the bank


def test_written_order_is_read_from_the_file(tmp_path):
    root = write_bank(tmp_path, {"m": [single("q1", "Clé", "Autre", "Encore", key_at=2)]})
    report = build_report(load_bank(root), analysis.written_orders(root))
    assert report.bank.key_positions_written == [0, 0, 1, 0]


def test_real_bank_report_shows_figures(capsys):
    code = main(["check", "--report", str(ROOT)])
    if not thresholds.ITEM_ANALYSIS_IS_ERROR:
        assert code == 0
    out = capsys.readouterr().out
    bank_rows = [line for line in out.splitlines() if line.startswith("Banque")]
    assert len(bank_rows) == 3
    assert "A:" in bank_rows[1] and "%" in bank_rows[2]


# ---------------------------------------------------------------- the build
class Recorder:
    def __init__(self):
        self.lines: dict[str, list[str]] = {"info": [], "warning": []}

    def info(self, message):
        self.lines["info"].append(message)

    def warning(self, message):
        self.lines["warning"].append(message)


@pytest.mark.parametrize("is_error", [False, True])
def test_build_reports_findings_as_warnings_only_when_they_are_errors(
    tmp_path, monkeypatch, is_error
):
    from exercisekit.sphinx import exercises

    recorder = Recorder()
    monkeypatch.setattr(exercises, "logger", recorder)
    monkeypatch.setattr(thresholds, "ITEM_ANALYSIS_IS_ERROR", is_error)
    exercises.report_findings(load_bank(cued_course(tmp_path)))
    expected = "exercises/m.yaml — exercice « q0 » — champ « answer » : énoncé faux"
    reported = recorder.lines["warning" if is_error else "info"]
    assert any(line.startswith(expected) for line in reported)
    if not is_error:
        assert recorder.lines["warning"] == []
