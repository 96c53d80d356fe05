"""The browser runtime's text with its build-time values filled in: the French messages, the
« Mon espace » pages, the mastery rule, the self-assessment scale and the storage namespace. The
site and the SCORM packages ship the same file."""

from __future__ import annotations

import json
from pathlib import Path

from exercisekit.grading import MASTERY_FIRST_TRY

ASSETS = Path(__file__).parent / "assets"


def runtime_script(spaces: dict[str, str], scale: int = 9, namespace: str = "") -> str:
    """`exercisekit.js` for a site whose « Mon espace » pages are at `spaces` (kind -> URL from
    the content root); with no pages (a SCORM package), the module pages link to none.
    `scale`: levels of the self-assessment; `namespace`: where learners' work is kept in the
    browser (empty: derived from the site's own path)."""
    from exercisekit.render.messages import MESSAGES
    from exercisekit.render.typography import french_text
    from exercisekit.selfpaced.messages import MESSAGES as SELFPACED

    script = (ASSETS / "exercisekit.js").read_text(encoding="utf-8")
    # Both tables already hold their no-break spaces; applying the rule again changes nothing
    # there and guarantees it for whatever is merged in.
    words = {key: french_text(text) for key, text in {**MESSAGES, **SELFPACED}.items()}
    table = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
    script = script.replace("/*MESSAGES*/{}/*END*/", table)
    script = script.replace("/*SPACES*/{}/*END*/", json.dumps(spaces, separators=(",", ":")))
    script = script.replace("/*MASTERY*/0.8/*END*/", str(MASTERY_FIRST_TRY))
    script = script.replace("/*SCALE*/9/*END*/", str(scale))
    return script.replace('/*NAMESPACE*/""/*END*/', json.dumps(namespace))
