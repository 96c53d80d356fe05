"""The order a learner sees: options and classify statements shuffled so that position carries no
cue, the same everywhere (site, live widgets, handouts, key, exports).

Authors write options in whatever order is natural to them (often the key first); that order
must not leak. The shuffle is deterministic, seeded by the exercise's reference
(« module/id »), so « option B » on a participant's sheet is option B in the facilitator's key
and on the site, build after build. An option marked `fixed: true` keeps its written position
(« Aucune de ces réponses » stays last). `order` steps are written in the right order and
shuffled separately (`grading.shuffled_steps`); categories keep their written order (they are
labels, read as a scale or a list).

The loader applies this once: every consumer of a `Bank` reads the presented order.
"""

from __future__ import annotations

import random
from typing import Any

from exercisekit.bank.model import Module


def shuffled(items: list[Any], seed: str) -> list[Any]:
    """`items` in a seeded random order; items with `fixed` set stay where they were written."""
    free = [item for item in items if not getattr(item, "fixed", False)]
    random.Random(seed).shuffle(free)
    rest = iter(free)
    return [item if getattr(item, "fixed", False) else next(rest) for item in items]


def present(module: Module) -> Module:
    """The module with every exercise's options (or statements) in the order learners see."""
    exercises = []
    for exercise in module.exercises:
        seed = f"{module.module}/{exercise.id}"
        if exercise.type in ("single", "multiple", "dilemma"):
            exercise = exercise.model_copy(update={"options": shuffled(exercise.options, seed)})
        elif exercise.type == "classify":
            exercise = exercise.model_copy(update={"items": shuffled(exercise.items, seed)})
        exercises.append(exercise)
    return module.model_copy(update={"exercises": exercises})
