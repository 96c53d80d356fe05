"""The « Guide d'animation »: a page per module, generated keys, links to every printable."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlparse

from conftest import ROOT
from exercisekit.bank.loader import load_bank
from exercisekit.render.richtext import to_plain
from exercisekit.workshop.materials import KINDS, pdf_name, workshops

BANK = load_bank(ROOT)
WORKSHOPS = workshops(BANK, ROOT)
GUIDE = ROOT / "book" / "guide"
DIRECTIVE = re.compile(r"^```\{(workshop-plan|answer-key)\}\n:module: (\S+)", re.M)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_text(path: Path) -> str:
    raw = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return norm(html.unescape(raw))


def guide_pages() -> dict[str, Path]:
    """Module id -> the guide page that holds its plan and key (from the sources)."""
    found: dict[str, set[tuple[str, Path]]] = {}
    for path in GUIDE.glob("*.md"):
        for kind, module_id in DIRECTIVE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(module_id, set()).add((kind, path))
    pages = {}
    for module_id, uses in found.items():
        assert {k for k, _ in uses} == {"workshop-plan", "answer-key"}, module_id
        assert len({p for _, p in uses}) == 1, f"{module_id}: plan and key on different pages"
        pages[module_id] = next(iter(uses))[1]
    return pages


def test_every_module_has_a_guide_page_in_the_table_of_contents():
    pages = guide_pages()
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for w in WORKSHOPS:
        assert w.id in pages, f"no guide page runs {{workshop-plan}} with :module: {w.id}"
        assert f"book/guide/{pages[w.id].stem}" in toc
    assert "book/guide/codeveloppement" in toc


def test_codeveloppement_page_has_the_six_steps_and_three_roles():
    text = (GUIDE / "codeveloppement.md").read_text(encoding="utf-8")
    assert "Payette et Champagne (1997)" in text and "4 à 8 pairs" in text
    for role in ("Personne cliente", "Personnes consultantes", "Personne animatrice"):
        assert f"**{role}**" in text
    for step in (
        "1. Exposé",
        "2. Questions de clarification",
        "3. Le contrat",
        "4. Réactions et suggestions",
        "5. Synthèse et plan d'action",
        "6. Clôture",
    ):
        assert step in text


def _links(page: Path) -> set[str]:
    return set(re.findall(r'href="([^"#]+\.pdf)"', page.read_text(encoding="utf-8")))


def test_built_guide_links_every_printable_and_each_link_resolves(built_site):
    pages = guide_pages()
    index = built_site / "book" / "guide" / "index.html"
    for w in WORKSHOPS:
        built = built_site / "book" / "guide" / f"{pages[w.id].stem}.html"
        for page in (built, index):
            base = "http://site/" + page.relative_to(built_site).as_posix()
            targets = {urlparse(urljoin(base, href)).path.lstrip("/") for href in _links(page)}
            for kind in KINDS:
                if kind == "cartes" and not w.scenarios:
                    continue
                wanted = f"imprimables/{pdf_name(w.id, kind)}"
                assert wanted in targets, f"{page.name} does not link {wanted}"
                assert (built_site / wanted).stat().st_size > 10_000


def test_built_guide_page_shows_objectives_and_the_whole_key(built_site):
    pages = guide_pages()
    for w in WORKSHOPS:
        text = page_text(built_site / "book" / "guide" / f"{pages[w.id].stem}.html")
        for objective in w.page.objectives:
            assert norm(to_plain(objective)) in text, f"{w.id}: objective missing"
        for exercise in w.quiz:
            for option in getattr(exercise, "options", []):
                assert norm(to_plain(option.feedback)) in text
            if exercise.type == "true_false":
                assert norm(to_plain(exercise.justification)) in text
        for scenario in w.scenarios:
            for node in scenario.nodes:
                assert norm(to_plain(node.text)) in text
                for choice in node.choices:
                    assert norm(to_plain(choice.consequence)) in text
