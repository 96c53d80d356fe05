"""The code stays lint-clean and formatted, with no English misspelling (what pre-commit runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CODE = ["src", "tests", "scripts", "conftest.py"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    result = run(str(BIN / "ruff"), "format", "--check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_codespell_finds_nothing_in_the_code():
    result = run(str(BIN / "codespell"), *CODE, "dev", ".github")
    assert result.returncode == 0, result.stdout + result.stderr
