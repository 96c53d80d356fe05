"""Every French word of the course (pages and exercise data) is in a French dictionary
(Debian's hunspell-fr, read by spylls) or in the project's list of accepted terms."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from french_text import book_pages, exercise_texts, page_text, words

from exercisekit import load_bank

ROOT = Path(__file__).resolve().parents[1]
DICTIONARY = Path("/usr/share/hunspell/fr_CA")
WORDLIST = Path(__file__).with_name("wordlist-fr.txt")
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.I)


@pytest.fixture(scope="module")
def is_known():
    if not DICTIONARY.with_suffix(".dic").exists():
        pytest.fail(
            "Debian's hunspell-fr is missing: run the tests with ./dev test, which installs it"
        )
    from spylls.hunspell import Dictionary

    dictionary = Dictionary.from_files(str(DICTIONARY))
    accepted = {
        line.strip()
        for line in WORDLIST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    @cache
    def known(word: str) -> bool:
        word = word.replace("’", "'")
        if word in accepted or word.lower() in accepted or dictionary.lookup(word):
            return True
        bare = ELISION.sub("", word)
        if bare != word:
            return known(bare)
        if "-" in word:
            return all(known(part) for part in word.split("-") if part)
        return False

    return known


def unknown_words(texts, known):
    found: dict[str, set[str]] = {}
    for where, text in texts:
        for word in words(text):
            if not known(word):
                found.setdefault(word, set()).add(where)
    return found


def test_pages_have_no_unknown_word(is_known):
    texts = [
        (str(p.relative_to(ROOT)), page_text(p.read_text(encoding="utf-8")))
        for p in book_pages(ROOT)
    ]
    assert len(texts) >= 10
    unknown = unknown_words(texts, is_known)
    assert not unknown, (
        "mots inconnus (corrigez-les ou ajoutez-les à tests/wordlist-fr.txt) : "
        + "; ".join(f"{w} ({', '.join(sorted(places))})" for w, places in sorted(unknown.items()))
    )


def test_exercise_data_has_no_unknown_word(is_known):
    unknown = unknown_words(list(exercise_texts(load_bank(ROOT))), is_known)
    assert not unknown, (
        "mots inconnus (corrigez-les ou ajoutez-les à tests/wordlist-fr.txt) : "
        + "; ".join(f"{w} ({', '.join(sorted(places))})" for w, places in sorted(unknown.items()))
    )


def test_the_checker_catches_a_misspelling(is_known):
    assert is_known("accompagnement") and is_known("l'agent") and is_known("savoir-être")
    assert not is_known("acompagnement")
