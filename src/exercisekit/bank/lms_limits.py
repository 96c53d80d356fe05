"""What an LMS can hold, checked with the bank: an author hears of it at `check` time, not when a
course team's import fails.

Moodle grades an answer with a fraction taken from a fixed list (its « grade options »: 100 %,
90 %, 83.33333 %, … 5 %, 0 and their negatives) and rejects any other (`invalidgrade`), within
0.00001. A `multiple` question shares 100 % among its right options and -100 % among its wrong
ones, so a question with 11 to 19 options of one kind (or more than 20) cannot be imported.
"""

from __future__ import annotations

from typing import Any

MOODLE_GRADES = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
    0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip
_TOLERANCE = 0.00001  # Moodle's match_grade_options()


def moodle_fraction_ok(fraction: float) -> bool:
    """Whether Moodle's grade list holds this fraction (or its negative)."""
    return any(abs(abs(fraction) - grade) < _TOLERANCE for grade in MOODLE_GRADES)


def _percent(value: float) -> str:
    return f"{100 * value:.5g}".replace(".", ",") + " %"


def lms_problems(exercise: Any) -> list[tuple[str, str]]:
    """(field, French message) for what Moodle could not import from this exercise."""
    if exercise.type != "multiple":
        return []
    right = sum(o.correct for o in exercise.options)
    wrong = len(exercise.options) - right
    problems = []
    for count, kind, sign in ((right, "justes", ""), (wrong, "fausses", "-")):
        if count and not moodle_fraction_ok(1 / count):
            problems.append(
                (
                    "options",
                    f"Moodle ne peut pas noter ce choix multiple : {count} options {kind} "
                    f"vaudraient chacune {sign}{_percent(1 / count)}, une note absente de sa "
                    "liste (100 %, 50 %, 33,33333 %… 10 %, 5 %). Gardez au plus 10 options "
                    f"{kind} (ou exactement 20).",
                )
            )
    return problems
