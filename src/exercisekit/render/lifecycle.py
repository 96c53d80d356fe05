"""Widget lifetimes in a kernel: what a live view replaces, it closes.

Every ipywidget is a model held by the kernel (and mirrored in the front end) until `close()`;
dropping the Python reference is not enough. Without closing, each redraw (a ▲/▼ click, a
scenario choice) and each re-run of a cell added models for good, and after a few run-alls a
reloaded page could no longer find them all (« model not found »).
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets

# Layouts and styles are widget models too: a button is three models (itself, its layout, its
# style). Controls of one kind share one default style and one layout per set of values, which
# cuts the models a module creates by about half (and the time a reloaded page takes to fetch
# them all from the kernel). Shared ones are never closed; none is ever changed after creation.
_SHARED: dict[tuple, widgets.Widget] = {}


def _shared(cls: type, **values: str) -> widgets.Widget:
    key = (cls, tuple(sorted(values.items())))
    found = _SHARED.get(key)
    if found is None or found.comm is None:  # closed by someone else (Widget.close_all)
        found = _SHARED[key] = cls(**values)
    return found


def shared_layout(**values: str) -> widgets.Layout:
    """The one layout with these values (never change it afterwards: others show it too)."""
    return _shared(widgets.Layout, **values)


def lean(cls: type, **kwargs: object) -> widgets.Widget:
    """`cls(**kwargs)` with the shared default layout and style of its kind, unless given."""
    kwargs.setdefault("layout", shared_layout())
    style = cls.class_traits().get("style")
    if style is not None:
        kwargs.setdefault("style", _shared(style.klass))
    return cls(**kwargs)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and every widget it holds (a box's children, an exercise's `owned`)."""
    seen: set[int] = set()
    pending = [widget]
    while pending:
        current = pending.pop()
        if id(current) in seen or not isinstance(current, widgets.Widget):
            continue
        if any(current is shared for shared in _SHARED.values()):
            continue
        seen.add(id(current))
        pending.extend(getattr(current, "children", ()) or ())
        pending.extend(getattr(current, "owned", ()) or ())
        # A control's layout and style are models of their own that `close()` leaves open (the
        # shared ones are skipped above).
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
