"""The live (ipywidgets) renderer: act as a learner on each type and read the feedback."""

from __future__ import annotations

from pathlib import Path

from bank_refs import CLASSIFY, MULTIPLE, ORDER, REFLECTION, SCENARIO, SINGLE, TRUE_FALSE

from exercisekit import load_bank, show
from exercisekit.bank.graph import ending_paths
from exercisekit.render.feedback import feedback_html
from exercisekit.render.widgets import build_widget

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)


def live(ref):
    return build_widget(ref, BANK.get(ref))


def key_and_miss(ref):
    q = BANK.get(ref)
    return next(o for o in q.options if o.correct), next(o for o in q.options if not o.correct)


def test_single_choice_right_then_wrong():
    box = live(SINGLE)
    key, miss = key_and_miss(SINGLE)
    box.inputs.value = key.id
    box.check.click()
    assert "Bonne réponse." in box.feedback.value
    assert key.feedback.split()[0] in box.feedback.value
    box.inputs.value = miss.id
    box.check.click()
    assert "Réponse à revoir." in box.feedback.value
    assert box.verdict["status"] == "incorrect"


def test_nothing_chosen_is_incomplete_and_reset_clears():
    box = live(SINGLE)
    box.check.click()
    assert "incomplète" in box.feedback.value
    box.inputs.value = key_and_miss(SINGLE)[0].id
    box.reset.click()
    assert box.inputs.value is None and box.feedback.value == "" and box.verdict is None


def test_multiple_choice_checkboxes():
    q = BANK.get(MULTIPLE)
    box = live(MULTIPLE)
    for option in q.options:
        box.inputs[option.id].value = option.correct
    box.check.click()
    assert box.verdict["status"] == "correct"
    assert box.feedback.value.count("exk-mark--right") == len(q.options)
    box.inputs[next(o.id for o in q.options if not o.correct)].value = True  # a wrong one too
    box.check.click()
    assert box.verdict["status"] == "partial"
    assert "Réponse en partie juste." in box.feedback.value and "Cochée" in box.feedback.value


def test_true_false_shows_the_justification_either_way():
    q = BANK.get(TRUE_FALSE)
    box = live(TRUE_FALSE)
    for value, status in ((q.answer, "correct"), (not q.answer, "incorrect")):
        box.inputs.value = value
        box.check.click()
        assert box.verdict["status"] == status
        assert "rythme du milieu" in box.feedback.value


def test_classify_with_dropdowns():
    q = BANK.get(CLASSIFY)
    box = live(CLASSIFY)
    for item in q.items:
        box.inputs[item.id].value = item.category
    box.check.click()
    assert box.verdict["status"] == "correct"
    wrong_item = q.items[0]
    other = next(c for c in q.categories if c.id != wrong_item.category)
    box.inputs[wrong_item.id].value = other.id
    box.check.click()
    assert box.verdict["status"] == "partial"
    assert "Catégorie attendue" in box.feedback.value


def test_order_with_move_buttons():
    q = BANK.get(ORDER)
    box = live(ORDER)
    wanted = [s.id for s in q.steps]
    # Sort by pressing the « Monter » buttons, as a learner would (selection sort).
    for target, step_id in enumerate(wanted):
        while box.inputs.index(step_id) > target:
            row = box.children[1].children[box.inputs.index(step_id)]
            row.children[1].click()  # ▲ Monter
    box.check.click()
    assert box.inputs == wanted
    assert box.verdict["status"] == "correct"
    assert "1. " in box.feedback.value


def test_scenario_reaches_two_different_endings_and_restarts():
    q = BANK.get(SCENARIO)
    seen = set()
    for choices, ending in ending_paths(q):
        box = live(SCENARIO)
        for choice_id in choices:
            button = next(
                b
                for b, c in zip(box.choice_buttons, box.node.choices, strict=True)
                if c.id == choice_id
            )
            button.click()
        assert box.node.id == ending
        assert "Fin du scénario" in box.feedback.value
        seen.add(box.verdict["ending"])
        box.reset.click()
        assert box.node.id == q.start and box.verdict is None
    assert {"good", "poor"} <= seen


def test_reflection_is_a_text_area():
    box = live(REFLECTION)
    box.text.value = "Mon collectif avance trop vite."
    assert box.text.value.startswith("Mon collectif")


def test_show_offers_widget_and_html_fallback():
    bundle = show(SINGLE)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert f'data-exk-ref="{SINGLE}"' in bundle["text/html"]


def test_feedback_is_the_same_function_for_both_renderers():
    q = BANK.get(SINGLE)
    box = live(SINGLE)
    miss = key_and_miss(SINGLE)[1].id
    box.inputs.value = miss
    box.check.click()
    assert box.feedback.value == feedback_html(q, miss, box.verdict)


# ---------------------------------------------------------------- lifetimes and names
def models_alive() -> int:
    from ipywidgets.widgets.widget import _instances

    return len(_instances)


def run_module(module: str, run: str, monkeypatch) -> list:
    """Show every exercise of `module` as a run-all would: one cell per exercise, one run id."""
    from exercisekit.render import lifecycle

    views = []
    for index, exercise in enumerate(BANK.modules[module].exercises):
        monkeypatch.setattr(lifecycle, "_current_run", lambda i=index: (f"cell-{i}", run))
        views.append(show(f"{module}/{exercise.id}"))
    return views


def test_run_alls_and_clicks_leave_a_bounded_number_of_models(monkeypatch):
    from bank_refs import MODULE

    from exercisekit.render import lifecycle

    base, shared = models_alive(), len(lifecycle._SHARED)
    first = run_module(MODULE, "run-1", monkeypatch)
    one_run = models_alive() - base  # what the bank's exercises need, whatever they are
    assert one_run > len(first)
    for run in ("run-2", "run-3"):
        views = run_module(MODULE, run, monkeypatch)
        assert models_alive() - base == one_run  # the previous run's widgets were closed
    order = next(v.widget for v in views if v.widget.exercise.type == "order")
    scenario = next(v.widget for v in views if v.widget.exercise.type == "scenario")
    for click in range(50):
        order.move(0, +1) if click % 2 == 0 else order.move(1, -1)
    scenario.choose(scenario.node.choices[0].id)
    scenario.restart()
    assert models_alive() - base == one_run
    for view in views:
        lifecycle.close_tree(view.widget)
    # An exercise closed leaves nothing behind but the layouts and styles its kind shares.
    assert models_alive() == base + len(lifecycle._SHARED) - shared


def test_every_control_is_named_by_its_question():
    from exercisekit.render.richtext import to_plain

    def label_of(box, control):
        names = box.guard.names
        found = [names[c] for c in control._dom_classes if c in names]
        assert len(found) == 1, f"{box.ref}: a control without its name"
        return found[0]

    single = live(SINGLE)
    assert label_of(single, single.inputs) == to_plain(BANK.get(SINGLE).prompt)
    tf = live(TRUE_FALSE)
    assert to_plain(BANK.get(TRUE_FALSE).statement) in label_of(tf, tf.inputs)
    classify = live(CLASSIFY)
    for item in BANK.get(CLASSIFY).items:
        assert label_of(classify, classify.inputs[item.id]) == to_plain(item.text)
    multiple = live(MULTIPLE)
    group = next(
        c
        for c in multiple.children
        if multiple.inputs[next(iter(multiple.inputs))] in getattr(c, "children", ())
    )
    assert label_of(multiple, group) == to_plain(BANK.get(MULTIPLE).prompt)
    reflection = live(REFLECTION)
    # Compared through the engine's own typography (U+202F before « ? »), as the widget shows it.
    assert label_of(reflection, reflection.text) == to_plain(BANK.get(REFLECTION).prompt)
    assert "dans un fichier sur cet ordinateur" in reflection.text.placeholder
    assert str(reflection.learner.path) in reflection.text.placeholder
    assert "navigateur" not in reflection.text.placeholder
