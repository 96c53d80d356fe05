"""The question bank as Moodle XML (the format Moodle's « Importer » page reads).

Mapping, one exercise type to one Moodle type:
- single     -> multichoice, <single>true</single>; the right option 100, the others 0
- multiple   -> multichoice, <single>false</single>; right options share +100, wrong ones -100
- true_false -> truefalse; the justification is the feedback of both answers
- classify   -> matching; one sub-question per statement, its category as the answer;
                per-statement feedback (matching has none) goes into the general feedback
- order      -> ordering (qtype_ordering); steps in the right order, all to be placed,
                graded by absolute position; step feedback goes into the general feedback
- dilemma    -> description (ungraded): the options to discuss, then what each gains and costs
- scenario, reflection -> not exported, reported (see export/common.py)
Text is HTML made from the authors' inline Markdown, exactly as on the site. A text holding
markup is written as CDATA, as Moodle's own exporter does: Moodle's XML reader gets entity-escaped
text in chunks and drops a whitespace-only chunk between an entity and a non-ASCII letter
(« </strong> à » would become « </strong>à »). True/false questions carry Moodle's fixed
penalty, 1. Categories are numbered in course order (« 01 · … »): Moodle lists them by name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _header(
    quiz: ET.Element,
    qtype: str,
    exercise: Any,
    prompt: str,
    general: str,
    penalty: str = "0.3333333",
) -> ET.Element:
    question = ET.SubElement(quiz, "question", {"type": qtype})
    _text(question, "name", exercise.id, fmt=None)
    _text(question, "questiontext", prompt)
    _text(question, "generalfeedback", general)
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "penalty").text = penalty
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = exercise.id
    return question


def _answer(
    question: ET.Element, frac: str, text: str, feedback: str | None, fmt: str = "html"
) -> None:
    answer = ET.SubElement(question, "answer", {"fraction": frac, "format": fmt})
    ET.SubElement(answer, "text").text = text
    if feedback is not None:
        _text(answer, "feedback", feedback)


def _notes(rows: list[tuple[str, str | None]], explanation: str | None) -> str:
    """Per-item feedback as an HTML list, then the explanation: Moodle's general feedback."""
    items = "".join(
        f"<li>{head}" + (f" — {body}" if body else "") + "</li>" for head, body in rows if body
    )
    parts = ([f"<ul>{items}</ul>"] if items else []) + (
        [f"<p>{to_html(explanation)}</p>"] if explanation else []
    )
    return "".join(parts)


def _choice(quiz: ET.Element, exercise: Any) -> None:
    single = exercise.type == "single"
    general = f"<p>{to_html(exercise.explanation)}</p>" if exercise.explanation else ""
    question = _header(quiz, "multichoice", exercise, f"<p>{to_html(exercise.prompt)}</p>", general)
    ET.SubElement(question, "single").text = "true" if single else "false"
    # Options are already in the order learners see everywhere (bank/presentation.py): Moodle
    # keeps it, so « b » in Moodle is « B » on the workshop sheet and in the key.
    ET.SubElement(question, "shuffleanswers").text = "false"
    ET.SubElement(question, "answernumbering").text = "abc"
    right = sum(o.correct for o in exercise.options)
    wrong = len(exercise.options) - right
    for option in exercise.options:
        if single:
            frac = "100" if option.correct else "0"
        else:
            frac = fraction(right) if option.correct else "-" + fraction(wrong)
        _answer(question, frac, to_html(option.text), to_html(option.feedback))


def _true_false(quiz: ET.Element, exercise: Any) -> None:
    # Moodle fixes a true/false question's penalty at 1 (its GIFT importer sets 1 too).
    question = _header(
        quiz, "truefalse", exercise, f"<p>{to_html(exercise.statement)}</p>", "", penalty="1"
    )
    why = to_html(exercise.justification)
    # Moodle's importer recognises the answers by these English words.
    _answer(question, "100" if exercise.answer else "0", "true", why, fmt="moodle_auto_format")
    _answer(question, "0" if exercise.answer else "100", "false", why, fmt="moodle_auto_format")


def _classify(quiz: ET.Element, exercise: Any) -> None:
    labels = {c.id: c.label for c in exercise.categories}
    rows = [
        (f"<strong>{to_html(i.text)}</strong> → {to_html(labels[i.category])}", to_html(i.feedback))
        for i in exercise.items
    ]
    question = _header(
        quiz,
        "matching",
        exercise,
        f"<p>{to_html(exercise.prompt)}</p>",
        _notes(rows, exercise.explanation),
    )
    ET.SubElement(question, "shuffleanswers").text = "true"
    for item in exercise.items:
        sub = _text(question, "subquestion", to_html(item.text))
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = to_plain(labels[item.category])


def _order(quiz: ET.Element, exercise: Any) -> None:
    rows = [
        (f"{n}. {to_html(s.text)}", to_html(s.feedback) if s.feedback else None)
        for n, s in enumerate(exercise.steps, 1)
    ]
    question = _header(
        quiz,
        "ordering",
        exercise,
        f"<p>{to_html(exercise.prompt)}</p>",
        _notes(rows, exercise.explanation),
    )
    for tag, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "ABSOLUTE_POSITION"),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    ):
        ET.SubElement(question, tag).text = value
    for position, step in enumerate(exercise.steps, 1):
        _answer(question, str(position), to_html(step.text), None)


def _dilemma(quiz: ET.Element, exercise: Any) -> None:
    text, general = dilemma_html(exercise)
    question = ET.SubElement(quiz, "question", {"type": "description"})
    _text(question, "name", exercise.id, fmt=None)
    _text(question, "questiontext", text)
    _text(question, "generalfeedback", general)
    ET.SubElement(question, "defaultgrade").text = "0"
    ET.SubElement(question, "penalty").text = "0"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = exercise.id


_WRITERS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _true_false,
    "classify": _classify,
    "order": _order,
    "dilemma": _dilemma,
}


def moodle_xml(bank: Bank, course_title: str = COURSE_TITLE) -> Export:
    """Every exportable exercise of the bank, one Moodle category per module."""
    quiz = ET.Element("quiz")
    export = Export("")
    for module, name, kept in exportable(bank, export):
        category = ET.SubElement(quiz, "question", {"type": "category"})
        _text(category, "category", category_path(name, course_title), fmt=None)
        for exercise in kept:
            _WRITERS[exercise.type](quiz, exercise)
            count_exported(export, module, exercise)
    ET.indent(quiz)
    text = ET.tostring(quiz, encoding="unicode")
    export.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + _TEXT.sub(_as_cdata, text) + "\n"
    return export


_TEXT = re.compile(r"<text>([^<]*)</text>")


def _as_cdata(match: re.Match[str]) -> str:
    """A <text> whose value holds markup or an entity, as CDATA (Moodle's `xml_escape` rule)."""
    escaped = match.group(1)
    # The inverse of ElementTree's escaping of text (&, <, >), ampersand last.
    value = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    if not any(c in value for c in "<>&"):
        return match.group(0)
    return "<text><![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"
