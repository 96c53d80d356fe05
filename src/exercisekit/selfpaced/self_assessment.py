"""The before/after self-assessment in a kernel: each competency of `course/competences.yaml`
rated on its scale, « avant » and « après », saved to the local state file; `chart()` draws the
comparison with matplotlib (hatched = before, solid = after: not told by colour alone), shown as
a PNG image (`show()` keeps one under the form, up to date)."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # no pyplot: works headless and in any front end

from exercisekit.bank.competencies import Competencies, load_competencies
from exercisekit.bank.loader import find_root
from exercisekit.render.guard import Guard
from exercisekit.render.lifecycle import adopt
from exercisekit.selfpaced.messages import MESSAGES
from exercisekit.selfpaced.state import State, shared
from exercisekit.selfpaced.view import refresh_button, storage_note

MOMENTS = {"avant": MESSAGES["self_before"], "apres": MESSAGES["self_after"]}


def ratings(state: State, moment: str, comp: Competencies) -> dict[str, int]:
    out = {}
    for c in comp.items():
        saved = state.get("self", f"{moment}/{c.id}")
        if saved:
            out[c.id] = saved["level"]
    return out


def show(state: State | None = None, root: Path | None = None) -> widgets.VBox:
    """Rate each competency « avant » and « après », read from the state file as it is now (again
    at each « Rafraîchir »); the before/after chart below follows each rating, as an image."""
    state = (state or shared()).refresh()
    comp = load_competencies(root or find_root())
    guard = Guard()
    # Buttons as wide as their words: at the default width « Avant le cours (au début) » was cut.
    moment = widgets.ToggleButtons(
        options=[(label, key) for key, label in MOMENTS.items()],
        description=MESSAGES["self_moment"],
        style={"button_width": "auto", "description_width": "initial"},
    )
    guard.name(moment, MESSAGES["self_moment"].rstrip(" :\u202f\u00a0"))
    options = [("—", 0)] + [(f"{s.level} — {s.label}", s.level) for s in comp.scale]
    menus: dict[str, widgets.Dropdown] = {}
    rows: list[widgets.Widget] = [moment]
    for family in comp.families:
        rows.append(widgets.HTML(f"<h3>{family.label} <em>({family.description})</em></h3>"))
        for c in family.items:
            menu = widgets.Dropdown(options=options, value=0, layout=widgets.Layout(width="16em"))
            guard.name(menu, c.text)
            menus[c.id] = menu
            rows += [widgets.HTML(f"<p>{c.text}</p>"), menu]
    image = widgets.Image(
        value=chart_png(state, root), format="png", layout=widgets.Layout(max_width="100%")
    )
    guard.name(
        image, f"{MESSAGES['chart_alt']}. {MESSAGES['self_legend'].format(max=len(comp.scale))}"
    )
    legend = widgets.HTML(f"<p>{escape(MESSAGES['self_legend'].format(max=len(comp.scale)))}</p>")
    filling = {"now": False}

    def fill(*_: Any) -> None:
        filling["now"] = True  # setting the menus from the file is not a new rating
        try:
            for cid, menu in menus.items():
                saved = state.get("self", f"{moment.value}/{cid}")
                menu.value = saved["level"] if saved else 0
        finally:
            filling["now"] = False

    def save(change: dict[str, Any], cid: str) -> None:
        if change["new"] and not filling["now"]:
            state.set("self", f"{moment.value}/{cid}", {"level": change["new"]})
            image.value = chart_png(state, root)

    def redraw() -> None:
        fill()
        image.value = chart_png(state, root)

    fill()
    moment.observe(fill, names="value")
    for cid, menu in menus.items():
        menu.observe(lambda change, cid=cid: save(change, cid), names="value")
    head = [widgets.HBox([refresh_button(state, redraw)]), storage_note(state)]
    box = widgets.VBox([*head, *rows, legend, image, guard])
    box.moment, box.menus, box.image = moment, menus, image
    return adopt(box)


class ChartFigure(Figure):
    """A matplotlib figure that a notebook shows as a PNG image by itself: no pyplot, no
    `%matplotlib inline` (JupyterLab, Voilà, Colab, nbclient alike)."""

    def _repr_png_(self) -> bytes:
        return figure_png(self)


def figure_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)  # Agg: drawn in memory, whatever the backend
    return buffer.getvalue()


def chart_png(state: State | None = None, root: Path | None = None) -> bytes:
    """The chart as PNG bytes (what the image widget of `show()` displays)."""
    return figure_png(chart(state, root))


def chart(state: State | None = None, root: Path | None = None) -> ChartFigure:
    """The chart: one pair of bars (before hatched, after solid) per competency."""
    state = state or shared()
    comp = load_competencies(root or find_root())
    items = comp.items()
    before, after = ratings(state, "avant", comp), ratings(state, "apres", comp)
    fig = ChartFigure(figsize=(8, 0.45 * len(items) + 1))
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
