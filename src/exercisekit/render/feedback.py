"""The feedback a learner reads after « Vérifier », as HTML, from a verdict.

`render/assets/exercisekit.js` (function `feedbackHtml`) builds the same markup in the browser;
the conformance tests compare the two texts case by case.
"""

from __future__ import annotations

from html import escape
from typing import Any

from exercisekit.render.messages import ICONS, message
from exercisekit.render.richtext import to_html, to_plain


def _mark(right: bool, label: str, why: str) -> str:
    tag = f"{'✔' if right else '✘'} {message('mark_right' if right else 'mark_wrong')}"
    css = "right" if right else "wrong"
    why_html = f'<div class="exk-why">{why}</div>' if why else ""
    return (
        f'<li class="exk-mark exk-mark--{css}"><span class="exk-tag">{tag}</span> '
        f"{label}{why_html}</li>"
    )


def _dilemma_body(exercise: Any, answer: Any) -> str:
    """Every option with what it gains and what it costs; the learner's own choice named."""
    items = []
    for option in exercise.options:
        mine = (
            f' <span class="exk-tag">{message("your_choice")}</span>' if option.id == answer else ""
        )
        items.append(
            f'<li class="exk-mark exk-mark--option">{to_html(option.text)}{mine}'
            f'<div class="exk-why"><strong>{message("benefit")}</strong>\u00a0: {to_html(option.benefit)}</div>'
            f'<div class="exk-why"><strong>{message("cost")}</strong>\u00a0: {to_html(option.cost)}</div></li>'
        )
    body = f'<ul class="exk-marks">{"".join(items)}</ul>'
    if exercise.explanation:
        body += f'<p class="exk-explanation">{to_html(exercise.explanation)}</p>'
    return body


def feedback_html(exercise: Any, answer: Any, verdict: dict[str, Any]) -> str:
    status = verdict["status"]
    head = (
        f'<p class="exk-verdict exk-verdict--{status}"><span class="exk-icon" aria-hidden="true">'
        f"{ICONS[status]}</span> <strong>{message('status_' + status)}</strong>"
    )
    if verdict["total"] > 1:
        head += f' <span class="exk-score">({message("score", score=verdict["score"], total=verdict["total"])})</span>'
    head += "</p>"
    if status == "incomplete":
        return head
    if exercise.type == "dilemma":
        return head + _dilemma_body(exercise, answer)
    marks = {m["ref"]: m["correct"] for m in verdict["marks"]}
    items: list[str] = []
    kind = exercise.type
    if kind == "single":
        for option in exercise.options:
            if option.id in marks:
                items.append(
                    _mark(marks[option.id], to_html(option.text), to_html(option.feedback))
                )
    elif kind == "multiple":
        for option in exercise.options:
            chosen = message("selected" if option.id in (answer or []) else "not_selected")
            label = f"{to_html(option.text)} ({chosen})"
            items.append(_mark(marks[option.id], label, to_html(option.feedback)))
    elif kind == "true_false":
        said = message("true" if answer else "false")
        items.append(
            _mark(
                verdict["status"] == "correct",
                escape(message("your_answer", answer=said)),
                to_html(exercise.justification),
            )
        )
    elif kind == "classify":
        labels = {c.id: to_plain(c.label) for c in exercise.categories}
        for item in exercise.items:
            why = to_html(item.feedback)
            if not marks[item.id]:
                why += " " + escape(message("expected_category", category=labels[item.category]))
            items.append(_mark(marks[item.id], to_html(item.text), why))
    elif kind == "order":
        steps = {s.id: s for s in exercise.steps}
        expected = [s.id for s in exercise.steps]
        for position, step_id in enumerate(answer, start=1):
            step = steps[step_id]
            why = to_html(step.feedback) if step.feedback else ""
            if not marks[step_id]:
                hint = escape(message("expected_position", pos=expected.index(step_id) + 1))
                why = f"{hint} {why}".strip()
            items.append(_mark(marks[step_id], f"{position}. {to_html(step.text)}", why))
    body = f'<ul class="exk-marks">{"".join(items)}</ul>'
    explanation = getattr(exercise, "explanation", None)
    if explanation:
        body += (
            f'<p class="exk-explanation"><strong>{message("explanation")}</strong>\u00a0: '
            f"{to_html(explanation)}</p>"
        )
    return head + body
