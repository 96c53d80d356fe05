"""What the SCORM adapter tells the learner, in French (written into the adapter at packaging).

Every message says where the learner's work is: it is always kept in this browser first."""

MESSAGES: dict[str, str] = {
    "no_lms": (
        "Aucune plateforme de formation n'a été trouvée : vos réponses sont gardées dans ce "
        "navigateur seulement, elles ne seront ni transmises ni notées."
    ),
    "init_failed": (
        "La plateforme de formation n'a pas ouvert la session (erreur {code}) : vos réponses sont "
        "gardées dans ce navigateur seulement. Fermez puis rouvrez l'activité ; si le message "
        "revient, prévenez l'équipe de formation."
    ),
    "refused": (
        "La plateforme de formation a refusé d'enregistrer votre progression (erreur {code}). "
        "Vos réponses restent gardées dans ce navigateur ; si le message revient, prévenez "
        "l'équipe de formation."
    ),
    "full": (
        "Votre progression dépasse la place que la plateforme réserve à la reprise ({limit} "
        "caractères) : elle reste gardée dans ce navigateur, mais vous ne la retrouverez pas sur "
        "un autre ordinateur. Votre note et vos réponses sont tout de même transmises."
    ),
    "resumed": "Votre progression enregistrée sur la plateforme de formation a été reprise.",
}
