"""The reflective journal in a kernel: every reflection prompt of the course, by module, as text
areas saved (to the local state file) as the learner types; `markdown()` exports it."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from exercisekit.bank.loader import current_bank
from exercisekit.render.guard import Guard
from exercisekit.render.lifecycle import adopt
from exercisekit.render.richtext import to_html, to_plain
from exercisekit.selfpaced.messages import MESSAGES
from exercisekit.selfpaced.state import State, shared
from exercisekit.selfpaced.view import refresh_button, storage_note


def prompts(bank: Any = None) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(module id, module title, [(ref, prompt), …])] for every module with reflections."""
    bank = bank or current_bank()
    out = []
    for module in bank.modules.values():
        rs = [
            (f"{module.module}/{e.id}", e.prompt)
            for e in module.exercises
            if e.type == "reflection"
        ]
        if rs:
            out.append((module.module, module.title, rs))
    return out


def show(state: State | None = None, bank: Any = None) -> widgets.VBox:
    """Every reflection prompt with its text area, read from the state file as it is now (again
    at each « Rafraîchir », with what other notebooks saved); saved as the learner types."""
    state = (state or shared()).refresh()
    guard = Guard()
    rows: list[widgets.Widget] = []
    if state.problem:
        rows.append(widgets.HTML(f"<p role='alert'>{state.problem}</p>"))
    areas: dict[str, widgets.Textarea] = {}
    quiet = {"now": False}  # a refresh fills the areas without saving them again

    def save(change: dict[str, Any], ref: str) -> None:
        if not quiet["now"]:
            state.set("journal", ref, {"text": change["new"]})

    for _, title, entries in prompts(bank):
        rows.append(widgets.HTML(f"<h3>{to_html(title)}</h3>"))
        for ref, prompt in entries:
            saved = state.get("journal", ref)
            area = widgets.Textarea(
                value=saved["text"] if saved else "",
                layout=widgets.Layout(width="100%", height="6em"),
            )
            guard.name(area, to_plain(prompt))
            area.observe(lambda change, ref=ref: save(change, ref), names="value")
            areas[ref] = area
            rows.append(widgets.HTML(f"<p><strong>{to_html(prompt)}</strong></p>"))
            rows.append(area)

    def redraw() -> None:
        quiet["now"] = True
        try:
            for ref, area in areas.items():
                saved = state.get("journal", ref)
                area.value = saved["text"] if saved else ""
        finally:
            quiet["now"] = False

    head = [widgets.HBox([refresh_button(state, redraw)]), storage_note(state)]
    box = widgets.VBox(
        [*rows[: 1 if state.problem else 0], *head, *rows[1 if state.problem else 0 :], guard]
    )
    box.areas = areas
    return adopt(box)


def markdown(state: State | None = None, bank: Any = None) -> str:
    """The journal as Markdown, to bring to a mentor."""
    state = state or shared()
    lines = [f"# {MESSAGES['journal_title']}", ""]
    for _, title, entries in prompts(bank):
        lines += [f"## {to_plain(title)}", ""]
        for ref, prompt in entries:
            saved = state.get("journal", ref)
            text = (
                saved["text"].strip()
                if saved and saved["text"].strip()
                else f"_{MESSAGES['journal_empty']}_"
            )
            lines += [f"### {to_plain(prompt)}", "", text, ""]
    return "\n".join(lines)
