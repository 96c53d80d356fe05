"""The self-assessment's competencies (`course/competences.yaml`): validated data, one source.

The three lists of the source page (4 savoirs, 7 savoir-être, 5 savoir-faire), word for
word, each with the module pages that work on it; then, optionally, a fourth family `cours`:
competencies the course teaches that are not in the source's lists (double affiliation, PCAP®,
codéveloppement…), 1 to 6 of them, shown last and labelled as the course's. The browser page
and the live widgets both read this file; `python -m exercisekit check` and the book build
validate it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from exercisekit.bank.errors import ExerciseDataError, Problem
from exercisekit.bank.model import Ident, Strict, Text, _unique

COMPETENCIES_FILE = "course/competences.yaml"
# The source page's three lists: exact sizes, each family once.
FAMILY_SIZES = {"savoirs": 4, "savoir-etre": 7, "savoir-faire": 5}
# The course's own family: optional, last, marked as not the source's.
COURSE_FAMILY = "cours"
COURSE_FAMILY_SIZE = (1, 6)


class Level(Strict):
    level: int = Field(ge=1, le=9)
    label: Text


class Competency(Strict):
    id: Ident
    short: Text
    text: Text
    modules: list[Text] = Field(min_length=1)


class Family(Strict):
    id: Literal["savoirs", "savoir-etre", "savoir-faire", "cours"]
    label: Text
    description: Text
    items: list[Competency]

    @property
    def from_source(self) -> bool:
        """True for the source page's three lists; False for the course's own family."""
        return self.id != COURSE_FAMILY

    @model_validator(mode="after")
    def _size(self) -> Family:
        if not self.from_source:
            low, high = COURSE_FAMILY_SIZE
            if not low <= len(self.items) <= high:
                raise ValueError(
                    f"la famille « {COURSE_FAMILY} » (compétences propres au cours) compte de "
                    f"{low} à {high} énoncés (trouvé {len(self.items)})"
                )
            return self
        expected = FAMILY_SIZES[self.id]
        if len(self.items) != expected:
            raise ValueError(
                f"la liste « {self.id} » de la source compte {expected} énoncés (trouvé {len(self.items)})"
            )
        return self


class Competencies(Strict):
    scale: list[Level] = Field(min_length=2)
    families: list[Family] = Field(min_length=3, max_length=4)

    @model_validator(mode="after")
    def _unique_ids(self) -> Competencies:
        ids = [f.id for f in self.families]
        _unique(ids, "de famille")
        if sorted(i for i in ids if i != COURSE_FAMILY) != sorted(FAMILY_SIZES):
            raise ValueError(
                "les trois listes de la source (savoirs, savoir-etre, savoir-faire) sont "
                f"requises (trouvé : {', '.join(ids)})"
            )
        if COURSE_FAMILY in ids and ids[-1] != COURSE_FAMILY:
            raise ValueError(
                f"la famille « {COURSE_FAMILY} » (propre au cours) vient après les trois listes "
                "de la source"
            )
        _unique([c.id for c in self.items()], "de compétence")
        levels = [lv.level for lv in self.scale]
        if levels != list(range(1, len(levels) + 1)):
            raise ValueError("l'échelle doit numéroter ses niveaux 1, 2, 3… dans l'ordre")
        return self

    def items(self) -> list[Competency]:
        return [c for f in self.families for c in f.items]

    def source_items(self) -> list[Competency]:
        """The 16 statements of the source page, without the course's own family."""
        return [c for f in self.families if f.from_source for c in f.items]

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
