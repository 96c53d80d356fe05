"""The course's xAPI profile: every IRI a cohort statement may carry, in one place.

The browser (`render/assets/exercisekit-cohort.js`) reads these tables from the build, the
debrief view reads statements by them, and `docs/profil-xapi.md` writes them down (a test checks
that the document names each one). Verbs and activity types come from the ADL vocabulary
(adlnet.gov/expapi) and cmi5 where they fit; the course's own extensions live under the
course's IRI (`exercisekit_course_iri`, or the repository URL of `_config.yml`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exercisekit.course_config import read_course_config

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

VERBS: dict[str, dict[str, Any]] = {
    # A graded item checked, a dilemma option chosen, a choice made at a scenario's card.
    "answered": {
        "id": ADL_VERBS + "answered",
        "display": {"fr-CA": "a répondu", "en-US": "answered"},
    },
    # A scenario walked to an ending; a module finished (every graded item checked and every
    # scenario walked to an ending: the first half of the mastery rule).
    "completed": {
        "id": ADL_VERBS + "completed",
        "display": {"fr-CA": "a terminé", "en-US": "completed"},
    },
}

ACTIVITY_TYPES: dict[str, str] = {
    "course": ADL_ACTIVITIES + "course",
    "module": ADL_ACTIVITIES + "module",
    # Graded items, dilemmas and each card of a scenario (a choice among the card's options).
    "interaction": ADL_ACTIVITIES + "cmi.interaction",
    "scenario": ADL_ACTIVITIES + "simulation",
    "profile": ADL_ACTIVITIES + "profile",
}

# The xAPI interaction type of each kind of exercise (xAPI 1.0.3, Data, 2.4.4.1 « Interaction
# Activities »); a scenario's card is a `choice`.
INTERACTION_TYPES: dict[str, str] = {
    "single": "choice",
    "multiple": "choice",
    "dilemma": "choice",
    "true_false": "true-false",
    "classify": "matching",
    "order": "sequencing",
}

# The course's own extensions: path under the course IRI.
EXTENSIONS: dict[str, str] = {
    # result: the quality the course gives a scenario choice (good, mixed, poor)
    "quality": "xapi/extensions/qualite",
    # result: the ending's quality (good, mixed, poor) on a scenario's `completed`
    "ending": "xapi/extensions/fin",
    # result: true when this is the participant's first checked answer to the item
    "first": "xapi/extensions/premier-essai",
    # context: the cohort's id (a shared LRS can hold several cohorts)
    "cohort": "xapi/extensions/cohorte",
}
PROFILE_PATH = "xapi/profil"

# The only kinds of exercise that ever produce a statement: reflections never do.
SENT_TYPES = ("single", "multiple", "true_false", "classify", "order", "dilemma", "scenario")


def course_iri(root: Path) -> str:
    """The course's IRI: `exercisekit_course_iri` under `sphinx: config:` in `_config.yml`,
    else the repository URL; without a trailing slash."""
    config = read_course_config(root)
    iri = config.settings.get("exercisekit_course_iri") or config.repository_url
    if not iri:
        raise ValueError(
            "_config.yml : indiquez l'adresse du dépôt (repository: url:) ou exercisekit_course_iri"
        )
    return iri.rstrip("/")


def profile_for(iri: str) -> dict[str, Any]:
    """The tables the browser needs, with the extensions spelled out under the course IRI."""
    return {
        "iri": iri,
        "verbs": VERBS,
        "types": ACTIVITY_TYPES,
        "interactions": INTERACTION_TYPES,
        "extensions": {key: f"{iri}/{path}" for key, path in EXTENSIONS.items()},
        "profile": f"{iri}/{PROFILE_PATH}",
    }


def exercise_iri(iri: str, ref: str) -> str:
    return f"{iri}/exercices/{ref}"


def module_iri(iri: str, module: str) -> str:
    return f"{iri}/modules/{module}"


def card_iri(iri: str, ref: str, node: str) -> str:
    return f"{iri}/exercices/{ref}/cartes/{node}"
