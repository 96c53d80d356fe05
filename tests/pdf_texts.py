"""The text of the workshop PDFs, extracted once per session and shared by `test_handouts.py`
and `test_typography.py`: pypdf takes about a second a document, and both files read the same
documents (the tests' copies are byte for byte the build's), so a document is read once
whatever folder it is in."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdf

_read: dict[str, tuple[str, ...]] = {}


def page_texts(path: Path) -> tuple[str, ...]:
    """The text pypdf extracts from each page of the PDF at `path`, in page order."""
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _read:
        reader = pypdf.PdfReader(path)
        _read[key] = tuple(page.extract_text() for page in reader.pages)
    return _read[key]
