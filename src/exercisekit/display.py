"""`show("module/id")`: one line in a notebook shows an exercise both ways.

In a live kernel the front end picks the ipywidgets view; the book's HTML builder is told
(`nb_mime_priority_overrides` in `_config.yml`) to pick the `text/html` fallback, which
the site's shared runtime makes interactive without a kernel.
"""

from __future__ import annotations

from typing import Any

from exercisekit.bank.loader import current_bank
from exercisekit.render.lifecycle import adopt
from exercisekit.render.static import render_html
from exercisekit.render.widgets import build_widget


class ExerciseView:
    def __init__(self, ref: str):
        self.ref = ref
        self.exercise = current_bank().get(ref)
        # Running the cell again closes the widgets its last run showed (`lifecycle.adopt`).
        self.widget = adopt(build_widget(ref, self.exercise))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/html"] = render_html(self.ref, self.exercise)
        bundle["text/plain"] = f"Exercice {self.ref}"
        return bundle


def show(ref: str) -> ExerciseView:
    """Display the exercise `ref` ("module/exercise-id")."""
    return ExerciseView(ref)


def show_all(module: str, kind: str | None = None) -> None:
    """Display every exercise of a module (optionally of one type), in file order."""
    from IPython.display import display

    for exercise in current_bank().modules[module].exercises:
        if kind is None or exercise.type == kind:
            display(show(f"{module}/{exercise.id}"))
