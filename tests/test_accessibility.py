"""WCAG 2.2 A/AA, site-wide, theme included: axe-core (shipped by axe-playwright-python, nothing
fetched) finds no violation on any page of the built site, at desktop width and at 320 px, in
light and dark modes, with « Mon espace » filled in (chart, journal, confirmation open)."""

from __future__ import annotations

import pytest
from bank_refs import REFLECTION, SINGLE

from conftest import EXERCISES_READY, new_watched_context

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Two rules the stock theme fails that axe does not run by default: run them too. Every rule
# runs on every element either way; `resultTypes` only spares axe from describing each element
# that passed (their selectors, sent back to Python), which took about 40 % of its time.
OPTIONS = {
    "runOnly": {"type": "tag", "values": TAGS},
    "rules": {"region": {"enabled": True}, "label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def pages_of(site):
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not str(p.relative_to(site)).startswith(("_static", "_sources", "_images"))
    )


def violations(axe, page):
    # Axe measures where things are (contrast, targets): on a site page it runs once each
    # section has been drawn once (light_assets/menus.js, in light.js), when nothing moves any
    # more. SCORM launch pages load neither.
    page.wait_for_function(
        "() => !document.querySelector('script[src*=\"light.js\"]')"
        " || document.documentElement.dataset.exkSections === 'ready'"
    )
    found = axe.run(page, options=OPTIONS).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def fill_my_space(page, site_url):
    """Some progress, a journal entry and self-assessment ratings, so that axe sees them drawn."""
    page.goto(site_url + "book/modules/02-conditions.html")
    page.wait_for_selector(EXERCISES_READY)
    b = page.locator(f'[data-exk-ref="{SINGLE}"]')
    b.locator("input").first.check()
    b.locator(".exk-check").click()
    page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').fill("Une réflexion.")
    page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').blur()
    page.goto(site_url + "book/autoevaluation.html")
    page.wait_for_selector(".exk-rate")
    page.locator("#exk-self-ecoute-1").check()
    page.locator("#exk-moment-apres").check()
    page.locator("#exk-self-ecoute-3").check()


def test_axe_finds_nothing_on_every_page(browser, built_site, site_url, axe):
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        fill_my_space(page, site_url)
        pages = pages_of(built_site)
        assert "book/parcours.html" in pages and len(pages) >= 15
        problems = {}
        for path in pages:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            if path == "book/parcours.html":
                page.locator(".exk-reset-ask").click()  # the confirmation, open
            found = violations(axe, page)
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()
    assert watch.external == []


@pytest.mark.parametrize("width,scheme", [(320, "light"), (1200, "dark")])
def test_axe_at_320_px_and_in_dark_mode(browser, site_url, axe, width, scheme):
    context, watch = new_watched_context(
        browser, viewport={"width": width, "height": 800}, color_scheme=scheme
    )
    try:
        page = context.new_page()
        fill_my_space(page, site_url)
        problems = {}
        for path in [
            "book/intro.html",
            "book/modules/02-conditions.html",
            "book/modules/03-savoirs.html",
            "book/parcours.html",
            "book/journal.html",
            "book/autoevaluation.html",
        ]:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            found = violations(axe, page)
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()
