"""The site under its own Content-Security-Policy (exercisekit/sphinx/csp.py, docs/securite.md):
every page declares the strict policy, loads in Debian's Chromium under /course/ without a single
`securitypolicyviolation` event, and what learners use still works under it: the exercises, the
progress bars (drawn to the right width without style attributes), the search, the dark mode
toggle, the sidebar, the launch and download menus, printing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bank_refs import PAGE, TRUE_FALSE

from conftest import new_watched_context
from exercisekit import load_bank
from exercisekit.sphinx.csp import inline_code, script_hashes

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)

# Registered before any page script runs; the policy's own events are caught on the document.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "") + " " +
    (e.sourceFile || "") + ":" + e.lineNumber + " " + (e.sample || ""));
}, true);
"""
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def site_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "_static"
    )


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || ['listener missing']")


@pytest.fixture
def csp_context(browser):
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    context.add_init_script(LISTEN)
    yield context
    context.close()
    # A violation is also a console error ("Refused to …"): none, and no other host.
    assert watch.external == [], watch.external
    assert watch.errors == [], watch.errors


# ------------------------------------------------------------------ the written pages
def test_every_page_declares_the_strict_policy_first(built_site):
    pages = site_pages(built_site)
    assert len(pages) > 25
    for name in pages:
        text = (built_site / name).read_text(encoding="utf-8")
        found = _META.findall(text)
        assert len(found) == 1, f"{name}: {len(found)} CSP meta tags"
        policy = directives(found[0])
        script_src = policy["script-src"]
        assert script_src[0] == "'self'", name
        assert all(s.startswith("'sha256-") for s in script_src[1:]), (name, script_src)
        assert "unsafe" not in found[0], f"{name}: {found[0]}"
        assert policy["style-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["default-src"] == ["'self'"], name
        # The policy applies only to what follows it: nothing runs or loads before it.
        head = text[: text.index(found[0])]
        assert "<script" not in head and "<link" not in head and "<style" not in head, name
        assert inline_code(text) == [], f"{name}: {inline_code(text)}"
        # Inline scripts stay in the page, each allowed by its hash (no request, nothing
        # render-blocking): exactly the page's own, so a script injected later is refused.
        assert sorted(script_src[1:]) == sorted(script_hashes(text)), name
        assert not re.findall(r"_static/csp/[0-9a-f]+\.js", text), name
        if name.startswith("book/modules/"):
            # Only the colour-mode snippet is left on a module page: the theme's settings for
            # scripts the page does not load are left out.
            assert len(script_hashes(text)) == 1, (name, script_hashes(text))


def test_no_eval_left_in_the_scripts_pages_load(built_site):
    for script in sorted((built_site / "_static").rglob("*.js")):
        if script.name in ("searchindex.js",):
            continue
        text = script.read_text(encoding="utf-8", errors="replace")
        assert "new Function(" not in text, script.name
        assert not re.search(r"(?<![\w.])eval\(", text), script.name
    assert 'plural_expr": function (n)' in (built_site / "_static/translations.js").read_text(
        encoding="utf-8"
    )


def test_a_new_inline_handler_fails_the_build_with_the_page_named(tmp_path):
    from sphinx.errors import ExtensionError

    from exercisekit.sphinx.csp import _move_attributes, _Page

    (tmp_path / "_static").mkdir()
    page_file = tmp_path / "page.html"
    page_file.write_text(
        '<html><head></head><body><a href="#" onmouseover="steal()">x</a></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(ExtensionError, match=r"page\.html.*onmouseover"):
        _move_attributes(_Page(page_file, tmp_path), {})


# ------------------------------------------------------------------ in the browser
def test_every_page_loads_without_a_violation(csp_context, site_url, built_site):
    page = csp_context.new_page()
    seen = {}
    for name in site_pages(built_site):
        page.goto(site_url + name, wait_until="load")
        page.wait_for_timeout(150)  # deferred scripts and what they draw after load
        found = violations(page)
        if found:
            seen[name] = found
    assert seen == {}, seen


def test_the_listener_and_the_policy_catch_a_violation(browser, site_url):
    """The control: a style attribute added to a page is refused and reported."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    try:
        page.goto(site_url + PAGE, wait_until="load")
        assert violations(page) == []
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<span style=\"color: red\">x</span>')"
        )
        page.wait_for_timeout(100)
        assert any(v.startswith("style-src-attr") for v in violations(page)), violations(page)
    finally:
        context.close()


def fill_ratio(page, scope: str) -> float:
    return page.evaluate(
        """s => { const f = document.querySelector(s + ' .exk-bar-fill');
                  return f.getBoundingClientRect().width / f.parentElement.clientWidth; }""",
        scope,
    )


def test_what_learners_use_works_under_the_policy(csp_context, site_url):
    page = csp_context.new_page()
    page.goto(site_url + PAGE)
    page.wait_for_selector(".exk[data-exk-ready]")

    # Progress bar before any answer: empty, not full (an inline width would be refused).
    total = page.locator(".exk[data-exk-ref]").count()
    assert fill_ratio(page, "article .exk-progress") == pytest.approx(0, abs=0.01)

    # An exercise answered and checked.
    q = BANK.get(TRUE_FALSE)
    block = page.locator(f'[data-exk-ref="{TRUE_FALSE}"]')
    block.get_by_label("Vrai" if q.answer else "Faux").check()
    block.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in block.locator(".exk-verdict").inner_text()
    assert fill_ratio(page, "article .exk-progress") == pytest.approx(1 / total, abs=0.01)

    # Dark mode: the theme's switch, then the moved head snippet applies it on the next page.
    before = page.evaluate("document.documentElement.dataset.mode")
    page.locator("button.theme-switch-button").first.click()
    after = page.evaluate("document.documentElement.dataset.mode")
    assert after != before
    page.reload()
    page.wait_for_selector(".exk[data-exk-ready]")
    assert page.evaluate("document.documentElement.dataset.mode") == after
    page.locator("button.theme-switch-button").first.click()
    assert page.evaluate("document.documentElement.dataset.mode") != after

    # Sidebar: shown, and its sections open and close (the theme's scripts, under the policy).
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    section = sidebar.locator("nav details").first
    opened = section.evaluate("d => d.open")
    assert section.locator("summary").get_attribute("aria-label")  # named by exercisekit.js
    section.locator("summary .toctree-toggle").click()
    assert section.evaluate("d => d.open") != opened
    section.locator("summary .toctree-toggle").click()
    assert section.evaluate("d => d.open") == opened

    # Launch menu: opens, with its links to the notebook copy.
    launch = page.locator('button[aria-label="Launch interactive content"]')
    launch.click()
    menu = launch.locator("xpath=following-sibling::ul[1]")
    assert menu.is_visible()
    assert menu.locator("a").count() >= 1
    page.keyboard.press("Escape")

    # Print and full screen: the theme's buttons, once inline handlers, still call them.
    page.evaluate(
        "window.print = () => { window.__printed = true; };"
        "window.toggleFullScreen = () => { window.__fullscreen = true; };"
    )
    download = page.locator('button[aria-label="Téléchargez cette page"]')
    download.click()
    page.locator('[data-exk-action="print"]').click()
    page.locator('[data-exk-action="fullscreen"]').click()
    assert page.evaluate("[window.__printed, window.__fullscreen]") == [True, True]
    assert violations(page) == []

    # Search: the results page (and its plural message, once compiled with `new Function`).
    page.goto(site_url + "search.html?q=collectif")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    page.wait_for_function(
        "() => document.querySelector('#search-results .search-summary')?.textContent.length > 0"
    )
    summary = page.locator("#search-results .search-summary").inner_text()
    assert re.search(r"\d", summary), summary
    assert violations(page) == []

    # « Mon parcours »: this module's bar shows the one exercise done.
    page.goto(site_url + "book/parcours.html")
    section = page.locator('.exk-module[data-doc="book/modules/02-conditions"]')
    section.wait_for()
    ratio = fill_ratio(page, '.exk-module[data-doc="book/modules/02-conditions"]')
    assert ratio == pytest.approx(1 / total, abs=0.01)
    assert violations(page) == []
