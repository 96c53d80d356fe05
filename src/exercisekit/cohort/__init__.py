"""Workshops with a cohort: opt-in learning records sent to an xAPI LRS (Ralph), and the
facilitator's debrief view.

Nothing here runs unless a facilitator creates a cohort and a participant joins it on purpose:
`cohorts` creates and serves a cohort (credentials outside the repository, Ralph's auth file,
the join and read links, the QR code); `profile` is the one xAPI profile; the browser side is
`render/assets/exercisekit-cohort.js` (joining, consent, queue) and `exercisekit-board.js`
(« Tableau de la cohorte »), written by the Sphinx extension `sphinx/cohort.py`.
"""
