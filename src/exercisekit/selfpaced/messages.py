"""The words of « Mon espace » (progress, journal, self-assessment), in French: one table for the
browser runtime (merged into its messages at build time) and for the live widgets. Written with
ordinary spaces, held with their French no-break spaces (`render/typography.py`)."""

from exercisekit.render.typography import french_text

MESSAGES: dict[str, str] = {
    "progress": "{done} exercices sur {total} faits",
    "progress_module": "Progression dans ce module : {done} exercices sur {total} faits.",
    "progress_all": "Au total : {done} exercices sur {total} faits.",
    "my_path": "Mon parcours",
    "resume": "Reprendre là où vous en étiez : {module}, exercice {n}",
    "start": "Commencer : {module}",
    "all_done": "Vous avez fait tous les exercices du cours. Bravo !",
    "continue_at": "Continuer à l'exercice {n}",
    "review": "Revoir le module",
    "begin": "Commencer le module",
    "reset_title": "Recommencer à zéro",
    "reset_intro": "Effacez vos réponses et vos mises en situation enregistrées dans ce navigateur.",
    "reset_ask": "Effacer ma progression…",
    "reset_question": "Effacer toutes vos réponses et mises en situation ? On ne peut pas revenir en arrière.",
    "reset_journal": "Effacer aussi mon journal et mon autoévaluation",
    "reset_yes": "Oui, effacer",
    "reset_no": "Annuler",
    "reset_done": "Votre progression a été effacée ({count} entrées).",
    "reset_cancelled": "Rien n'a été effacé.",
    "corrupt_found": "{count} donnée(s) illisible(s) ou d'une ancienne version ont été mises de côté dans ce navigateur (rien n'a été effacé).",
    "corrupt_download": "Télécharger les données mises de côté",
    "corrupt_delete": "Supprimer les données mises de côté",
    "corrupt_deleted": "Les données mises de côté ont été supprimées.",
    "journal_export": "Exporter mon journal (Markdown)",
    "journal_print": "Imprimer mon journal",
    "journal_import": "Importer un journal exporté (fichier .md)",
    "journal_title": "Mon journal de pratique réflexive",
    "journal_course": "Cours « Accompagner un collectif de partenaires »",
    "journal_exported": "Exporté le {date}.",
    "journal_empty": "Pas encore de réflexion.",
    "journal_none": "Votre journal est vide pour l'instant : les questions de pratique réflexive des modules l'alimentent.",
    "journal_written": "Écrit le {date}.",
    "journal_write": "Écrire dans le module",
    "journal_other": "Autres entrées",
    "journal_imported": "Import terminé : {added} entrée(s) ajoutée(s) ou mise(s) à jour, {kept} gardée(s) parce qu'elles sont plus récentes dans ce navigateur.",
    "journal_bad_file": "Ce fichier n'est pas un journal exporté de ce cours : rien n'a été modifié.",
    "journal_download": "Le fichier {name} a été créé.",
    "self_moment": "Je me situe :",
    "self_before": "Avant le cours (au début)",
    "self_after": "Après le cours (à la fin)",
    "self_saved": "Enregistré : {item} — {label}.",
    "self_chart": "Avant et après",
    "self_legend": "Barre hachurée : avant le cours. Barre pleine : après le cours. Échelle de 1 à {max}.",
    "self_before_short": "Avant",
    "self_after_short": "Après",
    "self_not_rated": "pas encore situé",
    "self_low": "À travailler",
    "self_low_intro": "Les énoncés où vous vous situez au niveau {max} ou moins (votre regard le plus récent) et les modules qui les travaillent :",
    "self_low_none": "Aucun énoncé situé au niveau {max} ou moins pour l'instant.",
    "self_worked_in": "à travailler dans :",
    "storage_old": (
        "Des données enregistrées par une ancienne version du cours ont été mises de côté "
        "(rien n'a été effacé)."
    ),
}
MESSAGES = {key: french_text(text) for key, text in MESSAGES.items()}
