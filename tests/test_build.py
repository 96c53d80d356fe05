"""The real book build: zero warnings, fails clearly on bad data, loads nothing from elsewhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from bank_refs import SINGLE, TRUE_FALSE

from conftest import OUTPUT, ROOT, build_book

ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|audio|video)\b[^>]*?\b(?:src|href)=\"(https?:)?//", re.I
)
CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)


def test_build_has_zero_warnings(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / ".nojekyll").is_file()


def test_every_page_loads_assets_only_from_the_site(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not ASSET.search(text), (
            f"{page.relative_to(built_site)} loads an asset from another host"
        )
    for sheet in built_site.rglob("*.css"):
        assert not CSS_URL.search(sheet.read_text(encoding="utf-8")), sheet


def test_runtime_is_shipped_once_and_not_inlined(built_site):
    runtime = built_site / "_static" / "exercisekit.js"
    assert "Bonne réponse." in runtime.read_text(encoding="utf-8")  # messages filled in at build
    module = (built_site / "book" / "modules" / "02-conditions.html").read_text(encoding="utf-8")
    assert module.count("exercisekit.js") == 1
    assert "ExerciseKit" not in module  # no runtime code repeated in the page


def copy_course(target: Path, caches: bool = False) -> Path:
    """The course's sources in `target`; with `caches`, also the session build's executed
    notebooks and printed PDFs, so that only what a test changed is executed or printed again
    (a build that fails only after executing every notebook then takes seconds, not minutes)."""
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("book", "exercises", "course"):
        shutil.copytree(ROOT / folder, target / folder)
    if caches:
        for cache in (".jupyter_cache", ".imprimables-cache"):
            shutil.copytree(OUTPUT / "_build" / cache, target / "_build" / cache)
    return target


def test_bad_exercise_file_fails_the_build_with_a_clear_message(tmp_path):
    course = copy_course(tmp_path / "course")
    bad = course / "exercises" / "conditions.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n}}} garbage: [\n", encoding="utf-8")
    result = build_book(course)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Erreur dans les fichiers d'exercices" in log
    assert "exercises/conditions.yaml" in log and "YAML invalide" in log


def test_missing_feedback_fails_the_build_naming_exercise_and_field(tmp_path):
    course = copy_course(tmp_path / "course")
    bad = course / "exercises" / "conditions.yaml"
    data = yaml.safe_load(bad.read_text(encoding="utf-8"))
    exercise_id = SINGLE.split("/", 1)[1]
    exercise = next(e for e in data["exercises"] if e["id"] == exercise_id)
    del exercise["options"][0]["feedback"]
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build_book(course)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"exercice « {exercise_id} »" in log and "feedback" in log


def test_an_exercise_shown_on_no_page_fails_the_build(built_site, tmp_path):
    course = copy_course(tmp_path / "course", caches=True)
    page = course / "book" / "modules" / "02-conditions.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(f'show("{TRUE_FALSE}")', "None"),
        encoding="utf-8",
    )
    result = build_book(course)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"« {TRUE_FALSE} » n'est affiché sur aucune page" in log
