"""exercisekit: one exercise bank, shown as live ipywidgets and as kernel-free HTML.

The tree follows the data: `bank/` (model, loader, checks) -> `grading` (pure functions) ->
`render/` (live widgets, static HTML) -> `sphinx/`, `export/`, `workshop/` (what is built from
it). `display.show` ties them for notebooks; `__main__` is the command line.
"""

from exercisekit.bank.errors import ExerciseDataError, Problem
from exercisekit.bank.loader import Bank, current_bank, find_root, load_bank
from exercisekit.display import show, show_all
from exercisekit.grading import grade, walk_scenario

__all__ = [
    "Bank",
    "ExerciseDataError",
    "Problem",
    "current_bank",
    "find_root",
    "grade",
    "load_bank",
    "show",
    "show_all",
    "walk_scenario",
]
