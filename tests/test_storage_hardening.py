"""Learners' saved work survives hostile files and odd storage (issue 12, point 5), in Debian's
Chromium: conflicting journal entries are never lost, future dates cannot win every merge,
values outside the self-assessment scale are quarantined, import redraws once, the export format
survives its own marker, non-UTF-8 files are refused, a quota error names the entry, and two
courses on one origin keep their entries apart, with the old `acp1:` entries migrated."""

from __future__ import annotations

import json

import pytest
from bank_refs import PAGE, REFLECTION, REFLECTION_2, SINGLE
from storage_helpers import open_page, seed_entries, storage_prefix, stored, write_reflection

from conftest import EXERCISES_READY, OTHER_PREFIX, PREFIX, new_watched_context

pytestmark = pytest.mark.browser
MARK = "<!-- exercisekit-journal 1"


def export_file(entries: dict, tmp_path, name="journal.md", encoding="utf-8"):
    data = json.dumps(entries, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    path = tmp_path / name
    path.write_bytes(
        f"# Mon journal de pratique réflexive\n\n{MARK}\n{data}\n-->\n".encode(encoding)
    )
    return path


def import_file(page, site_url, path):
    page.goto(site_url + "book/journal.html")
    page.wait_for_selector(".exk-toolbar")
    page.locator("#exk-import").set_input_files(str(path))
    status = page.locator(".exk-space .exk-status")
    status.filter(has_text="").first.wait_for()
    page.wait_for_function(
        "() => document.querySelector('.exk-space .exk-status').textContent.length > 0"
    )
    return status.inner_text()


def test_a_future_dated_import_keeps_the_learners_text_and_cannot_win_forever(
    watched, site_url, tmp_path
):
    context, _ = watched
    page = open_page(context, site_url + PAGE)
    write_reflection(page, REFLECTION, "Mon texte à moi.")
    hostile = export_file(
        {
            REFLECTION: {"text": "Texte importé.", "at": "9999-12-31T00:00:00.000Z"},
            REFLECTION_2: {"text": "Nouvelle entrée du futur.", "at": "9999-12-31T00:00:00.000Z"},
        },
        tmp_path,
    )
    status = import_file(page, site_url, hostile)
    assert "datées dans le futur" in status and "Aucun texte n'est perdu" in status
    # The learner's text stays; the imported one is kept aside and shown, never lost.
    main = page.locator(".exk-journal-module")
    assert main.locator(".exk-entry", has_text="Mon texte à moi.").count() == 1
    assert "Texte importé." in page.locator(".exk-journal-aside").inner_text()
    # An entry with no local twin is added, dated today rather than 9999.
    added = json.loads(stored(page, "journal:" + REFLECTION_2))
    assert added["text"] == "Nouvelle entrée du futur." and not added["at"].startswith("9999")
    # It cannot win later merges: an edit after the import beats a re-import of the same file.
    page = open_page(context, site_url + PAGE)
    write_reflection(page, REFLECTION_2, "Ma version corrigée.")
    status = import_file(page, site_url, hostile)
    assert "2 gardées parce qu" in status
    assert main.locator(".exk-entry", has_text="Ma version corrigée.").count() == 1


def test_self_assessment_levels_outside_the_scale_are_quarantined(watched, site_url):
    context, watch = watched
    page = open_page(context, site_url + "book/autoevaluation.html", ready=".exk-rate")
    prefix = storage_prefix(page)
    first = page.locator(".exk-rate").first.get_attribute("data-id")
    page.evaluate(
        """([p, id]) => { localStorage.setItem(p + 'self:avant/' + id, JSON.stringify({level: 9}));
           localStorage.setItem(p + 'self:apres/' + id, JSON.stringify({level: 2.5})); }""",
        [prefix, first],
    )
    page.reload()
    page.wait_for_selector(".exk-rate")
    assert any("illisibles" in n for n in page.locator(".exk-notice").all_inner_texts())
    page.locator(f"#exk-self-{first}-2").check()
    page.locator(".exk-space .exk-status").filter(has_text="Enregistré").wait_for()
    assert watch.errors == []  # no TypeError at load or on rating


def test_import_redraws_once_and_stays_linear_for_a_thousand_entries(watched, site_url, tmp_path):
    context, _ = watched
    entries = {
        f"autre/r{n:04d}": {"text": f"Entrée {n}.", "at": "2026-01-01T00:00:00.000Z"}
        for n in range(1000)
    }
    page = open_page(context, site_url + "book/journal.html", ready=".exk-toolbar")
    page.evaluate(
        "window.__saved = 0; document.addEventListener('exk:saved', () => window.__saved++)"
    )
    page.locator("#exk-import").set_input_files(str(export_file(entries, tmp_path)))
    page.locator(".exk-space .exk-status").filter(has_text="Import terminé").wait_for(timeout=60000)
    assert "1000 entrées ajoutées" in page.locator(".exk-space .exk-status").inner_text()
    assert page.evaluate("window.__saved") == 1  # one notice, so the journal is drawn once


def test_a_reflection_quoting_the_export_marker_does_not_break_the_export(
    watched, site_url, browser, tmp_path
):
    context, _ = watched
    page = open_page(context, site_url + PAGE)
    write_reflection(page, REFLECTION, f"J'ai collé un vieil export :\n{MARK}\n{{}}\n-->\nfin")
    write_reflection(page, REFLECTION_2, "Deuxième entrée.")
    page.goto(site_url + "book/journal.html")
    page.wait_for_selector(".exk-entry")
    with page.expect_download() as info:
        page.locator(".exk-export").click()
    exported = tmp_path / "export.md"
    info.value.save_as(exported)
    fresh, watch = new_watched_context(browser)
    try:
        other = open_page(fresh, site_url + "book/journal.html", ready=".exk-toolbar")
        status = import_file(other, site_url, exported)
        assert "2 entrées ajoutées" in status
        assert other.locator(".exk-entry", has_text="J'ai collé un vieil export").count() == 1
    finally:
        fresh.close()
    assert watch.errors == []


def test_a_latin1_file_is_refused_with_a_clear_message(watched, site_url, tmp_path):
    context, _ = watched
    page = open_page(context, site_url + "book/journal.html", ready=".exk-toolbar")
    latin1 = export_file(
        {REFLECTION: {"text": "Réflexion déjà écrite.", "at": "2026-01-01T00:00:00.000Z"}},
        tmp_path,
        encoding="latin-1",
    )
    status = import_file(page, site_url, latin1)
    assert "pas encodé en UTF-8" in status and "rien n'a été importé" in status
    assert stored(page, "journal:" + REFLECTION) is None


def test_an_entry_over_the_quota_is_named_and_the_rest_still_saves(watched, site_url):
    context, _ = watched
    page = open_page(context, site_url + PAGE)
    area = page.locator(f'[data-exk-ref="{REFLECTION}"] textarea')
    page.evaluate(
        "([sel, n]) => { const a = document.querySelector(sel); a.value = 'x'.repeat(n); a.dispatchEvent(new Event('input')); a.dispatchEvent(new Event('blur')); }",
        [f'[data-exk-ref="{REFLECTION}"] textarea', 6_000_000],
    )
    notice = page.locator(".exk-notice", has_text=REFLECTION)
    notice.wait_for()
    assert (
        "dépasse l'espace" in notice.inner_text() and "n'enregistre pas" not in notice.inner_text()
    )
    assert area.input_value().startswith("xxx")  # the text stays in the field
    b = page.locator(f'[data-exk-ref="{SINGLE}"]')
    b.locator("input").first.check()
    b.locator(".exk-check").click()
    assert stored(page, "answer:" + SINGLE) is not None


def test_two_courses_on_one_origin_keep_their_entries_apart_and_old_entries_migrate(
    watched, site_url
):
    context, _ = watched
    origin = site_url[: -len(PREFIX)]
    seed_entries(
        context,
        {
            f"acp1:journal:{REFLECTION_2}": {
                "text": "Écrit avec l'ancienne version.",
                "at": "2026-01-01T00:00:00.000Z",
            }
        },
    )
    page = open_page(context, site_url + "book/journal.html", ready=".exk-toolbar")
    page.locator(
        ".exk-entry", has_text="Écrit avec l'ancienne version."
    ).wait_for()  # migrated, shown
    keys = page.evaluate("Object.keys(localStorage)")
    assert not any(k.startswith("acp1:") for k in keys)
    page.goto(site_url + PAGE)
    page.wait_for_selector(EXERCISES_READY)
    write_reflection(page, REFLECTION, "Dans le premier cours.")
    other = open_page(context, origin + OTHER_PREFIX + PAGE)
    assert storage_prefix(other) != storage_prefix(page)
    assert other.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value() == ""
    write_reflection(other, REFLECTION, "Dans le second cours.")
    page.reload()
    page.wait_for_selector(EXERCISES_READY)
    assert (
        page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value()
        == "Dans le premier cours."
    )
