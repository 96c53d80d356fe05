"""« Mon espace » in Debian's Chromium: progress kept and restored, the journal exported then
imported into a fresh profile, the self-assessment, corrupt/old/disabled storage, two tabs, a
keyboard-only path through a whole module, 320 px and 200 % zoom. No request leaves the site and
no console error (the `watched` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bank_refs import MULTIPLE, ORDER, REFLECTION, REFLECTION_2, SINGLE, TRUE_FALSE
from storage_helpers import answer_first_option, open_page, write_reflection

from conftest import EXERCISES_READY, new_watched_context
from exercisekit import load_bank
from exercisekit.bank.competencies import load_competencies

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
MODULE = "book/modules/02-conditions.html"


def progress_text(page):
    progress = page.locator(".exk-progress").first
    assert progress.is_visible(), "the module progress line is not shown"
    return progress.inner_text()


# ------------------------------------------------------------------ progress
def test_progress_and_journal_survive_a_reload_and_a_new_page(watched, site_url):
    context, _ = watched
    page = open_page(context, site_url + MODULE)
    total = page.locator(".exk[data-exk-ref]").count()
    assert f"0 exercice fait sur {total}" in progress_text(page)
    answer_first_option(page, SINGLE)
    write_reflection(page, REFLECTION, "Prendre le temps.\nÉcouter d'abord.")
    assert f"2 exercices faits sur {total}" in progress_text(page)
    page.reload()
    page.wait_for_selector(EXERCISES_READY)
    assert page.locator(f'[data-exk-ref="{SINGLE}"] input').first.is_checked()
    assert (
        page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value()
        == "Prendre le temps.\nÉcouter d'abord."
    )
    assert f"2 exercices faits sur {total}" in progress_text(page)

    # « Mon parcours »: every module, this one at 2 of N, and a link to resume after the last entry.
    page.goto(site_url + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    assert page.locator(".exk-module").count() == len([m for m in BANK.modules])
    row = page.locator('.exk-module[data-doc="book/modules/02-conditions"]')
    assert f"2 exercices faits sur {total}" in row.inner_text()
    resume = page.locator(".exk-resume a")
    assert "Reprendre" in resume.inner_text()
    href = resume.get_attribute("href")
    assert "book/modules/02-conditions.html#exk-conditions-" in href
    resume.click()
    page.wait_for_selector(EXERCISES_READY)
    anchor = href.split("#")[1]
    assert page.evaluate("location.hash") == "#" + anchor
    assert page.locator(f"#{anchor}").count() == 1


def test_reset_asks_for_confirmation_with_the_keyboard(watched, site_url):
    context, _ = watched
    page = open_page(context, site_url + MODULE)
    answer_first_option(page, SINGLE)
    write_reflection(page, REFLECTION, "À garder.")
    page.goto(site_url + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    ask = page.locator(".exk-reset-ask")
    ask.focus()
    page.keyboard.press("Enter")
    assert ask.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.classList.contains('exk-confirm-q')")
    page.locator(".exk-reset-no").press("Enter")  # cancel: nothing erased, focus back
    assert page.locator(".exk-confirm").is_hidden()
    assert "Rien n'a été effacé" in page.locator(".exk-space .exk-status").inner_text()
    assert "2 exercices" in page.locator(".exk-resume").inner_text()
    ask.press("Enter")
    page.locator(".exk-reset-yes").press("Enter")
    assert "effacée" in page.locator(".exk-space .exk-status").inner_text()
    # Answers gone; the journal kept (its box was not ticked).
    assert "1 exercice fait sur" in page.locator(".exk-resume").inner_text()
    keys = page.evaluate("Object.keys(localStorage)")
    prefix = page.evaluate("window.ExerciseKit.lib.PREFIX")
    assert prefix + "journal:" + REFLECTION in keys and not any(
        k.startswith((prefix + "answer:", prefix + "first:")) for k in keys
    )


# ------------------------------------------------------------------ journal
def test_journal_export_then_import_into_a_fresh_profile(watched, site_url, browser, tmp_path):
    context, _ = watched
    page = open_page(context, site_url + MODULE)
    write_reflection(page, REFLECTION, "Ligne un.\n\n## pas un titre -->\nfin")
    write_reflection(page, REFLECTION_2, "Entrée ancienne.")
    page.goto(site_url + "book/journal.html")
    page.wait_for_selector(".exk-entry")
    entry = page.locator(".exk-entry", has_text="Ligne un.")
    assert entry.count() == 1 and "Écrire dans le module" in entry.inner_text()
    with page.expect_download() as info:
        page.locator(".exk-export").click()
    exported = tmp_path / "journal.md"
    info.value.save_as(exported)
    md = exported.read_text(encoding="utf-8")
    assert md.startswith("# Mon journal de pratique réflexive")
    assert "## 2. Les conditions" in md and "Ligne un." in md
    assert (
        "Journal exporté" in page.locator(".exk-space .exk-status").inner_text()
        or ".md" in page.locator(".exk-space .exk-status").inner_text()
    )

    fresh, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    try:
        other = open_page(fresh, site_url + MODULE)
        write_reflection(other, REFLECTION_2, "Entrée plus récente, sur l'autre appareil.")
        other.goto(site_url + "book/journal.html")
        other.wait_for_selector(".exk-toolbar")
        other.locator("#exk-import").set_input_files(str(exported))
        status = other.locator(".exk-space .exk-status")
        status.filter(has_text="Import terminé").wait_for()
        assert (
            "1 entrée ajoutée ou mise à jour" in status.inner_text()
            and "1 gardée parce qu" in status.inner_text()
        )
        assert other.locator(".exk-entry", has_text="Ligne un.").count() == 1
        assert (
            other.locator(".exk-entry", has_text="Entrée plus récente").count() == 1
        )  # newer one kept
        # The older imported text lost the merge: kept aside, shown apart, never lost.
        main = other.locator(".exk-journal-module")
        assert main.locator(".exk-entry", has_text="Entrée ancienne.").count() == 0
        assert "Entrée ancienne." in other.locator(".exk-journal-aside").inner_text()
        other.goto(site_url + MODULE)
        other.wait_for_selector(EXERCISES_READY)
        assert (
            other.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value()
            == "Ligne un.\n\n## pas un titre -->\nfin"
        )
        # A file that is not an export changes nothing and says so.
        bad = tmp_path / "autre.md"
        bad.write_text("# Un autre fichier\n", encoding="utf-8")
        other.goto(site_url + "book/journal.html")
        other.wait_for_selector(".exk-toolbar")
        other.locator("#exk-import").set_input_files(str(bad))
        other.locator(".exk-space .exk-status").filter(has_text="rien n'a été modifié").wait_for()
    finally:
        fresh.close()
    assert watch.errors == [] and watch.external == []


def test_journal_printable_view(watched, site_url):
    context, _ = watched
    page = open_page(context, site_url + MODULE)
    write_reflection(page, REFLECTION, "À imprimer pour ma mentore.")
    page.goto(site_url + "book/journal.html")
    page.wait_for_selector(".exk-entry")
    page.emulate_media(media="print")
    assert page.locator(".exk-entry", has_text="À imprimer pour ma mentore.").is_visible()
    assert page.locator(".exk-toolbar").is_hidden()
    assert page.locator(".bd-sidebar-primary").is_hidden()
    assert len(page.pdf()) > 1000  # prints offline


# ------------------------------------------------------------------ self-assessment
def test_self_assessment_before_after_chart_and_links(watched, site_url):
    context, _ = watched
    page = open_page(context, site_url + "book/autoevaluation.html", ".exk-rate")
    assert page.locator(".exk-rate").count() == len(load_competencies(ROOT).items())
    assert page.locator("#exk-moment-avant").is_checked()
    # Keyboard: Tab into the « écoute » group, arrows pick a level (1, then 2).
    page.locator("#exk-self-ecoute-1").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.locator("#exk-self-ecoute-2").is_checked()
    assert "Écoute du groupe — 2" in page.locator(".exk-space .exk-status").inner_text()
    page.locator("#exk-self-patience-4").check()
    row = page.locator('.exk-chart-row[data-id="ecoute"]')
    assert (
        "Avant\u00a0: 2 — Je progresse" in row.inner_text()
        and "Après\u00a0: pas encore situé" in row.inner_text()
    )
    assert float(row.locator(".exk-bar-before").get_attribute("width")) == 50.0
    low = page.locator('.exk-low li[data-id="ecoute"]')
    assert low.locator("a", has_text="3. Savoirs").count() == 1
    assert page.locator('.exk-low li[data-id="patience"]').count() == 0
    # « Après »: the form starts empty; a higher rating takes it off the list to work on.
    page.locator("#exk-moment-apres").check()
    assert not page.locator("#exk-self-ecoute-2").is_checked()
    page.locator("#exk-self-ecoute-4").check()
    assert "Après\u00a0: 4 — C'est une force" in row.inner_text()
    assert float(row.locator(".exk-bar-after").get_attribute("width")) == 100.0
    assert page.locator('.exk-low li[data-id="ecoute"]').count() == 0
    page.reload()
    page.wait_for_selector(".exk-rate")
    assert "Avant\u00a0: 2" in page.locator('.exk-chart-row[data-id="ecoute"]').inner_text()


# ------------------------------------------------------------------ robustness
CORRUPT = {
    f"acp1:answer:{SINGLE}": "{pas du json",
    f"acp1:answer:{TRUE_FALSE}": json.dumps({"answer": "peut-être"}),  # no status: old shape
    f"acp1:answer:{ORDER}": json.dumps({"answer": 42, "status": "correct"}),  # unusable
    "acp1:journal:" + REFLECTION: json.dumps(["pas", "un", "objet"]),
    f"acp0:journal:{REFLECTION_2}": json.dumps({"texte": "ancienne version"}),
}


def test_corrupt_and_old_saved_data_is_kept_aside_reported_and_never_crashes(watched, site_url):
    context, watch = watched
    context.add_init_script(
        "try { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1');"
        f" const bad = {json.dumps(CORRUPT)}; for (const k in bad) localStorage.setItem(k, bad[k]); }} }} catch (e) {{}}"
    )
    page = open_page(context, site_url + MODULE)
    notices = page.locator(".exk-notice[role=alert]").all_inner_texts()
    assert any("illisibles" in n for n in notices) and any("ancienne version" in n for n in notices)
    stored = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    prefix = page.evaluate("window.ExerciseKit.lib.PREFIX")
    # acp1: entries moved into this course's namespace first (then the unreadable ones aside).
    kept = {
        k[len(prefix) :].split(":", 2)[2].replace(prefix, "acp1:"): v
        for k, v in stored.items()
        if k.startswith(prefix + "corrupt:")
    }
    assert kept == CORRUPT  # every value kept aside as it was
    assert not any(k in stored for k in CORRUPT)
    # The page still works and saves normally.
    answer_first_option(page, SINGLE)
    write_reflection(page, REFLECTION, "Après la panne.")
    page.goto(site_url + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    assert "5 données illisibles" in page.locator(".exk-aside").inner_text()
    with page.expect_download() as info:
        page.locator(".exk-corrupt-get").click()
    assert "{pas du json" in Path(info.value.path()).read_text(encoding="utf-8")
    page.locator(".exk-corrupt-del").click()
    assert page.locator(".exk-aside").inner_text() == ""
    assert watch.errors == []


@pytest.mark.parametrize("mode", ["disabled", "full"])
def test_disabled_or_full_storage_is_reported_and_exercises_still_work(browser, site_url, mode):
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    if mode == "disabled":  # as in some private modes: any access throws
        script = "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('refusé', 'SecurityError'); }});"
    else:  # quota reached: reads work, writes throw
        script = "Storage.prototype.setItem = function () { throw new DOMException('plein', 'QuotaExceededError'); };"
    context.add_init_script(script)
    try:
        page = open_page(context, site_url + MODULE)
        if mode == "disabled":
            assert "n'enregistre pas" in page.locator(".exk-notice").inner_text()
        answer_first_option(page, SINGLE)
        assert (
            "réponse"
            in page.locator(f'[data-exk-ref="{SINGLE}"] .exk-verdict').inner_text().lower()
        )
        assert "n'enregistre pas" in page.locator(".exk-notice").inner_text()
        page.goto(site_url + "book/journal.html")
        page.wait_for_selector(".exk-toolbar")
        assert "n'enregistre pas" in page.locator(".exk-notice").inner_text()
    finally:
        context.close()
    # The theme itself may complain about storage; the course's runtime must not.
    assert [e for e in watch.errors if "exercisekit" in e] == []


def test_two_tabs_never_lose_each_others_entries(watched, site_url):
    context, _ = watched
    a = open_page(context, site_url + MODULE)
    b = open_page(context, site_url + MODULE)
    journal = open_page(context, site_url + "book/journal.html", ".exk-toolbar")
    write_reflection(a, REFLECTION, "Écrit dans l'onglet A.")
    write_reflection(b, REFLECTION_2, "Écrit dans l'onglet B.")
    answer_first_option(a, SINGLE)
    answer_first_option(b, MULTIPLE)
    # Each tab sees the other's entries, live (storage events), without a reload.
    a.locator(f'[data-exk-ref="{REFLECTION}"] textarea').focus()
    b.locator(f'[data-exk-ref="{REFLECTION}"] textarea').wait_for()
    b.wait_for_function(
        f"() => document.querySelector('[data-exk-ref=\"{REFLECTION}\"] textarea').value.includes('onglet A')"
    )
    a.wait_for_function(
        "() => document.querySelector('.exk-progress').textContent.includes('4 exercices')"
    )
    journal.locator(".exk-entry", has_text="onglet A").wait_for()
    journal.locator(".exk-entry", has_text="onglet B").wait_for()
    prefix = a.evaluate("window.ExerciseKit.lib.PREFIX")
    stored = a.evaluate(f"Object.keys(localStorage).filter(k => k.startsWith({prefix!r})).sort()")
    assert stored == sorted(
        prefix + entry
        for entry in (
            f"answer:{SINGLE}",
            f"answer:{MULTIPLE}",
            f"first:{SINGLE}",  # first tries, for the mastery rule
            f"first:{MULTIPLE}",
            f"journal:{REFLECTION}",
            f"journal:{REFLECTION_2}",
        )
    )


# ------------------------------------------------------------------ keyboard, 320 px, zoom
def focus_is_visible(page):
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }"""
    )


def tab_to(page, selector, limit=600):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            assert focus_is_visible(page), selector
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_path_through_a_whole_module(watched, site_url):
    context, _ = watched
    module = BANK.modules["reflexive"]
    page = open_page(context, site_url + "book/modules/01-reflexive.html")
    page.evaluate("document.activeElement.blur()")
    for ex in module.exercises:
        sel = f'[data-exk-ref="reflexive/{ex.id}"]'
        if ex.type in ("single", "true_false", "multiple", "dilemma"):
            tab_to(page, f"{sel} input")
            page.keyboard.press("Space")
        elif ex.type == "classify":
            for item in ex.items:
                tab_to(page, f'{sel} select[data-item="{item.id}"]')
                page.keyboard.press("ArrowDown")
        elif ex.type == "order":
            tab_to(page, f"{sel} .exk-down")
            page.keyboard.press("Enter")
        if ex.type in ("single", "true_false", "multiple", "classify", "order", "dilemma"):
            tab_to(page, f"{sel} .exk-check")
            page.keyboard.press("Enter")
            verdict = page.locator(f"{sel} .exk-verdict")
            assert verdict.count() == 1 and "incomplète" not in verdict.inner_text(), ex.id
            # Said in words, never by colour alone, in a live region.
            assert page.locator(f"{sel} .exk-feedback").get_attribute("aria-live") == "polite"
        elif ex.type == "scenario":
            while page.locator(f"{sel} .exk-choice-btn").count():
                tab_to(page, f"{sel} .exk-choice-btn")
                page.keyboard.press("Enter")
                assert page.evaluate("document.activeElement.classList.contains('exk-node')")
            assert "Fin du scénario" in page.locator(f"{sel} .exk-stage").inner_text()
        elif ex.type == "reflection":
            tab_to(page, f"{sel} textarea")
            page.keyboard.type("Au clavier seulement.")
    page.keyboard.press("Tab")
    n = len(module.exercises)
    page.wait_for_function(
        f"() => document.querySelector('.exk-progress').textContent.includes('{n} exercices faits sur {n}')"
    )
    # Then « Mon parcours » and its resume link, by keyboard too.
    page.goto(site_url + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    assert (
        f"{n} exercices faits sur {n}"
        in page.locator('.exk-module[data-doc="book/modules/01-reflexive"]').inner_text()
    )
    tab_to(page, ".exk-resume a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/02-conditions.html#exk-conditions-*")


SPACE_PAGES = ["book/parcours.html", "book/journal.html", "book/autoevaluation.html"]
MODULE_PAGES = sorted(p.name for p in (ROOT / "book" / "modules").glob("*.md"))


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px: a 1280 px window at 200 % zoom
def test_narrow_screen_and_zoom_need_no_horizontal_scrolling(browser, site_url, width):
    context, watch = new_watched_context(browser, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for path in [f"book/modules/{name[:-3]}.html" for name in MODULE_PAGES] + SPACE_PAGES:
            page.goto(site_url + path)
            page.wait_for_selector(EXERCISES_READY)
            wide = page.evaluate(
                """w => [...document.querySelectorAll('.exk, .exk-space, .exk-progress')]
                        .filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1)
                        .map(e => e.dataset.exkRef || e.className)""",
                width,
            )
            assert wide == [], (path, wide)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()
    assert watch.errors == [] and watch.external == []


def test_no_page_of_the_site_scrolls_sideways_at_320_px(browser, site_url, built_site):
    pages = sorted(
        str(p.relative_to(built_site))
        for p in built_site.rglob("*.html")
        if "_static" not in p.parts and p.name != "index.html"
    )
    assert len(pages) >= 20
    context, watch = new_watched_context(browser, viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        too_wide = []
        for path in pages:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            if page.evaluate("document.documentElement.scrollWidth") > 320:
                too_wide.append(path)
        assert too_wide == []
    finally:
        context.close()
    assert watch.errors == [] and watch.external == []


# ------------------------------------------------------------------ counts, worded alike
def test_counts_agree_in_french_and_alike_in_the_browser_and_the_kernel(watched, site_url):
    """« 0 exercice fait », « 1 exercice fait », « 2 exercices faits »: no « (s) » left, and the
    site's runtime (`ExerciseKit.lib.fill`) words every count as the live widgets do."""
    from exercisekit.cohort.messages import MESSAGES as COHORT
    from exercisekit.render.plural import fill
    from exercisekit.selfpaced.messages import MESSAGES

    assert not [k for k, v in {**MESSAGES, **COHORT}.items() if "(s)" in v]
    context, _ = watched
    page = open_page(context, site_url + MODULE)
    template = MESSAGES["progress_module"]
    for done in (0, 1, 2, 17):
        expected = fill(template, done=done, total=17)
        shown = page.evaluate(
            "([t, n]) => window.ExerciseKit.lib.fill(t, { done: n, total: 17 })", [template, done]
        )
        assert shown == expected
    assert "0 exercice fait sur 17" in fill(template, done=0, total=17)
    assert "1 exercice fait sur 17" in fill(template, done=1, total=17)
    assert "2 exercices faits sur 17" in fill(template, done=2, total=17)
    future = fill(MESSAGES["journal_future"], count=1)
    assert "1 entrée du fichier était datée" in future and "elle ne remplace" in future
