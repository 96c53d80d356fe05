"""The course's shape and fidelity: every module has what docs/guide-redaction.md requires,
every exercise is shown exactly once, and every fact of the source page reaches the course."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from french_text import book_pages

from exercisekit import load_bank
from exercisekit.bank.graph import ending_paths, scenario_problems
from exercisekit.bank.model import GRADED_TYPES
from exercisekit.bank.workload import estimated_minutes

ROOT = Path(__file__).resolve().parents[1]
BANK = load_bank(ROOT)
MODULES = {
    "reflexive": "01-reflexive",
    "conditions": "02-conditions",
    "savoirs": "03-savoirs",
    "succes": "04-succes",
    "affiliation": "05-double-affiliation",
    "cssspnql": "06-cssspnql",
    "synthese": "07-synthese",
}
SHOW = re.compile(r'show\("([^"]+)"\)')


def page(module: str) -> str:
    return (ROOT / "book" / "modules" / f"{MODULES[module]}.md").read_text(encoding="utf-8")


def all_course_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in book_pages(ROOT)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "exercises").glob("*.yaml"))]
    return re.sub(r"\s+", " ", "\n".join(texts).replace("’", "'").replace("\u00a0", " "))


def test_every_module_has_an_exercise_file():
    assert set(BANK.modules) == set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_page_has_objectives_time_and_summary(module):
    text = page(module)
    assert re.search(r"\*\*Durée estimée :\*\* \d+ minutes", text)
    brief = text.split("**À la fin de ce module, vous pourrez :**", 1)
    assert len(brief) == 2, "objectives missing"
    # The objectives are data (exercises/<module>.yaml), shown by one directive.
    assert re.search(r"```\{exercisekit-objectives\}\n:module: " + module + r"\n```", brief[1])
    objectives = BANK.modules[module].objectives
    assert 3 <= len(objectives) <= 6, f"{len(objectives)} objectives"
    for objective in objectives:
        assert re.match(r"\*\*[^*]+\*\* ", objective.text), objective.id
    assert ":::{admonition} À retenir" in text
    for heading in (
        "## Testez votre compréhension",
        "## Mise en situation",
        "## Pratique réflexive",
    ):
        assert heading in text


@pytest.mark.parametrize("module", MODULES)
def test_module_quiz_scenario_and_reflection(module):
    exercises = BANK.modules[module].exercises
    graded = [e for e in exercises if e.type in GRADED_TYPES]
    assert len(graded) >= 6
    assert len({e.type for e in graded}) >= 3
    reflections = [e for e in exercises if e.type == "reflection"]
    assert 2 <= len(reflections) <= 4
    scenarios = [e for e in exercises if e.type == "scenario"]
    assert scenarios
    for scenario in scenarios:
        assert scenario_problems(scenario) == []
        decisions = [n for n in scenario.nodes if n.choices]
        assert len(decisions) >= 3, scenario.id
        assert {"good", "mixed", "poor"} <= {n.ending for n in scenario.nodes if n.ending}, (
            scenario.id
        )
        assert max(len(choices) for choices, _ in ending_paths(scenario)) >= 3, scenario.id


def test_every_exercise_is_shown_exactly_once_on_its_module_page():
    shown: dict[str, list[str]] = {}
    for path in book_pages(ROOT):
        for ref in SHOW.findall(path.read_text(encoding="utf-8")):
            shown.setdefault(ref, []).append(str(path.relative_to(ROOT)))
    assert set(shown) == set(BANK.refs())
    for ref, places in shown.items():
        module = ref.split("/")[0]
        assert places == [f"book/modules/{MODULES[module]}.md"], (ref, places)


# Every fact of the source page, in words the course must contain (case-insensitive).
SOURCE_FACTS = [
    # Opening quotes and their attributions
    "devenir objet de sa propre réflexion",
    "Callero 2003; Etherington, 2007",
    "bien intentionné",
    "bien informé",
    "poser les actions nécessaires",
    # RePA
    "janvier 2016",
    "février 2018",
    "entrevues semi-dirigées",
    "analyse thématique",
    "validation des résultats",
    "recommandations",
    "situations complexes de travail collectif intersectoriel",
    "le temps",
    "structure de soutien",
    "l'expertise",
    "rythme du milieu",
    "lien de confiance",
    "durée suffisante",
    "fonction de coordination",
    "souplesse",
    "rigueur",
    "spécialistes de contenus",
    "coaching",
    "codéveloppement",
    "formation",
    "mentorat",
    # Savoirs
    "développement des communautés",
    "animation de groupes",
    "planification stratégique",
    "gouvernance",
    "gestion financière",
    "ressources humaines",
    "outils de travail",
    "processus administratifs",
    "connaissance de la communauté",
    "petite enfance",
    "défavorisation",
    "développement global",
    "évaluation",
    # Savoir-être
    "ouverture",
    "respect",
    "intégrité",
    "humilité",
    "lâcher-prise",
    "incertitude",
    "ambiguïté",
    "confiant",
    "patient",
    # Savoir-faire
    "être à l'écoute du groupe",
    "lecture du groupe",
    "habiletés « politiques »",
    "préjugés",
    "réflexivité",
    # Conditions of success
    "Répondant RePA",
    "agents qui accompagnons le changement",
    "emprise restreinte",
    "dualité du rôle",
    "questions, d'informations, d'idées ou de suggestions",
    "double affiliation",
    "crédibilité",
    "légitimité",
    # Advantages and limits
    "processus administratifs",
    "mobilisation des communautés",
    "transparence",
    "déontologie",
    "soutiens",
    "proximité",
    "ambivalence",
    "relation de pouvoir",
    "reddition de comptes",
    "confidentialité",
    "refus de la subvention",
    "diminution de l'octroi",
    "surchargé",
    "isolement",
    "régions éloignées",
    "lecture fine",
    "intérêts parfois divergents",
    "rendre explicites les exigences",
    "levier",
    "pouvoir d'agir",
    "prévention",
    "limité par la durée",
    # CSSSPNQL
    "Commission de la santé et des services sociaux des Premières Nations du Québec et du Labrador",
    "25 communautés",
    "2013-2018",
    "mobilisation communautaire",
    "renforcement des capacités",
    "effets non attendus",
    "ingrédients essentiels",
    # Further reading and note 1
    "Rapport synthèse",
    "juillet 2018",
    "Version intégrale",
    "février 2019",
    "Cadre d'accompagnement des communautés et des organisations des Premières Nations au Québec",
]


def test_every_fact_of_the_source_reaches_the_course():
    text = all_course_text().lower()
    missing = [fact for fact in SOURCE_FACTS if fact.lower() not in text]
    assert not missing, f"facts of the source page not found in the course: {missing}"


def test_source_page_is_credited_with_its_link():
    text = all_course_text()
    assert "agirtot.org/zoom-sur/accompagnement-d-un-collectif-de-partenaires-2-de-3" in text


def test_first_nations_module_carries_the_review_note_and_pcap():
    text = page("cssspnql")
    assert "PCAP" in text
    assert re.search(r"revu[es]? avec des partenaires des Premières Nations", text)


def test_welcome_page_times_match_the_modules():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    for module, stem in MODULES.items():
        minutes = re.search(r"\*\*Durée estimée :\*\* (\d+) minutes", page(module)).group(1)
        assert re.search(rf"\(modules/{stem}\.md\) \| {minutes} minutes \|", intro), module


@pytest.mark.parametrize("module", MODULES)
def test_stated_duration_follows_the_module_s_size(module):
    """A module that grows (more prose, more exercises) gets a new « Durée estimée »: the stated
    time stays within ten minutes of the estimate from its words and exercises."""
    text = page(module)
    stated = int(re.search(r"\*\*Durée estimée :\*\* (\d+) minutes", text).group(1))
    estimate = estimated_minutes(text, BANK.modules[module].exercises)
    assert abs(stated - estimate) <= 10, (
        f"{module}: {stated} min stated, about {estimate} estimated"
    )


def test_welcome_page_total_matches_the_modules():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    total = sum(int(m) for m in re.findall(r"\.md\) \| (\d+) minutes \|", intro))
    hours = {4: "quatre", 5: "cinq", 6: "six", 7: "sept"}[round(total / 60)]
    assert f"**environ {hours} heures**" in intro, f"{total} minutes in all"
