"""Kernel-free HTML for one exercise: accessible markup plus its data for the shared runtime.

The markup is complete without JavaScript (the texts are readable and printable); the one
runtime shipped with the site (`render/assets/exercisekit.js`) finds every `.exk` block, reads
its JSON payload and makes it interactive. Ids are derived from the exercise reference,
never random, so executed notebooks are stable under nbval.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from exercisekit.grading import shuffled_steps
from exercisekit.render.messages import message
from exercisekit.render.richtext import html_dump, to_html, to_plain


def dom_id(ref: str) -> str:
    return "exk-" + ref.replace("/", "-")


def payload(exercise: Any) -> str:
    """The exercise as JSON for the runtime, safe inside a <script> element."""
    data = html_dump(exercise.model_dump(mode="json"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _actions(check: str = "check") -> str:
    return (
        '<div class="exk-actions">'
        f'<button type="button" class="exk-check">{message(check)}</button> '
        f'<button type="button" class="exk-reset">{message("retry")}</button>'
        "</div>"
        '<div class="exk-feedback" role="status" aria-live="polite"></div>'
    )


def _choices(uid: str, kind: str, prompt: str, options: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<div class="exk-choice"><input type="{kind}" name="{uid}" id="{uid}-{value}" '
        f'value="{value}"><label for="{uid}-{value}">{label}</label></div>'
        for value, label in options
    )
    return f'<fieldset class="exk-fieldset"><legend class="exk-prompt">{prompt}</legend>{rows}</fieldset>'


def _body(exercise: Any, uid: str) -> str:
    kind = exercise.type
    if kind == "single":
        return (
            _choices(
                uid,
                "radio",
                to_html(exercise.prompt),
                [(o.id, to_html(o.text)) for o in exercise.options],
            )
            + _actions()
        )
    if kind == "multiple":
        prompt = f'{to_html(exercise.prompt)} <span class="exk-hint">(plusieurs réponses possibles)</span>'
        return (
            _choices(uid, "checkbox", prompt, [(o.id, to_html(o.text)) for o in exercise.options])
            + _actions()
        )
    if kind == "dilemma":
        prompt = (
            f'<span class="exk-kicker">{message("dilemma_kicker")}</span> {to_html(exercise.prompt)} '
            f'<span class="exk-hint">{message("dilemma_hint")}</span>'
        )
        return _choices(
            uid, "radio", prompt, [(o.id, to_html(o.text)) for o in exercise.options]
        ) + _actions("dilemma_check")
    if kind == "true_false":
        prompt = f'<span class="exk-hint">Vrai ou faux ?</span> {to_html(exercise.statement)}'
        return (
            _choices(uid, "radio", prompt, [("true", message("true")), ("false", message("false"))])
            + _actions()
        )
    if kind == "classify":
        choices = f'<option value="">{message("choose")}</option>' + "".join(
            f'<option value="{c.id}">{escape(to_plain(c.label))}</option>'
            for c in exercise.categories
        )
        rows = "".join(
            f'<li class="exk-classify-item"><label for="{uid}-{i.id}">{to_html(i.text)}</label> '
            f'<select id="{uid}-{i.id}" data-item="{i.id}">{choices}</select></li>'
            for i in exercise.items
        )
        return (
            f'<fieldset class="exk-fieldset"><legend class="exk-prompt">{to_html(exercise.prompt)}</legend>'
            f'<ul class="exk-classify">{rows}</ul></fieldset>' + _actions()
        )
    if kind == "order":
        steps = {s.id: s for s in exercise.steps}
        rows = "".join(
            f'<li class="exk-step" data-step="{sid}"><span class="exk-step-text">{to_html(steps[sid].text)}</span>'
            f'<span class="exk-step-moves">'
            f'<button type="button" class="exk-up">▲ {message("move_up")}<span class="exk-sr"> : {escape(to_plain(steps[sid].text))}</span></button>'
            f'<button type="button" class="exk-down">▼ {message("move_down")}<span class="exk-sr"> : {escape(to_plain(steps[sid].text))}</span></button>'
            "</span></li>"
            for sid in shuffled_steps(exercise)
        )
        return (
            f'<p class="exk-prompt" id="{uid}-prompt">{to_html(exercise.prompt)}</p>'
            f'<ol class="exk-order" aria-labelledby="{uid}-prompt">{rows}</ol>'
            '<p class="exk-sr exk-announce" aria-live="polite"></p>' + _actions()
        )
    if kind == "scenario":
        return (
            f'<p class="exk-title"><span class="exk-kicker">Mise en situation</span> {to_html(exercise.title)}</p>'
            f'<div class="exk-context">{to_html(exercise.context)}</div>'
            '<ol class="exk-log"></ol><div class="exk-stage"></div>'
            '<p class="exk-sr exk-announce" aria-live="polite"></p>'
        )
    if kind == "reflection":
        hints = ""
        if exercise.hints:
            items = "".join(f"<li>{to_html(h)}</li>" for h in exercise.hints)
            hints = f'<details class="exk-hints"><summary>{message("hints")}</summary><ul>{items}</ul></details>'
        if exercise.criteria:
            items = "".join(f"<li>{to_html(c)}</li>" for c in exercise.criteria)
            hints += f'<details class="exk-hints exk-criteria"><summary>{message("criteria")}</summary><ul>{items}</ul></details>'
        return (
            f'<p class="exk-prompt" id="{uid}-prompt"><span class="exk-kicker">Pratique réflexive</span> '
            f"{to_html(exercise.prompt)}</p>{hints}"
            f'<label class="exk-hint" for="{uid}-text">{message("reflection_label")}</label>'
            f'<textarea id="{uid}-text" class="exk-journal" rows="6" aria-describedby="{uid}-prompt"></textarea>'
            '<p class="exk-saved" aria-live="polite"></p>'
        )
    raise TypeError(f"unknown exercise type {kind!r}")


def render_html(ref: str, exercise: Any) -> str:
    uid = dom_id(ref)
    return (
        f'<div class="exk exk--{exercise.type}" id="{uid}" data-exk-ref="{ref}" data-exk-type="{exercise.type}">'
        f'<script type="application/json" class="exk-data">{payload(exercise)}</script>'
        f"{_body(exercise, uid)}"
        f'<p class="exk-noscript">{message("noscript")}</p>'
        "</div>"
    )
