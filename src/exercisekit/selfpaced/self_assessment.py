"""The before/after self-assessment in a kernel: each competency of `course/competences.yaml`
rated on its scale, « avant » and « après », saved to the local state file; `chart()` draws the
comparison with matplotlib (hatched = before, solid = after: not told by colour alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from exercisekit.bank.competencies import Competencies, load_competencies
from exercisekit.bank.loader import find_root
from exercisekit.selfpaced.messages import MESSAGES
from exercisekit.selfpaced.state import State, shared

MOMENTS = {"avant": MESSAGES["self_before"], "apres": MESSAGES["self_after"]}


def ratings(state: State, moment: str, comp: Competencies) -> dict[str, int]:
    out = {}
    for c in comp.items():
        saved = state.get("self", f"{moment}/{c.id}")
        if saved:
            out[c.id] = saved["level"]
    return out


def show(state: State | None = None, root: Path | None = None) -> widgets.VBox:
    state = state or shared()
    comp = load_competencies(root or find_root())
    moment = widgets.ToggleButtons(
        options=[(label, key) for key, label in MOMENTS.items()],
        description=MESSAGES["self_moment"],
    )
    options = [("—", 0)] + [(f"{s.level} — {s.label}", s.level) for s in comp.scale]
    menus: dict[str, widgets.Dropdown] = {}
    rows: list[widgets.Widget] = [moment]
    for family in comp.families:
        rows.append(widgets.HTML(f"<h3>{family.label} <em>({family.description})</em></h3>"))
        for c in family.items:
            menu = widgets.Dropdown(options=options, value=0, layout=widgets.Layout(width="16em"))
            menus[c.id] = menu
            rows += [widgets.HTML(f"<p>{c.text}</p>"), menu]
    out = widgets.Output()

    def fill(*_: Any) -> None:
        for cid, menu in menus.items():
            saved = state.get("self", f"{moment.value}/{cid}")
            menu.value = saved["level"] if saved else 0

    def save(change: dict[str, Any], cid: str) -> None:
        if change["new"]:
            state.set("self", f"{moment.value}/{cid}", {"level": change["new"]})

    fill()
    moment.observe(fill, names="value")
    for cid, menu in menus.items():
        menu.observe(lambda change, cid=cid: save(change, cid), names="value")
    box = widgets.VBox([*rows, out])
    box.moment, box.menus, box.output = moment, menus, out
    return box


def chart(state: State | None = None, root: Path | None = None) -> Any:
    """A matplotlib figure: one pair of bars (before hatched, after solid) per competency."""
    from matplotlib.figure import Figure  # no pyplot: works headless and in a notebook

    state = state or shared()
    comp = load_competencies(root or find_root())
    items = comp.items()
    before, after = ratings(state, "avant", comp), ratings(state, "apres", comp)
    fig = Figure(figsize=(8, 0.45 * len(items) + 1))
    ax = fig.subplots()
    ys = range(len(items))
    ax.barh(
        [y + 0.2 for y in ys],
        [before.get(c.id, 0) for c in items],
        height=0.38,
        fill=False,
        hatch="///",
        edgecolor="black",
        label=MESSAGES["self_before_short"],
    )
    ax.barh(
        [y - 0.2 for y in ys],
        [after.get(c.id, 0) for c in items],
        height=0.38,
        color="#0a5fa3",
        edgecolor="black",
        label=MESSAGES["self_after_short"],
    )
    ax.set_yticks(list(ys), [c.short for c in items])
    ax.invert_yaxis()
    ax.set_xlim(0, len(comp.scale))
    ax.set_xticks(range(len(comp.scale) + 1))
    ax.set_title(MESSAGES["self_chart"])
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def to_work_on(state: State | None = None, root: Path | None = None) -> list[tuple[str, list[str]]]:
    """[(competency, [module pages that work on it])] for the low-rated ones (latest moment)."""
    state = state or shared()
    comp = load_competencies(root or find_root())
    latest = {**ratings(state, "avant", comp), **ratings(state, "apres", comp)}
    return [(c.short, list(c.modules)) for c in comp.low(latest)]
