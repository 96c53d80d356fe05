"""Sphinx extension: a course page loads only what it uses (see docs/budgets.md).

The theme's look, navigation, search and accessibility stay; what goes:
- `fontawesome.js` (about 1.5 MB, 540 KB gzipped): it redraws icons as SVG, but the theme's
  stylesheet already draws the same icons with the Font Awesome web font, so the icons stay.
- Sphinx's search scripts and the whole search index on every page but the search page: the
  search box sends the query to `search.html`, which loads them itself.
- The ipywidgets state that myst-nb writes into each module page (about 330 KB): the site
  loads no widget manager (`nb_ipywidgets_js: {}`), so nothing reads it; the exercises use
  their kernel-free HTML.
- Per page, the assets of extensions the page does not use: copy button and code colours
  without code blocks, sphinx-togglebutton without toggles, sphinx-design without its
  components.
Script and style lists are filtered while the page is rendered; the two template-written
tags (font script, search scripts) are removed from the written pages at the end of the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

# (marker in the page body that means the asset is used, asset file names)
_OPTIONAL = [
    ('class="highlight', ("copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css")),
    ("toggle-", ("togglebutton.js", "togglebutton.css")),
    (" sd-", ("design-tabs.js", "sphinx-design.min.css")),
]
_TOGGLE_MARKERS = (
    'class="toggle',
    "dropdown admonition",
    "admonition dropdown",
    "tag_hide",
    "toggle-hidden",
)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_FONT_SCRIPT = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)


def _name(asset: Any) -> str:
    return Path(str(getattr(asset, "filename", None) or asset).split("?", 1)[0]).name


def _widget_state(asset: Any) -> bool:
    return (getattr(asset, "attributes", None) or {}).get("type") == WIDGET_STATE


def _unused(body: str) -> set[str]:
    unused: set[str] = set()
    for marker, names in _OPTIONAL:
        used = marker in body
        if marker == "toggle-":
            used = any(m in body for m in _TOGGLE_MARKERS)
        if not used:
            unused.update(names)
    return unused


def drop_unused_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if doctree is None:
        return  # generated pages (search, index): keep the defaults
    unused = _unused(context.get("body", ""))
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [
                a for a in context[key] if _name(a) not in unused and not _widget_state(a)
            ]


def strip_template_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = _FONT_SCRIPT.sub("", text)
        if page.relative_to(outdir).as_posix() != "search.html":
            trimmed = _SEARCH_SCRIPTS.sub("", trimmed)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", drop_unused_assets, priority=800)
    # Before the offline zip is made (sphinx/publish.py, priority 900).
    app.connect("build-finished", strip_template_assets, priority=850)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
