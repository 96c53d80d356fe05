"""The browser runtime's text with its build-time values filled in: the French messages, the
« Mon espace » pages and the mastery rule. The site and the SCORM packages ship the same file."""

from __future__ import annotations

import json
from pathlib import Path

from exercisekit.grading import MASTERY_FIRST_TRY

ASSETS = Path(__file__).parent / "assets"


def runtime_script(spaces: dict[str, str]) -> str:
    """`exercisekit.js` for a site whose « Mon espace » pages are at `spaces` (kind -> URL from
    the content root); with no pages (a SCORM package), the module pages link to none."""
    from exercisekit.render.messages import MESSAGES
    from exercisekit.selfpaced.messages import MESSAGES as SELFPACED

    script = (ASSETS / "exercisekit.js").read_text(encoding="utf-8")
    table = json.dumps({**MESSAGES, **SELFPACED}, ensure_ascii=False, separators=(",", ":"))
    script = script.replace("/*MESSAGES*/{}/*END*/", table)
    script = script.replace("/*SPACES*/{}/*END*/", json.dumps(spaces, separators=(",", ":")))
    return script.replace("/*MASTERY*/0.8/*END*/", str(MASTERY_FIRST_TRY))
