"""Counts in French messages: `{n|singulier|pluriel}` picks the form that agrees with `n`.

French puts 0 and 1 in the singular (« 0 exercice fait », « 1 exercice fait », « 2 exercices
faits »), so a message says what it counts without the « (s) » that learners otherwise read.
`fill()` is the Python side; `ExerciseKit.lib.fill` in `assets/exercisekit.js` is the browser's,
with the same rule, so the live widgets and the site word a count alike.
"""

from __future__ import annotations

import re

CHOICE = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def fill(template: str, **values: object) -> str:
    """`template` with its plural choices made, then its `{name}` fields filled in."""
    text = CHOICE.sub(
        lambda m: m.group(2) if abs(float(values[m.group(1)])) < 2 else m.group(3), template
    )
    return text.format(**values)
