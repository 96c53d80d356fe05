"""French course text pulled out of MyST pages and exercise files, for checks on the words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from exercisekit.bank.loader import Bank
from exercisekit.render.richtext import TEXT_FIELDS

WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+)*")

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_FENCED_CODE = re.compile(
    r"^(`{3,}|~{3,})\s*(\{code-cell\}|\{glossary\}\s*$)?[^\n]*\n.*?^\1\s*$", re.S | re.M
)
_CODE_FENCE_ANY = re.compile(r"^```[^\n{]*\n.*?^```\s*$", re.S | re.M)
_OPTION_LINE = re.compile(r"^\s*:[a-z-]+:.*$", re.M)
_ROLE = re.compile(r"\{[a-z:-]+\}`([^`<]*)(?:<[^>]*>)?`")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_HTML = re.compile(r"<[^>]+>")
_DIRECTIVE = re.compile(r"^(:{3,}|`{3,})\{[a-z-]+\}", re.M)
# The closing line of a directive (its opening went with _DIRECTIVE): left in, its backticks
# would pair with the next inline code span and hide the prose between them.
_CLOSING_FENCE = re.compile(r"^\s*(:{3,}|`{3,})\s*$", re.M)
_SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")
# {only}'s argument is a tag expression (html, notebook), not prose.
_ONLY = re.compile(r"^(:{3,}|`{3,})\{only\}.*$", re.M)


def page_text(markdown: str) -> str:
    """The prose of a MyST page: no front matter, code cells, directive names, URLs or tags."""
    text = _FRONT_MATTER.sub("", markdown)
    text = re.sub(r"^```\{code-cell\}.*?^```\s*$", "", text, flags=re.S | re.M)
    text = _CODE_FENCE_ANY.sub("", text)
    text = _OPTION_LINE.sub("", text)
    text = _ONLY.sub("", text)
    text = _DIRECTIVE.sub("", text)
    text = _CLOSING_FENCE.sub("", text)
    text = _SUBSTITUTION.sub("", text)
    text = _ROLE.sub(r"\1", text)
    text = _INLINE_CODE.sub("", text)
    text = _LINK.sub("]", text)
    text = _HTML.sub(" ", text)
    return text


def exercise_texts(bank: Bank) -> Iterator[tuple[str, str]]:
    """(reference, text) for every author text of every exercise."""

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        elif isinstance(value, str) and key in TEXT_FIELDS:
            yield value

    for module in bank.modules.values():
        yield f"exercises/{module.module}.yaml", module.title
        for exercise in module.exercises:
            for text in walk(exercise.model_dump()):
                yield f"{module.module}/{exercise.id}", _LINK.sub("]", text)


def book_pages(root: Path) -> list[Path]:
    return sorted(p for p in (root / "book").rglob("*.md") if "_build" not in p.parts)


def words(text: str) -> Iterator[str]:
    for match in WORD.finditer(text):
        yield match.group(0)
