"""Root pytest configuration: every MyST notebook under book/ is collected for nbval.

It lives at the root (not in tests/) because a conftest's collection hooks apply only to
files below its own folder.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent
BOOK = ROOT / "book"
NBVAL_SCRATCH = ROOT / "_build" / "nbval"


# ---------------------------------------------------------------- nbval over every notebook
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """Every MyST notebook under book/ becomes an nbval test, with nothing to list.

    nbval reads .ipynb only, so each text notebook is converted into a scratch copy under
    _build/nbval/ (inside the repository, so `show()` finds exercises/ from there).
    """
    if file_path.suffix != ".md" or BOOK not in file_path.parents:
        return None
    notebook = jupytext.read(file_path)
    if "kernelspec" not in notebook.metadata:
        return None  # a plain Markdown page, not a notebook
    target = NBVAL_SCRATCH / file_path.relative_to(ROOT).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target)
    from nbval.plugin import IPyNbFile

    return IPyNbFile.from_parent(parent, path=target)


