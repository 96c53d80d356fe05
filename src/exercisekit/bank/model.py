"""The exercise bank's data model: what an author may write in `exercises/*.yaml`.

One YAML file holds one module's exercises. Field names are English (they are code);
every text an author writes is French course text, with inline Markdown allowed
(**gras**, *italique*, [liens](https://...)).

Models are strict (`extra="forbid"`) so that a misspelt field is an error, not an
exercise silently missing its feedback.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# A stable identifier: learners' saved answers are keyed by it, so it must never be
# derived from position or text.
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"l'identifiant {what} « {ident} » est utilisé deux fois")
        seen.add(ident)


# How an item engages the learner (revised Bloom): remembering the course's words, using them in
# a short practice situation, or taking a situation apart to diagnose it.
Level = Literal["recall", "application", "analysis"]
LEVELS = ("recall", "application", "analysis")
# A scenario choice, or an ending, judged as the course judges it.
Quality = Literal["good", "mixed", "poor"]
QUALITY_RANK = {"poor": 0, "mixed": 1, "good": 2}


class Aligned(Strict):
    """An assessed exercise names the module objectives it serves and its cognitive level.

    Optional in the schema so that one file can be revised at a time; `bank/alignment.py`
    reports what is missing, and `check` fails on it once the thresholds are errors.
    """

    objectives: list[Ident] = Field(default_factory=list)
    level: Level | None = None


class Option(Strict):
    id: Ident
    text: Text
    correct: bool = False
    feedback: Text
    # Pinned at its written position when the others are shuffled (« Aucune de ces réponses »).
    fixed: bool = False


class _ChoiceQuestion(Aligned):
    """A prompt and options, each option with its own feedback."""

    id: Ident
    prompt: Text
    options: list[Option] = Field(min_length=2)
    explanation: Text | None = None

    def _correct_count(self) -> int:
        _unique([o.id for o in self.options], "d'option")
        return sum(o.correct for o in self.options)


class SingleChoice(_ChoiceQuestion):
    """One right answer among several options."""

    type: Literal["single"]

    @model_validator(mode="after")
    def _one_correct(self) -> SingleChoice:
        count = self._correct_count()
        if count != 1:
            raise ValueError(
                f"un choix unique demande exactement une option « correct: true » (trouvé {count})"
            )
        return self


class MultipleChoice(_ChoiceQuestion):
    """Select all that apply: at least one option is correct."""

    type: Literal["multiple"]

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleChoice:
        if not self._correct_count():
            raise ValueError("un choix multiple demande au moins une option « correct: true »")
        return self


class TrueFalse(Aligned):
    """A statement judged true or false; the justification says why, either way."""

    id: Ident
    type: Literal["true_false"]
    statement: Text
    answer: bool
    justification: Text


class Category(Strict):
    id: Ident
    label: Text


class ClassifyItem(Strict):
    id: Ident
    text: Text
    category: Ident
    feedback: Text


class Classify(Aligned):
    """Sort statements into categories, by choosing a category per statement (no dragging)."""

    id: Ident
    type: Literal["classify"]
    prompt: Text
    categories: list[Category] = Field(min_length=2)
    items: list[ClassifyItem] = Field(min_length=2)
    explanation: Text | None = None

    @model_validator(mode="after")
    def _known_categories(self) -> Classify:
        _unique([c.id for c in self.categories], "de catégorie")
        _unique([i.id for i in self.items], "d'énoncé")
        known = {c.id for c in self.categories}
        for item in self.items:
            if item.category not in known:
                raise ValueError(
                    f"l'énoncé « {item.id} » renvoie à la catégorie inconnue « {item.category} »"
                    f" (catégories : {', '.join(sorted(known))})"
                )
        return self


class Step(Strict):
    id: Ident
    text: Text
    feedback: Text | None = None


class Ordering(Aligned):
    """Put steps in order; `steps` is written in the right order and shown shuffled."""

    id: Ident
    type: Literal["order"]
    prompt: Text
    steps: list[Step] = Field(min_length=3)
    explanation: Text

    @model_validator(mode="after")
    def _unique_steps(self) -> Ordering:
        _unique([s.id for s in self.steps], "d'étape")
        return self


class Choice(Strict):
    id: Ident
    text: Text
    consequence: Text
    next: Ident
    # good: what the course would do; mixed: defensible, at a cost; poor: what it calls an error.
    # An ending can be no better than the worst choice on any path to it (`bank/graph.py`).
    quality: Quality | None = None


class ScenarioNode(Strict):
    """A situation with choices, or (with `ending`) an ending with its debrief."""

    id: Ident
    title: Text | None = None
    text: Text
    choices: list[Choice] = Field(default_factory=list)
    ending: Literal["good", "mixed", "poor"] | None = None

    @model_validator(mode="after")
    def _choices_or_ending(self) -> ScenarioNode:
        if self.ending is None and not self.choices:
            raise ValueError(
                f"le nœud « {self.id} » n'a ni choix ni « ending » (good, mixed ou poor)"
            )
        if self.ending is not None and self.choices:
            raise ValueError(f"le nœud « {self.id} » est une fin : il ne peut pas avoir de choix")
        _unique([c.id for c in self.choices], "de choix")
        return self


class Scenario(Aligned):
    """A branching case scenario (mise en situation). Graph checks live in `graph.py`."""

    id: Ident
    type: Literal["scenario"]
    title: Text
    context: Text
    start: Ident
    nodes: list[ScenarioNode] = Field(min_length=2)


class DilemmaOption(Strict):
    id: Ident
    text: Text
    benefit: Text  # what this option gains
    cost: Text  # what it risks or gives up
    fixed: bool = False


class Dilemma(Aligned):
    """Several options are defensible: the learner picks one, then reads the benefit and the cost
    of every option. No verdict, no score; it counts as done once answered."""

    id: Ident
    type: Literal["dilemma"]
    prompt: Text
    options: list[DilemmaOption] = Field(min_length=2)
    explanation: Text | None = None

    @model_validator(mode="after")
    def _unique_options(self) -> Dilemma:
        _unique([o.id for o in self.options], "d'option")
        return self


class Reflection(Strict):
    """An open reflective-practice prompt: free text, never graded."""

    id: Ident
    type: Literal["reflection"]
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    # What a learner (or a mentor) can look for to judge an answer: two to four criteria.
    criteria: list[Text] = Field(default_factory=list, max_length=4)


Exercise = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | Classify
    | Ordering
    | Scenario
    | Dilemma
    | Reflection,
    Field(discriminator="type"),
]

EXERCISE_TYPES = (
    "single",
    "multiple",
    "true_false",
    "classify",
    "order",
    "scenario",
    "dilemma",
    "reflection",
)
GRADED_TYPES = ("single", "multiple", "true_false", "classify", "order")
# What an objective can be assessed by: a graded item, or a scenario whose choices carry quality.
ASSESSING_TYPES = (*GRADED_TYPES, "scenario")


class Objective(Strict):
    """A learning objective of the module, as the page's « En bref » shows it."""

    id: Ident
    text: Text  # starts with the Bloom verb in bold: « **analyser** une situation… »


class Module(Strict):
    """One file of `exercises/`: a module's objectives and exercises."""

    module: Ident
    title: Text
    objectives: list[Objective] = Field(default_factory=list)
    exercises: list[Exercise] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Module:
        _unique([e.id for e in self.exercises], "d'exercice")
        _unique([o.id for o in self.objectives], "d'objectif")
        return self
