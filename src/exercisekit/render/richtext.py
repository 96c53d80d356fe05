"""Authors write inline Markdown; both renderers show the same HTML made from it.

Every text made here carries the French no-break spaces (`render/typography.py`), so the
site's exercise markup, the runtime's payloads, the widgets, the handouts, the key and the
LMS exports all get them from this one place.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from exercisekit.render.typography import french

# Raw HTML is disabled: exercise text is content, never markup that could break a page.
_md = MarkdownIt("commonmark", {"html": False, "typographer": False})

# Fields of the model that hold author text (rendered), as opposed to ids and flags.
TEXT_FIELDS = frozenset(
    {
        "text",
        "feedback",
        "prompt",
        "explanation",
        "statement",
        "justification",
        "consequence",
        "label",
        "context",
        "title",
        "hints",
        "benefit",
        "cost",
        "criteria",
    }
)


@lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    """Inline Markdown to HTML, with French no-break spaces; links open in the same tab and
    keep their text."""
    return french(_md.renderInline(text))


def to_plain(text: str) -> str:
    """Markdown to plain text, for widget labels that cannot hold HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", to_html(text)))


def html_dump(value: Any, key: str | None = None) -> Any:
    """A model dump with every author text rendered to HTML (the runtime's payload)."""
    if isinstance(value, dict):
        return {k: html_dump(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [html_dump(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return to_html(value)
    return value
