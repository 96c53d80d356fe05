"""Command line: `python -m exercisekit check [ROOT]` validates every exercise file, then prints
the item analysis and alignment findings (`--report`: the whole analysis as tables; `--json`: the
same for tools);
`python -m exercisekit export moodle|gift OUTDIR` writes the question bank for an LMS;
`python -m exercisekit handouts OUTDIR` prints every module's workshop PDFs into OUTDIR;
`python -m exercisekit scorm OUTDIR` writes the SCORM 1.2 and 2004 packages of the built site;
`python -m exercisekit cohort create|serve|links|list|delete` runs a workshop's cohort
(`cohort/cli.py`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from exercisekit.bank.errors import ExerciseDataError
from exercisekit.bank.loader import Bank, find_root, load_bank

if TYPE_CHECKING:
    from exercisekit.bank.analysis import Report


def _course_root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else find_root()


def _bank_or_report(root: Path) -> Bank | None:
    """The bank, or None after printing every problem of the exercise files."""
    try:
        return load_bank(root)
    except ExerciseDataError as err:
        print(err, file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    root = _course_root(args)
    bank = _bank_or_report(root)
    if bank is None:
        return 1
    # With --json, stdout holds the JSON document only.
    say = (lambda *_: None) if args.json else print
    count = sum(len(m.exercises) for m in bank.modules.values())
    say(f"OK : {count} exercices valides dans {len(bank.modules)} modules.")
    from exercisekit.bank.competencies import COMPETENCIES_FILE, load_competencies

    try:
        competencies = load_competencies(root)
    except ExerciseDataError as err:
        print(err, file=sys.stderr)
        return 1
    say(f"OK : {len(competencies.items())} compétences valides dans {COMPETENCIES_FILE}.")
    from exercisekit.bank.analysis import build_report, written_orders

    report = build_report(bank, written_orders(root))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 1 if report.findings_are_errors and report.findings else 0
    if args.report:
        from exercisekit.bank.report import report_text

        print()
        print(report_text(report))
    return _print_findings(report)


def _print_findings(report: Report) -> int:
    """Each finding on one line, by file; 1 when they are errors (`ITEM_ANALYSIS_IS_ERROR`)."""
    findings = sorted(report.findings, key=lambda p: p.file)
    if not findings:
        return 0
    errors = report.findings_are_errors
    label, stream = ("Erreur", sys.stderr) if errors else ("Avertissement", sys.stdout)
    print(file=stream)
    for problem in findings:
        print(f"{label} : {problem}", file=stream)
    what = "erreur(s)" if errors else "avertissement(s)"
    print(
        f"{len(findings)} {what} : {len(report.alignment)} d'alignement (objectifs, niveaux, "
        f"chemins, critères), {len(report.analysis)} d'analyse des items "
        "(seuils : src/exercisekit/bank/thresholds.py).",
        file=stream,
    )
    return 1 if errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from exercisekit.export.files import report_name, write_export

    bank = _bank_or_report(_course_root(args))
    if bank is None:
        return 1
    outdir = Path(args.outdir)
    target, export = write_export(bank, args.format, outdir)
    for skipped in export.skipped:
        print(skipped, file=sys.stderr)
    print(
        f"{target} : {len(export.exported)} questions ; {len(export.skipped)} exercices non "
        f"exportables (voir {outdir / report_name(args.format)})."
    )
    return 0


def cmd_handouts(args: argparse.Namespace) -> int:
    from exercisekit.workshop.handouts import PrintError, build_handouts

    try:
        report = build_handouts(Path(args.outdir).resolve(), root=_course_root(args))
    except (ExerciseDataError, PrintError) as err:
        print(err, file=sys.stderr)
        return 1
    print(f"OK : {report} dans {args.outdir}")
    return 0


def cmd_scorm(args: argparse.Namespace) -> int:
    from exercisekit.export.scorm import share_reflections_setting, write_scorm
    from exercisekit.export.scorm_page import SiteNotBuilt

    root = _course_root(args)
    site = Path(args.site).resolve() if args.site else root / "_build" / "html"
    try:
        written = write_scorm(site, Path(args.outdir), share_reflections_setting(root))
    except (SiteNotBuilt, ValueError) as err:
        print(err, file=sys.stderr)
        return 1
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} ko)")
    print(f"OK : {len(written)} paquets SCORM (1.2 et 2004) dans {args.outdir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exercisekit", description="Outils du cours")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider tous les fichiers de exercises/")
    check.add_argument("root", nargs="?", help="racine du cours (par défaut : trouvée depuis ici)")
    output = check.add_mutually_exclusive_group()
    output.add_argument(
        "--report", action="store_true", help="afficher toute l'analyse des items en tableaux"
    )
    output.add_argument(
        "--json", action="store_true", help="afficher l'analyse des items en JSON (pour les outils)"
    )
    check.set_defaults(func=cmd_check)
    export = sub.add_parser("export", help="exporter la banque de questions (Moodle XML ou GIFT)")
    export.add_argument("format", choices=["moodle", "gift"])
    export.add_argument("outdir", help="dossier où écrire l'export et son rapport")
    export.add_argument("--root", help="racine du cours (par défaut : trouvée depuis ici)")
    export.set_defaults(func=cmd_export)
    handouts = sub.add_parser(
        "handouts", help="imprimer le matériel d'atelier (PDF) de chaque module"
    )
    handouts.add_argument(
        "outdir", help="dossier où écrire les PDF (un cache y est gardé dans .cache/)"
    )
    handouts.add_argument("--root", help="racine du cours (par défaut : trouvée depuis ici)")
    handouts.set_defaults(func=cmd_handouts)
    scorm = sub.add_parser(
        "scorm", help="écrire les paquets SCORM 1.2 et 2004 (un par module, un pour le cours)"
    )
    scorm.add_argument("outdir", help="dossier où écrire les fichiers .zip")
    scorm.add_argument(
        "--site", help="site construit (par défaut : _build/html à la racine du cours)"
    )
    scorm.add_argument("--root", help="racine du cours (par défaut : trouvée depuis ici)")
    scorm.set_defaults(func=cmd_scorm)
    from exercisekit.cohort.cli import add_parser as add_cohort_parser

    add_cohort_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
