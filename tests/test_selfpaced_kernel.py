"""« Mon espace » in a live kernel: journal and self-assessment widgets, a local JSON state file
(corrupt or old files kept aside), a matplotlib chart; and the competencies file's validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from exercisekit import load_bank
from exercisekit.__main__ import main as cli
from exercisekit.competencies import load_competencies
from exercisekit.errors import ExerciseDataError
from exercisekit.selfpaced import journal, self_assessment
from exercisekit.selfpaced.state import State

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
SOURCE = Path("/work/shared/seed/000_26c91f9920c5bfd8.txt")


def test_competencies_are_the_three_lists_of_the_source():
    comp = load_competencies(ROOT)
    assert [len(f.items) for f in comp.families] == [4, 7, 5]
    assert all("book/modules/03-savoirs" in c.modules for c in comp.items())
    if SOURCE.exists():  # word for word
        text = SOURCE.read_text(encoding="utf-8")
        for c in comp.items():
            assert c.text in text, c.id


def test_competencies_file_errors_name_the_field(tmp_path, capsys):
    for name in ("_config.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    shutil.copytree(ROOT / "book", tmp_path / "book")
    (tmp_path / "course").mkdir()
    text = (ROOT / "course" / "competences.yaml").read_text(encoding="utf-8")
    (tmp_path / "course" / "competences.yaml").write_text(
        text.replace(
            "book/modules/03-savoirs, book/modules/02-conditions]", "book/modules/99-absent]", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ExerciseDataError, match="travail-collectif.modules.*99-absent"):
        load_competencies(tmp_path)
    assert cli(["check", str(tmp_path)]) == 1
    assert "99-absent" in capsys.readouterr().err
    lines = [ln for ln in text.splitlines(keepends=True)]
    cut = next(i for i, ln in enumerate(lines) if "id: outils" in ln)
    (tmp_path / "course" / "competences.yaml").write_text(
        "".join(lines[:cut] + lines[cut + 4 :]), encoding="utf-8"
    )
    with pytest.raises(ExerciseDataError, match="compte 4 énoncés"):
        load_competencies(tmp_path)


def test_journal_saves_as_the_learner_types_and_exports_markdown(tmp_path):
    path = tmp_path / "etat.json"
    box = journal.show(State(path), BANK)
    ref = "conditions/reflexion-rythme"
    box.areas[ref].value = "J'ai pris le temps d'écouter."
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (
        saved["journal"][ref]["text"] == "J'ai pris le temps d'écouter."
        and saved["journal"][ref]["at"]
    )
    again = journal.show(State(path), BANK)  # a new session finds it
    assert again.areas[ref].value == "J'ai pris le temps d'écouter."
    md = journal.markdown(State(path), BANK)
    assert md.startswith("# Mon journal") and "J'ai pris le temps d'écouter." in md
    assert md.count("### ") == sum(
        1 for m in BANK.modules.values() for e in m.exercises if e.type == "reflection"
    )


def test_self_assessment_before_after_chart_and_modules_to_work_on(tmp_path):
    state = State(tmp_path / "etat.json")
    box = self_assessment.show(state, ROOT)
    box.menus["ecoute"].value = 1
    box.moment.value = "apres"
    assert box.menus["ecoute"].value == 0  # the « après » form starts empty
    box.menus["ecoute"].value = 2
    box.menus["patience"].value = 4
    box.moment.value = "avant"
    assert box.menus["ecoute"].value == 1
    assert state.get("self", "apres/ecoute")["level"] == 2
    low = dict(self_assessment.to_work_on(state, ROOT))
    assert "book/modules/03-savoirs" in low["Écoute du groupe"] and "Patience" not in low
    fig = self_assessment.chart(state, ROOT)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * 16
    assert ax.patches[0].get_hatch() == "///"  # before: hatched, after: solid — not colour alone


def test_corrupt_or_old_state_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "etat.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.warns(UserWarning, match="mis de côté"):
        state = State(path)
    aside = list(tmp_path.glob("etat.json.mis-de-cote-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{pas du json"
    assert "mis de côté" in journal.show(state, BANK).children[0].value
    state.set("journal", "conditions/reflexion-rythme", {"text": "nouveau"})
    path.write_text(json.dumps({"version": 0, "journal": {}}), encoding="utf-8")  # an older format
    with pytest.warns(UserWarning):
        State(path)
    assert len(list(tmp_path.glob("etat.json.mis-de-cote-*"))) == 2
