"""What the browser tests of learners' saved work share (`test_offline.py`,
`test_selfpaced_browser.py`, `test_storage_hardening.py`): open a page of the course, write and
answer as a learner, seed entries that a previous version left in the browser, and read what the
page stored."""

from __future__ import annotations

import json

from conftest import EXERCISES_READY


def open_page(context, url: str, ready: str = EXERCISES_READY):
    """A new tab of `context` on `url`, once `ready` is there (by default, every exercise of the
    page is set up)."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready)
    return page


def write_reflection(page, ref: str, text: str) -> None:
    """Type `text` into the reflection `ref`; leaving the field saves it."""
    area = page.locator(f'[data-exk-ref="{ref}"] textarea')
    area.fill(text)
    area.blur()


def answer_first_option(page, ref: str) -> None:
    """Choose the first option of `ref`, check it and wait for the verdict."""
    block = page.locator(f'[data-exk-ref="{ref}"]')
    block.locator("input").first.check()
    block.locator(".exk-check").click()
    block.locator(".exk-verdict").wait_for()


def seed_entries(context, entries: dict[str, object]) -> None:
    """Before any script of each new tab runs, write `entries` (full keys, values stored as
    JSON) into localStorage, once per tab: a reload then sees what the page made of them."""
    stored = {key: json.dumps(value) for key, value in entries.items()}
    context.add_init_script(
        "try { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1');"
        f" const old = {json.dumps(stored)};"
        " for (const k in old) localStorage.setItem(k, old[k]); } } catch (e) {}"
    )


def storage_prefix(page) -> str:
    """The course's own storage namespace, as the runtime computed it for this page."""
    return page.evaluate("window.ExerciseKit.lib.PREFIX")


def stored(page, name: str) -> str | None:
    """The raw stored value of `name` (a key without the course's prefix), or None."""
    return page.evaluate("n => localStorage.getItem(window.ExerciseKit.lib.PREFIX + n)", name)
