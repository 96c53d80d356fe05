"""The self-assessment's competencies (`course/competences.yaml`): validated data, one source.

The three lists of the source page (4 savoirs, 7 savoir-être, 5 savoir-faire), word for
word, each with the module pages that work on it. The browser page and the live widgets
both read this file; `python -m exercisekit check` and the book build validate it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from exercisekit.bank.errors import ExerciseDataError, Problem
from exercisekit.bank.model import Ident, Strict, Text, _unique

COMPETENCIES_FILE = "course/competences.yaml"
FAMILY_SIZES = {"savoirs": 4, "savoir-etre": 7, "savoir-faire": 5}


class Level(Strict):
    level: int = Field(ge=1, le=9)
    label: Text


class Competency(Strict):
    id: Ident
    short: Text
    text: Text
    modules: list[Text] = Field(min_length=1)


class Family(Strict):
    id: Literal["savoirs", "savoir-etre", "savoir-faire"]
    label: Text
    description: Text
    items: list[Competency]

    @model_validator(mode="after")
    def _size(self) -> Family:
        expected = FAMILY_SIZES[self.id]
        if len(self.items) != expected:
            raise ValueError(
                f"la liste « {self.id} » de la source compte {expected} énoncés (trouvé {len(self.items)})"
            )
        return self


class Competencies(Strict):
    scale: list[Level] = Field(min_length=2)
    families: list[Family] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _unique_ids(self) -> Competencies:
        _unique([c.id for c in self.items()], "de compétence")
        levels = [lv.level for lv in self.scale]
        if levels != list(range(1, len(levels) + 1)):
            raise ValueError("l'échelle doit numéroter ses niveaux 1, 2, 3… dans l'ordre")
        return self

    def items(self) -> list[Competency]:
        return [c for f in self.families for c in f.items]

    def low(self, ratings: dict[str, int]) -> list[Competency]:
        """Competencies rated in the lower half of the scale: the ones to work on."""
        threshold = len(self.scale) // 2
        return [c for c in self.items() if c.id in ratings and ratings[c.id] <= threshold]


def load_competencies(root: Path) -> Competencies:
    """Load and check `course/competences.yaml`; every module page it names must exist."""
    path = root / COMPETENCIES_FILE
    name = COMPETENCIES_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = Competencies.model_validate(raw)
    except FileNotFoundError:
        raise ExerciseDataError([Problem(name, None, None, "fichier introuvable")]) from None
    except yaml.YAMLError as err:
        raise ExerciseDataError([Problem(name, None, None, f"YAML invalide : {err}")]) from None
    except ValidationError as err:
        problems = [
            Problem(
                name,
                None,
                ".".join(str(p) for p in e["loc"]) or None,
                str(e.get("ctx", {}).get("error", e["msg"])),
            )
            for e in err.errors()
        ]
        raise ExerciseDataError(problems) from None
    problems = [
        Problem(name, None, f"{c.id}.modules", f"page « {m} » introuvable (attendu : {m}.md)")
        for c in data.items()
        for m in c.modules
        if not (root / f"{m}.md").is_file()
    ]
    if problems:
        raise ExerciseDataError(problems)
    return data
