"""The exercises the tests act on, found in the bank by type, never by id: the content can be
revised (items replaced, ids changed) without the engine's tests pointing at missing items.

The example module is `conditions` (docs/guide-redaction.md): it keeps one exercise of every
type, so the browser tests can work on one page.
"""

from __future__ import annotations

from pathlib import Path

from exercisekit import load_bank

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
MODULE = "conditions"
PAGE = "book/modules/02-conditions.html"


def of_type(kind: str, module: str = MODULE) -> list[str]:
    refs = [f"{module}/{e.id}" for e in BANK.modules[module].exercises if e.type == kind]
    if not refs:
        raise LookupError(f"the example module « {module} » has no exercise of type {kind}")
    return refs


SINGLE = of_type("single")[0]
MULTIPLE = of_type("multiple")[0]
TRUE_FALSE = of_type("true_false")[0]
CLASSIFY = of_type("classify")[0]
ORDER = of_type("order")[0]
SCENARIO = of_type("scenario")[0]
REFLECTION, REFLECTION_2 = of_type("reflection")[:2]


def dilemma() -> str:
    """The first dilemma of the bank, in whichever module holds one."""
    for module in BANK.modules:
        found = [f"{module}/{e.id}" for e in BANK.modules[module].exercises if e.type == "dilemma"]
        if found:
            return found[0]
    raise LookupError("the bank has no dilemma")
