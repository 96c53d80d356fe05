"""The workshop PDFs: produced for every module, real tagged text, nothing missing or leaked.

The session build prints the PDFs into its cache (`_build/.imprimables-cache`); the tests write
their own copies from it into the test output folder, and a second call prints nothing. The text
of each document is extracted once per session (`pdf_texts.py`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from pdf_texts import page_texts

from conftest import OUTPUT, ROOT
from exercisekit.bank.loader import load_bank
from exercisekit.render.richtext import to_plain
from exercisekit.render.typography import french
from exercisekit.workshop.handouts import build_handouts, jobs_for
from exercisekit.workshop.materials import KINDS, card_numbers, pdf_name, read_page, workshops

BANK = load_bank(ROOT)
WORKSHOPS = workshops(BANK, ROOT)
IDS = [w.id for w in WORKSHOPS]
FOLDER = OUTPUT / "_build" / "imprimables-tests"


def norm(text: str) -> str:
    """Compare texts without layout: no whitespace (line breaks, no-break spaces), NFKC."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def plain(text: str) -> str:
    return norm(to_plain(text))


# The session build printed every document into this cache: the tests write their own copies
# from it, and a second call must find every document there.
CACHE = OUTPUT / "_build" / ".imprimables-cache"


@pytest.fixture(scope="session")
def printed(built_site) -> tuple[Path, object]:
    report = build_handouts(FOLDER, root=ROOT, bank=BANK, cache=CACHE)
    return FOLDER, report


_FOOTER = re.compile(r"Page \d+ sur \d+")


def pdf_text(path: Path) -> str:
    """The PDF's text without its running footers (which would split an item across pages)."""
    pages = []
    for text in page_texts(path):
        lines = [line for line in text.splitlines() if not _FOOTER.search(line)]
        lines = [
            line
            for line in lines
            if not any(label in line for label in KINDS.values()) or line.startswith("Accompagner")
        ]
        pages.append("\n".join(lines))
    return norm("\n".join(pages))


def texts(exercise, *, answers: bool) -> list[str]:
    """What a document must show of an exercise: the items, and with `answers` the key."""
    shown: list[str] = []
    hidden: list[str] = []
    kind = exercise.type
    if kind in ("single", "multiple"):
        shown += [exercise.prompt, *(o.text for o in exercise.options)]
        hidden += [o.feedback for o in exercise.options]
    elif kind == "true_false":
        shown.append(exercise.statement)
        hidden.append(exercise.justification)
    elif kind == "classify":
        shown += [
            exercise.prompt,
            *(c.label for c in exercise.categories),
            *(i.text for i in exercise.items),
        ]
        hidden += [i.feedback for i in exercise.items]
    elif kind == "order":
        shown += [exercise.prompt, *(s.text for s in exercise.steps)]
        hidden += [s.feedback for s in exercise.steps if s.feedback]
    elif kind == "reflection":
        shown += [exercise.prompt, *exercise.hints]
    elif kind == "scenario":
        shown += [exercise.title, exercise.context]
        for node in exercise.nodes:
            shown.append(node.text)
            shown += [c.text for c in node.choices]
            hidden += [c.consequence for c in node.choices]
    if getattr(exercise, "explanation", None):
        hidden.append(exercise.explanation)
    return shown + hidden if answers else shown


def answer_texts(exercise) -> list[str]:
    full, shown = texts(exercise, answers=True), texts(exercise, answers=False)
    return [t for t in full if t not in shown]


# ---------------------------------------------------------------- units
def test_documents_are_typeset_by_the_shared_rule():
    """Every printed document is already typeset (render/typography.py): the rule would
    change nothing more; the rule itself is tested in test_typography.py."""
    for job in jobs_for(BANK, ROOT):
        assert french(job.html) == job.html, job.name
        assert "\u00a0:" in job.html and "\u202f?" in job.html, job.name
    html = '<a href="https://x.org/a:b">Lien</a> « Oui » : non ; quoi ?'
    out = french(html)
    assert out.startswith('<a href="https://x.org/a:b">')
    assert "«\u00a0Oui\u00a0»\u00a0:" in out and "non\u202f;" in out and "quoi\u202f?" in out


def test_module_pages_give_objectives_and_key_points():
    module = BANK.modules["conditions"]
    page = read_page(ROOT, module)
    assert page.path is not None and page.path.name == "02-conditions.md"
    assert page.number == 2 and page.minutes
    assert 3 <= len(page.objectives) <= 5 and page.objectives[0].startswith("**")
    assert 3 <= len(page.key_points) <= 6


def test_card_numbers_start_at_the_start_and_put_endings_last():
    for w in WORKSHOPS:
        for scenario in w.scenarios:
            numbers = card_numbers(scenario)
            assert numbers[scenario.start] == 1
            assert sorted(numbers.values()) == list(range(1, len(scenario.nodes) + 1))
            endings = [numbers[n.id] for n in scenario.nodes if n.ending]
            assert min(endings) > max(numbers[n.id] for n in scenario.nodes if not n.ending)


# ---------------------------------------------------------------- the PDFs
def test_every_module_gets_its_pdfs_and_a_rebuild_prints_nothing(printed):
    folder, report = printed
    for w in WORKSHOPS:
        for kind in KINDS:
            if kind == "cartes" and not w.scenarios:
                continue
            assert (folder / pdf_name(w.id, kind)).stat().st_size > 10_000, (w.id, kind)
    again = build_handouts(folder, root=ROOT, bank=BANK, cache=CACHE)
    assert again.printed == [] and len(again.cached) == len(jobs_for(BANK, ROOT))


@pytest.mark.parametrize("module_id", IDS)
def test_pdfs_are_tagged_searchable_letter_pages(printed, module_id):
    folder, _ = printed
    reader = pypdf.PdfReader(folder / pdf_name(module_id, "fiche"))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "not a tagged PDF"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("fr")
    assert "Fiche" in (reader.metadata.title or "")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter
    assert (
        len(page_texts(folder / pdf_name(module_id, "fiche"))[0]) > 200
    )  # real text, not an image


@pytest.mark.parametrize("module_id", IDS)
def test_handout_has_every_quiz_item_and_reflection_but_no_answer(printed, module_id):
    folder, _ = printed
    text = pdf_text(folder / pdf_name(module_id, "fiche"))
    w = next(w for w in WORKSHOPS if w.id == module_id)
    for exercise in w.quiz + w.reflections:
        for shown in texts(exercise, answers=False):
            assert plain(shown) in text, f"{module_id}/{exercise.id}: missing « {shown[:60]} »"
    for point in w.page.key_points:
        assert plain(point) in text
    for exercise in w.quiz + w.scenarios:
        for secret in answer_texts(exercise):
            if len(plain(secret)) >= 25:
                assert plain(secret) not in text, (
                    f"{module_id}/{exercise.id} leaks « {secret[:60]} »"
                )
    assert "Juste" not in text and "Réponse:" not in text


@pytest.mark.parametrize("module_id", IDS)
def test_key_has_every_item_answer_and_reasoning(printed, module_id):
    folder, _ = printed
    text = pdf_text(folder / pdf_name(module_id, "corrige"))
    w = next(w for w in WORKSHOPS if w.id == module_id)
    for exercise in w.module.exercises:
        for part in texts(exercise, answers=True):
            assert plain(part) in text, f"{module_id}/{exercise.id}: missing « {part[:60]} »"
    for _, cards, _ in w.played():
        for card in cards:
            if card.node.ending:
                assert norm(f"Carte{card.number}—") in text


@pytest.mark.parametrize("module_id", [w.id for w in WORKSHOPS if w.scenarios])
def test_cards_cover_every_node_and_every_choice_points_to_a_card(printed, module_id):
    folder, _ = printed
    text = pdf_text(folder / pdf_name(module_id, "cartes"))
    w = next(w for w in WORKSHOPS if w.id == module_id)
    expected = sum(len(s.nodes) for s in w.scenarios)
    found = {int(n) for n in re.findall(r"(?<!→)Carte(\d+)", text)}
    assert found == set(range(1, expected + 1)), "one card per node, numbered without gaps"
    targets = {int(n) for n in re.findall(r"→carte(\d+)", text)}
    assert targets and targets <= found, "a choice points to a card that does not exist"
    for scenario, cards, _ in w.played():
        assert plain(scenario.context) in text
        for card in cards:
            assert plain(card.node.text) in text, f"{scenario.id}/{card.node.id} has no card"
            for link in card.links:
                assert plain(link.choice.text) in text
                assert plain(link.choice.consequence) in text
                assert norm(f"→carte{link.card}") in text
            if card.node.ending:
                assert norm(f"Carte{card.number}—Fin") in text
