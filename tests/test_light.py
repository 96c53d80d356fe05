"""Issue 12, weight and speed: every page a learner can open stays within its budget on a phone.

The site is served as GitHub Pages serves it (gzip, ten-minute cache, under /course/) by
`sitebudget.PagesHandler`, with scripts and fonts held back a little so that whatever they fill
or restyle happens after the first paint, as on a slow phone. Lighthouse itself runs only in
`scripts/benchmark.py` (its timings are noisy); here the budgets are asserted from what decides
them: compressed bytes, requests, render-blocking bytes, and layout shifts measured by the
browser in Lighthouse's mobile viewport.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sitebudget import (
    MAX_BLOCKING_BYTES,
    MAX_CLS,
    MAX_GZIP_BYTES,
    MAX_REQUESTS,
    MOBILE,
    OBSERVE_SHIFTS,
    probe,
    serve,
    site_pages,
)

from conftest import EXERCISES_READY, new_watched_context

pytestmark = pytest.mark.browser

MODULE = "book/modules/02-conditions.html"
OTHER_MODULE = "book/modules/05-double-affiliation.html"


@pytest.fixture(scope="module")
def pages_url(built_site: Path):
    server, url = serve(built_site, late=0.3)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def measured(built_site: Path, browser, pages_url):
    """Each page, first visit, empty cache, in a phone's viewport: what it cost."""
    results = {}
    for rel in site_pages(built_site):
        context, watch = new_watched_context(browser, **MOBILE)
        context.add_init_script(OBSERVE_SHIFTS)
        page = context.new_page()
        results[rel] = probe(page, pages_url + rel)
        context.close()
        results[rel]["external"] = watch.external
        results[rel]["errors"] = watch.errors
    return results


def _toc_pages(root: Path) -> list[str]:
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    return [f"{name}.html" for name in re.findall(r"file:\s*(\S+)", toc)]


def test_every_page_of_the_table_of_contents_is_measured(built_site, measured):
    root = built_site.parents[1]
    expected = {*_toc_pages(root), "search.html", "index.html"}
    missing = expected - set(measured)
    assert not missing, f"pages without a budget: {sorted(missing)}"
    # the cohort board and « Mon espace » pages are among them
    assert {"book/tableau-cohorte.html", "book/parcours.html", "book/journal.html"} <= set(measured)


def test_first_visit_weight_and_requests(measured):
    over = {
        rel: f"{m['gzip']:,} B gzip in {m['requests']} requests"
        for rel, m in measured.items()
        if m["gzip"] > MAX_GZIP_BYTES or m["requests"] > MAX_REQUESTS
    }
    assert not over, f"over {MAX_GZIP_BYTES:,} B or {MAX_REQUESTS} requests: {over}"


def test_only_the_shared_stylesheet_blocks_the_first_paint(measured):
    for rel, m in measured.items():
        assert m["blocking"] <= MAX_BLOCKING_BYTES, (rel, m["blocking"], m["blocking_files"])
        names = [u.split("?")[0].rsplit("/", 1)[-1] for u in m["blocking_files"]]
        assert names == ["light.css"], (rel, names)


def test_no_layout_shift_on_a_phone(measured):
    shifted = {
        rel: (round(m["cls"], 4), m["shifts"]) for rel, m in measured.items() if m["cls"] > MAX_CLS
    }
    assert not shifted, f"layout shifts over {MAX_CLS}: {shifted}"


def test_nothing_from_another_host_and_no_error(measured):
    for rel, m in measured.items():
        assert m["external"] == [], (rel, m["external"])
        assert m["errors"] == [], (rel, m["errors"])


def test_a_second_page_transfers_only_its_html(browser, pages_url):
    # Not the watched context: Playwright turns the HTTP cache off once requests are routed.
    context = browser.new_context(locale="fr-CA", **MOBILE)
    hosts: set[str] = set()
    context.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:5]))
    page = context.new_page()
    first = probe(page, pages_url + MODULE)
    assert len(first["transferred"]) == first["requests"]
    second = probe(page, pages_url + OTHER_MODULE)
    context.close()
    assert [u.split("/course/")[1] for u in second["transferred"]] == [OTHER_MODULE]
    assert second["requests"] == first["requests"]  # the rest came from the cache
    assert hosts <= {"127.0.0.1", "data:"}, hosts


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.lang = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta[a.get("name") or a.get("property")] = a.get("content") or ""
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def test_every_page_has_its_own_description_and_preview_tags(built_site):
    seen = {}
    for rel in site_pages(built_site):
        head = _Head()
        head.feed((built_site / rel).read_text(encoding="utf-8"))
        text = head.meta.get("description", "")
        assert 40 <= len(text) <= 160, (rel, text)
        assert "Project name not set" not in text, rel
        for key in ("og:title", "og:description", "og:type", "og:site_name", "twitter:card"):
            assert head.meta.get(key), (rel, key)
        assert head.lang == "fr" and head.title.strip(), rel
        seen.setdefault(text, []).append(rel)
    # the root page is the home page itself; every other page says something of its own
    dupes = {
        t: r for t, r in seen.items() if len(r) > 1 and set(r) != {"index.html", "book/intro.html"}
    }
    assert not dupes, dupes


def test_the_root_is_a_real_page_whose_links_work(browser, pages_url, built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Refresh"' not in text and text.lstrip().lower().startswith(
        "<!doctype html>"
    )
    context, watch = new_watched_context(browser, **MOBILE)
    page = context.new_page()
    page.goto(pages_url)
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").first.inner_text().strip()
    assert page.evaluate("getComputedStyle(document.body).fontFamily")
    target = page.locator("a.right-next").first.get_attribute("href")
    page.goto(pages_url + target)
    assert page.url.startswith(pages_url + "book/")
    assert page.locator("article h1").count() >= 1
    context.close()
    assert watch.external == [] and watch.errors == []


def test_search_finds_results(browser, pages_url):
    context, watch = new_watched_context(browser, **MOBILE)
    page = context.new_page()
    page.goto(pages_url + "search.html?q=confiance")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() >= 3
    context.close()
    assert watch.external == [] and watch.errors == []


def test_launch_menu_opens_closes_and_loads_its_logos_only_then(browser, pages_url):
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    logos: list[str] = []
    page.on("request", lambda r: logos.append(r.url) if "logo_" in r.url else None)
    page.goto(pages_url + MODULE)
    page.wait_for_load_state("networkidle")
    assert logos == [], "the closed launch menu fetched its logos"
    toggle = page.locator(".dropdown-launch-buttons .dropdown-toggle")
    menu = page.locator(".dropdown-launch-buttons .dropdown-menu")
    assert not menu.is_visible()
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_load_state("networkidle")
    assert any("logo_binder" in u for u in logos)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.dropdown-menu') !== null")
    page.keyboard.press("Escape")
    page.mouse.move(5, 880)  # the theme also shows the menu while the pointer is on its button
    assert not menu.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement") is not None
    toggle.click()
    page.locator("article h1").first.click()
    assert not menu.is_visible()
    context.close()
    assert watch.external == [] and watch.errors == []


def test_dark_mode_switch_and_sidebar_still_work(browser, pages_url):
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(pages_url + MODULE)
    page.wait_for_load_state("networkidle")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    button = page.locator(".theme-switch-button").first
    before = page.evaluate("document.documentElement.dataset.mode")
    button.click()
    assert page.evaluate("document.documentElement.dataset.mode") != before
    # the icon font draws the switch's icon (a subset font, loaded)
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded')"
    )
    assert page.locator(".bd-sidebar-primary a.reference").count() >= 20
    context.close()
    assert watch.external == [] and watch.errors == []


@pytest.mark.parametrize("width", [375, 1200])
def test_the_article_header_s_sidebar_buttons_open_the_sidebars(browser, pages_url, width):
    """The buttons a learner sees in the article header: on a phone, the navigation opens as a
    dialog (and Escape gives focus back); on a wide screen, the sidebar collapses."""
    context, watch = new_watched_context(browser, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(pages_url + MODULE)
    page.wait_for_load_state("networkidle")
    button = page.locator(".bd-header-article .primary-toggle")
    assert button.get_attribute("aria-label") == "Navigation dans le cours"
    assert button.is_visible()
    button.click()
    if width < 992:
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.wait_for(state="visible")
        assert dialog.locator("a.reference").count() >= 20
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        secondary = page.locator(".bd-header-article .secondary-toggle")
        secondary.click()
        page.locator("#pst-secondary-sidebar-modal").wait_for(state="visible")
    else:
        page.locator("#pst-primary-sidebar.pst-sidebar-hidden").wait_for(state="attached")
        button.click()
        page.locator("#pst-primary-sidebar:not(.pst-sidebar-hidden)").wait_for(state="visible")
    context.close()
    assert watch.external == [] and watch.errors == []


def test_the_progress_line_fills_its_reserved_place(browser, pages_url):
    context, watch = new_watched_context(browser, **MOBILE)
    page = context.new_page()
    page.goto(pages_url + MODULE)
    page.wait_for_selector(EXERCISES_READY)
    assert page.locator("p.exk-progress").count() == 1
    assert "exercice fait sur" in page.locator("p.exk-progress").inner_text()
    context.close()
    assert watch.external == [] and watch.errors == []
