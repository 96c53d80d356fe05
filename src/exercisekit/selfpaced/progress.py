"""« Mon parcours » in a kernel: how many exercises of each module are done, from the local
state file that the live exercises write. An exercise counts as done as in the browser: an
answer checked (not incomplete), a scenario taken to an ending, a reflection written."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from exercisekit.bank.loader import current_bank, find_root
from exercisekit.bank.model import GRADED_TYPES
from exercisekit.grading import module_mastered
from exercisekit.render.lifecycle import adopt
from exercisekit.render.plural import fill
from exercisekit.selfpaced.messages import MESSAGES
from exercisekit.selfpaced.state import State, shared
from exercisekit.selfpaced.view import refresh_button, storage_note
from exercisekit.workshop.materials import workshops


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    title: str
    done: int
    total: int
    next_ref: str | None  # the first exercise not done yet, where to resume
    mastered: bool = False  # the course's mastery rule (grading.module_mastered)


def is_done(state: State, ref: str, kind: str) -> bool:
    if kind == "reflection":
        entry = state.get("journal", ref)
        return bool(entry and str(entry.get("text", "")).strip())
    if kind == "scenario":
        entry = state.get("scenario", ref)
        return bool(entry and entry.get("status"))
    entry = state.get("answer", ref)
    return bool(entry and entry.get("status") not in (None, "incomplete"))


def summary(
    state: State | None = None, bank: Any = None, root: Path | None = None
) -> list[ModuleProgress]:
    """Each module in the course's order, with what is done."""
    state = state or shared()
    bank = bank or current_bank()
    rows = []
    for workshop in workshops(bank, root or find_root()):
        refs = [(f"{workshop.id}/{e.id}", e.type) for e in workshop.module.exercises]
        done = [ref for ref, kind in refs if is_done(state, ref, kind)]
        pending = [ref for ref, _ in refs if ref not in done]
        firsts = [
            (state.get("first", ref) or {}).get("status")
            for ref, kind in refs
            if kind in GRADED_TYPES
        ]
        scenarios = [is_done(state, ref, kind) for ref, kind in refs if kind == "scenario"]
        rows.append(
            ModuleProgress(
                workshop.id,
                workshop.heading,
                len(done),
                len(refs),
                pending[0] if pending else None,
                module_mastered(firsts, scenarios),
            )
        )
    return rows


class ProgressView(widgets.VBox):
    """The progress report (`.value`: its HTML), where it is kept, and « Rafraîchir »."""

    def __init__(self, html: widgets.HTML, children: list[widgets.Widget]):
        super().__init__(children)
        self.report = html

    @property
    def value(self) -> str:
        return self.report.value


def report_html(rows: list[ModuleProgress]) -> str:
    done, total = sum(r.done for r in rows), sum(r.total for r in rows)
    lines = [
        f"<p><strong>{escape(fill(MESSAGES['progress_all'], done=done, total=total))}</strong></p>"
    ]
    for row in rows:
        percent = round(100 * row.done / row.total) if row.total else 0
        resume = f' — à reprendre : <code>show("{row.next_ref}")</code>' if row.next_ref else ""
        resume += f" — {escape(MESSAGES['mastery_yes'])}" if row.mastered else ""
        lines.append(
            f"<p>{escape(row.title)}<br>"
            f'<progress max="{row.total}" value="{row.done}" aria-hidden="true"></progress> '
            f"{escape(fill(MESSAGES['progress'], done=row.done, total=row.total))} ({percent} %){resume}</p>"
        )
    return "".join(lines)


def show(state: State | None = None, bank: Any = None, root: Path | None = None) -> ProgressView:
    """A bar per module and the overall count, read from the state file as it is now (again at
    each « Rafraîchir », with what other notebooks saved)."""
    state = (state or shared()).refresh()
    html = widgets.HTML(report_html(summary(state, bank, root)))

    def redraw() -> None:
        html.value = report_html(summary(state, bank, root))

    return adopt(
        ProgressView(
            html, [html, widgets.HBox([refresh_button(state, redraw)]), storage_note(state)]
        )
    )
