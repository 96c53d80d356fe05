"""LMS export: the Moodle XML has the structure Moodle's importer reads, the GIFT reads back with a
small GIFT reader, every exportable exercise is there, and every left-out one is reported."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from moodle_reader import altered, moodle_texts

from conftest import ROOT
from exercisekit.bank.lms_limits import moodle_fraction_ok
from exercisekit.bank.loader import Bank, load_bank, load_module_file
from exercisekit.bank.model import Module
from exercisekit.export.common import EXPORTABLE, split
from exercisekit.export.gift import escape, gift, ordering_form_fits
from exercisekit.export.moodle import moodle_xml
from exercisekit.render.richtext import to_html, to_plain
from exercisekit.render.typography import french, french_text


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT)


def _all(bank):
    return [(m, e) for m in bank.modules.values() for e in m.exercises]


def _category(bank, module) -> str:
    """The category path of a module: numbered in course order (« 02 · Title »)."""
    names = {m.module: name for m, name, _, _ in split(bank)}
    return (
        f"$course$/top/Accompagner un collectif de partenaires/{french_text(names[module.module])}"
    )


# ------------------------------------------------------------------ Moodle XML
def test_moodle_xml_structure_and_mapping(bank):
    export = moodle_xml(bank)
    quiz = ET.fromstring(export.text.encode("utf-8"))
    assert quiz.tag == "quiz"
    questions = {}
    categories = []
    for q in quiz.findall("question"):
        kind = q.get("type")
        if kind == "category":
            categories.append(q.findtext("category/text"))
            continue
        name = q.findtext("name/text")
        assert name and q.find("questiontext").get("format") == "html"
        assert q.findtext("questiontext/text")
        questions[(categories[-1], name)] = q
    titles = {french_text(m.title) for m in bank.modules.values()}
    assert {c.rsplit("/", 1)[-1].split(" · ", 1)[1] for c in categories} <= titles
    assert all(c.startswith("$course$/") for c in categories)

    expected = [(m, e) for m, e in _all(bank) if e.type in EXPORTABLE]
    assert len(questions) == len(expected) == len(export.exported)
    for module, ex in expected:
        q = questions[(_category(bank, module), ex.id)]
        answers = q.findall("answer")
        # Moodle's true/false penalty is 1 (as its GIFT importer sets it); others a third.
        penalty = {"true_false": "1", "dilemma": "0"}.get(ex.type, "0.3333333")
        assert q.findtext("penalty") == penalty
        if ex.type in ("single", "multiple"):
            assert q.get("type") == "multichoice"
            assert q.findtext("single") == ("true" if ex.type == "single" else "false")
            assert len(answers) == len(ex.options)
            for option, answer in zip(ex.options, answers, strict=True):
                assert answer.findtext("text") == to_html(option.text)
                assert answer.findtext("feedback/text") == to_html(option.feedback)
                fraction = float(answer.get("fraction"))
                assert (fraction > 0) == option.correct
                assert moodle_fraction_ok(fraction / 100), (ex.id, fraction)
                if ex.type == "single":
                    assert fraction in (0, 100)
            if ex.type == "multiple":
                right = sum(
                    float(a.get("fraction")) for a in answers if float(a.get("fraction")) > 0
                )
                assert abs(right - 100) < 0.01
                if len(ex.options) > sum(o.correct for o in ex.options):
                    wrong = sum(
                        float(a.get("fraction")) for a in answers if float(a.get("fraction")) < 0
                    )
                    assert abs(wrong + 100) < 0.01
        elif ex.type == "true_false":
            assert q.get("type") == "truefalse"
            by_text = {a.findtext("text"): a for a in answers}
            assert set(by_text) == {"true", "false"}
            assert by_text["true" if ex.answer else "false"].get("fraction") == "100"
            assert by_text["false" if ex.answer else "true"].get("fraction") == "0"
            for a in answers:
                assert a.findtext("feedback/text") == to_html(ex.justification)
        elif ex.type == "classify":
            assert q.get("type") == "matching"
            labels = {c.id: to_plain(c.label) for c in ex.categories}
            subs = q.findall("subquestion")
            assert [(s.findtext("text"), s.findtext("answer/text")) for s in subs] == [
                (to_html(i.text), labels[i.category]) for i in ex.items
            ]
            general = q.findtext("generalfeedback/text")
            assert all(to_html(i.feedback) in general for i in ex.items)
        elif ex.type == "order":
            assert q.get("type") == "ordering"
            assert q.findtext("gradingtype") == "ABSOLUTE_POSITION"
            assert [a.findtext("text") for a in answers] == [to_html(s.text) for s in ex.steps]
            assert [a.get("fraction") for a in answers] == [
                str(n) for n in range(1, len(ex.steps) + 1)
            ]


def test_unmappable_exercises_are_reported_not_dropped(bank):
    for export in (moodle_xml(bank), gift(bank)):
        left_out = [f"{m.module}/{e.id}" for m, e in _all(bank) if e.type not in EXPORTABLE]
        assert sorted(s.ref for s in export.skipped) == sorted(left_out)
        assert len(export.exported) + len(export.skipped) == len(_all(bank))
        report = export.report("x")
        assert all(ref in report for ref in left_out)


def test_cli_writes_export_and_report_and_names_skips_on_stderr(tmp_path):
    for fmt, name in (("moodle", "banque-questions-moodle.xml"), ("gift", "banque-questions.gift")):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "exercisekit",
                "export",
                fmt,
                str(tmp_path),
                "--root",
                str(ROOT),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 1000
        report = (tmp_path / f"rapport-export-{fmt}.txt").read_text(encoding="utf-8")
        assert "non exportables" in report
        skipped_lines = [line for line in result.stderr.splitlines() if "non exporté" in line]
        assert len(skipped_lines) == report.count("non exporté\u00a0:")


# ------------------------------------------------------------------ GIFT
_UNESCAPE = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split on unescaped mark characters: [(mark, text after it), ...]."""
    parts, mark, current, i = [], "", "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current += text[i : i + 2]
            i += 2
            continue
        if char in marks:
            parts.append((mark, current))
            mark, current = char, ""
        else:
            current += char
        i += 1
    parts.append((mark, current))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def read_gift(text: str) -> list[dict]:
    """A small GIFT reader for the kinds of questions we write."""
    questions, category = [], None
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.strip().splitlines() if not line.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0][len("$CATEGORY:") :].strip()
            lines = lines[1:]
            if not lines:
                continue
        source = "\n".join(lines)
        assert source.startswith("::")
        end_name = _find_unescaped(source, ":", 2)
        assert source[end_name : end_name + 2] == "::"
        name = _unescape(source[2:end_name])
        rest = source[end_name + 2 :]
        assert rest.startswith("[html]")
        open_at = _find_unescaped(rest, "{")
        if open_at < 0:  # a description: text only, no answer block (Moodle: ungraded)
            questions.append(
                {
                    "category": category,
                    "name": name,
                    "kind": "description",
                    "answers": [],
                    "prompt": _unescape(rest[len("[html]") :].strip()),
                    "general": None,
                }
            )
            continue
        close_at = _find_unescaped(rest, "}", open_at + 1)
        assert open_at > 0 and close_at > open_at and not rest[close_at + 1 :].strip()
        assert _find_unescaped(rest[close_at + 1 :], "{") == -1
        prompt = _unescape(rest[len("[html]") : open_at].strip())
        body = rest[open_at + 1 : close_at]
        general = None
        cut = body.find("####")
        if cut >= 0:
            general, body = _unescape(body[cut + 4 :].strip()), body[:cut]
        answers = []
        stripped = body.strip()
        ordering = re.fullmatch(
            r">(\d+) (ALL|RANDOM|CONTIGUOUS) (VERTICAL|HORIZONTAL) ([A-Z_]+) (SHOW|HIDE)\n(.*)",
            stripped,
            re.S,
        )
        if ordering:
            # The ordering plugin's own form: the steps are raw lines, in the right order.
            count, select, _, grading, _, steps = ordering.groups()
            kind = "ordering"
            answers = [line.strip() for line in steps.splitlines() if line.strip()]
            assert int(count) == len(answers) and select == "ALL" and grading == "ABSOLUTE_POSITION"
        elif re.fullmatch(r"(TRUE|FALSE)(#.*)?", stripped, re.S):
            word, *feedback = [_unescape(p) for _, p in _split_unescaped(stripped, "#")]
            kind, answers = "truefalse", [{"value": word == "TRUE", "feedback": feedback}]
        else:
            for mark, chunk in _split_unescaped(body, "~="):
                if not mark:
                    assert not chunk.strip()
                    continue
                weight = None
                chunk = chunk.strip()
                found = re.match(r"%(-?[\d.]+)%", chunk)
                if found:
                    weight, chunk = float(found.group(1)), chunk[found.end() :]
                text_part, *feedback = [p for _, p in _split_unescaped(chunk, "#")]
                if " -> " in text_part:
                    left, right = text_part.split(" -> ", 1)
                    answers.append(
                        {"left": _unescape(left.strip()), "right": _unescape(right.strip())}
                    )
                else:
                    answers.append(
                        {
                            "mark": mark,
                            "weight": weight,
                            "text": _unescape(text_part.strip()),
                            "feedback": _unescape(feedback[0].strip()) if feedback else None,
                        }
                    )
            kind = "matching" if answers and "left" in answers[0] else "multichoice"
        questions.append(
            {
                "category": category,
                "name": name,
                "prompt": prompt,
                "kind": kind,
                "answers": answers,
                "general": general,
            }
        )
    return questions


def test_gift_escapes_every_control_character():
    raw = r"a ~ b = c # d { e } f : g \ h"
    assert _unescape(escape(raw)) == raw
    assert all(_find_unescaped(escape(raw), c) == -1 for c in "~=#{}:")


def _one_line(text: str) -> str:
    """As GIFT writes a text: line breaks and runs of spaces become one space; the no-break
    spaces stay."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" \t\n\r\f\v")


def test_gift_reads_back_with_every_text_and_feedback(bank):
    export = gift(bank)
    read = {(q["category"], q["name"]): q for q in read_gift(export.text)}
    expected = [(m, e) for m, e in _all(bank) if e.type in EXPORTABLE]
    assert len(read) == len(expected)
    for module, ex in expected:
        q = read[(_category(bank, module), ex.id)]
        flat = lambda s: _one_line(to_html(s))  # noqa: E731
        if ex.type in ("single", "multiple"):
            assert q["kind"] == "multichoice"
            assert q["prompt"] == flat(ex.prompt)
            assert [a["text"] for a in q["answers"]] == [flat(o.text) for o in ex.options]
            assert [a["feedback"] for a in q["answers"]] == [flat(o.feedback) for o in ex.options]
            if ex.type == "single":
                assert [a["mark"] == "=" for a in q["answers"]] == [o.correct for o in ex.options]
            else:
                weights = [a["weight"] for a in q["answers"]]
                assert [w > 0 for w in weights] == [o.correct for o in ex.options]
                assert abs(sum(w for w in weights if w > 0) - 100) < 0.01
        elif ex.type == "dilemma":
            assert q["kind"] == "description"
            assert flat(ex.prompt) in q["prompt"]
            assert all(
                flat(o.text) in q["prompt"] and flat(o.cost) in q["prompt"] for o in ex.options
            )
        elif ex.type == "true_false":
            assert q["kind"] == "truefalse" and q["answers"][0]["value"] is ex.answer
            assert q["answers"][0]["feedback"] == [flat(ex.justification)] * 2
        elif ex.type == "classify":
            labels = {c.id: to_plain(c.label) for c in ex.categories}
            assert q["kind"] == "matching"
            assert [(a["left"], a["right"]) for a in q["answers"]] == [
                (flat(i.text), _one_line(labels[i.category])) for i in ex.items
            ]
            assert all(flat(i.feedback) in q["general"] for i in ex.items)
        elif ex.type == "order" and ordering_form_fits(ex):
            assert q["kind"] == "ordering" and q["prompt"] == flat(ex.prompt)
            assert q["answers"] == [flat(s.text) for s in ex.steps]
            assert any(f"{module.module}/{ex.id} (order)" in note for note in export.notes)
        elif ex.type == "order":
            assert q["kind"] == "matching"
            assert [(a["left"], a["right"]) for a in q["answers"]] == [
                (flat(s.text), str(n)) for n, s in enumerate(ex.steps, 1)
            ]


def test_gift_survives_hostile_text():
    nasty = "Deux points : ~tilde =égal #dièse {accolades} et \\ barre"
    module = Module.model_validate(
        {
            "module": "essai",
            "title": "Essai : titre/avec barre",
            "exercises": [
                {
                    "id": "q",
                    "type": "single",
                    "prompt": nasty,
                    "options": [
                        {"id": "a", "text": nasty, "correct": True, "feedback": nasty},
                        {"id": "b", "text": "Non", "feedback": "Parce que : non."},
                    ],
                }
            ],
        }
    )
    read = read_gift(gift(Bank({"essai": module})).text)
    assert len(read) == 1
    assert read[0]["prompt"] == to_html(nasty)
    assert read[0]["answers"][0]["feedback"] == to_html(nasty)
    assert read[0]["category"].endswith("Essai\u00a0: titre//avec barre")


def test_categories_follow_the_course_order_and_sort_in_it(bank):
    root = ET.fromstring(moodle_xml(bank).text)
    categories = [
        q.findtext("category/text").rsplit("/", 1)[-1]
        for q in root.findall("question[@type='category']")
    ]
    pages = sorted((ROOT / "book" / "modules").glob("0*.md"))
    titles = [p.read_text(encoding="utf-8").split("\n# ", 1)[1].split("\n", 1)[0] for p in pages]
    assert [
        f"{n:02d} · {french_text(t.split('. ', 1)[1])}" for n, t in enumerate(titles, 1)
    ] == categories
    assert sorted(categories) == categories  # Moodle lists categories by name
    gift_categories = re.findall(r"^\$CATEGORY: .*/(.*)$", gift(bank).text, re.M)
    assert gift_categories == categories


def test_exported_texts_carry_french_no_break_spaces(bank):
    """Every text of the Moodle export is already typeset: the rule would change nothing."""
    root = ET.fromstring(moodle_xml(bank).text)
    texts = [t.text for t in root.iter("text") if t.text]
    assert any("\u202f?" in t or "\u00a0:" in t for t in texts)
    assert [t for t in texts if french(t) != t] == []
    report = moodle_xml(bank).report("moodle")
    assert french_text(report) == report


# ------------------------------------------------------------------ Moodle's XML reader
def test_moodle_reader_loses_no_character_of_the_export(bank):
    text = moodle_xml(bank).text
    read = moodle_texts(text)
    assert len(read) > 500 and altered(text) == []
    # Every HTML text the exercises hold reaches Moodle whole, accents and spaces included.
    values = {got for got, _ in read}
    for _, ex in _all(bank):
        if ex.type in ("single", "multiple"):
            for option in ex.options:
                assert to_html(option.feedback).strip() in values


def test_moodle_reader_finds_what_entity_escaping_loses():
    """The reader drops the space between an entity and an accented letter, as Moodle's does:
    the form the export used before is caught, the CDATA form keeps the space."""
    html = "<strong>utiles</strong> à des <em>projets</em> « élus » &amp; b"
    escaped = ET.tostring(ET.fromstring(f"<q><text>{escape_xml(html)}</text></q>"), "unicode")
    expected = "<strong>utiles</strong>à des <em>projets</em>« élus » &amp; b"
    assert altered(escaped) == [(expected, html)]
    module = Module.model_validate(
        {
            "module": "essai",
            "title": "Essai",
            "exercises": [
                {
                    "id": "q",
                    "type": "single",
                    "prompt": "Pourquoi ?",
                    "options": [
                        {
                            "id": "a",
                            "text": "Oui",
                            "correct": True,
                            "feedback": "**utiles** à tous",
                        },
                        {"id": "b", "text": "Non", "feedback": "Parce que & « à » ; non."},
                    ],
                }
            ],
        }
    )
    text = moodle_xml(Bank({"essai": module})).text
    assert "<![CDATA[<strong>utiles</strong> à tous]]>" in text
    assert altered(text) == []


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ what Moodle can grade
def test_check_rejects_a_multiple_whose_fractions_moodle_cannot_hold(tmp_path):
    def options(right: int, wrong: int) -> list[dict]:
        return [
            {"id": f"o{n}", "text": f"Option {n}", "correct": n < right, "feedback": "Voilà."}
            for n in range(right + wrong)
        ]

    for right, wrong, bad in ((11, 1, "justes"), (2, 13, "fausses"), (10, 10, None), (20, 1, None)):
        path = tmp_path / "essai.yaml"
        path.write_text(
            json.dumps(
                {
                    "module": "essai",
                    "title": "Essai",
                    "exercises": [
                        {
                            "id": "q-large",
                            "type": "multiple",
                            "prompt": "Lesquelles ?",
                            "options": options(right, wrong),
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        module, problems = load_module_file(path, "exercises/essai.yaml")
        if bad is None:
            assert problems == [] and module is not None
            continue
        assert module is None and len(problems) == 1
        problem = problems[0]
        assert (problem.file, problem.exercise, problem.field) == (
            "exercises/essai.yaml",
            "q-large",
            "options",
        )
        assert f"options {bad}" in problem.message and "Moodle" in problem.message
        assert "exercices/essai.yaml" not in str(problem) and "q-large" in str(problem)
