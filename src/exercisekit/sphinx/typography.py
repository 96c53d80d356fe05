"""Sphinx extension: every written page gets its French no-break spaces (render/typography.py).

The exercise markup, messages and generated guide parts already carry them; this last pass
covers all the rest of the page — the authors' prose, the theme's words, titles, menus — in
the text between tags only: never a tag, an attribute, a URL, nor the content of <code>,
<pre>, <kbd>, <script>, <style> or <textarea> (so the exercises' JSON payloads, already
typographic, are left alone). A page is rewritten only when it changes, so an incremental
build leaves the pages it did not write untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from exercisekit.render.typography import french

logger = logging.getLogger(__name__)


def pages(outdir: Path) -> list[Path]:
    """The site's HTML pages (not the theme's files in _static/)."""
    return sorted(p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "_static")


def typeset_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    changed = 0
    for page in pages(Path(app.outdir)):
        text = page.read_text(encoding="utf-8")
        typeset = french(text)
        if typeset != text:
            page.write_text(typeset, encoding="utf-8")
            changed += 1
    logger.info(f"typographie française : {changed} page(s) mise(s) à jour")


def setup(app: Sphinx) -> dict[str, Any]:
    # After the template assets are trimmed (sphinx/trim.py, 850), before the offline zip is
    # made (sphinx/publish.py, 900), so the zip holds the typeset pages.
    app.connect("build-finished", typeset_pages, priority=860)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
