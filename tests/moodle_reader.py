"""Read Moodle XML the way Moodle's importer does (`xmlize()` over PHP's XML parser), to find
texts that the import would alter.

PHP's parser hands an element's character data over in chunks: an entity reference (`&lt;`) is
a chunk of its own, and so is the run of ASCII text that follows it up to the next non-ASCII
character. With `XML_OPTION_SKIP_WHITE` (xmlize's default, which `qformat_xml` uses) a chunk of
whitespace only is dropped. So `&lt;/strong&gt; à` reaches Moodle as `</strong>à`: the space
between an entity and a non-ASCII letter is lost. A CDATA section is one literal chunk, with no
entity in it, and comes through whole. `qformat_xml::getpath()` then trims each text.

Python's expat gives the same chunks except the split before a non-ASCII character, which this
reader makes itself; where a chunk came from an entity is read from the source at the chunk's
byte offset.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

_WHITE_BEFORE_NON_ASCII = re.compile(r"[ \t\n]+(?=[^\x00-\x7f])")
_WHITE = frozenset(" \t\n")


@dataclass
class _Element:
    tag: str
    chunks: list[str] = field(default_factory=list)
    after_entity: bool = False


def moodle_texts(source: str) -> list[tuple[str, str]]:
    """[(value as Moodle reads it, value as written)] for every <text> element, in order."""
    raw = source.encode("utf-8")
    parser = xml.parsers.expat.ParserCreate("UTF-8")
    parser.buffer_text = False
    stack: list[_Element] = []
    written: list[list[str]] = []
    read: list[tuple[str, str]] = []
    in_cdata = False

    def start(tag: str, attrs: dict) -> None:
        stack.append(_Element(tag))
        written.append([])

    def end(tag: str) -> None:
        element = stack.pop()
        intended = "".join(written.pop())
        if tag == "text":
            read.append(("".join(element.chunks).strip(), intended.strip()))

    def characters(data: str) -> None:
        element = stack[-1]
        written[-1].append(data)
        entity = not in_cdata and raw[parser.CurrentByteIndex : parser.CurrentByteIndex + 1] == b"&"
        if entity:
            element.chunks.append(data)
            element.after_entity = True
            return
        if element.after_entity:
            # PHP's parser ends a chunk before the first non-ASCII character: a whitespace-only
            # run there, right after an entity, is a chunk of its own, and is skipped.
            data = _WHITE_BEFORE_NON_ASCII.sub("", data, count=1) if _starts_white(data) else data
        element.after_entity = False
        if not element.chunks and data and set(data) <= _WHITE:
            return  # skip-white drops a leading whitespace-only chunk
        element.chunks.append(data)

    def cdata_start() -> None:
        nonlocal in_cdata
        in_cdata = True

    def cdata_end() -> None:
        nonlocal in_cdata
        in_cdata = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartCdataSectionHandler = cdata_start
    parser.EndCdataSectionHandler = cdata_end
    parser.Parse(raw, True)
    return read


def _starts_white(data: str) -> bool:
    match = _WHITE_BEFORE_NON_ASCII.match(data)
    return match is not None


def altered(source: str) -> list[tuple[str, str]]:
    """The <text> values Moodle would read differently from what was written."""
    return [(got, want) for got, want in moodle_texts(source) if got != want]
