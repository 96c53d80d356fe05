"""The learner-facing words of every exercise, in French: one table for both renderers.

The Sphinx extension writes this table into the browser runtime at build time, so the
live widgets and the static page can never word a verdict differently. The words are written
with ordinary spaces; the table holds them with their French no-break spaces
(`render/typography.py`), for every renderer.
"""

from exercisekit.render.typography import french_text

MESSAGES: dict[str, str] = {
    "check": "Vérifier",
    "retry": "Recommencer",
    "choose": "— Choisir —",
    "move_up": "Monter",
    "move_down": "Descendre",
    "moved": "« {item} » est maintenant en position {pos} sur {total}.",
    "position": "Position {pos}",
    "status_correct": "Bonne réponse.",
    "status_partial": "Réponse en partie juste.",
    "status_incorrect": "Réponse à revoir.",
    "status_incomplete": "Réponse incomplète : répondez à chaque élément avant de vérifier.",
    "status_done": "Choix enregistré. Il n'y a pas de réponse unique : voici ce que chaque option gagne et ce qu'elle coûte.",
    "dilemma_kicker": "Dilemme",
    "dilemma_hint": "(plusieurs options sont défendables : choisissez la vôtre, puis comparez)",
    "dilemma_check": "Comparer les options",
    "your_choice": "Votre choix",
    "benefit": "Ce que cette option gagne",
    "cost": "Ce qu'elle coûte",
    "quality_good": "Choix porteur",
    "quality_mixed": "Choix défendable, avec un coût",
    "quality_poor": "Choix à revoir",
    "your_decisions": "Vos décisions sur ce chemin",
    "mastery_rule": "Réussir ce module : répondre à toutes les questions notées, en réussir au moins {pct} % du premier coup, et mener chaque mise en situation jusqu'à une fin. Les dilemmes et les réflexions comptent comme faits, sans note.",
    "score": "{score} sur {total}",
    "mark_right": "Juste",
    "mark_wrong": "À revoir",
    "selected": "Cochée",
    "not_selected": "Non cochée",
    "your_answer": "Votre réponse : {answer}",
    "true": "Vrai",
    "false": "Faux",
    "expected_category": "Catégorie attendue : {category}.",
    "expected_position": "Position attendue : {pos}.",
    "explanation": "Pourquoi",
    "scenario_choices": "Que faites-vous ?",
    "scenario_consequence": "Ce qui se passe",
    "scenario_ending": "Fin du scénario",
    "ending_good": "Issue favorable",
    "ending_mixed": "Issue mitigée",
    "ending_poor": "Issue défavorable",
    "your_path": "Vos décisions",
    "reflection_saved": "Enregistré dans ce navigateur à {time}.",
    "reflection_label": "Votre réflexion (privée, enregistrée seulement dans ce navigateur)",
    # In a Jupyter kernel the same words name where the data really goes: a local file.
    "reflection_label_kernel": "Votre réflexion (privée, enregistrée seulement dans un fichier sur cet ordinateur : {path})",
    "true_or_false": "Vrai ou faux ?",
    "hints": "Pistes de réflexion",
    "criteria": "Pour relire votre réponse",
    "noscript": "Cet exercice interactif demande JavaScript.",
    "storage_off": (
        "Ce navigateur n'enregistre pas vos réponses (stockage désactivé, plein ou navigation "
        "privée) : elles seront perdues en quittant la page."
    ),
    "storage_quota": (
        "L'entrée « {entry} » n'a pas pu être enregistrée : elle dépasse l'espace que ce navigateur "
        "accorde au cours. Vos autres réponses restent enregistrées ; copiez ce texte ailleurs ou "
        "raccourcissez-le."
    ),
    "storage_corrupt": (
        "Des données enregistrées illisibles ont été mises de côté (rien n'a été effacé). "
        "Vos nouvelles réponses sont enregistrées normalement."
    ),
}
MESSAGES = {key: french_text(text) for key, text in MESSAGES.items()}

ENDING_LABELS = {"good": "ending_good", "mixed": "ending_mixed", "poor": "ending_poor"}
ICONS = {"correct": "✔", "partial": "◐", "incorrect": "✘", "incomplete": "…", "done": "✎"}


def message(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)


def kernel_storage_note(path: object) -> str:
    """Where a reflection typed in a live widget is kept: the state file, named by its path."""
    return message("reflection_label_kernel", path=path)
