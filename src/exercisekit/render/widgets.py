"""Live exercises in a Jupyter kernel, built from stock ipywidgets; grading runs in Python.

Each builder returns an `ExerciseBox` (a VBox) that keeps handles on its controls, so
tests can act as a learner: set a value, press `check`, read `feedback.value`.

As on the static site, what the learner does is kept, privately, on this machine: checked
answers, scenario paths and reflections go to the local state file (`selfpaced.state`), and
an exercise shown again starts where the learner left it (the file as it is now, with what
another notebook saved).

Each box carries a hidden `Guard` (`render/guard.py`) that keeps keys inside the exercise in
JupyterLab and names its controls; whatever a redraw replaces is closed (`render/lifecycle.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from exercisekit.grading import ENDING_STATUS, grade, shuffled_steps, walk_scenario
from exercisekit.render.feedback import feedback_html
from exercisekit.render.guard import Guard
from exercisekit.render.lifecycle import lean, replace_children, shared_layout
from exercisekit.render.messages import ENDING_LABELS, kernel_storage_note, message
from exercisekit.render.richtext import to_html, to_plain
from exercisekit.selfpaced.state import State, shared


def _full() -> widgets.Layout:
    return shared_layout(width="auto")


def _html(value: str = "", **kwargs: Any) -> widgets.HTML:
    return lean(widgets.HTML, value=value, **kwargs)


def _hbox(children: list[widgets.Widget]) -> widgets.HBox:
    return lean(widgets.HBox, children=children)


class ExerciseBox(widgets.VBox):
    """One exercise: its controls, a « Vérifier » button and a feedback area."""

    def __init__(self, ref: str, exercise: Any, learner: State | None = None, **kwargs: Any):
        kwargs.setdefault("layout", shared_layout())
        super().__init__(**kwargs)
        self.ref = ref
        self.exercise = exercise
        self._learner = learner
        self.feedback = _html()
        self.check = lean(widgets.Button, description=message("check"), button_style="primary")
        self.reset = lean(widgets.Button, description=message("retry"))
        self.verdict: dict[str, Any] | None = None
        self.guard = Guard(layout=shared_layout())
        self.add_class("exk-live")

    @property
    def owned(self) -> list[widgets.Widget]:
        """Widgets this box holds even when it does not show them (closed with it)."""
        return [self.feedback, self.check, self.reset, self.guard]

    def show_body(self, body: list[widgets.Widget]) -> None:
        """Show `body` (and the hidden guard); what it replaces is closed."""
        replace_children(self, [*body, self.guard], keep=self.owned)

    @property
    def learner(self) -> State:
        """The learner's local state, opened only when first needed."""
        if self._learner is None:
            self._learner = shared()
        return self._learner

    def grade_now(self, answer: Any, save: bool = True) -> dict[str, Any]:
        self.verdict = grade(self.exercise, answer)
        self.feedback.value = feedback_html(self.exercise, answer, self.verdict)
        if save and self.verdict["status"] != "incomplete":
            # The first checked answer is kept apart, across « Recommencer », for mastery.
            if self.learner.get("first", self.ref) is None:
                self.learner.set("first", self.ref, {"status": self.verdict["status"]})
            self.learner.set(
                "answer", self.ref, {"answer": answer, "status": self.verdict["status"]}
            )
        return self.verdict


def _prompt(text: str) -> widgets.HTML:
    return _html(f"<p><strong>{to_html(text)}</strong></p>")


def _with_actions(
    box: ExerciseBox,
    body: list[widgets.Widget],
    answer: Callable[[], Any],
    apply: Callable[[Any], None],
) -> ExerciseBox:
    """Add « Vérifier » and « Recommencer »; `apply(answer)` sets the controls, None clears them."""
    box.check.on_click(lambda _: box.grade_now(answer()))

    def on_reset(_: Any) -> None:
        apply(None)
        box.verdict = None
        box.feedback.value = ""
        box.learner.remove("answer", box.ref)

    box.reset.on_click(on_reset)
    box.show_body([*body, _hbox([box.check, box.reset]), box.feedback])
    saved = box.learner.get("answer", box.ref)
    if saved and "answer" in saved:
        apply(saved["answer"])
        box.grade_now(answer(), save=False)
    return box


def _radio_box(
    ref: str,
    exercise: Any,
    learner: State | None,
    prompt: str,
    options: list[tuple[str, Any]],
    question: str,
) -> ExerciseBox:
    box = ExerciseBox(ref, exercise, learner)
    radios = box.guard.name(
        lean(widgets.RadioButtons, options=options, value=None, layout=_full()), question
    )
    box.inputs = radios
    values = [value for _, value in options]

    def apply(value: Any) -> None:
        # A saved answer that no longer exists (an option removed since) is dropped.
        radios.value = value if value in values and value is not None else None

    return _with_actions(box, [_html(prompt), radios], lambda: radios.value, apply)


def build_single(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    options = [(to_plain(o.text), o.id) for o in exercise.options]
    prompt = f"<p><strong>{to_html(exercise.prompt)}</strong></p>"
    return _radio_box(ref, exercise, learner, prompt, options, to_plain(exercise.prompt))


def build_dilemma(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    options = [(to_plain(o.text), o.id) for o in exercise.options]
    prompt = (
        f"<p><em>{message('dilemma_kicker')}</em> — <strong>{to_html(exercise.prompt)}</strong> "
        f"<em>{message('dilemma_hint')}</em></p>"
    )
    box = _radio_box(ref, exercise, learner, prompt, options, to_plain(exercise.prompt))
    box.check.description = message("dilemma_check")
    return box


def build_true_false(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    prompt = (
        f"<p><em>{message('true_or_false')}</em> <strong>{to_html(exercise.statement)}</strong></p>"
    )
    options = [(message("true"), True), (message("false"), False)]
    question = f"{message('true_or_false')} {to_plain(exercise.statement)}"
    return _radio_box(ref, exercise, learner, prompt, options, question)


def build_multiple(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    box = ExerciseBox(ref, exercise, learner)
    boxes = {
        o.id: lean(
            widgets.Checkbox,
            value=False,
            description=to_plain(o.text),
            indent=False,
            layout=_full(),
        )
        for o in exercise.options
    }
    box.inputs = boxes

    def apply(chosen: list[str] | None) -> None:
        for option_id, checkbox in boxes.items():
            checkbox.value = option_id in (chosen or [])

    head = _html(
        f"<p><strong>{to_html(exercise.prompt)}</strong> <em>(plusieurs réponses possibles)</em></p>"
    )
    answer = lambda: [oid for oid, c in boxes.items() if c.value]  # noqa: E731
    # The checkboxes are named by their own text; their group, by the question.
    group = box.guard.name(
        lean(widgets.VBox, children=list(boxes.values())), to_plain(exercise.prompt)
    )
    return _with_actions(box, [head, group], answer, apply)


def build_classify(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    box = ExerciseBox(ref, exercise, learner)
    options = [(message("choose"), None)] + [(to_plain(c.label), c.id) for c in exercise.categories]
    categories = {c.id for c in exercise.categories}
    menus = {
        i.id: box.guard.name(lean(widgets.Dropdown, options=options, value=None), to_plain(i.text))
        for i in exercise.items
    }
    box.inputs = menus
    rows = [
        _hbox([_html(to_html(i.text), layout=shared_layout(width="60%")), menus[i.id]])
        for i in exercise.items
    ]

    def apply(sorted_items: dict[str, str] | None) -> None:
        for item_id, menu in menus.items():
            category = (sorted_items or {}).get(item_id)
            menu.value = category if category in categories else None

    answer = lambda: {iid: m.value for iid, m in menus.items() if m.value}  # noqa: E731
    return _with_actions(box, [_prompt(exercise.prompt), *rows], answer, apply)


def build_order(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    box = ExerciseBox(ref, exercise, learner)
    texts = {s.id: s.text for s in exercise.steps}
    order = shuffled_steps(exercise)
    box.inputs = order  # the live list, first to last
    rows = lean(widgets.VBox)

    def move(index: int, delta: int) -> None:
        target = index + delta
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            redraw()

    def redraw() -> None:
        lines = []
        for index, step_id in enumerate(order):
            up = lean(widgets.Button, description=f"▲ {message('move_up')}", disabled=index == 0)
            down = lean(
                widgets.Button,
                description=f"▼ {message('move_down')}",
                disabled=index == len(order) - 1,
            )
            up.on_click(lambda _, i=index: move(i, -1))
            down.on_click(lambda _, i=index: move(i, +1))
            label = _html(
                f"{index + 1}. {to_html(texts[step_id])}", layout=shared_layout(width="60%")
            )
            lines.append(_hbox([label, up, down]))
        replace_children(rows, lines)  # the previous rows' buttons are closed, not left behind

    def apply(steps: list[str] | None) -> None:
        valid = steps is not None and sorted(steps) == sorted(texts)
        order[:] = steps if valid else shuffled_steps(exercise)
        redraw()

    box.move = move
    redraw()
    return _with_actions(box, [_prompt(exercise.prompt), rows], lambda: list(order), apply)


class ScenarioBox(ExerciseBox):
    """A branching scenario: the current situation, its choices, and the path so far."""

    def __init__(self, ref: str, exercise: Any, learner: State | None = None):
        super().__init__(ref, exercise, learner)
        self.nodes = {n.id: n for n in exercise.nodes}
        self.history = _html()
        self.stage = lean(widgets.VBox)
        self.choice_buttons: list[widgets.Button] = []
        self.path: list[str] = []
        self.reset.on_click(lambda _: self.restart())  # forgets the saved path
        head = _html(
            f"<p><em>Mise en situation</em> — <strong>{to_html(exercise.title)}</strong></p>"
            f"<p>{to_html(exercise.context)}</p>"
        )
        self.show_body([head, self.history, self.stage])
        self.restart(forget=False)
        saved = self.learner.get("scenario", ref)
        if saved and walk_scenario(exercise, saved.get("choices") or [])["valid"]:
            for choice_id in saved["choices"]:
                self.choose(choice_id, save=False)

    @property
    def node(self) -> Any:
        return self.nodes[self.path[-1]]

    def restart(self, forget: bool = True) -> None:
        self.path = [self.exercise.start]
        self.choices: list[str] = []
        self.taken: list[Any] = []
        self.entries: list[str] = []
        self.verdict = None
        if forget:
            self.learner.remove("scenario", self.ref)
        self._draw()

    def choose(self, choice_id: str, save: bool = True) -> None:
        choice = next(c for c in self.node.choices if c.id == choice_id)
        self.taken.append(choice)
        self.entries.append(
            f"<li><strong>{to_html(choice.text)}</strong><br>"
            f"<em>{message('scenario_consequence')}\u00a0:</em> {to_html(choice.consequence)}</li>"
        )
        self.path.append(choice.next)
        self.choices.append(choice_id)
        self._draw()
        if save:
            walked = walk_scenario(self.exercise, self.choices)
            self.learner.set(
                "scenario",
                self.ref,
                {
                    "choices": self.choices,
                    "node": walked["node"],
                    "ending": walked["ending"],
                    "status": walked["status"],
                },
            )

    def _debrief(self) -> str:
        """The learner's decisions with the quality the course gives each, in words."""
        rows = "".join(
            f"<li>{to_html(c.text)} — <strong>{message('quality_' + c.quality)}</strong></li>"
            for c in self.taken
            if c.quality
        )
        return f"<p><strong>{message('your_decisions')}</strong></p><ol>{rows}</ol>" if rows else ""

    def _draw(self) -> None:
        node = self.node
        self.history.value = (
            f"<p><strong>{message('your_path')}</strong></p><ol>{''.join(self.entries)}</ol>"
            if self.entries
            else ""
        )
        title = f"<p><strong>{to_html(node.title)}</strong></p>" if node.title else ""
        if node.ending:
            self.verdict = {
                "status": ENDING_STATUS[node.ending],
                "ending": node.ending,
                "node": node.id,
            }
            label = message(ENDING_LABELS[node.ending])
            self.feedback.value = (
                f'<p class="exk-ending exk-ending--{node.ending}"><strong>{message("scenario_ending")} — '
                f"{label}</strong></p>{title}<p>{to_html(node.text)}</p>{self._debrief()}"
            )
            self.choice_buttons = []
            replace_children(self.stage, [self.feedback, self.reset], keep=self.owned)
            return
        self.feedback.value = ""
        self.choice_buttons = []
        for choice in node.choices:
            button = lean(
                widgets.Button,
                description=to_plain(choice.text),
                layout=_full(),
                tooltip=to_plain(choice.text),
            )
            button.on_click(lambda _, cid=choice.id: self.choose(cid))
            self.choice_buttons.append(button)
        replace_children(
            self.stage,
            [
                _html(
                    f"{title}<p>{to_html(node.text)}</p>"
                    f"<p><em>{message('scenario_choices')}</em></p>"
                ),
                *self.choice_buttons,
            ],
            keep=self.owned,
        )


class ReflectionBox(ExerciseBox):
    """A reflective-practice prompt with a free-text area; never graded."""

    def __init__(self, ref: str, exercise: Any, learner: State | None = None):
        super().__init__(ref, exercise, learner)
        hints = "".join(f"<li>{to_html(h)}</li>" for h in exercise.hints)
        criteria = "".join(f"<li>{to_html(c)}</li>" for c in exercise.criteria)
        saved = self.learner.get("journal", ref)
        self.text = lean(
            widgets.Textarea,
            value=saved["text"] if saved else "",
            placeholder=kernel_storage_note(self.learner.path),
            layout=shared_layout(width="100%", height="8em"),
        )
        # Named by its question (a placeholder is no name: it goes away as the learner types).
        self.guard.name(self.text, to_plain(exercise.prompt))
        # Saved as the learner types, into the same journal as `selfpaced.journal`.
        self.text.observe(
            lambda change: self.learner.set("journal", ref, {"text": change["new"]}), names="value"
        )
        self.show_body(
            [
                _html(
                    f"<p><em>Pratique réflexive</em> — <strong>{to_html(exercise.prompt)}</strong></p>"
                    + (f"<p>{message('hints')}\u00a0:</p><ul>{hints}</ul>" if hints else "")
                    + (
                        f"<p>{message('criteria')}\u00a0:</p><ul>{criteria}</ul>"
                        if criteria
                        else ""
                    )
                ),
                self.text,
            ]
        )


_BUILDERS = {
    "single": build_single,
    "multiple": build_multiple,
    "true_false": build_true_false,
    "classify": build_classify,
    "order": build_order,
    "dilemma": build_dilemma,
    "scenario": ScenarioBox,
    "reflection": ReflectionBox,
}


def build_widget(ref: str, exercise: Any, learner: State | None = None) -> ExerciseBox:
    return _BUILDERS[exercise.type](ref, exercise, learner)
