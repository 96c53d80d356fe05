"""Loading and validating `exercises/*.yaml` into the model, with errors an author can act on."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from exercisekit.bank.errors import ExerciseDataError, Problem, UnknownExercise
from exercisekit.bank.graph import scenario_problems
from exercisekit.bank.lms_limits import lms_problems
from exercisekit.bank.model import EXERCISE_TYPES, Exercise, Module, Scenario
from exercisekit.bank.presentation import present

ENV_ROOT = "EXERCISEKIT_ROOT"
EXERCISES_DIR = "exercises"

_exercise_adapter: TypeAdapter[Exercise] = TypeAdapter(Exercise)


@dataclass(frozen=True)
class Bank:
    """Every module of the course, keyed by module id, in file-name order."""

    modules: dict[str, Module]
    # The course folder it was loaded from: where the module pages (and their order) are.
    root: Path | None = None

    def get(self, ref: str) -> Exercise:
        """Look up "module/exercise-id"."""
        module_id, _, exercise_id = ref.partition("/")
        module = self.modules.get(module_id)
        if module is None:
            raise UnknownExercise(
                f"module « {module_id} » inconnu (modules : {', '.join(self.modules) or 'aucun'})"
            )
        for exercise in module.exercises:
            if exercise.id == exercise_id:
                return exercise
        known = ", ".join(e.id for e in module.exercises)
        raise UnknownExercise(f"exercice « {ref} » inconnu (dans {module_id} : {known})")

    def refs(self) -> list[str]:
        return [f"{m.module}/{e.id}" for m in self.modules.values() for e in m.exercises]


def find_root(start: Path | None = None) -> Path:
    """The course root: $EXERCISEKIT_ROOT, else the nearest folder upward holding `exercises/`.

    Notebooks execute with their own folder as working directory, so walking upward finds
    the repository from `book/` as well as from a scratch copy inside it.
    """
    if os.environ.get(ENV_ROOT):
        return Path(os.environ[ENV_ROOT]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / EXERCISES_DIR).is_dir() and (folder / "_config.yml").is_file():
            return folder
    raise FileNotFoundError(
        f"dossier « {EXERCISES_DIR}/ » introuvable depuis {here} ; "
        f"définissez {ENV_ROOT} vers la racine du cours"
    )


def load_module_file(
    path: Path, display_name: str | None = None
) -> tuple[Module | None, list[Problem]]:
    """Parse and validate one file; never raises for bad content, returns its problems."""
    name = display_name or path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        if "mapping values are not allowed" in problem:
            # The usual cause in French text: « : » inside an unquoted line.
            problem += (
                " — un texte qui contient « : » doit être écrit après « >- » sur la ligne"
                " suivante, ou entre guillemets"
            )
        return None, [Problem(name, None, None, f"YAML invalide{where} : {problem}")]
    except UnicodeDecodeError as err:
        return None, [Problem(name, None, None, f"le fichier n'est pas en UTF-8 ({err.reason})")]

    if not isinstance(raw, dict):
        return None, [
            Problem(
                name, None, None, "le fichier doit contenir « module », « title » et « exercises »"
            )
        ]
    problems = _module_problems(raw, name, path.stem)
    if problems:
        return None, problems
    return present(Module.model_validate(raw)), []


def _module_problems(raw: dict[str, Any], name: str, stem: str) -> list[Problem]:
    """Validate field by field, so one bad exercise does not hide the others' problems."""
    problems: list[Problem] = []
    for key in ("module", "title", "exercises"):
        if key not in raw:
            problems.append(Problem(name, None, key, "champ obligatoire manquant"))
    for key in raw:
        if key not in ("module", "title", "objectives", "exercises"):
            problems.append(Problem(name, None, str(key), "champ inconnu"))
    if raw.get("module") not in (None, stem):
        problems.append(
            Problem(name, None, "module", f"doit être « {stem} », le nom du fichier sans extension")
        )
    exercises = raw.get("exercises")
    if "exercises" in raw and (not isinstance(exercises, list) or not exercises):
        problems.append(
            Problem(name, None, "exercises", "doit être une liste d'au moins un exercice")
        )
        exercises = []
    seen: set[str] = set()
    for index, item in enumerate(exercises or []):
        ident = item.get("id") if isinstance(item, dict) else None
        label = str(ident) if ident else f"n° {index + 1}"
        if not isinstance(item, dict):
            problems.append(
                Problem(name, label, None, "un exercice doit être un dictionnaire de champs")
            )
            continue
        if ident in seen:
            problems.append(Problem(name, label, "id", "identifiant déjà utilisé dans ce fichier"))
        seen.add(ident)
        try:
            exercise = _exercise_adapter.validate_python(item)
        except ValidationError as err:
            problems += [Problem(name, label, *_describe(e, item)) for e in err.errors()]
            continue
        if isinstance(exercise, Scenario):
            problems += [Problem(name, label, f, m) for f, m in scenario_problems(exercise)]
        problems += [Problem(name, label, f, m) for f, m in lms_problems(exercise)]
        problems += [
            Problem(name, label, "objectives", f"objectif « {o} » inconnu ({_declared(raw)})")
            for o in getattr(exercise, "objectives", [])
            if o not in _objective_ids(raw)
        ]
    if not problems:
        try:
            Module.model_validate(raw)
        except ValidationError as err:
            problems += [Problem(name, None, *_describe(e, raw)) for e in err.errors()]
    return problems


def _objective_ids(raw: dict[str, Any]) -> set[str]:
    found = raw.get("objectives")
    return {o.get("id") for o in found if isinstance(o, dict)} if isinstance(found, list) else set()


def _declared(raw: dict[str, Any]) -> str:
    ids = sorted(i for i in _objective_ids(raw) if isinstance(i, str))
    return (
        "objectifs du module : " + ", ".join(ids) if ids else "le module ne déclare aucun objectif"
    )


_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_type": "doit être un texte",
    "bool_type": "doit être true ou false",
    "bool_parsing": "doit être true ou false",
    "list_type": "doit être une liste",
    "string_too_short": "ne doit pas être vide",
    "model_type": "doit être un dictionnaire de champs",
    "model_attributes_type": "doit être un dictionnaire de champs",
}


def _describe(error: dict[str, Any], raw: Any) -> tuple[str | None, str]:
    """Turn one pydantic error into (field path, French message).

    List positions are replaced by the element's own id when it has one, so the author
    reads `options.b.feedback` rather than `options.1.feedback`.
    """
    loc = list(error["loc"])
    # The discriminated union puts the type tag in the path: drop it.
    if loc and loc[0] in EXERCISE_TYPES:
        loc = loc[1:]
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            element = node[step]
            ident = element.get("id") if isinstance(element, dict) else None
            parts.append(str(ident) if ident else f"[{step + 1}]")
            node = element
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    field = ".".join(parts) or None
    kind = error["type"]
    if kind in _MESSAGES:
        message = _MESSAGES[kind]
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        message = f"type d'exercice inconnu ou absent (attendu : {', '.join(EXERCISE_TYPES)})"
        field = "type"
    elif kind == "string_pattern_mismatch":
        message = "identifiant invalide : lettres minuscules sans accent, chiffres, « - » ou « _ »"
    elif kind == "too_short":
        message = f"il en faut au moins {error.get('ctx', {}).get('min_length', 1)}"
    elif kind == "literal_error":
        message = f"valeur non permise (attendu : {error.get('ctx', {}).get('expected', '?')})"
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        message = error["msg"]
    return field, message


def load_bank(root: Path | None = None) -> Bank:
    """Load every `exercises/*.yaml` of the course, or raise listing every problem."""
    folder = (root or find_root()) / EXERCISES_DIR
    modules: dict[str, Module] = {}
    problems: list[Problem] = []
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    for path in files:
        module, found = load_module_file(path, f"{EXERCISES_DIR}/{path.name}")
        problems += found
        if module is not None:
            modules[module.module] = module
    if not files:
        problems.append(Problem(f"{EXERCISES_DIR}/", None, None, "aucun fichier .yaml trouvé"))
    if problems:
        raise ExerciseDataError(problems)
    return Bank(modules, folder.parent)


@lru_cache(maxsize=4)
def _cached_bank(root: str, stamp: tuple[tuple[str, float], ...]) -> Bank:
    return load_bank(Path(root))


def current_bank(root: Path | None = None) -> Bank:
    """The bank, reloaded whenever a file in `exercises/` changes (for notebooks and builds)."""
    base = root or find_root()
    folder = base / EXERCISES_DIR
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in folder.iterdir()))
    return _cached_bank(str(base), stamp)
