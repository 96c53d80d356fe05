"""How long a module takes: the estimate behind each page's « Durée estimée ».

A learner reads the module's prose and does its exercises. The figures below are the course's
own working assumptions (not measurements): reading to learn is slower than reading for
pleasure, and an exercise takes the time to read it, choose and read the feedback. A test keeps
each page's stated duration, and the table of the home page, within reach of this estimate, so
that a module that grows gets a new duration rather than a stale one.
"""

from __future__ import annotations

import re
from typing import Any

WORDS_PER_MINUTE = 150  # reading to learn, in French, on a screen
MINUTES_PER_EXERCISE = {
    "single": 1.5,
    "multiple": 2.0,
    "true_false": 1.0,
    "classify": 2.5,
    "order": 2.5,
    "dilemma": 3.0,
    "scenario": 8.0,  # several decisions, each with its consequence to read
    "reflection": 5.0,  # writing a few lines
}
ROUND_TO = 5  # minutes: an estimate, not a promise

_CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```", re.MULTILINE | re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MARKUP_LINE = re.compile(r"^\s*(:::|```|:[a-z-]+:|\(.*\)=|%)")


def prose_words(page: str) -> int:
    """Words a learner reads on a MyST module page: no front matter, code cells or directive
    lines (the exercises they show are counted from their data)."""
    text = _CODE_CELL.sub("", _FRONT_MATTER.sub("", page))
    lines = [line for line in text.splitlines() if not _MARKUP_LINE.match(line)]
    return len(" ".join(lines).split())


def estimated_minutes(page: str, exercises: list[Any]) -> int:
    """Reading time plus the exercises' time, rounded to the nearest five minutes."""
    minutes = prose_words(page) / WORDS_PER_MINUTE
    minutes += sum(MINUTES_PER_EXERCISE[exercise.type] for exercise in exercises)
    return max(ROUND_TO, ROUND_TO * round(minutes / ROUND_TO))
