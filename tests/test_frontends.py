"""The live module notebook in real front ends: JupyterLab 4 and Voilà 0.5, started here on
127.0.0.1 (free port, token, scratch folder and state file), driven in Debian's chromium.

A learner answers one item of each type by mouse and by keyboard and reads the feedback; keys
typed in a focused widget (letters, arrows) never reach the notebook's command shortcuts (the
exercise's cell is still there, still a code cell); after a kernel restart the answers come back;
a reload never shows « model not found »; every control has its accessible name.
"""

from __future__ import annotations

import json
import re

import jupytext
import pytest
from bank_refs import (
    BANK,
    CLASSIFY,
    MULTIPLE,
    ORDER,
    REFLECTION,
    SCENARIO,
    SINGLE,
    TRUE_FALSE,
    dilemma,
)
from live_frontends import (
    MODEL_NOT_FOUND,
    MODULE_SOURCE,
    NOTEBOOK,
    jupyter_server,
    open_notebook,
    record_commands,
    restart_kernel,
    run_all,
)
from playwright.sync_api import expect

from exercisekit.render.messages import message
from exercisekit.render.richtext import to_plain

pytestmark = pytest.mark.frontend

# The exercises of the module notebook, in the order its cells show them.
SHOWN = re.findall(
    r'show\("([^"]+)"\)', "\n".join(c.source for c in jupytext.read(MODULE_SOURCE).cells)
)
DILEMMA = dilemma()
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REFLECTION_TEXT = "Je nomme ce que je vois avant de proposer quoi que ce soit."


def box(page, ref: str):
    """The live exercise `ref` in the page (the n-th exercise box is the n-th `show` cell)."""
    assert ref in SHOWN, f"{ref} is not shown by {MODULE_SOURCE.name}"
    found = page.locator(".exk-live").nth(SHOWN.index(ref))
    found.scroll_into_view_if_needed()
    return found


def feedback(page, ref: str, expected: str) -> None:
    """Wait for the feedback of `ref` to hold `expected` (the engine's own words)."""
    box(page, ref).get_by_text(expected, exact=False).first.wait_for(timeout=30_000)


def option_index(ref: str, correct: bool) -> int:
    return next(i for i, o in enumerate(BANK.get(ref).options) if o.correct == correct)


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab with the module notebook run once; the page and the server."""
    with jupyter_server("lab", tmp_path_factory.mktemp("lab")) as server:
        context = browser.new_context(locale="fr-CA", viewport={"width": 1300, "height": 900})
        page = context.new_page()
        open_notebook(page, server)
        run_all(page)
        yield page, server
        context.close()


def cell_kinds(page) -> list[str]:
    return page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets.map(c => c.model.type)"
    )


def test_lab_answers_each_type_by_mouse(lab):
    page, _ = lab
    radios = box(page, SINGLE).locator("input[type=radio]")
    radios.nth(option_index(SINGLE, True)).click()
    box(page, SINGLE).get_by_role("button", name=message("check")).click()
    feedback(page, SINGLE, message("status_correct"))

    q = BANK.get(MULTIPLE)
    checks = box(page, MULTIPLE).locator("input[type=checkbox]")
    for index, option in enumerate(q.options):
        if option.correct:
            checks.nth(index).click()
    box(page, MULTIPLE).get_by_role("button", name=message("check")).click()
    feedback(page, MULTIPLE, message("status_correct"))

    q = BANK.get(CLASSIFY)
    menus = box(page, CLASSIFY).locator("select")
    for index, item in enumerate(q.items):
        label = to_plain(next(c.label for c in q.categories if c.id == item.category))
        menus.nth(index).select_option(label=label)
    box(page, CLASSIFY).get_by_role("button", name=message("check")).click()
    feedback(page, CLASSIFY, message("status_correct"))

    labels = box(page, ORDER).locator(".widget-html")  # the prompt, then one label per step
    first = labels.nth(1).inner_text().split(". ", 1)[1]
    box(page, ORDER).get_by_role("button", name=re.compile(message("move_down"))).first.click()
    expect(labels.nth(2)).to_contain_text(first)  # the first step is now second
    box(page, ORDER).get_by_role("button", name=message("check")).click()
    verdicts = [message(f"status_{s}") for s in ("correct", "partial", "incorrect")]
    expect(box(page, ORDER)).to_contain_text(re.compile("|".join(map(re.escape, verdicts))))

    scenario = BANK.get(SCENARIO)
    start = next(n for n in scenario.nodes if n.id == scenario.start)
    choice = to_plain(start.choices[0].text)
    box(page, SCENARIO).get_by_role("button", name=choice).click()
    feedback(page, SCENARIO, message("your_path"))

    if DILEMMA in SHOWN:
        box(page, DILEMMA).locator("input[type=radio]").first.click()
        box(page, DILEMMA).get_by_role("button", name=message("dilemma_check")).click()
        feedback(page, DILEMMA, message("status_done"))


def test_lab_answers_by_keyboard_and_keys_stay_in_the_widget(lab):
    page, _ = lab
    kinds = cell_kinds(page)
    record_commands(page)

    # A true/false item, by keyboard only: arrows move within the group, Tab reaches « Vérifier ».
    q = BANK.get(TRUE_FALSE)
    radios = box(page, TRUE_FALSE).locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")
    if not q.answer:  # « Faux » is the second option: one ArrowDown within the group
        page.keyboard.press("ArrowDown")
    assert radios.nth(0 if q.answer else 1).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    feedback(page, TRUE_FALSE, message("status_correct"))

    # The reflection, typed.
    area = box(page, REFLECTION).locator("textarea")
    area.focus()
    page.keyboard.type(REFLECTION_TEXT)
    page.keyboard.press("Tab")  # leaving the area: the text has reached the kernel
    page.wait_for_timeout(500)

    # Letters and arrows in each kind of focused control: none reaches the notebook.
    controls = [
        box(page, SINGLE).locator("input[type=radio]").first,
        box(page, MULTIPLE).locator("input[type=checkbox]").first,
        box(page, CLASSIFY).locator("select").first,
        box(page, ORDER).get_by_role("button", name=re.compile(message("move_down"))).first,
        box(page, SINGLE).get_by_role("button", name=message("check")),
    ]
    for control in controls:
        control.focus()
        for key in ["a", "b", "m", "d", "d", "x", "ArrowDown", "ArrowUp"]:
            page.keyboard.press(key)
        assert control.evaluate("el => el.closest('.exk-live') !== null")
    page.wait_for_timeout(500)
    assert cell_kinds(page) == kinds  # no cell inserted, deleted, cut or turned to Markdown
    assert page.locator(".exk-live").count() == len(SHOWN)
    notebook_commands = [c for c in page.evaluate("() => window.__exkCommands") if "notebook" in c]
    assert notebook_commands == [], notebook_commands


def test_lab_every_control_has_an_accessible_name(lab):
    page, _ = lab
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('.exk-live select, .exk-live textarea,'
                 + ' .exk-live .widget-radio-box')]
            .filter(el => !(el.getAttribute('aria-label') || '').trim())
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    groups = page.locator(".exk-live .widget-radio-box")
    assert all(groups.nth(i).get_attribute("role") == "radiogroup" for i in range(groups.count()))
    # Named by the question itself, with the engine's typography (U+202F before « ? »).
    prompt = to_plain(BANK.get(SINGLE).prompt)
    assert box(page, SINGLE).locator(".widget-radio-box").get_attribute("aria-label") == prompt
    question = to_plain(BANK.get(REFLECTION).prompt)
    assert box(page, REFLECTION).locator("textarea").get_attribute("aria-label") == question
    item = to_plain(BANK.get(CLASSIFY).items[0].text)
    assert box(page, CLASSIFY).locator("select").first.get_attribute("aria-label") == item


def test_lab_restart_brings_answers_back_and_reload_finds_every_model(lab):
    page, server = lab
    restart_kernel(page)
    run_all(page)
    radios = box(page, SINGLE).locator("input[type=radio]")
    radios.nth(option_index(SINGLE, True)).wait_for()
    assert radios.nth(option_index(SINGLE, True)).is_checked()
    feedback(page, SINGLE, message("status_correct"))
    feedback(page, TRUE_FALSE, message("status_correct"))
    assert box(page, REFLECTION).locator("textarea").input_value() == REFLECTION_TEXT
    placeholder = box(page, REFLECTION).locator("textarea").get_attribute("placeholder")
    assert "dans un fichier sur cet ordinateur" in placeholder
    assert str(server.state_file) in placeholder

    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_timeout(1000)
    # Every widget the saved notebook shows is alive in the kernel: none was closed under it.
    saved = json.loads((server.folder / NOTEBOOK).read_text(encoding="utf-8"))
    ids = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in saved["cells"]
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    assert len(ids) == len(SHOWN)
    alive = f"sum(i in __import__('ipywidgets').widgets.widget._instances for i in {ids!r})"
    assert server.kernel_count(alive) == len(ids)

    # A reload shows them all. (The restore race of @jupyter-widgets/jupyterlab-manager, which
    # drops outputs while their models are alive, grows with the number of models a page holds:
    # shared layouts and styles keep it small, see scripts/measure_live.py.)
    open_notebook(page, server)  # a reload
    page.locator(".exk-live, .jp-OutputArea-output:has-text('model not found')").nth(
        len(SHOWN) - 1
    ).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    text = page.locator(".jp-Notebook").inner_text()
    assert MODEL_NOT_FOUND not in text and "Error displaying widget" not in text
    assert page.locator(".exk-live").count() == len(SHOWN)


def test_voila_shows_grades_and_names_the_exercises(browser, tmp_path_factory):
    with jupyter_server("voila", tmp_path_factory.mktemp("voila")) as server:
        context = browser.new_context(locale="fr-CA", viewport={"width": 1300, "height": 900})
        page = context.new_page()
        page.goto(server.notebook_url())
        page.locator(".exk-live").nth(len(SHOWN) - 1).wait_for(timeout=180_000)
        radios = box(page, SINGLE).locator("input[type=radio]")
        radios.nth(option_index(SINGLE, False)).click()
        box(page, SINGLE).get_by_role("button", name=message("check")).click()
        feedback(page, SINGLE, message("status_incorrect"))
        menus = box(page, CLASSIFY).locator("select")
        before = menus.first.input_value()
        menus.first.focus()
        page.keyboard.press("ArrowDown")  # a closed dropdown changes its choice by keyboard
        assert menus.first.input_value() != before
        item = to_plain(BANK.get(CLASSIFY).items[0].text)
        assert menus.first.get_attribute("aria-label") == item
        page.reload()
        page.locator(".exk-live").nth(len(SHOWN) - 1).wait_for(timeout=180_000)
        # The answer checked before the reload comes back from the state file.
        radios = box(page, SINGLE).locator("input[type=radio]")
        assert radios.nth(option_index(SINGLE, False)).is_checked()
        assert MODEL_NOT_FOUND not in page.locator("body").inner_text()
        context.close()
