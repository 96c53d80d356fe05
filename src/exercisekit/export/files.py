"""Write an LMS export and its report file: used by `python -m exercisekit export` and the build."""

from __future__ import annotations

from pathlib import Path

from exercisekit.bank.loader import Bank
from exercisekit.export.common import Export
from exercisekit.export.gift import gift
from exercisekit.export.moodle import moodle_xml

FORMATS = {
    "moodle": (moodle_xml, "banque-questions-moodle.xml"),
    "gift": (gift, "banque-questions.gift"),
}


def report_name(fmt: str) -> str:
    return f"rapport-export-{fmt}.txt"


def write_export(bank: Bank, fmt: str, outdir: Path) -> tuple[Path, Export]:
    """Write the export and, beside it, a report naming every exercise left out and why."""
    make, name = FORMATS[fmt]
    export = make(bank)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / name
    target.write_text(export.text, encoding="utf-8")
    (outdir / report_name(fmt)).write_text(export.report(fmt), encoding="utf-8")
    return target, export
