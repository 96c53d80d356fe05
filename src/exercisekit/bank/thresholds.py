"""Every threshold of the item analysis, in one place, each with where it comes from.

The item analysis (`bank/analysis.py`) looks for cues that let a test-wise learner score without
reading the course: the key in the same position, the key as the longest option, « faux » as the
safe bet, an absolute word that gives a distractor away. Each threshold is set from what chance
alone would give, so that a bank written without cues passes and a cued bank fails. The figures
were agreed with the content authors (see docs/format-exercices.md, « Analyse des items »).

Change a value here, never in the checks, and say why in its comment.
"""

from __future__ import annotations

# The one switch. False: item-analysis findings and alignment findings (`bank/alignment.py`:
# objectives, levels, scenario paths, reflection criteria) are warnings of `check` and info
# lines of the build. True: they are errors of `check` (exit 1) and warnings of the build (so
# `-W` fails it). On since the content revision (issue 10) made the bank pass; nothing else may
# silence a finding.
ITEM_ANALYSIS_IS_ERROR = True

# --- Option length -----------------------------------------------------------------------------
# With 3 or 4 options written without a cue, the key is the strictly longest option by chance in
# about 1 item in 3 or 4 (25-33 %; with k keys among n options, about k/n). Over a bank of about
# 30 choice items the spread of that share is about ±8 points, so more than 40 % means length
# predicts the key better than chance. Counted over the bank's single and multiple items.
KEY_LONGEST_MAX_SHARE = 0.40
# The opposite cue: authors who shorten every key teach learners to strike out the longest
# option. Chance is 25-33 %; below 10 % of about 30 items is more than two standard deviations
# under it. Counted over the same items.
KEY_LONGEST_MIN_SHARE = 0.10

# --- True / false balance ----------------------------------------------------------------------
# Chance is 50 %. With 10 to 20 statements one standard deviation is 11 to 16 points, so
# 35-65 % lets authors write what the content needs while « always answer faux » (or « vrai »)
# stays near 50 %. Counted over the bank's true_false statements.
TRUE_SHARE_MIN = 0.35
TRUE_SHARE_MAX = 0.65

# --- Key position ------------------------------------------------------------------------------
# Options are shuffled, so each position holds a key by chance with probability 1/n (k/n for a
# multiple item with k keys). A position is flagged when the chance of holding as many keys or
# more is below this level (exact Poisson-binomial tail), with the level divided by the number
# of positions tested (Bonferroni), so that a well-shuffled bank is flagged by chance less than
# 1 time in 20. An author who pins a key with `fixed: true` in many items is caught here.
KEY_POSITION_ALPHA = 0.05
# Same test for multiple items whose keys all come before every distractor (chance: 1 in
# C(n, k) for k keys among n options).
KEYS_FIRST_ALPHA = 0.05

# --- Scenarios ---------------------------------------------------------------------------------
# At a decision point with 2 or 3 choices, the longest choice is the best one by chance 33-50 %
# of the time. Over a scenario's 3 to 6 decision points, more than half means a learner who
# always takes the longest choice does better than chance.
LONGEST_CHOICE_BEST_MAX_SHARE = 0.50

# --- Cognitive level ---------------------------------------------------------------------------
# Not a chance level but the course's aim, agreed with the authors: at least 60 % of each
# module's graded items set a short practice situation (application or analysis). Items without
# `level` count as unknown: the share is then a lower bound (alignment reports the gap).
RECALL_MAX_SHARE = 0.40

# --- Near-duplicate items ----------------------------------------------------------------------
# Cosine similarity of TF-IDF word vectors between the stem and option texts of two items of
# different modules (accents, case and word endings ignored; a word rare in the bank weighs more
# than « agent » or « collectif »). Chance gives nothing here: unrelated items of this bank score
# 0.05 (median of 1,248 pairs). Calibrated on the bank of December 2026: the pairs the independent
# review calls duplicates score 0.39 to 0.56 (succes/q2 ~ synthese/q4 0.56, affiliation/q3 ~
# synthese/q5 0.56, savoirs/q1 ~ synthese/q3 0.41, cssspnql/q8 ~ reflexive/q3 0.39); five more
# pairs score 0.31 to 0.35, and each shares a key, statements or a citation with the other item
# (affiliation/q1 and reflexive/q6 have the same key); the next pair scores 0.28. A paraphrase
# (savoirs/q2, the same sorting task in new words, 0.23 with synthese/q3) is beyond a word
# measure: the review still reads for it. Any pair at or above the threshold is a finding.
NEAR_DUPLICATE_SIMILARITY = 0.30

# --- Absolute words ----------------------------------------------------------------------------
# Test-wise learners know that a distractor is often the option that says « toujours » or
# « jamais ». Such a word is a finding when it appears in a distractor (or a false statement) but
# in no key (no true statement). Matched as whole words, ignoring case and accents.
ABSOLUTE_WORDS = (
    "toujours",
    "jamais",
    "tous",
    "toutes",
    "aucun",
    "aucune",
    "seulement",
    "uniquement",
    "nécessairement",
    "forcément",
    "complètement",
    "totalement",
    "entièrement",
    "exclusivement",
    "systématiquement",
    "absolument",
    "sans exception",
    "le plus possible",
    "en tout temps",
    "quoi qu'il arrive",
)
