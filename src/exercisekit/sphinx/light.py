"""Sphinx extension: a page a phone on a slow connection opens fast (budgets in docs/budgets.md).

After `trim` removed what a page does not load, this makes what remains cheap:
- one stylesheet for the whole site, `_static/light.css`: the theme's sheets in their cascade
  order, pruned to the rules the site uses (`css.py`), plus the course's own sheets as they are.
  One file, cached once: a second page transfers only its HTML.
- the icon font subset to the icons that remaining rules draw (156 KB → a few KB).
- one deferred script, `_static/light.js`: Sphinx's and the theme's small scripts in their
  order, and a 2 KB drop-down menu script instead of Bootstrap's bundle (62 KB), which the
  theme loads only for its menus and tooltips (buttons keep their `title`).
- nothing blocks the first paint but that stylesheet: the search page's scripts are deferred.
- the launch menu's logos load only when the menu opens (`loading="lazy"`).
- a `<meta name="description">` per page, from its first paragraph, and social preview tags.
- a real root page (`index.html`, the home page rebased) instead of a bare refresh stub.
The exercise scripts (`exercisekit*.js`) and the offline zip (`publish.py`, later) are untouched.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rjsmin
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import css as csstools

logger = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "light_assets"
CSS_NAME = "_static/light.css"
JS_NAME = "_static/light.js"
# Small, always-needed scripts, bundled in page order (the first must not say "use strict": a
# directive there would make the whole bundle strict).
BUNDLED_SCRIPTS = (
    "_static/documentation_options.js",
    "_static/doctools.js",
    "_static/sphinx_highlight.js",
    "_static/scripts/sphinx-book-theme.js",
    "_static/translations.js",
    "_static/scripts/pydata-sphinx-theme.js",
    # The theme's print and full-screen buttons without inline handlers (sphinx/csp.py).
    "_static/exercisekit-actions.js",
)
DROPPED_SCRIPTS = ("_static/scripts/bootstrap.js",)
# Four start-up steps of pydata-sphinx-theme 0.17.1 (pinned through sphinx-book-theme 1.3) read
# the layout of the whole page while it loads: each forces a full style and layout pass, the
# longest tasks of a phone's first visit (total blocking time, Lighthouse). Each is replaced by
# the same behaviour without that read; a theme whose text differs stops the build (ThemeChanged).
THEME_PATCHES: tuple[tuple[str, str, str], ...] = (
    # The sidebar is scrolled to the current page's link. Below 960 px it is a closed dialog:
    # nothing to scroll, so nothing to measure.
    (
        "_static/scripts/pydata-sphinx-theme.js",
        'e(function(){if(!document.querySelector(".bd-docs-nav"))return;',
        'e(function(){if(!document.querySelector(".bd-docs-nav")'
        '||!window.matchMedia("(min-width: 960px)").matches)return;',
    ),
    # Scrollable regions (code, wide tables) get tabindex="0" so that a keyboard scrolls them:
    # the theme measures all of them at load; light_assets/menus.js measures each one as it
    # nears the screen.
    (
        "_static/scripts/pydata-sphinx-theme.js",
        '"complete"===document.readyState?I():window.addEventListener("load",I)',
        "void 0",
    ),
    # The page's table of contents follows the reading position below the header, whose height
    # it measured at once; it now does so after the first frame, when the layout is known.
    (
        "_static/scripts/pydata-sphinx-theme.js",
        'window.addEventListener("resize",_(c,300)),c()})',
        'window.addEventListener("resize",_(c,300)),requestAnimationFrame(()=>setTimeout(c))})',
    ),
    # The banners' box (version warning, announcement) is opened to its children's height once
    # they are fetched. The course has neither: nothing to open, so nothing to measure.
    (
        "_static/scripts/pydata-sphinx-theme.js",
        'const e=document.querySelector(".pst-async-banner-revealer");if(!e)return;',
        'const e=document.querySelector(".pst-async-banner-revealer");'
        'if(!e||!e.querySelector(":scope > :not(.d-none)"))return;',
    ),
)
# Scripts a page still loads on its own: made `defer` so that they never hold the first paint.
DEFERRED = (
    "_static/searchtools.js",
    "_static/language_data.js",
    "searchindex.js",
    "_static/clipboard.min.js",
    "_static/copybutton.js",
    "_static/togglebutton.js",
    "_static/design-tabs.js",
)
# The course's own sheets: bundled whole (the runtime builds class names in code).
UNPRUNED = re.compile(r"^_static/exercisekit[\w-]*\.css$")
# Scripts sent without their comments and indentation (rjsmin keeps every string and regular
# expression as it is): the exercise runtime is written to be read, not to travel.
MINIFIED = re.compile(
    r"^_static/(exercisekit(-cohort|-board|-space)?|searchtools|language_data|light)\.js$"
)
# Extensions' sheets that few pages use (code blocks, toggles, sphinx-design): left on those
# pages as their own file, pruned in place, rather than weighing on every page.
OWN_FILE = re.compile(
    r"^_static/(pygments|copybutton|togglebutton|sphinx-design\.min|sphinx-thebe)\.css$"
)
DESCRIPTION_LENGTH = 155

_LINK = re.compile(r"[ \t]*<link\b[^>]*>\n?")
_SCRIPT = re.compile(r"[ \t]*<script\b[^>]*\bsrc=\"[^\"]*\"[^>]*></script>\n?")
# A <noscript> block (the theme's, whose style `sphinx/csp.py` moves into a stylesheet) applies
# only without JavaScript: never bundled, never the place where the bundle goes.
_NOSCRIPT = re.compile(r"(<noscript>.*?</noscript>)", re.DOTALL)


def _outside_noscript(head: str, replace: Callable[[str], str]) -> str:
    """`replace` applied to the parts of `head` outside <noscript> blocks."""
    parts = _NOSCRIPT.split(head)
    return "".join(part if i % 2 else replace(part) for i, part in enumerate(parts))


_IMPORT = re.compile(r"@import\s+(?:url\()?\s*[\"']?([^\"')\s]+)[\"']?\s*\)?\s*;")
_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


# ---------------------------------------------------------------- description and social tags
def _text(node: nodes.Node) -> str:
    return " ".join(node.astext().split())


def description(doctree: nodes.document | None, title: str) -> str:
    """The page's first real paragraph (outside admonitions), shortened at a word."""
    text = ""
    if doctree is not None:
        for para in doctree.findall(nodes.paragraph):
            if any(
                isinstance(p, (nodes.admonition, nodes.topic, nodes.sidebar))
                for p in _parents(para)
            ):
                continue
            candidate = _text(para)
            if len(candidate) >= 40:
                text = candidate
                break
    text = text or title
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def _parents(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


# Generated pages (search, index) keep every extension's scripts (trim.py leaves them): they
# have no code block, toggle or tab to drive.
GENERATED = ("search.html", "genindex.html")
GENERATED_UNUSED = (
    "_static/clipboard.min.js",
    "_static/copybutton.js",
    "_static/togglebutton.js",
    "_static/design-tabs.js",
)


def add_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    site = app.config.html_title or context.get("docstitle") or app.config.project or ""
    title = re.sub(r"<[^>]+>", "", context.get("title") or site)
    fixed = {
        "search": f"Rechercher dans le cours « {site} ».",
        "genindex": f"Index du cours « {site} ».",
    }
    text = fixed.get(pagename) or description(doctree, title)
    tags = [
        ("name", "description", text),
        ("property", "og:type", "website"),
        ("property", "og:site_name", site),
        ("property", "og:title", html.unescape(title)),
        ("property", "og:description", text),
        ("property", "og:locale", "fr_CA"),
        ("name", "twitter:card", "summary"),
    ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n    <meta {kind}="{key}" content="{html.escape(value, quote=True)}" />'
        for kind, key, value in tags
    )


# ---------------------------------------------------------------- assets of a written page
def _target(page: str, url: str) -> str | None:
    """The output-relative path a page's relative URL points at (query dropped), or None."""
    if not url or url.startswith(("#", "/", "data:", "mailto:")) or "://" in url:
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


def _stylesheet(tag: str) -> bool:
    return 'rel="stylesheet"' in tag


def _assets(page: str, text: str) -> tuple[list[str], list[str]]:
    head = text.split("</head>", 1)[0]
    sheets = []
    for tag in _LINK.findall(_NOSCRIPT.sub("", head)):
        href = re.search(r'\bhref="([^"]*)"', tag)
        target = _target(page, href.group(1)) if href else None
        if (
            _stylesheet(tag)
            and target
            and target.startswith("_static/")
            and target != CSS_NAME
            and not OWN_FILE.match(target)
        ):
            sheets.append(target)
    scripts = []
    for tag in _SCRIPT.findall(text):
        src = re.search(r'\bsrc="([^"]*)"', tag)
        target = _target(page, src.group(1)) if src else None
        if target in BUNDLED_SCRIPTS:
            scripts.append(target)
    return sheets, scripts


def _merge(order: list[str], names: list[str]) -> None:
    """Add `names` (one page's order) to `order` (the site's), keeping both orders."""
    at = 0
    for name in names:
        if name in order:
            at = order.index(name) + 1
        else:
            order.insert(at, name)
            at += 1


def _rel(page: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def rewrite_page(page: str, text: str, sheets: set[str], css_url: str, js_url: str) -> str:
    """Point a page at the two bundles, drop Bootstrap, defer what remains, lazy menu logos,
    and hold the place of the module's progress line (filled by exercisekit.js)."""
    state = {"css": False, "js": False}

    def link(match: re.Match) -> str:
        tag = match.group(0)
        href = re.search(r'\bhref="([^"]*)"', tag)
        target = _target(page, href.group(1)) if href else None
        if _stylesheet(tag) and target in sheets:
            if state["css"]:
                return ""
            state["css"] = True
            # No font preload: a CORS preload fails from file:// (the offline zip); the icons keep
            # their width until the 6 KB font arrives (extra.css).
            return f'<link rel="stylesheet" href="{_rel(page, CSS_NAME)}?v={css_url}" />\n'
        if page in GENERATED and target and OWN_FILE.match(target):
            return ""
        if _stylesheet(tag) and target and OWN_FILE.match(target) and "media=" not in tag:
            # Code colours and copy buttons are not needed for the first paint: the sheet loads
            # for print only, and menus.js (in the deferred bundle) turns it on for the screen.
            # No `onload` swap: the site's CSP refuses inline handlers.
            return tag.replace("<link ", '<link media="print" data-exk-media="all" ', 1)
        if 'rel="preload"' in tag and target in (*BUNDLED_SCRIPTS, *DROPPED_SCRIPTS):
            return ""
        return tag

    def script(match: re.Match) -> str:
        tag = match.group(0)
        src = re.search(r'\bsrc="([^"]*)"', tag)
        target = _target(page, src.group(1)) if src else None
        if target in DROPPED_SCRIPTS or (page in GENERATED and target in GENERATED_UNUSED):
            return ""
        if target in BUNDLED_SCRIPTS:
            if state["js"]:
                return ""
            state["js"] = True
            return f'<script defer src="{_rel(page, JS_NAME)}?v={js_url}"></script>\n'
        if target in DEFERRED and "defer" not in tag:
            return tag.replace("<script ", "<script defer ", 1)
        return tag

    # Pages an incremental build did not rewrite point at the last build's bundles: update.
    text = re.sub(r"(light\.css)\?v=\w+", rf"\1?v={css_url}", text)
    # An older build preloaded the icon font; the zip opened from file:// cannot (CORS).
    text = re.sub(r'[ \t]*<link rel="preload" href="[^"]*light-[\w.-]+\.woff2"[^>]*>\n?', "", text)
    text = re.sub(r"(light\.js)\?v=\w+", rf"\1?v={js_url}", text)
    head, sep, body = text.partition("</head>")
    head = _outside_noscript(head, lambda part: _LINK.sub(link, part))
    text = _SCRIPT.sub(script, head + sep + body)
    # The launch menu's logos: fetched when the menu opens, not with the page.
    text = re.sub(r'<img (alt="[^"]*logo" src=")', r'<img loading="lazy" \1', text)
    return progress_slot(text)


def progress_slot(text: str) -> str:
    """An empty `p.exk-progress` under the article's title on pages with exercises: the runtime
    fills it instead of inserting a line after the first paint (a layout shift)."""
    if 'data-exk-ref="' not in text or 'class="exk-progress"' in text:
        return text
    article = text.find("<article")
    end = text.find("</h1>", article) if article >= 0 else -1
    if end < 0:
        return text
    end += len("</h1>")
    return text[:end] + '\n<p class="exk-progress"></p>' + text[end:]


# ---------------------------------------------------------------- the two bundles
def _read_css(outdir: Path, name: str, seen: set[str]) -> str:
    """A sheet with its local @imports inlined and its url()s made relative to `_static/`."""
    seen.add(name)
    text = (outdir / name).read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        target = _target(name, match.group(1))
        if target is None or target in seen or not (outdir / target).is_file():
            return match.group(0)
        return _read_css(outdir, target, seen)

    text = _IMPORT.sub(inline, text)

    def rebase(match: re.Match) -> str:
        target = _target(name, match.group(2))
        if target is None:
            return match.group(0)
        suffix = match.group(2)[len(match.group(2).split("?", 1)[0].split("#", 1)[0]) :]
        return f'url("{posixpath.relpath(target, "_static")}{suffix}")'

    return _URL.sub(rebase, text)


def _icon_fonts(outdir: Path, bundle: str) -> str:
    """Subset every woff2 font of the bundle to the glyphs it can draw; drop the ttf fallbacks."""
    points = csstools.glyphs(bundle)
    for match in sorted(set(re.findall(r'url\("([^"]+\.woff2)"\)', bundle))):
        source = outdir / "_static" / match
        if not source.is_file() or source.name.startswith("light-"):
            continue
        small = csstools.subset_font(source.read_bytes(), points)
        name = "light-" + source.name
        (outdir / "_static" / name).write_bytes(small)
        bundle = bundle.replace(f'url("{match}")', f'url("{name}")')
    return re.sub(r',\s*url\("[^"]+\.ttf"\)\s*format\("truetype"\)', "", bundle)


class ThemeChanged(RuntimeError):
    """A theme script no longer has the text that THEME_PATCHES replaces."""


def patch_theme(name: str, text: str) -> str:
    """The bundled script `name` with THEME_PATCHES applied; each must apply exactly once."""
    for target, old, new in THEME_PATCHES:
        if target != name:
            continue
        if text.count(old) != 1:
            raise ThemeChanged(
                f"{name}: the theme's script changed (found {text.count(old)} times, expected "
                f"once: {old[:60]}…). Check sphinx/light.py THEME_PATCHES against the new theme."
            )
        text = text.replace(old, new)
    return text


def make_bundles(
    outdir: Path, css_order: list[str], js_order: list[str], pages: list[str]
) -> tuple[str, str]:
    """Write light.css, light.js and the subset fonts; returns the two bundles' hashes."""
    texts = [(outdir / p).read_text(encoding="utf-8") for p in pages]
    js_texts = [
        p.read_text(encoding="utf-8")
        for p in (outdir / "_static").rglob("*.js")
        if p.name not in ("fontawesome.js", "bootstrap.js", "light.js")
    ]
    menus = (ASSETS / "menus.js").read_text(encoding="utf-8")
    used = csstools.words([*texts, *js_texts, menus])
    for sheet in (outdir / "_static").glob("*.css"):
        name = "_static/" + sheet.name
        if OWN_FILE.match(name):
            sheet.write_text(csstools.prune(_read_css(outdir, name, set()), used), encoding="utf-8")
    parts = []
    for name in css_order:
        sheet = _read_css(outdir, name, set())
        parts.append(sheet if UNPRUNED.match(name) else csstools.prune(sheet, used))
    parts.append((ASSETS / "extra.css").read_text(encoding="utf-8"))
    bundle = csstools.drop_unused_variables("\n".join(parts), [*texts, *js_texts])
    bundle = _icon_fonts(outdir, bundle)
    (outdir / CSS_NAME).write_text(bundle, encoding="utf-8")
    script = "\n;\n".join(
        [patch_theme(name, (outdir / name).read_text(encoding="utf-8")) for name in js_order]
        + [menus]
    )
    (outdir / JS_NAME).write_text(rjsmin.jsmin(script), encoding="utf-8")
    for file in (outdir / "_static").glob("*.js"):
        if MINIFIED.match("_static/" + file.name) and file.name != "light.js":
            file.write_text(rjsmin.jsmin(file.read_text(encoding="utf-8")), encoding="utf-8")
    return (
        hashlib.sha256(bundle.encode()).hexdigest()[:10],
        hashlib.sha256(script.encode()).hexdigest()[:10],
    )


# ---------------------------------------------------------------- the root page
def root_page(outdir: Path, home: str) -> str:
    """The home page rebased to the site's root, so that `/<repo>/` shows it without a hop."""
    text = (outdir / home).read_text(encoding="utf-8")
    folder = posixpath.dirname(home)

    def rebase(match: re.Match) -> str:
        attr, url = match.group(1), match.group(2)
        if not url or url.startswith(("#", "/", "data:", "mailto:", "javascript:")) or "://" in url:
            return match.group(0)
        return (
            f'{attr}="{posixpath.normpath(posixpath.join(folder, url))}'
            + ("/" if url.endswith("/") else "")
            + '"'
        )

    text = re.sub(r'\b(href|src|action)="([^"]*)"', rebase, text)
    text = re.sub(r'data-content_root="[^"]*"', 'data-content_root="./"', text)
    return text.replace('<link rel="canonical"', '<link rel="alternate"')


def lighten(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = sorted(
        p.relative_to(outdir).as_posix()
        for p in outdir.rglob("*.html")
        if not p.relative_to(outdir).as_posix().startswith(("_static/", "_sources/", "_images/"))
    )
    home = app.builder.get_target_uri(app.config.root_doc)
    if home != "index.html" and (outdir / home).is_file():
        (outdir / "index.html").write_text(root_page(outdir, home), encoding="utf-8")
        if "index.html" not in pages:
            pages.append("index.html")
    # An incremental build rewrites only some pages: the others already point at the bundles,
    # so the site's asset order is kept from the last build.
    memory = Path(app.doctreedir) / "light-assets-order.json"
    known = json.loads(memory.read_text(encoding="utf-8")) if memory.is_file() else {}
    css_order: list[str] = [n for n in known.get("css", []) if not OWN_FILE.match(n)]
    js_order: list[str] = known.get("js", [])
    found = {}
    for page in pages:
        text = (outdir / page).read_text(encoding="utf-8")
        sheets, scripts = _assets(page, text)
        _merge(css_order, sheets)
        _merge(js_order, scripts)
        found[page] = text
    if not css_order:
        return
    memory.write_text(json.dumps({"css": css_order, "js": js_order}), encoding="utf-8")
    css_hash, js_hash = make_bundles(outdir, css_order, js_order, pages)
    for page, text in found.items():
        new = rewrite_page(page, text, set(css_order), css_hash, js_hash)
        if new != text:
            (outdir / page).write_text(new, encoding="utf-8")
    logger.info("[light] %d pages share %s and %s", len(found), CSS_NAME, JS_NAME)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_meta, priority=900)
    # After sphinx-external-toc's root redirect (500) and trim (850), before the offline zip (900).
    app.connect("build-finished", lighten, priority=860)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
