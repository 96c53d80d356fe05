"""One table of answer cases, graded by Python and by the browser runtime: identical verdicts
and identical feedback markup, for every graded exercise of the course."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bank_refs import MULTIPLE, ORDER, SINGLE, TRUE_FALSE

from exercisekit import grade, load_bank, walk_scenario
from exercisekit.bank.graph import ending_paths
from exercisekit.grading import shuffled_steps
from exercisekit.render.feedback import feedback_html
from exercisekit.render.static import payload

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)


# Hand-built cases: (exercise, answer, expected status), derived from each example exercise's key
# so that the content can change without the table going stale.
def explicit_cases():
    single, multiple = BANK.get(SINGLE), BANK.get(MULTIPLE)
    right = next(o.id for o in single.options if o.correct)
    wrong = next(o.id for o in single.options if not o.correct)
    keys = [o.id for o in multiple.options if o.correct]
    misses = [o.id for o in multiple.options if not o.correct]
    steps = [s.id for s in BANK.get(ORDER).steps]
    answer = BANK.get(TRUE_FALSE).answer
    return [
        (SINGLE, right, "correct"),
        (SINGLE, wrong, "incorrect"),
        (SINGLE, None, "incomplete"),
        (MULTIPLE, keys, "correct"),
        (MULTIPLE, keys[:1] + misses[:1], "partial"),
        (MULTIPLE, misses, "incorrect"),
        (MULTIPLE, [], "incomplete"),
        (TRUE_FALSE, answer, "correct"),
        (TRUE_FALSE, not answer, "incorrect"),
        (ORDER, steps, "correct"),
        (ORDER, [steps[1], steps[0], *steps[2:]], "partial"),
        (ORDER, steps[:2], "incomplete"),
    ]


EXPLICIT = explicit_cases()


def generated_cases():
    """Right, wrong, partial and empty answers for every graded exercise in the bank."""
    for module in BANK.modules.values():
        for q in module.exercises:
            ref = f"{module.module}/{q.id}"
            if q.type == "single":
                yield from ((ref, o.id) for o in q.options)
                yield ref, None
            elif q.type == "multiple":
                right = [o.id for o in q.options if o.correct]
                yield from ((ref, [o.id]) for o in q.options)
                yield ref, right
                yield ref, [o.id for o in q.options]
                yield ref, []
            elif q.type == "true_false":
                yield from ((ref, v) for v in (True, False, None))
            elif q.type == "classify":
                right = {i.id: i.category for i in q.items}
                yield ref, right
                yield ref, {i.id: q.categories[0].id for i in q.items}
                yield ref, {i.id: q.categories[-1].id for i in q.items}
                yield ref, dict(list(right.items())[1:])
            elif q.type == "order":
                right = [s.id for s in q.steps]
                yield from (
                    (ref, a)
                    for a in (
                        right,
                        right[::-1],
                        shuffled_steps(q),
                        right[1:] + right[:1],
                        right[:-1],
                    )
                )


def test_explicit_cases_have_the_expected_status():
    for ref, answer, status in EXPLICIT:
        assert grade(BANK.get(ref), answer)["status"] == status, (ref, answer)


def test_python_and_browser_runtime_agree(site_url, page):
    page.goto(site_url + "book/modules/02-conditions.html")
    page.wait_for_function("() => window.ExerciseKit !== undefined")
    cases = [(ref, answer) for ref, answer, _ in EXPLICIT] + list(generated_cases())
    assert len(cases) > 40
    table = [{"ex": json.loads(payload(BANK.get(ref))), "answer": answer} for ref, answer in cases]
    results = page.evaluate(
        """table => table.map(c => {
            const v = ExerciseKit.grade(c.ex, c.answer);
            return {verdict: v, feedback: ExerciseKit.feedbackHtml(c.ex, c.answer, v)};
        })""",
        table,
    )
    for (ref, answer), got in zip(cases, results, strict=True):
        exercise = BANK.get(ref)
        expected = grade(exercise, answer)
        assert got["verdict"] == expected, (ref, answer)
        assert got["feedback"] == feedback_html(exercise, answer, expected), (ref, answer)


def test_scenario_walks_agree(site_url, page):
    page.goto(site_url + "book/modules/02-conditions.html")
    page.wait_for_function("() => window.ExerciseKit !== undefined")
    for module in BANK.modules.values():
        for q in module.exercises:
            if q.type != "scenario":
                continue
            walks = [choices for choices, _ in ending_paths(q)] + [[], ["pas-un-choix"]]
            got = page.evaluate(
                "([ex, walks]) => walks.map(w => ExerciseKit.walk(ex, w))",
                [json.loads(payload(q)), walks],
            )
            assert got == [walk_scenario(q, w) for w in walks], q.id
