"""The built site in Debian's Chromium: every exercise type answered right and wrong, with the
mouse and with the keyboard alone; a scenario walked to different endings; served under a
sub-path; no request to another host and no console error (checked by the `page` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_refs import CLASSIFY, MULTIPLE, ORDER, REFLECTION, SCENARIO, SINGLE, TRUE_FALSE

from conftest import EXERCISES_READY
from exercisekit import load_bank
from exercisekit.bank.graph import ending_paths

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
MODULE = "book/modules/02-conditions.html"


def block(page, ref):
    return page.locator(f'[data-exk-ref="{ref}"]')


def verdict_text(page, ref):
    return block(page, ref).locator(".exk-verdict").inner_text()


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches `selector`: a real keyboard path."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def module_page(page, site_url):
    page.goto(site_url + MODULE)
    page.wait_for_selector(EXERCISES_READY)
    return page


# ------------------------------------------------------------------ mouse
def test_single_choice_with_the_mouse(module_page):
    ref = SINGLE
    q = BANK.get(ref)
    right = next(o for o in q.options if o.correct)
    wrong = next(o for o in q.options if not o.correct)
    b = block(module_page, ref)
    b.locator(f"label[for$='-{wrong.id}']").click()
    b.get_by_role("button", name="Vérifier").click()
    assert "Réponse à revoir." in verdict_text(module_page, ref)
    assert "À revoir" in b.locator(".exk-feedback").inner_text()  # said in words, not colour alone
    b.locator(f"label[for$='-{right.id}']").click()
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in verdict_text(module_page, ref)


def test_multiple_true_false_classify_order_with_the_mouse(module_page):
    q = BANK.get(MULTIPLE)
    b = block(module_page, MULTIPLE)
    for o in q.options:
        if o.correct:
            b.locator(f"label[for$='-{o.id}']").click()
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in verdict_text(module_page, MULTIPLE)

    q = BANK.get(TRUE_FALSE)
    b = block(module_page, TRUE_FALSE)
    b.get_by_label("Vrai" if not q.answer else "Faux").check()
    b.get_by_role("button", name="Vérifier").click()
    assert "Réponse à revoir." in verdict_text(module_page, TRUE_FALSE)
    b.get_by_label("Vrai" if q.answer else "Faux").check()
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in verdict_text(module_page, TRUE_FALSE)

    q = BANK.get(CLASSIFY)
    b = block(module_page, CLASSIFY)
    b.get_by_role("button", name="Vérifier").click()
    assert "incomplète" in verdict_text(module_page, CLASSIFY)
    for item in q.items:
        b.locator(f'select[data-item="{item.id}"]').select_option(item.category)
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in verdict_text(module_page, CLASSIFY)

    q = BANK.get(ORDER)
    b = block(module_page, ORDER)
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." not in verdict_text(module_page, ORDER)
    for target, step in enumerate(q.steps):
        while True:
            order = b.locator(".exk-step").evaluate_all("els => els.map(e => e.dataset.step)")
            if order.index(step.id) == target:
                break
            b.locator(f'.exk-step[data-step="{step.id}"] .exk-up').click()
    b.get_by_role("button", name="Vérifier").click()
    assert "Bonne réponse." in verdict_text(module_page, ORDER)


def test_scenario_to_two_different_endings_with_the_mouse(module_page):
    ref = SCENARIO
    q = BANK.get(ref)
    texts = {c.id: c.text for n in q.nodes for c in n.choices}
    endings_seen = set()
    by_quality = {}
    for choices, ending in ending_paths(q):
        by_quality.setdefault(next(n.ending for n in q.nodes if n.id == ending), choices)
    for quality in ("good", "poor"):
        b = block(module_page, ref)
        for choice_id in by_quality[quality]:
            b.locator(f'.exk-choice-btn[data-choice="{choice_id}"]').click()
        label = {"good": "Issue favorable", "poor": "Issue défavorable"}[quality]
        assert label in b.locator(".exk-stage").inner_text()
        assert texts[by_quality[quality][-1]].split()[0] in b.locator(".exk-log").inner_text()
        endings_seen.add(quality)
        b.locator(".exk-stage").get_by_role("button", name="Recommencer").click()
        assert b.locator(".exk-choice-btn").count() > 0
    assert endings_seen == {"good", "poor"}


# ------------------------------------------------------------------ keyboard only
def test_every_type_with_the_keyboard_alone(module_page):
    page = module_page
    # Single choice: Tab into the group, Space picks the first option, arrows move.
    q = BANK.get(SINGLE)
    index = next(i for i, o in enumerate(q.options) if o.correct)
    tab_to(page, f'[data-exk-ref="{SINGLE}"] input')
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Vérifier"
    page.keyboard.press("Enter")
    assert "Bonne réponse." in verdict_text(page, SINGLE)

    # Ordering: move a step with Enter on its « Monter » button; focus stays on it.
    q = BANK.get(ORDER)
    b = block(page, ORDER)
    for target, step in enumerate(q.steps):
        while (
            b.locator(".exk-step")
            .evaluate_all("els => els.map(e => e.dataset.step)")
            .index(step.id)
            > target
        ):
            if not page.evaluate(
                "s => document.activeElement.matches(s)", f'[data-step="{step.id}"] .exk-up'
            ):
                tab_to(
                    page,
                    f'[data-exk-ref="{ORDER}"] [data-step="{step.id}"] .exk-up',
                )
            page.keyboard.press("Enter")
            assert page.evaluate(
                "s => document.activeElement.matches(s)", f'[data-step="{step.id}"] .exk-up'
            )
    assert "position" in b.locator(".exk-announce").inner_text()
    tab_to(page, f'[data-exk-ref="{ORDER}"] .exk-check')
    page.keyboard.press("Enter")
    assert "Bonne réponse." in verdict_text(page, ORDER)

    # True/false: arrows between Vrai and Faux.
    q = BANK.get(TRUE_FALSE)
    tab_to(page, f'[data-exk-ref="{TRUE_FALSE}"] input')
    page.keyboard.press("Space")  # Vrai
    if not q.answer:
        page.keyboard.press("ArrowDown")  # Faux
    tab_to(page, f'[data-exk-ref="{TRUE_FALSE}"] .exk-check')
    page.keyboard.press("Enter")
    assert "Bonne réponse." in verdict_text(page, TRUE_FALSE)

    # Multiple choice: Tab through the boxes, Space ticks the right ones.
    q = BANK.get(MULTIPLE)
    for o in q.options:
        tab_to(page, f'[data-exk-ref="{MULTIPLE}"] input[value="{o.id}"]')
        if o.correct:
            page.keyboard.press("Space")
    tab_to(page, f'[data-exk-ref="{MULTIPLE}"] .exk-check')
    page.keyboard.press("Enter")
    assert "Bonne réponse." in verdict_text(page, MULTIPLE)

    # Classification: each select changed with the arrow keys.
    q = BANK.get(CLASSIFY)
    positions = {c.id: k + 1 for k, c in enumerate(q.categories)}  # 0 is « Choisir »
    for item in q.items:
        tab_to(page, f'[data-exk-ref="{CLASSIFY}"] select[data-item="{item.id}"]')
        for _ in range(positions[item.category]):
            page.keyboard.press("ArrowDown")
    tab_to(page, f'[data-exk-ref="{CLASSIFY}"] .exk-check')
    page.keyboard.press("Enter")
    assert "Bonne réponse." in verdict_text(page, CLASSIFY)

    # Scenario: Enter on choice buttons; focus moves to the new situation.
    q = BANK.get(SCENARIO)
    choices, _ = ending_paths(q)[0]
    for choice_id in choices:
        tab_to(page, f'[data-exk-ref="{SCENARIO}"] [data-choice="{choice_id}"]')
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.classList.contains('exk-node')")
    assert "Fin du scénario" in block(page, SCENARIO).locator(".exk-stage").inner_text()

    # Reflection: type into the text area.
    tab_to(page, f'[data-exk-ref="{REFLECTION}"] textarea')
    page.keyboard.type("Je prends le temps d'écouter.")
    page.keyboard.press("Tab")
    assert "Enregistré" in block(page, REFLECTION).locator(".exk-saved").inner_text()


def test_feedback_regions_are_announced_and_controls_labelled(module_page):
    page = module_page
    for region in page.locator(".exk-feedback").all():
        assert region.get_attribute("aria-live") == "polite"
    for select in page.locator(".exk select").all():
        assert page.locator(f'label[for="{select.get_attribute("id")}"]').count() == 1
    for area in page.locator(".exk textarea").all():
        assert page.locator(f'label[for="{area.get_attribute("id")}"]').count() == 1


def test_answers_survive_a_reload(module_page):
    page = module_page
    b = block(page, SINGLE)
    b.locator("input").first.check()
    b.get_by_role("button", name="Vérifier").click()
    before = verdict_text(page, SINGLE)
    page.reload()
    page.wait_for_selector(EXERCISES_READY)
    assert block(page, SINGLE).locator("input").first.is_checked()
    assert verdict_text(page, SINGLE) == before


# ------------------------------------------------------------------ presented order, dilemmas
def test_the_page_shows_options_in_the_bank_presented_order(module_page):
    for ref in (SINGLE, MULTIPLE):
        shown = (
            block(module_page, ref).locator("input").evaluate_all("els => els.map(e => e.value)")
        )
        assert shown == [o.id for o in BANK.get(ref).options]


def test_a_dilemma_gives_no_verdict_and_counts_as_done(page, site_url):
    from bank_refs import dilemma

    from exercisekit.workshop.materials import page_for

    ref = dilemma()
    module = ref.split("/")[0]
    url = site_url + page_for(ROOT, module).relative_to(ROOT).with_suffix(".html").as_posix()
    page.goto(url)
    page.wait_for_selector(EXERCISES_READY)
    b = block(page, ref)
    b.locator("input").first.check()
    b.get_by_role("button", name="Comparer les options").click()
    feedback = b.locator(".exk-feedback").inner_text()
    assert "Votre choix" in feedback and "Ce qu'elle coûte" in feedback
    for verdict in ("Bonne réponse", "À revoir", "en partie juste", "Juste"):
        assert verdict not in feedback
    page.goto(site_url + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    row = page.locator(
        f'.exk-module[data-doc="{page_for(ROOT, module).relative_to(ROOT).with_suffix("").as_posix()}"]'
    )
    assert "1 exercice fait sur" in row.inner_text()
