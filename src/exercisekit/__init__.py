"""exercisekit: one exercise bank, shown as live ipywidgets and as kernel-free HTML.

data (`model`, `loader`) -> checks (`graph`) -> grading (pure functions) -> renderers
(`render_widgets`, `render_static`, `feedback`); `display.show` ties them for notebooks.
"""

from .display import show, show_all
from .errors import ExerciseDataError, Problem
from .grading import grade, walk_scenario
from .loader import Bank, current_bank, find_root, load_bank

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
