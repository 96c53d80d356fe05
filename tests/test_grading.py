"""Grading and scenario logic as pure functions, on the course's own exercises."""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_refs import CLASSIFY, MULTIPLE, ORDER, REFLECTION, SCENARIO, SINGLE, TRUE_FALSE

from exercisekit import grade, load_bank, walk_scenario
from exercisekit.bank.graph import ending_paths, scenario_problems
from exercisekit.grading import shuffled_steps

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)


def ex(ref):
    return BANK.get(ref)


def test_single_choice():
    q = ex(SINGLE)
    right = next(o.id for o in q.options if o.correct)
    wrong = next(o.id for o in q.options if not o.correct)
    assert grade(q, right) == {
        "status": "correct",
        "score": 1,
        "total": 1,
        "marks": [{"ref": right, "correct": True}],
    }
    assert grade(q, wrong)["status"] == "incorrect"
    assert grade(q, None)["status"] == "incomplete"
    assert grade(q, "zzz")["status"] == "incomplete"


def test_multiple_choice_partial_and_exact():
    q = ex(MULTIPLE)
    right = [o.id for o in q.options if o.correct]
    wrong = [o.id for o in q.options if not o.correct]
    assert grade(q, right)["status"] == "correct"
    assert grade(q, right[:1])["status"] == "partial"
    assert grade(q, right + wrong[:1])["status"] == "partial"
    assert grade(q, wrong)["status"] == "incorrect"
    assert grade(q, [])["status"] == "incomplete"
    verdict = grade(q, right[:1])
    assert verdict["total"] == len(q.options)
    assert verdict["score"] == 1 + len(wrong)  # one right ticked, every wrong one left blank


def test_true_false():
    q = ex(TRUE_FALSE)
    assert grade(q, q.answer)["status"] == "correct"
    assert grade(q, not q.answer)["status"] == "incorrect"
    assert grade(q, None)["status"] == "incomplete"


def test_classify():
    q = ex(CLASSIFY)
    right = {i.id: i.category for i in q.items}
    assert grade(q, right)["status"] == "correct"
    first = q.categories[0].id
    all_first = {i.id: first for i in q.items}
    verdict = grade(q, all_first)
    assert verdict["status"] == "partial"
    assert verdict["score"] == sum(1 for i in q.items if i.category == first)
    missing = dict(right)
    missing.pop(q.items[0].id)
    assert grade(q, missing)["status"] == "incomplete"
    assert grade(q, {**right, q.items[0].id: "inconnue"})["status"] == "incomplete"


def test_order():
    q = ex(ORDER)
    right = [s.id for s in q.steps]
    assert grade(q, right)["status"] == "correct"
    reversed_ = right[::-1]
    # Reversed, no step is in place, but the middle one of an odd count.
    expected = "incorrect" if len(right) % 2 == 0 else "partial"
    assert grade(q, reversed_)["status"] == expected
    swapped = [right[1], right[0], *right[2:]]
    assert grade(q, swapped) == {
        "status": "partial",
        "score": len(right) - 2,
        "total": len(right),
        "marks": [{"ref": s, "correct": s == r} for s, r in zip(swapped, right, strict=True)],
    }
    assert grade(q, right[:-1])["status"] == "incomplete"


def test_shuffled_steps_is_stable_and_never_the_answer():
    for module in BANK.modules.values():
        for q in module.exercises:
            if q.type == "order":
                shown = shuffled_steps(q)
                assert shown == shuffled_steps(q)
                assert shown != [s.id for s in q.steps]
                assert sorted(shown) == sorted(s.id for s in q.steps)


def test_ungraded_types_are_refused():
    with pytest.raises(TypeError):
        grade(ex(REFLECTION), "texte")


def test_every_scenario_is_sound_and_every_path_ends():
    for module in BANK.modules.values():
        for q in module.exercises:
            if q.type == "scenario":
                assert scenario_problems(q) == []
                paths = ending_paths(q)
                assert paths, q.id
                for choices, ending in paths:
                    walked = walk_scenario(q, choices)
                    assert walked["valid"] and walked["node"] == ending and walked["ending"]


def test_walk_scenario_reaches_two_different_endings():
    q = ex(SCENARIO)
    endings = {walk_scenario(q, choices)["ending"] for choices, _ in ending_paths(q)}
    assert {"good", "mixed", "poor"} <= endings
    assert walk_scenario(q, ["pas-un-choix"]) == {
        "node": q.start,
        "path": [q.start],
        "ending": None,
        "status": None,
        "valid": False,
    }
