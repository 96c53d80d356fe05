"""Grading as pure functions: (exercise, answer) -> verdict.

A verdict is plain JSON-able data so that the browser runtime (`render/assets/exercisekit.js`)
can be checked against it case by case:

    {"status": "correct" | "partial" | "incorrect" | "incomplete" | "done",
     "score": int, "total": int,
     "marks": [{"ref": "<option, item or step id>", "correct": bool}, ...]}

`marks` say which parts the learner got right; renderers look up each part's feedback by
`ref` in the exercise itself, so both renderers show the same texts.

Answers by type: single -> option id; multiple -> list of option ids; true_false -> bool;
classify -> {item id: category id}; order -> list of step ids, first to last;
dilemma -> option id (never right or wrong: "done", with no score).
"""

from __future__ import annotations

import random
from typing import Any

from exercisekit.bank.model import (
    Classify,
    Dilemma,
    MultipleChoice,
    Ordering,
    Scenario,
    SingleChoice,
    TrueFalse,
)

Verdict = dict[str, Any]

# A scenario ending's quality read as a verdict, so progress can count it.
ENDING_STATUS = {"good": "correct", "mixed": "partial", "poor": "incorrect"}


def _verdict(status: str, marks: list[dict[str, Any]]) -> Verdict:
    score = sum(1 for m in marks if m["correct"])
    return {"status": status, "score": score, "total": len(marks), "marks": marks}


def _overall(marks: list[dict[str, Any]]) -> str:
    right = sum(1 for m in marks if m["correct"])
    if right == len(marks):
        return "correct"
    return "partial" if right else "incorrect"


def grade_single(exercise: SingleChoice, answer: str | None) -> Verdict:
    option = next((o for o in exercise.options if o.id == answer), None)
    if option is None:
        return _verdict("incomplete", [])
    return _verdict(
        "correct" if option.correct else "incorrect",
        [{"ref": option.id, "correct": option.correct}],
    )


def grade_multiple(exercise: MultipleChoice, answer: list[str] | None) -> Verdict:
    chosen = set(answer or [])
    if not chosen & {o.id for o in exercise.options}:
        return _verdict("incomplete", [])
    marks = [{"ref": o.id, "correct": (o.id in chosen) == o.correct} for o in exercise.options]
    if all(m["correct"] for m in marks):
        status = "correct"
    elif any(o.correct and o.id in chosen for o in exercise.options):
        status = "partial"
    else:
        status = "incorrect"
    return _verdict(status, marks)


def grade_true_false(exercise: TrueFalse, answer: bool | None) -> Verdict:
    if not isinstance(answer, bool):
        return _verdict("incomplete", [])
    right = answer == exercise.answer
    return _verdict(
        "correct" if right else "incorrect",
        [{"ref": "true" if answer else "false", "correct": right}],
    )


def grade_classify(exercise: Classify, answer: dict[str, str] | None) -> Verdict:
    answer = answer or {}
    categories = {c.id for c in exercise.categories}
    if any(answer.get(item.id) not in categories for item in exercise.items):
        return _verdict("incomplete", [])
    marks = [{"ref": i.id, "correct": answer[i.id] == i.category} for i in exercise.items]
    return _verdict(_overall(marks), marks)


def grade_order(exercise: Ordering, answer: list[str] | None) -> Verdict:
    expected = [s.id for s in exercise.steps]
    if sorted(answer or []) != sorted(expected):
        return _verdict("incomplete", [])
    marks = [
        {"ref": got, "correct": got == want} for got, want in zip(answer, expected, strict=True)
    ]
    return _verdict(_overall(marks), marks)


def grade_dilemma(exercise: Dilemma, answer: str | None) -> Verdict:
    """Several options are defensible: an answer is recorded, never judged."""
    if not any(o.id == answer for o in exercise.options):
        return _verdict("incomplete", [])
    return _verdict("done", [])


_GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "true_false": grade_true_false,
    "classify": grade_classify,
    "order": grade_order,
    "dilemma": grade_dilemma,
}

# The course's mastery rule, the same in the browser, the live kernel and Mon parcours: a module
# is « réussi » when every graded item was answered, at least this share of them right on the
# first try, and every scenario taken to an ending.
MASTERY_FIRST_TRY = 0.8


def module_mastered(first_tries: list[str | None], scenarios_done: list[bool]) -> bool:
    """`first_tries`: the first checked status of each graded item (None if never answered)."""
    if any(status is None for status in first_tries) or not all(scenarios_done):
        return False
    right = sum(status == "correct" for status in first_tries)
    return not first_tries or right >= MASTERY_FIRST_TRY * len(first_tries)


def grade(exercise: Any, answer: Any) -> Verdict:
    """Grade any graded exercise; scenarios and reflections are not graded this way."""
    try:
        grader = _GRADERS[exercise.type]
    except KeyError:
        raise TypeError(f"exercise type {exercise.type!r} is not graded by answer") from None
    return grader(exercise, answer)


def shuffled_steps(exercise: Ordering) -> list[str]:
    """The order steps are first shown in: shuffled, never already right, same every time."""
    ids = [s.id for s in exercise.steps]
    shown = ids[:]
    random.Random(exercise.id).shuffle(shown)
    if shown == ids:
        shown = shown[1:] + shown[:1]
    return shown


def walk_scenario(scenario: Scenario, choices: list[str]) -> dict[str, Any]:
    """Follow choice ids from the start; where the walk stands, the nodes passed, the ending.

    An unknown choice id stops the walk where it is (`"valid": False`), as the runtime does.
    """
    nodes = {n.id: n for n in scenario.nodes}
    node = nodes[scenario.start]
    path = [node.id]
    for choice_id in choices:
        choice = next((c for c in node.choices if c.id == choice_id), None)
        if choice is None:
            return {"node": node.id, "path": path, "ending": None, "status": None, "valid": False}
        node = nodes[choice.next]
        path.append(node.id)
    return {
        "node": node.id,
        "path": path,
        "ending": node.ending,
        "status": ENDING_STATUS.get(node.ending) if node.ending else None,
        "valid": True,
    }
