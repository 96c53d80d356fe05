"""Is every objective assessed, and does every assessed exercise say what it assesses?

Pure checks over a loaded bank, each finding a `Problem` that names the file, the exercise and
the field, like every other error:
- a module declares its objectives (`objectives:` in its file, shown in the page's « En bref »);
- every graded item and scenario names its objective(s) and its level (`recall`,
  `application`, `analysis`);
- every objective is assessed by at least one graded item or scenario;
- every scenario choice says its quality, and no ending is better than the worst choice on a
  path to it (`graph.path_problems`);
- every reflection gives the learner two to four criteria to judge an answer.
"""

from __future__ import annotations

from exercisekit.bank.errors import Problem
from exercisekit.bank.graph import missing_quality, path_problems
from exercisekit.bank.loader import EXERCISES_DIR, Bank
from exercisekit.bank.model import ASSESSING_TYPES, LEVELS, Module

MIN_CRITERIA = 2


def module_file(module: Module) -> str:
    return f"{EXERCISES_DIR}/{module.module}.yaml"


def module_findings(module: Module) -> list[Problem]:
    name = module_file(module)
    found: list[Problem] = []
    if not module.objectives:
        found.append(Problem(name, None, "objectives", "le module ne déclare aucun objectif"))
    assessed: set[str] = set()
    for exercise in module.exercises:
        if exercise.type in ASSESSING_TYPES:
            if not exercise.objectives:
                found.append(
                    Problem(
                        name,
                        exercise.id,
                        "objectives",
                        "nommez l'objectif ou les objectifs évalués",
                    )
                )
            if exercise.level is None:
                found.append(
                    Problem(name, exercise.id, "level", f"niveau manquant ({', '.join(LEVELS)})")
                )
            assessed.update(exercise.objectives)
        if exercise.type == "scenario":
            for field, message in missing_quality(exercise) + path_problems(exercise):
                found.append(Problem(name, exercise.id, field, message))
        if exercise.type == "reflection" and len(exercise.criteria) < MIN_CRITERIA:
            found.append(
                Problem(
                    name,
                    exercise.id,
                    "criteria",
                    f"donnez de {MIN_CRITERIA} à 4 critères pour juger une réponse "
                    f"(trouvé {len(exercise.criteria)})",
                )
            )
    for objective in module.objectives:
        if objective.id not in assessed:
            found.append(
                Problem(
                    name,
                    None,
                    f"objectives.{objective.id}",
                    "aucune question notée ni mise en situation n'évalue cet objectif",
                )
            )
    return found


def alignment_findings(bank: Bank) -> list[Problem]:
    return [p for module in bank.modules.values() for p in module_findings(module)]
