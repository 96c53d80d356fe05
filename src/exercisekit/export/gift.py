"""The question bank as GIFT, Moodle's plain-text question format.

Mapping:
- single     -> multiple choice: `=right#feedback ~wrong#feedback`
- multiple   -> multiple choice with weights: right options share `~%+100%`, wrong ones `~%-100%`
- true_false -> `{TRUE#justification#justification}` (feedback when wrong, then when right)
- classify   -> matching `=statement -> category`; per-statement feedback in the general feedback
- dilemma    -> description (text only, no answer block: Moodle imports it ungraded); the text
                holds the options, then what each gains and costs
- order      -> the ordering question type's own GIFT form (qtype_ordering, part of Moodle
                since 4.4): `{>N ALL VERTICAL ABSOLUTE_POSITION SHOW` then one step per line, in
                the right order, graded by absolute position as on the site. That form holds
                no feedback (the XML export keeps it), and the plugin reads it with a pattern
                that stops at the first `{` of the question: a question whose prompt holds a
                brace falls back to a matching of ranks (`=step -> 1`, `=step -> 2`, ...), graded
                per step likewise. Both cases are named in the export report.
- scenario, reflection -> not exported, reported (see export/common.py)
Texts are HTML (`[html]`); the characters ~ = # { } : and the backslash are escaped, except in
the ordering form's steps, which the plugin reads raw (one line each, HTML allowed).
Categories are numbered in course order (« 01 · … »): Moodle lists them by name.
"""

from __future__ import annotations

import re
from typing import Any

from exercisekit.bank.loader import Bank
from exercisekit.export.common import (
    COURSE_TITLE,
    Export,
    category_path,
    count_exported,
    dilemma_html,
    exportable,
    fraction,
)
from exercisekit.render.richtext import to_html, to_plain

_SPECIAL = re.compile(r"([\\~=#{}:])")
_BREAKS = re.compile(r"[ \t\n\r\f\v]+")


def escape(text: str) -> str:
    """Escape GIFT's control characters; a line break becomes a space (no-break spaces stay)."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text).strip(" \t\n\r\f\v"))


def _h(markdown: str) -> str:
    return escape(to_html(markdown))


def _general(rows: list[tuple[str, str | None]], explanation: str | None) -> str:
    items = "".join(f"<li>{h}" + f" — {b}</li>" for h, b in rows if b)
    html = (f"<ul>{items}</ul>" if items else "") + (
        f"<p>{to_html(explanation)}</p>" if explanation else ""
    )
    return f"\n####{escape(html)}" if html else ""


def _question(exercise: Any, prompt: str, body: list[str], general: str = "") -> str:
    head = f"::{escape(exercise.id)}::[html]{escape(prompt)}" + " {"
    return "\n".join([head, *body]) + general + "\n}\n"


def _choice(exercise: Any) -> str:
    right = sum(o.correct for o in exercise.options)
    wrong = len(exercise.options) - right
    lines = []
    for option in exercise.options:
        if exercise.type == "single":
            mark = "=" if option.correct else "~"
        else:
            mark = f"~%{fraction(right)}%" if option.correct else f"~%-{fraction(wrong)}%"
        lines.append(f"\t{mark}{_h(option.text)}#{_h(option.feedback)}")
    general = _general([], exercise.explanation)
    return _question(exercise, to_html(exercise.prompt), lines, general)


def _true_false(exercise: Any) -> str:
    why = _h(exercise.justification)
    return _question(
        exercise,
        to_html(exercise.statement),
        [f"\t{'TRUE' if exercise.answer else 'FALSE'}#{why}#{why}"],
    )


def _classify(exercise: Any) -> str:
    labels = {c.id: c.label for c in exercise.categories}
    lines = [f"\t={_h(i.text)} -> {escape(to_plain(labels[i.category]))}" for i in exercise.items]
    rows = [
        (f"<strong>{to_html(i.text)}</strong> → {to_html(labels[i.category])}", to_html(i.feedback))
        for i in exercise.items
    ]
    return _question(
        exercise, to_html(exercise.prompt), lines, _general(rows, exercise.explanation)
    )


def ordering_form_fits(exercise: Any) -> bool:
    """Whether the ordering plugin's GIFT reader can read this question: it takes the name and
    prompt as `[^{]*`, and each step as one raw line up to the closing brace."""
    prompt = escape(exercise.id) + escape(to_html(exercise.prompt))
    return (
        "{" not in prompt
        and "}" not in prompt
        and all("{" not in s.text and "}" not in s.text for s in exercise.steps)
    )


def _order(exercise: Any) -> str:
    if ordering_form_fits(exercise):
        # One line per step; only breakable spaces collapse (no-break spaces are typography).
        steps = [_BREAKS.sub(" ", to_html(s.text)).strip(" \t\n\r\f\v") for s in exercise.steps]
        head = f"::{escape(exercise.id)}::[html]{_h(exercise.prompt)}"
        body = [f"{{>{len(steps)} ALL VERTICAL ABSOLUTE_POSITION SHOW", *steps]
        return head + "\n".join(body) + "\n}\n"
    return _order_as_matching(exercise)


def _order_as_matching(exercise: Any) -> str:
    lines = [f"\t={_h(s.text)} -> {n}" for n, s in enumerate(exercise.steps, 1)]
    rows = [
        (f"{n}. {to_html(s.text)}", to_html(s.feedback) if s.feedback else None)
        for n, s in enumerate(exercise.steps, 1)
    ]
    prompt = (
        to_html(exercise.prompt)
        + " <em>(Donnez le rang de chaque étape\u00a0: 1 = la première.)</em>"
    )
    return _question(exercise, prompt, lines, _general(rows, exercise.explanation))


def _dilemma(exercise: Any) -> str:
    """GIFT's description: a title and text, no answer block (Moodle imports it ungraded)."""
    text, costs = dilemma_html(exercise)
    return f"::{escape(exercise.id)}::[html]{escape(text + costs)}\n"


def _order_note(ref: str, exercise: Any) -> str:
    if ordering_form_fits(exercise):
        return (
            f"{ref} (order) exporté en question « Ordre » (Moodle 4.4 et plus, ou le plugin "
            "qtype_ordering) : sans rétroaction par étape ni explication, que le format GIFT de ce "
            "type ne prévoit pas (le fichier XML les garde)"
        )
    return (
        f"{ref} (order) exporté en appariement (rang de chaque étape) : son énoncé contient une "
        "accolade, que le format GIFT du type « Ordre » ne sait pas lire"
    )


_WRITERS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _true_false,
    "classify": _classify,
    "order": _order,
    "dilemma": _dilemma,
}


def gift(bank: Bank, course_title: str = COURSE_TITLE) -> Export:
    """Every exportable exercise of the bank, one `$CATEGORY:` per module."""
    blocks = [f"// {course_title} — banque de questions (format GIFT, UTF-8)\n"]
    export = Export("")
    for module, name, kept in exportable(bank, export):
        blocks.append(
            f"// Module : {module.module}\n$CATEGORY: {category_path(name, course_title)}\n"
        )
        for exercise in kept:
            blocks.append(_WRITERS[exercise.type](exercise))
            ref = count_exported(export, module, exercise)
            if exercise.type == "order":
                export.notes.append(_order_note(ref, exercise))
    export.text = "\n".join(blocks)
    return export
