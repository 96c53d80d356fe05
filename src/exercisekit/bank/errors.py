"""Errors an author can act on: each names the file, the exercise id and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one exercise file."""

    file: str
    exercise: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.exercise:
            where.append(f"exercice « {self.exercise} »")
        if self.field:
            where.append(f"champ « {self.field} »")
        return " — ".join(where) + f" : {self.message}"


class ExerciseDataError(Exception):
    """Raised when one or more exercise files are invalid; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{len(problems)} problème(s) dans les fichiers d'exercices :"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class UnknownExercise(LookupError):
    """`show("module/id")` named an exercise that does not exist."""
