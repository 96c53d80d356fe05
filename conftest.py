"""Root pytest configuration: every MyST notebook under book/ is collected for nbval.

It lives at the root (not in tests/) because a conftest's collection hooks apply only to
files below its own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parent
BOOK = ROOT / "book"
NBVAL_SCRATCH = ROOT / "_build" / "nbval"


# ---------------------------------------------------------------- nbval over every notebook
def is_myst_notebook(text: str) -> bool:
    """A MyST notebook declares its kernel in a YAML front matter, as jupytext writes it."""
    if not text.startswith("---\n"):
        return False
    header = yaml.safe_load(text[4 : text.find("\n---", 4)]) or {}
    return isinstance(header, dict) and "kernelspec" in header


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """Every MyST notebook under book/ becomes an nbval test, with nothing to list.

    nbval reads .ipynb only, so each text notebook is converted into a scratch copy under
    _build/nbval/ (inside the repository, so `show()` finds exercises/ from there).
    """
    if file_path.suffix != ".md" or BOOK not in file_path.parents:
        return None
    text = file_path.read_text(encoding="utf-8")
    if not is_myst_notebook(text):
        return None  # a plain Markdown page, not a notebook
    # Say the format: left to guess, jupytext takes a page with ::: fences for Pandoc Markdown.
    notebook = jupytext.reads(text, fmt="md:myst")
    target = NBVAL_SCRATCH / file_path.relative_to(ROOT).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: pytest-xdist workers all collect (and read) the same copies.
    scratch = target.with_name(f".{target.name}.{os.getpid()}")
    scratch.write_text(jupytext.writes(notebook, fmt="ipynb"), encoding="utf-8")
    os.replace(scratch, target)
    from nbval.plugin import IPyNbFile

    return IPyNbFile.from_parent(parent, path=target)
