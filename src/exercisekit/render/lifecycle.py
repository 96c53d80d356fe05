"""Widget lifetimes in a kernel: what a live view replaces, it closes.

Every ipywidget is a model held by the kernel (and mirrored in the front end) until `close()`;
dropping the Python reference is not enough. Without closing, each redraw (a ▲/▼ click, a
scenario choice) and each re-run of a cell added models for good, and after a few run-alls a
reloaded page could no longer find them all (« model not found »).
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and every widget it holds (a box's children, an exercise's `owned`)."""
    seen: set[int] = set()
    pending = [widget]
    while pending:
        current = pending.pop()
        if id(current) in seen or not isinstance(current, widgets.Widget):
            continue
        seen.add(id(current))
        pending.extend(getattr(current, "children", ()) or ())
        pending.extend(getattr(current, "owned", ()) or ())
        # A control's layout and style are models of their own that `close()` leaves open; so
        # no layout is ever shared between controls here (each is closed with its control).
        pending.extend(getattr(current, name, None) for name in ("layout", "style"))
        current.close()


def replace_children(
    box: widgets.Box, children: Iterable[widgets.Widget], keep: Iterable[widgets.Widget] = ()
) -> None:
    """Set a box's children and close the ones it no longer shows, except those in `keep` (the
    widgets an exercise moves around and shows again: its feedback, its buttons)."""
    new = list(children)
    kept = {id(child) for child in [*new, *keep]}
    old = [child for child in box.children if id(child) not in kept]
    box.children = new
    for child in old:
        close_tree(child)


# The widgets each notebook cell displayed at its last run, by the cell's id (JupyterLab,
# Notebook 7 and Voilà send it with every execution), with the id of that run.
_by_cell: dict[str, tuple[str, list[widgets.Widget]]] = {}


def _current_run() -> tuple[str, str] | None:
    """(cell id, execution message id) of the code running now, when a front end says it."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None
    parent = kernel.get_parent() if hasattr(kernel, "get_parent") else {}
    cell = ((parent or {}).get("metadata") or {}).get("cellId")
    message = ((parent or {}).get("header") or {}).get("msg_id")
    return (cell, message) if cell and message else None


def adopt(widget: widgets.Widget) -> widgets.Widget:
    """Note that the running cell shows `widget`; a new run of that cell closes what the previous
    run showed (its output is cleared anyway), so run-alls do not pile models up."""
    run = _current_run()
    if run is None:
        return widget
    cell, message = run
    previous = _by_cell.get(cell)
    if previous is None or previous[0] != message:
        if previous is not None:
            for old in previous[1]:
                close_tree(old)
        previous = (message, [])
        _by_cell[cell] = previous
    previous[1].append(widget)
    return widget
