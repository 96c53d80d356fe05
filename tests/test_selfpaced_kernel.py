"""« Mon espace » in a live kernel: journal and self-assessment widgets, a local JSON state file
(corrupt or old files kept aside), a matplotlib chart; and the competencies file's validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from bank_refs import MULTIPLE, REFLECTION, SCENARIO, SINGLE

from exercisekit import load_bank
from exercisekit.__main__ import main as cli
from exercisekit.bank.competencies import load_competencies
from exercisekit.bank.errors import ExerciseDataError
from exercisekit.selfpaced import journal, progress, self_assessment
from exercisekit.selfpaced.state import State

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
# The source page lies beside the checkout (../shared/seed/), as on CI.
SOURCE = ROOT.parent / "shared" / "seed" / "000_26c91f9920c5bfd8.txt"


def test_competencies_are_the_three_lists_of_the_source():
    comp = load_competencies(ROOT)
    assert [len(f.items) for f in comp.families if f.from_source] == [4, 7, 5]
    assert [f.id for f in comp.families if not f.from_source] in ([], ["cours"])
    assert all("book/modules/03-savoirs" in c.modules for c in comp.source_items())
    if SOURCE.exists():  # word for word (the course writes straight apostrophes)
        text = SOURCE.read_text(encoding="utf-8").replace("’", "'")
        for c in comp.source_items():
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
    ref = REFLECTION
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
    assert len(ax.patches) == 2 * len(load_competencies(ROOT).items())
    assert ax.patches[0].get_hatch() == "///"  # before: hatched, after: solid — not colour alone


def test_corrupt_or_old_state_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "etat.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.warns(UserWarning, match="mis de côté"):
        state = State(path)
    aside = list(tmp_path.glob("etat.json.mis-de-cote-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{pas du json"
    assert "mis de côté" in journal.show(state, BANK).children[0].value
    state.set("journal", REFLECTION, {"text": "nouveau"})
    path.write_text(json.dumps({"version": 0, "journal": {}}), encoding="utf-8")  # an older format
    with pytest.warns(UserWarning):
        State(path)
    assert len(list(tmp_path.glob("etat.json.mis-de-cote-*"))) == 2


# ------------------------------------------------------------------ live exercises keep their state
def test_live_answers_are_saved_and_come_back(tmp_path):
    from exercisekit.render.widgets import build_widget
    from exercisekit.selfpaced.state import State

    learner = State(tmp_path / "etat.json")
    q = BANK.get(MULTIPLE)
    box = build_widget(MULTIPLE, q, learner)
    for option in q.options:
        box.inputs[option.id].value = option.correct
    box.check.click()
    assert learner.get("answer", MULTIPLE)["status"] == "correct"
    # Shown again, in a new kernel: the ticks and the feedback are back.
    again = build_widget(MULTIPLE, q, State(tmp_path / "etat.json"))
    assert [again.inputs[o.id].value for o in q.options] == [o.correct for o in q.options]
    assert "Bonne réponse." in again.feedback.value
    again.reset.click()
    assert State(tmp_path / "etat.json").get("answer", MULTIPLE) is None


def test_live_scenario_path_and_reflection_are_saved(tmp_path):
    from exercisekit.bank.graph import ending_paths
    from exercisekit.render.widgets import build_widget
    from exercisekit.selfpaced.state import State

    learner = State(tmp_path / "etat.json")
    scenario = BANK.get(SCENARIO)
    choices, ending = ending_paths(scenario)[0]
    box = build_widget(SCENARIO, scenario, learner)
    for choice_id in choices:
        box.choose(choice_id)
    saved = learner.get("scenario", SCENARIO)
    assert saved["choices"] == choices and saved["node"] == ending and saved["status"]
    again = build_widget(SCENARIO, scenario, State(tmp_path / "etat.json"))
    assert again.node.id == ending and "Fin du scénario" in again.feedback.value

    reflection = build_widget(REFLECTION, BANK.get(REFLECTION), learner)
    reflection.text.value = "Je ralentis quand le milieu le demande."
    box = journal.show(State(tmp_path / "etat.json"), BANK)
    assert box.areas[REFLECTION].value.startswith("Je ralentis")


def test_progress_counts_what_the_live_exercises_saved(tmp_path):
    from exercisekit.render.widgets import build_widget
    from exercisekit.selfpaced import progress
    from exercisekit.selfpaced.state import State

    learner = State(tmp_path / "etat.json")
    before = {row.module: row for row in progress.summary(learner, BANK, ROOT)}
    assert [row.module for row in progress.summary(learner, BANK, ROOT)][
        0
    ] == "reflexive"  # course order
    assert before["conditions"].done == 0
    q = BANK.get(SINGLE)
    box = build_widget(SINGLE, q, learner)
    box.inputs.value = next(o.id for o in q.options if not o.correct)
    box.check.click()
    after = {row.module: row for row in progress.summary(learner, BANK, ROOT)}
    assert after["conditions"].done == 1
    assert after["conditions"].next_ref != SINGLE
    html = progress.show(learner, BANK, ROOT).value
    assert "1 exercice fait sur" in html and "<progress" in html


def test_two_kernels_never_drop_each_others_entries(tmp_path):
    from exercisekit.selfpaced.state import State

    first, second = State(tmp_path / "etat.json"), State(tmp_path / "etat.json")
    first.set("journal", "a/x", {"text": "un"})
    second.set("journal", "b/y", {"text": "deux"})  # second never read "a/x" before writing
    first.set("answer", "c/z", {"answer": "a", "status": "correct"})
    final = State(tmp_path / "etat.json")
    assert final.get("journal", "a/x")["text"] == "un"
    assert final.get("journal", "b/y")["text"] == "deux"
    assert final.get("answer", "c/z")["status"] == "correct"


def test_a_state_file_from_before_answers_were_kept_still_loads(tmp_path):
    from exercisekit.selfpaced.state import State

    path = tmp_path / "etat.json"
    path.write_text(
        json.dumps({"version": 1, "journal": {"a/x": {"text": "t", "at": "1"}}, "self": {}})
    )
    state = State(path)
    assert state.problem is None and state.get("journal", "a/x")["text"] == "t"
    assert state.get("answer", "conditions/q1") is None


def test_course_family_is_optional_last_and_small():
    import yaml
    from pydantic import ValidationError

    from exercisekit.bank.competencies import Competencies

    raw = yaml.safe_load((ROOT / "course" / "competences.yaml").read_text(encoding="utf-8"))
    source = [f for f in raw["families"] if f["id"] != "cours"]
    course = {
        "id": "cours",
        "label": "Compétences visées par le cours",
        "description": "pas dans la source",
        "items": [{"id": "x", "short": "X", "text": "X.", "modules": ["book/intro"]}],
    }
    assert len(Competencies.model_validate({**raw, "families": source}).items()) == 16
    assert (
        not Competencies.model_validate({**raw, "families": [*source, course]})
        .families[-1]
        .from_source
    )
    with pytest.raises(ValidationError, match="après les trois listes"):
        Competencies.model_validate({**raw, "families": [course, *source]})
    with pytest.raises(ValidationError, match="de 1 à 6"):
        Competencies.model_validate({**raw, "families": [*source, {**course, "items": []}]})
    with pytest.raises(ValidationError, match="trois listes de la source"):
        Competencies.model_validate({**raw, "families": [*source[:2], course]})


def test_views_read_the_file_as_it_is_now_and_refresh(tmp_path):
    """A view shown, or refreshed, has what another kernel saved since this one read the file."""
    path = tmp_path / "etat.json"
    mine, other = State(path), State(path)
    ref = journal.prompts(BANK)[0][2][0][0]
    box = journal.show(mine, BANK)
    assert box.areas[ref].value == ""
    other.set("journal", ref, {"text": "Écrit dans un autre carnet."})
    other.set("self", "avant/ecoute", {"level": 3})
    refresh = next(
        w for w in box.children[0].children if getattr(w, "description", "") == "Rafraîchir"
    )
    refresh.click()
    assert box.areas[ref].value == "Écrit dans un autre carnet."
    assert journal.show(mine, BANK).areas[ref].value == "Écrit dans un autre carnet."
    assert self_assessment.show(mine, ROOT).menus["ecoute"].value == 3
    view = progress.show(mine, BANK, ROOT)
    assert "dans un fichier sur cet ordinateur" in view.children[-1].value
    assert str(path) in view.children[-1].value
    # Nothing either kernel wrote is lost, whatever the order of their saves.
    mine.set("journal", "x/y", {"text": "le mien"})
    final = State(path)
    assert final.get("journal", ref)["text"] == "Écrit dans un autre carnet."
    assert final.get("journal", "x/y")["text"] == "le mien"
    assert final.get("self", "avant/ecoute")["level"] == 3


def test_concurrent_kernels_lose_no_entry(tmp_path):
    """Two processes saving at once, under the file lock: every entry of both is in the file."""
    import subprocess
    import sys

    path = tmp_path / "etat.json"
    code = (
        "import sys; from exercisekit.selfpaced.state import State\n"
        "s = State(sys.argv[1])\n"
        "for i in range(40): s.set('journal', f'{sys.argv[2]}/{i}', {'text': str(i)})\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", code, str(path), name]) for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    final = State(path)
    assert sorted(final.data["journal"]) == sorted(f"{n}/{i}" for n in "ab" for i in range(40))


def test_the_chart_shows_as_a_png_without_any_magic(tmp_path):
    state = State(tmp_path / "etat.json")
    state.set("self", "avant/ecoute", {"level": 2})
    fig = self_assessment.chart(state, ROOT)
    # What IPython sends to any front end for the figure, as the last value of a cell.
    from IPython.core.interactiveshell import InteractiveShell

    data, _ = InteractiveShell.instance().display_formatter.format(fig)
    assert "image/png" in data, (data.keys(), fig._repr_png_()[:8])
    assert data["image/png"].startswith(b"\x89PNG")
    box = self_assessment.show(state, ROOT)
    assert box.image.format == "png" and bytes(box.image.value).startswith(b"\x89PNG")
    before = bytes(box.image.value)
    box.menus["patience"].value = 4  # a new rating redraws the chart
    assert bytes(box.image.value) != before
    # The toggle labels are as wide as their words (not cut at the default notebook width).
    assert box.moment.style.button_width == "auto"


# ------------------------------------------------------------------ each course its own folder
def course_copy(folder: Path, repository: str, namespace: str | None = None) -> Path:
    """A course's root as `find_root` sees it: its `_config.yml` (repository address, and the
    storage namespace when given) beside `exercises/`."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["repository"]["url"] = repository
    if namespace:
        config["sphinx"]["config"]["exercisekit_storage_namespace"] = namespace
    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    shutil.copytree(ROOT / "exercises", folder / "exercises")
    return folder


def test_each_course_keeps_its_learners_file_in_its_own_folder(tmp_path, monkeypatch):
    from exercisekit.course_folder import course_name
    from exercisekit.selfpaced.state import ENV_FILE, default_path
    from exercisekit.sphinx.publish import notebook_wording

    monkeypatch.setenv("HOME", str(tmp_path / "maison"))
    monkeypatch.delenv(ENV_FILE)
    monkeypatch.delenv("EXERCISEKIT_ROOT", raising=False)
    # This course: the folder earlier versions used, so a learner's saved work stays where it is.
    assert course_name(ROOT) == "accompagner-un-collectif"
    monkeypatch.chdir(ROOT / "book")
    ours = default_path()
    assert ours == tmp_path / "maison" / ".accompagner-un-collectif" / "etat.json"
    assert "`~/.accompagner-un-collectif/etat.json`" in notebook_wording(ROOT)["reponses_privees"]
    # A fork under another name: another folder, named in its notebook copies too.
    fork = course_copy(tmp_path / "fourche", "https://github.com/une-org/mon-cours")
    monkeypatch.chdir(fork / "exercises")
    assert default_path() == tmp_path / "maison" / ".mon-cours" / "etat.json"
    assert "`~/.mon-cours/etat.json`" in notebook_wording(fork)["reponses_privees"]
    # The storage namespace of _config.yml, when set, names the folder as it names the entries.
    named = course_copy(tmp_path / "autre", "https://github.com/une-org/x", "cours/2027 ")
    assert course_name(named) == "cours-2027"
    # Kernels of the two courses, side by side, keep their entries apart.
    State(ours).set("journal", REFLECTION, {"text": "Notre cours."})
    State(default_path()).set("journal", REFLECTION, {"text": "Le cours d'à côté."})
    assert State(ours).get("journal", REFLECTION)["text"] == "Notre cours."
