"""Sphinx extension: validates the bank, ships the one shared runtime, keeps pages fresh.

- At start, every exercise file is validated; a bad file stops the build with the same
  message as `python -m exercisekit check` (file, exercise id, field), not a traceback.
- Each page's exercise markup is re-rendered from the current data, and the page records
  its exercise files as dependencies, so editing a YAML file updates the site even when the
  notebook's executed outputs come from the cache.
- `exercisekit.js` is written once into `_static/` with the French messages filled in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from . import __name__ as package_name
from .errors import ExerciseDataError, UnknownExercise
from .loader import EXERCISES_DIR, load_bank
from .messages import MESSAGES
from .render_static import render_html

STATIC = Path(__file__).parent / "static"
_REF = re.compile(r'^<div class="exk [^"]*" id="[^"]*" data-exk-ref="([^"]+)"')


class ExerciseBankError(SphinxError):
    category = "Erreur dans les fichiers d'exercices"


def _root(app: Sphinx) -> Path:
    return Path(app.confdir)


def validate_bank(app: Sphinx) -> None:
    try:
        app.exercise_bank = load_bank(_root(app))  # type: ignore[attr-defined]
    except ExerciseDataError as err:
        raise ExerciseBankError(str(err)) from None


def refresh_exercises(app: Sphinx, doctree: nodes.document) -> None:
    """Replace executed `show()` outputs with markup rendered from the current data."""
    bank = app.exercise_bank  # type: ignore[attr-defined]
    for raw in doctree.findall(nodes.raw):
        match = _REF.match(raw.astext())
        if not match or "html" not in raw.get("format", ""):
            continue
        ref = match.group(1)
        try:
            exercise = bank.get(ref)
        except UnknownExercise as err:
            raise ExerciseBankError(f"{app.env.docname} : {err}") from None
        module = ref.split("/", 1)[0]
        app.env.note_dependency(str(_root(app) / EXERCISES_DIR / f"{module}.yaml"))
        fresh = render_html(ref, exercise)
        raw.children = [nodes.Text(fresh)]


def write_runtime(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    script = (STATIC / "exercisekit.js").read_text(encoding="utf-8")
    table = json.dumps(MESSAGES, ensure_ascii=False, separators=(",", ":"))
    script = script.replace("/*MESSAGES*/{}/*END*/", table)
    (target / "exercisekit.js").write_text(script, encoding="utf-8")
    (target / "exercisekit.css").write_text((STATIC / "exercisekit.css").read_text(encoding="utf-8"), encoding="utf-8")


def drop_thebe_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove sphinx-thebe's scripts: the course has no live code cells on the site, and its
    inline configuration is emitted twice per page, which is a JavaScript error."""
    context["script_files"] = [
        js for js in context.get("script_files", [])
        if "thebe" not in (getattr(js, "filename", None) or str(js))
        and "THEBE_JS_URL" not in (getattr(js, "attributes", {}) or {}).get("body", "")
    ]
    context["css_files"] = [css for css in context.get("css_files", []) if "thebe" not in str(getattr(css, "filename", css))]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", validate_bank)
    app.connect("doctree-read", refresh_exercises)
    app.connect("build-finished", write_runtime)
    app.connect("html-page-context", drop_thebe_assets)
    app.add_js_file("exercisekit.js", loading_method="defer")
    app.add_css_file("exercisekit.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1, "package": package_name}
