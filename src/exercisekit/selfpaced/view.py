"""What the three « Mon espace » views share in a kernel: where the data is kept (a file on
this computer, named by its path, not « ce navigateur » as on the site) and a « Rafraîchir »
button that reads the file again, with what other notebooks saved."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets

from exercisekit.selfpaced.messages import MESSAGES
from exercisekit.selfpaced.state import State


def storage_note(state: State) -> widgets.HTML:
    text = MESSAGES["kernel_storage"].format(path=state.path)
    return widgets.HTML(f"<p><small>{escape(text)}</small></p>")


def refresh_button(state: State, redraw: Callable[[], None]) -> widgets.Button:
    """« Rafraîchir »: read the file as it is now, then redraw the view from it."""
    button = widgets.Button(
        description=MESSAGES["refresh"], tooltip=MESSAGES["refresh_hint"], icon="refresh"
    )

    def on_click(_: object) -> None:
        state.refresh()
        redraw()

    button.on_click(on_click)
    return button
