"""Bad exercise files are rejected with a message naming the file, the exercise and the field."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from exercisekit import ExerciseDataError, load_bank
from exercisekit.bank.loader import find_root

ROOT = Path(__file__).resolve().parents[1]

GOOD_SINGLE = """
  - id: q1
    type: single
    prompt: Une question ?
    options:
      - {id: a, text: Oui, correct: true, feedback: Parce que.}
      - {id: b, text: Non, feedback: Parce que non.}
"""


def scenario(nodes: str) -> str:
    return textwrap.indent(
        "- id: sc\n  type: scenario\n  title: T\n  context: C\n  start: n1\n  nodes:\n"
        + textwrap.indent(textwrap.dedent(nodes), "    "),
        "  ",
    )


GOOD_NODES = """
- id: n1
  text: Début
  choices:
    - {id: a, text: A, consequence: Ca, next: fin}
- id: fin
  ending: good
  text: Bravo
"""

# (case, file body after the header, exercise id, field, words the message must contain)
BROKEN = [
    (
        "missing field",
        """
  - id: q1
    type: single
    prompt: Une question ?
    options:
      - {id: a, text: Oui, correct: true}
      - {id: b, text: Non, feedback: Non.}
""",
        "q1",
        "options.a.feedback",
        "manquant",
    ),
    (
        "unknown type",
        """
  - id: q9
    type: essay
    prompt: Écrivez.
""",
        "q9",
        "type",
        "type d'exercice inconnu",
    ),
    (
        "no correct option",
        """
  - id: q2
    type: single
    prompt: Une question ?
    options:
      - {id: a, text: Oui, feedback: Non.}
      - {id: b, text: Non, feedback: Non plus.}
""",
        "q2",
        None,
        "exactement une option",
    ),
    ("duplicate exercise id", GOOD_SINGLE + GOOD_SINGLE, "q1", "id", "déjà utilisé"),
    (
        "duplicate option id",
        """
  - id: q3
    type: multiple
    prompt: Lesquels ?
    options:
      - {id: a, text: Un, correct: true, feedback: Oui.}
      - {id: a, text: Deux, feedback: Non.}
""",
        "q3",
        None,
        "« a » est utilisé deux fois",
    ),
    (
        "misspelt field",
        """
  - id: q4
    type: true_false
    statement: Le ciel est bleu.
    answer: true
    justifcation: Oui.
""",
        "q4",
        "justifcation",
        "champ inconnu",
    ),
    (
        "unknown category",
        """
  - id: q5
    type: classify
    prompt: Classez.
    categories: [{id: x, label: X}, {id: y, label: Y}]
    items:
      - {id: i1, text: Un, category: x, feedback: F}
      - {id: i2, text: Deux, category: z, feedback: F}
""",
        "q5",
        None,
        "catégorie inconnue « z »",
    ),
    (
        "dangling scenario target",
        scenario("""
- id: n1
  text: Début
  choices:
    - {id: a, text: A, consequence: Ca, next: nulle-part}
- id: fin
  ending: good
  text: Bravo
"""),
        "sc",
        "nodes.n1.choices.a.next",
        "n'existe pas",
    ),
    (
        "unreachable node",
        scenario(
            GOOD_NODES
            + """
- id: isole
  ending: poor
  text: Personne ne vient ici.
"""
        ),
        "sc",
        "nodes.isole",
        "inaccessible",
    ),
    (
        "dead end (loop without exit)",
        scenario("""
- id: n1
  text: Début
  choices:
    - {id: a, text: A, consequence: Ca, next: boucle}
    - {id: b, text: B, consequence: Cb, next: fin}
- id: boucle
  text: On tourne en rond.
  choices:
    - {id: encore, text: Encore, consequence: Encore, next: boucle}
- id: fin
  ending: mixed
  text: Fin
"""),
        "sc",
        "nodes.boucle",
        "impasse",
    ),
    (
        "node with neither choices nor ending",
        scenario(
            GOOD_NODES
            + """
- id: vide
  text: Rien
"""
        ),
        "sc",
        None,
        "ni choix ni « ending »",
    ),
    (
        "bad ending quality",
        scenario("""
- id: n1
  text: Début
  choices:
    - {id: a, text: A, consequence: Ca, next: fin}
- id: fin
  ending: excellent
  text: Bravo
"""),
        "sc",
        "nodes.fin.ending",
        "valeur non permise",
    ),
    (
        "invalid id",
        """
  - id: Q 1
    type: reflection
    prompt: Pensez-y.
""",
        "Q 1",
        "id",
        "identifiant invalide",
    ),
]


def write_course(root: Path, name: str, body: str, header: str | None = None) -> Path:
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text("title: test\n", encoding="utf-8")
    path = root / "exercises" / f"{name}.yaml"
    path.write_text(
        (header if header is not None else f"module: {name}\ntitle: Test\nexercises:\n") + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("case,body,exercise,field,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_rejected_with_file_id_and_field(
    tmp_path, case, body, exercise, field, words
):
    write_course(tmp_path, "demo", body)
    with pytest.raises(ExerciseDataError) as caught:
        load_bank(tmp_path)
    problems = caught.value.problems
    assert any(
        p.file == "exercises/demo.yaml"
        and p.exercise == exercise
        and (field is None or p.field == field)
        and words in p.message
        for p in problems
    ), f"{case}: no problem matched; got {[str(p) for p in problems]}"
    text = str(caught.value)
    assert "exercises/demo.yaml" in text and f"exercice « {exercise} »" in text


def test_invalid_yaml_names_file_and_line(tmp_path):
    write_course(tmp_path, "demo", "  - id: q1\n    type: [single\n")
    with pytest.raises(ExerciseDataError) as caught:
        load_bank(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == "exercises/demo.yaml"
    assert "YAML invalide" in problem.message and "ligne" in problem.message


def test_module_id_must_match_file_name(tmp_path):
    write_course(tmp_path, "demo", GOOD_SINGLE, header="module: autre\ntitle: T\nexercises:\n")
    with pytest.raises(ExerciseDataError) as caught:
        load_bank(tmp_path)
    assert [(p.field, "demo" in p.message) for p in caught.value.problems] == [("module", True)]


def test_every_problem_of_every_file_is_listed(tmp_path):
    write_course(tmp_path, "un", BROKEN[0][1])
    write_course(tmp_path, "deux", BROKEN[1][1] + BROKEN[2][1])
    with pytest.raises(ExerciseDataError) as caught:
        load_bank(tmp_path)
    found = {(p.file, p.exercise) for p in caught.value.problems}
    assert found == {
        ("exercises/un.yaml", "q1"),
        ("exercises/deux.yaml", "q9"),
        ("exercises/deux.yaml", "q2"),
    }


def test_the_course_bank_is_valid():
    bank = load_bank(ROOT)
    assert "conditions" in bank.modules
    assert len(bank.refs()) == len(set(bank.refs()))


def test_find_root_walks_up_from_a_notebook_folder():
    assert find_root(ROOT / "book" / "modules") == ROOT


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exercisekit", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_command_passes_on_the_course():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK")


def test_check_command_fails_on_garbage_appended_to_any_course_file(tmp_path):
    """Appending garbage to a real exercise file makes `check` fail and name that file."""
    for source in sorted((ROOT / "exercises").glob("*.yaml")):
        course = tmp_path / source.stem
        (course / "exercises").mkdir(parents=True)
        (course / "_config.yml").write_text("title: t\n", encoding="utf-8")
        for other in (ROOT / "exercises").glob("*.yaml"):
            (course / "exercises" / other.name).write_text(
                other.read_text(encoding="utf-8"), encoding="utf-8"
            )
        target = course / "exercises" / source.name
        target.write_text(
            target.read_text(encoding="utf-8") + "\n}}} garbage: [\n", encoding="utf-8"
        )
        result = run_check(course)
        assert result.returncode == 1
        assert f"exercises/{source.name}" in result.stderr
        assert "Traceback" not in result.stderr


def test_colon_in_unquoted_french_text_gets_a_hint(tmp_path):
    write_course(
        tmp_path,
        "demo",
        "  - id: q1\n    type: reflection\n    prompt: Pensez à ceci : votre rôle.\n",
    )
    with pytest.raises(ExerciseDataError) as caught:
        load_bank(tmp_path)
    (problem,) = caught.value.problems
    assert "ligne 6" in problem.message and "guillemets" in problem.message
