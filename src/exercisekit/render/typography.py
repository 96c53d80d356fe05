"""French typography by machine: the no-break spaces of every French text the course generates.

The convention (docs/guide-redaction.md, « Typographie »): authors type an ordinary space, or
none, before « ; ! ? : » and inside « »; the engine puts the right space there, so no line
ever starts with a lone sign or a lone guillemet.

- U+202F (narrow no-break space, « espace fine insécable ») before ; ! ? — replacing any
  space already there (ordinary, no-break, narrow), or added when the sign directly follows a
  word, a closing » or ), an ellipsis or inline code. A run of signs (« ?! », « !! ») gets
  one space, before the run.
- U+00A0 (no-break space) before « : », under the same conditions.
- U+00A0 after « and before ».

A sign counts only when it ends a phrase: followed by a space, the end of the text or of the
block, » or ) (closing inline tags are transparent). So URLs (`https://`, `?q=`), times
(`10:30`) and code-like text (`a;b`) are never touched.

`french(html)` reads HTML: it changes text between tags only, never a tag or an attribute,
and skips the content of <code>, <kbd>, <samp>, <pre>, <script>, <style>, <textarea> (and
<svg>, <math>). Character references count as the characters they stand for (the `;` of
`&amp;` is not a semicolon). Inline tags (<em>, <a>, <span>…) do not break a phrase, so
`<strong>Note</strong> :` is seen as « Note : »; block tags do. `french_text(text)` does the
same for plain text, line by line. Both are idempotent: applying them twice changes nothing
more than applying them once.
"""

from __future__ import annotations

import html as _html
import re

NBSP = "\u00a0"
NNBSP = "\u202f"

# Quick test: text without any of these has nothing to change.
_SIGNS = re.compile(r"[;:!?«»]|&#|&[lr]aquo;", re.I)

_OPAQUE = "\x01"  # inline code or an image: a "word" for the rules, never changed

# Before a sign: spaces to normalise (after something that is not a space), or nothing after a
# word-like character. `[!?]+` keeps « ?! » and « !! » together.
_RULES = re.compile(
    r"(?P<open>«)(?P<osp>\s*)(?=\S)"
    r"|(?:(?<=\S)(?P<sp>\s+)|(?<=[\w»)\]…\x01]))(?P<sign>[;:]|[!?]+)(?=[\s»)\]”]|$)"
    r"|(?:(?<=\S)(?P<csp>\s+)|(?<=[^\s«]))(?P<close>»)"
)

_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
# Elements whose content is not French prose. RAW ones hold no tags at all (their text is
# skipped up to the closing tag); the others may hold markup (highlighted code).
_RAW = frozenset({"script", "style", "textarea", "template"})
_SKIP = frozenset({"code", "kbd", "samp", "pre", "svg", "math"})
_SKIP_INLINE = frozenset({"code", "kbd", "samp", "svg", "math"})  # an opaque word in the text
# Inline elements that do not break a phrase.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "wbr",
    }
)
_VOID_OPAQUE = frozenset({"img"})


def _edits(stream: str) -> list[tuple[int, int, int, str]]:
    """(start, end, anchor, char): replace stream[start:end] by `char`, written just before
    the unit at `anchor` (a sign or ») or, when anchor < 0, just after the unit -anchor - 1
    (a «). Edits that would change nothing are left out."""
    edits = []
    for m in _RULES.finditer(stream):
        if m.group("open"):
            start, end = m.span("osp")
            char, anchor = NBSP, -(m.start("open") + 1)
        elif m.group("sign"):
            at = m.start("sign")
            start, end = m.span("sp") if m.group("sp") is not None else (at, at)
            char, anchor = (NBSP if m.group("sign") == ":" else NNBSP), at
        else:
            at = m.start("close")
            start, end = m.span("csp") if m.group("csp") is not None else (at, at)
            char, anchor = NBSP, at
        if stream[start:end] != char:
            edits.append((start, end, anchor, char))
    return edits


def _apply(text: str, ops: list[tuple[int, int, str]]) -> str:
    # From the end, and at one position the deletion before the insertion.
    for start, end, new in sorted(ops, key=lambda op: (op[0], op[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _plain_line(line: str) -> str:
    if not _SIGNS.search(line):
        return line
    ops = []
    for start, end, anchor, char in _edits(line):
        ops.append((start, end, ""))
        at = anchor if anchor >= 0 else -anchor
        ops.append((at, at, char))
    return _apply(line, ops)


def french_text(text: str) -> str:
    """French no-break spaces in plain text (each line on its own); see the module docstring."""
    if not _SIGNS.search(text):
        return text
    return "\n".join(_plain_line(line) for line in text.split("\n"))


def _units(piece: str, index: int) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The characters a text piece stands for (references decoded), each with its raw span."""
    chars: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for m in _ENTITY.finditer(piece):
        for k in range(pos, m.start()):
            chars.append(piece[k])
            spans.append((index, k, k + 1))
        decoded = _html.unescape(m.group(0))
        chars.append(decoded if len(decoded) == 1 else "\x02")
        spans.append((index, m.start(), m.end()))
        pos = m.end()
    for k in range(pos, len(piece)):
        chars.append(piece[k])
        spans.append((index, k, k + 1))
    return chars, spans


def _runs(html: str) -> tuple[list[str], list[list[int | None]]]:
    """The HTML cut into pieces (tags and texts), and the runs of prose: piece indexes of the
    texts that read as one phrase (None for an opaque inline element)."""
    pieces: list[str] = []
    runs: list[list[int | None]] = [[]]
    pos, skip = 0, 0
    while True:
        m = _TOKEN.search(html, pos)
        stop = m.start() if m else len(html)
        if stop > pos:
            pieces.append(html[pos:stop])
            if not skip:
                runs[-1].append(len(pieces) - 1)
        if m is None:
            break
        pieces.append(m.group(0))
        pos = m.end()
        name = (m.group(2) or "").lower()
        closing = m.group(1) == "/"
        self_closing = (m.group(3) or "").rstrip().endswith("/")
        if not name:  # comment, doctype: no effect on the phrase
            continue
        if name in _RAW:
            if not closing:
                end = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
                stop = end.start() if end else len(html)
                if stop > pos:
                    pieces.append(html[pos:stop])
                pos = stop
            if not skip:
                runs.append([])
            continue
        if name in _SKIP:
            if self_closing:
                if not skip:
                    runs[-1].append(None)
                continue
            if closing:
                skip = max(0, skip - 1)
                if not skip:
                    if name in _SKIP_INLINE:
                        runs[-1].append(None)
                    else:
                        runs.append([])
            else:
                if not skip and name not in _SKIP_INLINE:
                    runs.append([])
                skip += 1
            continue
        if skip or name in _INLINE:
            continue
        if name in _VOID_OPAQUE:
            runs[-1].append(None)
            continue
        runs.append([])
    return pieces, runs


def french(html: str) -> str:
    """French no-break spaces in HTML text, never in tags, attributes or code; see the module
    docstring."""
    if not _SIGNS.search(html):
        return html
    pieces, runs = _runs(html)
    ops: dict[int, list[tuple[int, int, str]]] = {}
    for run in runs:
        if not any(i is not None and _SIGNS.search(pieces[i]) for i in run):
            continue
        chars: list[str] = []
        spans: list[tuple[int, int, int]] = []
        for i in run:
            if i is None:
                chars.append(_OPAQUE)
                spans.append((-1, 0, 0))
            else:
                c, s = _units(pieces[i], i)
                chars += c
                spans += s
        for start, end, anchor, char in _edits("".join(chars)):
            for k in range(start, end):
                index, a, b = spans[k]
                ops.setdefault(index, []).append((a, b, ""))
            if anchor >= 0:
                index, a, _ = spans[anchor]
                ops.setdefault(index, []).append((a, a, char))
            else:
                index, _, b = spans[-anchor - 1]
                ops.setdefault(index, []).append((b, b, char))
    if not ops:
        return html
    for index, piece_ops in ops.items():
        pieces[index] = _apply(pieces[index], piece_ops)
    return "".join(pieces)
