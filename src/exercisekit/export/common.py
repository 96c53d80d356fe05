"""What the LMS exporters share: the category path, and the exercises no LMS type can hold.

Scenarios (branching, with consequences and endings) and reflections (free text kept in the
learner's browser, never graded nor seen by anyone) have no faithful Moodle or GIFT type:
they are skipped, and every skip is reported, never silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from exercisekit.bank.loader import Bank
from exercisekit.render.typography import french, french_text

COURSE_TITLE = "Accompagner un collectif de partenaires"
EXPORTABLE = ("single", "multiple", "true_false", "classify", "order", "dilemma")
# Exported, but as an ungraded item: a dilemma has no right answer (a Moodle « description »).
UNGRADED = ("dilemma",)
WHY_SKIPPED = {
    "scenario": "mise en situation à embranchements : aucun type de question Moodle ou GIFT "
    "ne reproduit les choix, leurs conséquences et les fins",
    "reflection": "réflexion libre, jamais notée et gardée dans le navigateur : une question "
    "« composition » de Moodle la rendrait notée et lue par l'équipe",
}


@dataclass(frozen=True)
class Skipped:
    ref: str
    type: str
    reason: str

    def __str__(self) -> str:
        return french_text(f"{self.ref} ({self.type}) non exporté : {self.reason}")


@dataclass
class Export:
    """The exported text and the exercises left out (with why)."""

    text: str
    exported: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    ungraded: list[str] = field(default_factory=list)
    # Exported with a difference worth telling the course team (a format's limits).
    notes: list[str] = field(default_factory=list)

    def report(self, fmt: str) -> str:
        lines = [
            f"Export {fmt} : {len(self.exported)} questions exportées, dont "
            f"{len(self.ungraded)} non notées (dilemmes, en « description »), "
            f"{len(self.skipped)} exercices non exportables.",
            *(
                f"- {ref} (dilemma) exporté sans note : plusieurs options défendables"
                for ref in self.ungraded
            ),
            *(f"- {s}" for s in self.skipped),
            *(f"- {note}" for note in self.notes),
        ]
        return french_text("\n".join(lines) + "\n")


def category_name(number: int, module_title: str) -> str:
    """« 02 · Title »: Moodle lists categories by name, so the number keeps the course order."""
    return f"{number:02d} · {module_title}"


def category_path(module_title: str, course_title: str = COURSE_TITLE) -> str:
    """Moodle's category path for one module; a "/" inside a name is written "//"; names
    carry their French no-break spaces."""
    parts = [french_text(course_title), french_text(module_title)]
    return "$course$/top/" + "/".join(p.replace("/", "//") for p in parts)


def _course_order(bank: Bank) -> list[Any]:
    """Modules in the order of the course (module page numbers), so that an LMS lists its
    categories as the course does; file-name order when the pages are not at hand."""
    if bank.root is None:
        return list(bank.modules.values())
    from exercisekit.workshop.materials import workshops

    return [w.module for w in workshops(bank, bank.root)]


def split(bank: Bank) -> list[tuple[Any, str, list[Any], list[Skipped]]]:
    """For each module, in course order: (module, its numbered category name, exportable
    exercises, skipped exercises)."""
    result = []
    for number, module in enumerate(_course_order(bank), 1):
        kept, skipped = [], []
        for exercise in module.exercises:
            if exercise.type in EXPORTABLE:
                kept.append(exercise)
            else:
                skipped.append(
                    Skipped(
                        f"{module.module}/{exercise.id}", exercise.type, WHY_SKIPPED[exercise.type]
                    )
                )
        result.append((module, category_name(number, module.title), kept, skipped))
    return result


def exportable(bank: Bank, export: Export) -> Iterator[tuple[Any, str, list[Any]]]:
    """Modules with something to export, in course order: (module, category name, exercises).
    What cannot be exported goes into `export`'s report on the way, so no format forgets it."""
    for module, name, kept, skipped in split(bank):
        export.skipped += skipped
        if kept:
            yield module, name, kept


def count_exported(export: Export, module: Any, exercise: Any) -> str:
    """Record one exported exercise in the report (and whether it is ungraded); its reference."""
    ref = f"{module.module}/{exercise.id}"
    export.exported.append(ref)
    if exercise.type in UNGRADED:
        export.ungraded.append(ref)
    return ref


def dilemma_html(exercise: Any) -> tuple[str, str]:
    """(question text, general feedback) of a dilemma: the options to discuss, then what each
    gains and costs. Letters follow the order learners see."""
    from exercisekit.render.richtext import to_html
    from exercisekit.workshop.materials import choice_label

    options = "".join(
        f"<li><strong>{choice_label(i)}.</strong> {to_html(o.text)}</li>"
        for i, o in enumerate(exercise.options)
    )
    question = (
        f"<p>{to_html(exercise.prompt)}</p><p><em>Dilemme à discuter : plusieurs options sont "
        f'défendables, aucune n\'est notée.</em></p><ol type="A">{options}</ol>'
    )
    costs = "".join(
        f"<li><strong>{choice_label(i)}.</strong> Gagne : {to_html(o.benefit)} "
        f"Coûte : {to_html(o.cost)}</li>"
        for i, o in enumerate(exercise.options)
    )
    general = f"<ul>{costs}</ul>" + (
        f"<p>{to_html(exercise.explanation)}</p>" if exercise.explanation else ""
    )
    return french(question), french(general)


def fraction(count: int) -> str:
    """100/count as Moodle writes grades (33.33333, 12.5, ...), so its grade lists accept it."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")
