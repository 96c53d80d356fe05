"""Issue 12, speed: what the phone-speed changes must not break (sphinx/light.py THEME_PATCHES,
light_assets/menus.js and extra.css, the runtime's sliced set-up, the board's late data).

Each speed change replaces something the theme or the runtime did at load; each test here checks
that what a learner got from it is still there: keyboard access to scrollable tables, links to a
section landing on it, every exercise set up, a page as long as its content, a board that loads
its items only when it can use them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import new_watched_context
from exercisekit.sphinx import light

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1200, "height": 900}
# A page with a table wider than a phone (three columns of text).
WIDE_TABLE_PAGE = "book/guide/codeveloppement.html"
# A page whose last section is far below the first screen.
LONG_PAGE, FAR_SECTION = "book/guide/01-reflexive.html", "difficultes-a-prevoir"


def test_a_changed_theme_script_stops_the_build_with_its_name():
    target, old, _ = light.THEME_PATCHES[0]
    with pytest.raises(light.ThemeChanged, match=target.replace(".", r"\.")):
        light.patch_theme(target, "/* a theme release without that text */")
    # A file no patch names is left as it is.
    assert light.patch_theme("_static/doctools.js", old) == old


def test_every_theme_patch_is_in_the_bundle(built_site: Path):
    bundle = (built_site / light.JS_NAME).read_text(encoding="utf-8")
    for target, old, new in light.THEME_PATCHES:
        assert old not in bundle, f"{target}: still unpatched in {light.JS_NAME}: {old}"
        assert new in bundle, f"{target}: patch missing from {light.JS_NAME}: {new}"


@pytest.mark.parametrize(("viewport", "expected"), [(PHONE, "0"), (WIDE, "-1")])
def test_a_table_wider_than_the_screen_is_reachable_by_keyboard(
    browser, site_url, viewport, expected
):
    context, watch = new_watched_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(site_url + WIDE_TABLE_PAGE)
    table = page.locator(".pst-scrollable-table-container").last
    table.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.hasAttribute('tabindex')", arg=table.element_handle(), timeout=5000
    )
    overflows = table.evaluate("el => el.scrollWidth > el.clientWidth")
    assert overflows == (expected == "0"), "the page's table no longer fits the test's premise"
    assert table.get_attribute("tabindex") == expected
    if expected == "0":
        table.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.scrollLeft > 0", arg=table.element_handle())
    context.close()
    assert watch.errors == [] and watch.external == []


@pytest.mark.parametrize("viewport", [PHONE, WIDE])
def test_a_link_to_a_far_section_lands_on_it(browser, site_url, viewport):
    context, watch = new_watched_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{site_url}{LONG_PAGE}#{FAR_SECTION}")
    heading = page.locator(f"#{FAR_SECTION} h2")
    # The browser's jump, then the sections around it drawn: the heading ends at the top, below
    # the header (the theme's scroll margin), and stays there.
    page.wait_for_function(
        "el => { const t = el.getBoundingClientRect().top; return t >= 0 && t < 140; }",
        arg=heading.element_handle(),
        timeout=5000,
    )
    page.wait_for_timeout(300)
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 140, f"#{FAR_SECTION} at {top} px from the top of a {viewport} screen"
    context.close()
    assert watch.errors == [] and watch.external == []


@pytest.mark.parametrize("viewport", [PHONE, WIDE])
def test_end_reaches_the_foot_of_a_long_page(browser, site_url, viewport):
    """Sections are drawn once after load, so that their real heights are known: a jump to
    the end lands at the end, not among estimated heights."""
    context, watch = new_watched_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(site_url + LONG_PAGE)
    page.wait_for_selector("html[data-exk-sections=ready]", state="attached")
    page.locator("article h1").first.click()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => { const y = scrollY; return new Promise(done => setTimeout(() =>"
        " done(scrollY === y), 300)); }"
    )
    left = page.evaluate("() => document.scrollingElement.scrollHeight - innerHeight - scrollY")
    assert left <= 2, f"End stopped {left} px above the foot of {LONG_PAGE}"
    context.close()
    assert watch.errors == [] and watch.external == []


def test_every_exercise_of_a_module_page_is_set_up(page, site_url):
    page.goto(site_url + "book/modules/03-savoirs.html")
    page.wait_for_selector("html[data-exk-ready]")
    counts = page.evaluate(
        "() => [document.querySelectorAll('.exk').length,"
        " document.querySelectorAll('.exk.exk-js').length]"
    )
    assert counts[0] >= 10 and counts[0] == counts[1], counts


def test_a_page_is_no_longer_than_its_content(browser, site_url, built_site: Path):
    """Nothing on a page overflows far below its footer (a stray class once made the guide's
    answer key a column 1.6 rem wide and 110,000 px long)."""
    context, watch = new_watched_context(browser, viewport=PHONE)
    page = context.new_page()
    too_long = {}
    for rel in (
        "book/guide/01-reflexive.html",
        "book/modules/01-reflexive.html",
        "book/journal.html",
    ):
        page.goto(site_url + rel)
        page.wait_for_load_state("load")
        extra = page.evaluate(
            "() => { const f = document.querySelector('.bd-footer');"
            " return document.scrollingElement.scrollHeight -"
            " (f.getBoundingClientRect().bottom + scrollY); }"
        )
        if extra > 50:
            too_long[rel] = extra
    context.close()
    assert too_long == {}, f"pages scroll this far below their footer (px): {too_long}"
    assert watch.errors == [] and watch.external == []


def test_the_guide_answer_key_is_as_wide_as_the_text(page, site_url):
    page.goto(site_url + LONG_PAGE + "#corrige")
    widths = page.evaluate(
        "() => [document.querySelector('.exk-key').getBoundingClientRect().width,"
        " document.querySelector('.bd-article').getBoundingClientRect().width]"
    )
    assert widths[0] > 0.8 * widths[1], widths


def test_the_board_loads_its_items_only_with_a_read_link(page, site_url):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url + "book/tableau-cohorte.html")
    page.get_by_text("Ce tableau s'ouvre avec le lien de lecture").wait_for()
    assert not [u for u in requested if "exercisekit-board-data.js" in u], requested
