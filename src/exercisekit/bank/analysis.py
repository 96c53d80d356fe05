"""Item analysis: does anything but understanding lead to the right answer?

Pure functions over a loaded `Bank`, which holds options in the order learners see them
(`bank/presentation.py`). They measure, per module and for the whole bank, the cues a test-wise
learner uses: where the key sits, whether it is the longest option, whether « faux » is the safe
bet, whether an absolute word gives a distractor away, whether the longest scenario choice is the
best one; and they look for near-duplicate items across modules, feedback that repeats itself, a
recall-heavy module, and a graded item whose prompt says several options are defensible.

Every finding is a `Problem` naming the file, the exercise and the field, with the figure and
its threshold (`bank/thresholds.py`). Whether findings are errors or warnings is decided by the
callers (CLI and build) from `thresholds.ITEM_ANALYSIS_IS_ERROR`, never here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from functools import reduce
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from exercisekit.bank import thresholds
from exercisekit.bank.alignment import alignment_findings, module_file
from exercisekit.bank.errors import Problem
from exercisekit.bank.graph import _reachable_from
from exercisekit.bank.loader import EXERCISES_DIR, Bank
from exercisekit.bank.model import (
    EXERCISE_TYPES,
    GRADED_TYPES,
    QUALITY_RANK,
    Exercise,
    Module,
    Scenario,
)

BANK_FILE = f"{EXERCISES_DIR}/"  # where bank-wide findings point: no single file is at fault
CHOICE_TYPES = ("single", "multiple")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# ---------------------------------------------------------------------------- text helpers
def folded(text: str) -> str:
    """Lower case, without accents, with straight apostrophes: how words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """What a learner reads: Markdown links, emphasis and code marks removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def length(text: str) -> int:
    """An option's visible length in characters (what the eye compares)."""
    return len(re.sub(r"\s+", " ", plain(text)))


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def decimal(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def chance_text(value: float) -> str:
    return "< 0,0001" if value < 0.0001 else decimal(value, 4)


# ---------------------------------------------------------------------------- key position
def key_indices(exercise: Exercise) -> list[int]:
    """Positions (0 = A) of the keys of a single or multiple item, in the presented order."""
    return [i for i, option in enumerate(exercise.options) if option.correct]


def keys_first(correct: list[bool]) -> bool:
    """Every key comes before every distractor (a multiple item answered « the first k »)."""
    count = sum(correct)
    return all(correct[:count])


def position_histogram(positions: Iterable[int], width: int = 0) -> list[int]:
    counts = Counter(positions)
    size = max([width, *(p + 1 for p in counts)])
    return [counts.get(i, 0) for i in range(size)]


def tail_probability(chances: list[float], observed: int) -> float:
    """P(X ≥ observed) where X counts successes of independent trials with these chances
    (Poisson-binomial, exact by dynamic programming: banks are small)."""
    distribution = [1.0]
    for chance in chances:
        following = [0.0] * (len(distribution) + 1)
        for successes, probability in enumerate(distribution):
            following[successes] += probability * (1 - chance)
            following[successes + 1] += probability * chance
        distribution = following
    return sum(distribution[observed:])


# ---------------------------------------------------------------------------- option length
def key_is_longest(exercise: Exercise) -> bool:
    """A key is strictly longer than every distractor: « pick the longest » finds it."""
    keys = [length(o.text) for o in exercise.options if o.correct]
    distractors = [length(o.text) for o in exercise.options if not o.correct]
    return bool(distractors) and max(keys) > max(distractors)


# ---------------------------------------------------------------------------- scenarios
@dataclass(frozen=True)
class DecisionPoint:
    """A node whose choices differ in quality: is the longest choice the best one?"""

    node: str
    longest: str | None  # the strictly longest choice, if one is
    best: str | None  # the one best choice, if one is
    inferred: bool  # quality read from the endings, because a choice has no `quality`

    @property
    def longest_is_best(self) -> bool:
        return self.longest is not None and self.longest == self.best


def _inferred_values(scenario: Scenario, node_id: str) -> list[float]:
    """Without `quality`, a choice is judged by the endings it can still lead to: the mean of
    their ranks (poor 0, mixed 1, good 2). Used only for banks written before `quality`."""
    nodes = {n.id: n for n in scenario.nodes}
    edges = {n.id: [c.next for c in n.choices] for n in scenario.nodes}
    values = []
    for choice in nodes[node_id].choices:
        ranks = [
            QUALITY_RANK[nodes[reached].ending]
            for reached in _reachable_from(choice.next, edges)
            if reached in nodes and nodes[reached].ending
        ]
        values.append(sum(ranks) / len(ranks) if ranks else 0.0)
    return values


def _unique_max(values: list[float]) -> int | None:
    top = max(values)
    return values.index(top) if values.count(top) == 1 else None


def decision_points(scenario: Scenario) -> list[DecisionPoint]:
    points = []
    for node in scenario.nodes:
        if not node.choices:
            continue
        inferred = any(c.quality is None for c in node.choices)
        if inferred:
            values = _inferred_values(scenario, node.id)
        else:
            values = [float(QUALITY_RANK[c.quality]) for c in node.choices]
        if len(set(values)) < 2:
            continue  # every choice is as good as the others: length cannot cue anything
        lengths = [float(length(c.text)) for c in node.choices]
        longest, best = _unique_max(lengths), _unique_max(values)
        points.append(
            DecisionPoint(
                node.id,
                node.choices[longest].id if longest is not None else None,
                node.choices[best].id if best is not None else None,
                inferred,
            )
        )
    return points


# ---------------------------------------------------------------------------- absolute words
def _word_pattern(word: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in folded(word).split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?!\w)")


ABSOLUTE_PATTERNS = {word: _word_pattern(word) for word in thresholds.ABSOLUTE_WORDS}


def absolute_words(text: str) -> list[str]:
    """The absolute words (thresholds.ABSOLUTE_WORDS) in a text, as whole words."""
    found = folded(plain(text))
    return [word for word, pattern in ABSOLUTE_PATTERNS.items() if pattern.search(found)]


# ---------------------------------------------------------------------------- near duplicates
# Function words carry no topic. Words of one or two letters are dropped as well.
STOP_WORDS = frozenset(
    "les des une dans pour par sur que qui quoi est sont ces cette son ses leur leurs avec pas "
    "plus mais comme tout vous nous ils elles lui dont entre sans aux ont etre avoir fait peut "
    "vos votre notre nos celle celui ceux".split()
)
# Crude French stemming: words meet on their first letters (« condition(s) », « accompagne(r),
# accompagnement »).
STEM_LENGTH = 6


def item_text(exercise: Exercise) -> str:
    """What a learner reads of an item before answering: stem and options, no feedback."""
    parts = [getattr(exercise, "prompt", None) or getattr(exercise, "statement", None) or ""]
    parts += [o.text for o in getattr(exercise, "options", [])]
    if exercise.type == "classify":
        parts += [c.label for c in exercise.categories] + [i.text for i in exercise.items]
    if exercise.type == "order":
        parts += [s.text for s in exercise.steps]
    return " ".join(parts)


def stems(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", folded(plain(text)))
    return [w[:STEM_LENGTH] for w in words if len(w) > 2 and w not in STOP_WORDS]


def tfidf_vectors(texts: Mapping[str, str]) -> dict[str, dict[str, float]]:
    """A TF-IDF vector per text: a word shared by few items weighs more than « agent »."""
    tokens = {key: Counter(stems(text)) for key, text in texts.items()}
    document_frequency = Counter(word for counts in tokens.values() for word in counts)
    total = len(tokens)

    def weight(word: str, count: int) -> float:
        # Smoothed IDF: a word in every item still counts a little (two identical items in a
        # two-item bank are still identical).
        return (1 + math.log(count)) * (math.log((1 + total) / (1 + document_frequency[word])) + 1)

    return {
        key: {word: weight(word, count) for word, count in counts.items()}
        for key, counts in tokens.items()
    }


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(value * b.get(word, 0.0) for word, value in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


COMPARED_TYPES = (*GRADED_TYPES, "dilemma")


def similar_pairs(bank: Bank) -> list[tuple[str, str, float]]:
    """(ref, ref, similarity) for every pair of items of different modules, most similar first."""
    texts = {
        f"{m.module}/{e.id}": item_text(e)
        for m in bank.modules.values()
        for e in m.exercises
        if e.type in COMPARED_TYPES
    }
    vectors = tfidf_vectors(texts)
    pairs = [
        (a, b, cosine(vectors[a], vectors[b]))
        for a, b in combinations(texts, 2)
        if a.split("/")[0] != b.split("/")[0]
    ]
    return sorted(pairs, key=lambda pair: -pair[2])


# ---------------------------------------------------------------------------- helpers on items
def items(bank: Bank | Module, *types: str) -> list[tuple[Module, Exercise]]:
    modules = [bank] if isinstance(bank, Module) else list(bank.modules.values())
    return [(m, e) for m in modules for e in m.exercises if e.type in types]


def _main_field(exercise: Exercise) -> str:
    return "statement" if exercise.type == "true_false" else "prompt"


# ---------------------------------------------------------------------------- findings
def key_position_findings(bank: Bank) -> list[Problem]:
    """A position that holds far more keys than chance (single and multiple items)."""
    choice_items = items(bank, *CHOICE_TYPES)
    if not choice_items:
        return []
    width = max(len(e.options) for _, e in choice_items)
    level = thresholds.KEY_POSITION_ALPHA / width  # Bonferroni: one test per position
    found = []
    for position in range(width):
        having = [(m, e) for m, e in choice_items if len(e.options) > position]
        chances = [len(key_indices(e)) / len(e.options) for _, e in having]
        keyed = [f"{m.module}/{e.id}" for m, e in having if position in key_indices(e)]
        tail = tail_probability(chances, len(keyed))
        if tail < level:
            found.append(
                Problem(
                    BANK_FILE,
                    None,
                    "options",
                    f"une bonne réponse est en position {LETTERS[position]} dans {len(keyed)} "
                    f"des {len(having)} questions à choix (hasard : {decimal(sum(chances), 1)} "
                    f"attendues ; probabilité {chance_text(tail)}, seuil {decimal(level, 4)}) ; "
                    f"une clé épinglée (`fixed: true`) ? Questions : {', '.join(keyed)}",
                )
            )
    return found


def keys_first_findings(bank: Bank) -> list[Problem]:
    """Multiple items whose keys all precede the distractors, far more often than chance."""
    multiple = [(m, e) for m, e in items(bank, "multiple") if len(key_indices(e)) < len(e.options)]
    # With k keys among n options, one order in C(n, k) puts every key first.
    chances = [1 / math.comb(len(e.options), len(key_indices(e))) for _, e in multiple]
    first = [
        f"{m.module}/{e.id}" for m, e in multiple if keys_first([o.correct for o in e.options])
    ]
    tail = tail_probability(chances, len(first))
    if not multiple or tail >= thresholds.KEYS_FIRST_ALPHA:
        return []
    return [
        Problem(
            BANK_FILE,
            None,
            "options",
            f"toutes les bonnes réponses précèdent les distracteurs dans {len(first)} des "
            f"{len(multiple)} questions à choix multiple (hasard : {decimal(sum(chances), 1)} "
            f"attendues ; probabilité {chance_text(tail)}, seuil "
            f"{decimal(thresholds.KEYS_FIRST_ALPHA)}). Questions : {', '.join(first)}",
        )
    ]


def key_longest_findings(bank: Bank) -> list[Problem]:
    """Above the bank's threshold, every item whose key is strictly the longest option."""
    choice_items = items(bank, *CHOICE_TYPES)
    cued = [(m, e) for m, e in choice_items if key_is_longest(e)]
    share = len(cued) / len(choice_items) if choice_items else 0.0
    if share <= thresholds.KEY_LONGEST_MAX_SHARE:
        return []
    found = []
    for module, exercise in cued:
        key = max((o for o in exercise.options if o.correct), key=lambda o: length(o.text))
        others = max(length(o.text) for o in exercise.options if not o.correct)
        found.append(
            Problem(
                module_file(module),
                exercise.id,
                f"options.{key.id}.text",
                f"la bonne réponse est l'option la plus longue ({length(key.text)} caractères, "
                f"{others} au plus pour les distracteurs) ; c'est le cas dans {len(cued)} des "
                f"{len(choice_items)} questions à choix de la banque "
                f"({percent(len(cued), len(choice_items))}), seuil "
                f"{round(100 * thresholds.KEY_LONGEST_MAX_SHARE)} % : "
                f"raccourcissez la clé ou étoffez les distracteurs",
            )
        )
    return found


def true_false_findings(bank: Bank) -> list[Problem]:
    """Outside the balanced range, every statement on the over-represented side."""
    statements = items(bank, "true_false")
    if not statements:
        return []
    true = sum(e.answer for _, e in statements)
    share = true / len(statements)
    if thresholds.TRUE_SHARE_MIN <= share <= thresholds.TRUE_SHARE_MAX:
        return []
    majority = share > thresholds.TRUE_SHARE_MAX
    word = "vrai" if majority else "faux"
    count = true if majority else len(statements) - true
    return [
        Problem(
            module_file(module),
            exercise.id,
            "answer",
            f"énoncé {word}, comme {count} des {len(statements)} énoncés vrai ou faux de la "
            f"banque ({percent(true, len(statements))} de vrais ; attendu "
            f"{round(100 * thresholds.TRUE_SHARE_MIN)}–{round(100 * thresholds.TRUE_SHARE_MAX)} %)",
        )
        for module, exercise in statements
        if exercise.answer == majority
    ]


def absolute_word_findings(bank: Bank) -> list[Problem]:
    """Absolute words in distractors but in no key (in false statements but no true one)."""
    found = []
    for module, exercise in items(bank, *CHOICE_TYPES):
        in_keys = {w for o in exercise.options if o.correct for w in absolute_words(o.text)}
        for option in exercise.options:
            cues = [w for w in absolute_words(option.text) if w not in in_keys]
            if not option.correct and cues:
                found.append(
                    Problem(
                        module_file(module),
                        exercise.id,
                        f"options.{option.id}.text",
                        f"mot absolu {_quoted(cues)} dans un distracteur et dans aucune bonne "
                        "réponse : il trahit le distracteur (évitez-le, ou employez-en aussi "
                        "dans les clés)",
                    )
                )
    statements = items(bank, "true_false")
    in_true = {w for _, e in statements if e.answer for w in absolute_words(e.statement)}
    for module, exercise in statements:
        cues = [w for w in absolute_words(exercise.statement) if w not in in_true]
        if not exercise.answer and cues:
            found.append(
                Problem(
                    module_file(module),
                    exercise.id,
                    "statement",
                    f"mot absolu {_quoted(cues)} dans un énoncé faux et dans aucun énoncé vrai "
                    "de la banque : il fait deviner « faux »",
                )
            )
    return found


def _quoted(words: list[str]) -> str:
    return ", ".join(f"« {w} »" for w in words)


def near_duplicate_findings(bank: Bank) -> list[Problem]:
    """Pairs of items of different modules whose texts are nearly the same."""
    exercises = {f"{m.module}/{e.id}": (m, e) for m, e in items(bank, *COMPARED_TYPES)}
    found = []
    for first, second, similarity in similar_pairs(bank):
        if similarity < thresholds.NEAR_DUPLICATE_SIMILARITY:
            break
        module, exercise = exercises[second]
        found.append(
            Problem(
                module_file(module),
                exercise.id,
                _main_field(exercise),
                f"très proche de « {first} » (similarité {decimal(similarity)}, seuil "
                f"{decimal(thresholds.NEAR_DUPLICATE_SIMILARITY)}) : posez une autre question, "
                "ou mettez la notion en situation",
            )
        )
    return found


def _same_text(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(id, id of an earlier element with the same text) for every repeat."""
    seen: dict[str, str] = {}
    repeats = []
    for ident, text in texts:
        key = " ".join(re.findall(r"\w+", folded(plain(text))))
        if key in seen:
            repeats.append((ident, seen[key]))
        else:
            seen[key] = ident
    return repeats


def feedback_findings(bank: Bank) -> list[Problem]:
    """Feedback that is empty or the same for two options (statements, dilemma options)."""
    found = []
    for module, exercise in items(bank, *CHOICE_TYPES, "classify", "dilemma"):
        name = module_file(module)
        if exercise.type == "dilemma":
            for part, label in (("benefit", "avantage"), ("cost", "coût")):
                texts = [(o.id, getattr(o, part)) for o in exercise.options]
                found += [
                    Problem(name, exercise.id, f"options.{a}.{part}", f"même {label} que « {b} »")
                    for a, b in _same_text(texts)
                ]
            found += [
                Problem(name, exercise.id, f"options.{o.id}.cost", "coût identique à l'avantage")
                for o in exercise.options
                if _same_text([("b", o.benefit), ("c", o.cost)])
            ]
            continue
        kind, elements = (
            ("items", exercise.items)
            if exercise.type == "classify"
            else ("options", exercise.options)
        )
        texts = [(e.id, e.feedback) for e in elements]
        for ident, text in texts:
            if not re.search(r"\w", plain(text)):
                found.append(
                    Problem(name, exercise.id, f"{kind}.{ident}.feedback", "rétroaction vide")
                )
        found += [
            Problem(
                name,
                exercise.id,
                f"{kind}.{a}.feedback",
                f"même rétroaction que « {b} » : dites pourquoi cet élément-ci est juste ou non",
            )
            for a, b in _same_text(texts)
        ]
    return found


def recall_counts(module: Module) -> tuple[int, int, int]:
    """(recall items, graded items, graded items without level) of a module."""
    graded = [e for e in module.exercises if e.type in GRADED_TYPES]
    recall = sum(e.level == "recall" for e in graded)
    unknown = sum(e.level is None for e in graded)
    return recall, len(graded), unknown


def recall_findings(bank: Bank) -> list[Problem]:
    found = []
    for module in bank.modules.values():
        recall, graded, unknown = recall_counts(module)
        if graded and recall / graded > thresholds.RECALL_MAX_SHARE:
            missing = f" ; {unknown} sans niveau" if unknown else ""
            found.append(
                Problem(
                    module_file(module),
                    None,
                    "level",
                    f"{recall} des {graded} questions notées sont de niveau « recall » "
                    f"({percent(recall, graded)}{missing}), seuil "
                    f"{round(100 * thresholds.RECALL_MAX_SHARE)} % : mettez des notions en "
                    "situation (application, analysis)",
                )
            )
    return found


def longest_choice_findings(bank: Bank) -> list[Problem]:
    """In a scenario where the longest choice is the best at too many decision points, each one."""
    found = []
    for module, scenario in items(bank, "scenario"):
        points = decision_points(scenario)
        cued = [p for p in points if p.longest_is_best]
        if not points or len(cued) / len(points) <= thresholds.LONGEST_CHOICE_BEST_MAX_SHARE:
            continue
        for point in cued:
            node = next(n for n in scenario.nodes if n.id == point.node)
            choice = next(c for c in node.choices if c.id == point.longest)
            note = (
                " (qualité déduite des fins atteignables : ajoutez `quality`)"
                if point.inferred
                else ""
            )
            found.append(
                Problem(
                    module_file(module),
                    scenario.id,
                    f"nodes.{point.node}.choices",
                    f"le choix le plus long (« {choice.id} », {length(choice.text)} caractères) "
                    f"est le meilleur{note} ; c'est le cas à {len(cued)} des {len(points)} points "
                    f"de décision du scénario ({percent(len(cued), len(points))}), seuil "
                    f"{round(100 * thresholds.LONGEST_CHOICE_BEST_MAX_SHARE)} %",
                )
            )
    return found


# « Lesquelles sont défendables ? », « plusieurs options sont défendables »: the prompt itself
# says there is no single right answer. (« la plus défendable » asks for one: not matched.)
DEFENSIBLE = re.compile(r"\bdefendables\b|\bplusieurs\b[^.?!]*\bdefendable")


def dilemma_wording_findings(bank: Bank) -> list[Problem]:
    return [
        Problem(
            module_file(module),
            exercise.id,
            _main_field(exercise),
            f"la consigne dit que plusieurs options sont défendables, mais la question est "
            f"notée (« {exercise.type} ») : écrivez-la comme un dilemme (`type: dilemma`, "
            "avantage et coût de chaque option, sans verdict)",
        )
        for module, exercise in items(bank, *GRADED_TYPES)
        if DEFENSIBLE.search(folded(getattr(exercise, _main_field(exercise))))
    ]


CHECKS: tuple[Callable[[Bank], list[Problem]], ...] = (
    key_position_findings,
    keys_first_findings,
    key_longest_findings,
    true_false_findings,
    absolute_word_findings,
    near_duplicate_findings,
    feedback_findings,
    recall_findings,
    longest_choice_findings,
    dilemma_wording_findings,
)


def item_findings(bank: Bank) -> list[Problem]:
    """Every finding of the item analysis, check by check."""
    return [problem for check in CHECKS for problem in check(bank)]


# ---------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class Figures:
    """One row of the report: a module's figures, or the whole bank's (name « Banque »)."""

    name: str
    items_by_type: dict[str, int]
    # Single items: how many keys at A, B, C… as shown, and as written in the YAML file.
    key_positions: list[int]
    key_positions_written: list[int] | None
    # Multiple items: how many keys at A, B, C…, and how many have every key first.
    multiple_key_positions: list[int]
    multiple_items: int
    keys_first: int
    keys_first_written: int | None
    choice_items: int
    key_longest: int  # single and multiple items (the threshold's count)
    single_key_longest: int  # of which single items (chance about 1 in n)
    statements: int
    true_statements: int
    graded: int
    recall: int
    unknown_level: int
    decision_points: int
    longest_choice_best: int
    inferred_decision_points: int
    alignment_findings: int = 0
    analysis_findings: int = 0


def written_orders(root: Path) -> dict[str, list[str]]:
    """{"module/id": option ids as written} for single and multiple items, read from the YAML
    files: the order an author wrote, which the bank no longer holds. For the report only."""
    orders: dict[str, list[str]] = {}
    for path in sorted((root / EXERCISES_DIR).glob("*.y*ml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for exercise in raw.get("exercises") or []:
            if isinstance(exercise, dict) and exercise.get("type") in CHOICE_TYPES:
                ids = [o.get("id") for o in exercise.get("options") or [] if isinstance(o, dict)]
                orders[f"{raw.get('module', path.stem)}/{exercise.get('id')}"] = ids
    return orders


def _written_correct(
    module: Module, exercise: Exercise, written: Mapping[str, list[str]]
) -> list[bool] | None:
    order = written.get(f"{module.module}/{exercise.id}")
    keys = {o.id for o in exercise.options if o.correct}
    if order is None or sorted(order) != sorted(o.id for o in exercise.options):
        return None
    return [ident in keys for ident in order]


def module_figures(module: Module, written: Mapping[str, list[str]] | None = None) -> Figures:
    single = [e for _, e in items(module, "single")]
    multiple = [e for _, e in items(module, "multiple")]
    written_single = [_written_correct(module, e, written or {}) for e in single]
    written_multiple = [_written_correct(module, e, written or {}) for e in multiple]
    statements = [e for _, e in items(module, "true_false")]
    points = [p for _, s in items(module, "scenario") for p in decision_points(s)]
    recall, graded, unknown = recall_counts(module)
    have_written = written is not None and None not in written_single + written_multiple
    return Figures(
        name=module.module,
        items_by_type={t: sum(e.type == t for e in module.exercises) for t in EXERCISE_TYPES},
        key_positions=position_histogram((key_indices(e)[0] for e in single), 4),
        key_positions_written=position_histogram((c.index(True) for c in written_single), 4)
        if have_written
        else None,
        multiple_key_positions=position_histogram((i for e in multiple for i in key_indices(e)), 4),
        multiple_items=len(multiple),
        keys_first=sum(keys_first([o.correct for o in e.options]) for e in multiple),
        keys_first_written=sum(keys_first(c) for c in written_multiple) if have_written else None,
        choice_items=len(single) + len(multiple),
        key_longest=sum(key_is_longest(e) for e in single + multiple),
        single_key_longest=sum(key_is_longest(e) for e in single),
        statements=len(statements),
        true_statements=sum(e.answer for e in statements),
        graded=graded,
        recall=recall,
        unknown_level=unknown,
        decision_points=len(points),
        longest_choice_best=sum(p.longest_is_best for p in points),
        inferred_decision_points=sum(p.inferred for p in points),
    )


def _add_lists(a: list[int], b: list[int]) -> list[int]:
    size = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(size)]


def total_figures(rows: list[Figures], name: str = "Banque") -> Figures:
    """The bank's row: every count summed over the modules (histograms position by position;
    a written-order figure is unknown for the bank if it is unknown for a module)."""
    values: dict[str, Any] = {}
    for spec in fields(Figures):
        column = [getattr(row, spec.name) for row in rows]
        if spec.name == "name":
            values[spec.name] = name
        elif spec.name == "items_by_type":
            values[spec.name] = {t: sum(counts[t] for counts in column) for t in EXERCISE_TYPES}
        elif any(value is None for value in column):
            values[spec.name] = None
        elif column and isinstance(column[0], list):
            values[spec.name] = reduce(_add_lists, column, [])
        else:
            values[spec.name] = sum(column)
    return Figures(**values)


@dataclass(frozen=True)
class Report:
    """The whole item analysis: a row per module, the bank's row, and every finding."""

    modules: list[Figures]
    bank: Figures
    alignment: list[Problem]
    analysis: list[Problem]
    findings_are_errors: bool = field(default=False)

    @property
    def findings(self) -> list[Problem]:
        return [*self.alignment, *self.analysis]

    def to_json(self) -> dict[str, Any]:
        severity = "error" if self.findings_are_errors else "warning"
        return {
            "findings_are_errors": self.findings_are_errors,
            "thresholds": threshold_values(),
            "modules": [asdict(row) for row in self.modules],
            "bank": asdict(self.bank),
            "findings": [
                {"kind": kind, "severity": severity, **asdict(problem)}
                for kind, found in (("alignment", self.alignment), ("analysis", self.analysis))
                for problem in found
            ],
        }


def threshold_values() -> dict[str, Any]:
    """Every threshold of `thresholds.py`, by name (for tools reading the JSON report)."""
    return {
        name.lower(): value if not isinstance(value, tuple) else list(value)
        for name, value in vars(thresholds).items()
        if name.isupper()
    }


def all_findings(bank: Bank) -> list[Problem]:
    """Alignment findings (objectives, levels, paths, criteria), then the item analysis."""
    return [*alignment_findings(bank), *item_findings(bank)]


def build_report(bank: Bank, written: Mapping[str, list[str]] | None = None) -> Report:
    alignment = alignment_findings(bank)
    analysis = item_findings(bank)
    rows = [
        replace(
            module_figures(module, written),
            alignment_findings=sum(p.file == module_file(module) for p in alignment),
            analysis_findings=sum(p.file == module_file(module) for p in analysis),
        )
        for module in bank.modules.values()
    ]
    total = replace(
        total_figures(rows), alignment_findings=len(alignment), analysis_findings=len(analysis)
    )
    return Report(rows, total, alignment, analysis, thresholds.ITEM_ANALYSIS_IS_ERROR)
