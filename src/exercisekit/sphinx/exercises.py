"""Sphinx extension: validates the bank, ships the one shared runtime, keeps pages fresh.

- At start, every exercise file is validated; a bad file stops the build with the same
  message as `python -m exercisekit check` (file, exercise id, field), not a traceback.
- Each page's exercise markup is re-rendered from the current data, and the page records
  its exercise files as dependencies, so editing a YAML file updates the site even when the
  notebook's executed outputs come from the cache.
- `exercisekit.js` is written once into `_static/` with the French messages filled in.
- « Mon espace » pages (directive `exercisekit-space`) get `_static/exercisekit-course.js`:
  the modules and their exercise refs, as found on the pages at build time, and the
  self-assessment's competencies (`course/competences.yaml`). One source of truth.
- Accessibility fixes for the theme (template overrides in `theme_a11y/`).
- The messages and the course data written for the runtime carry French no-break spaces
  (`render/typography.py`), like the pages themselves (`sphinx/typography.py`).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging

from exercisekit import __name__ as package_name
from exercisekit.bank.errors import ExerciseDataError, UnknownExercise
from exercisekit.bank.loader import EXERCISES_DIR, Bank, load_bank
from exercisekit.bank.model import GRADED_TYPES
from exercisekit.grading import MASTERY_FIRST_TRY
from exercisekit.render.messages import message
from exercisekit.render.richtext import to_html
from exercisekit.render.runtime import runtime_script
from exercisekit.render.static import dom_id, render_html
from exercisekit.render.typography import french_text

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parents[1] / "render" / "assets"
A11Y_TEMPLATES = Path(__file__).parent / "theme_a11y"
SPACES = ("parcours", "journal", "bilan")
_REF = re.compile(r'^<div class="exk [^"]*" id="[^"]*" data-exk-ref="([^"]+)"')


class ExerciseBankError(SphinxError):
    category = "Erreur dans les fichiers d'exercices"


def _root(app: Sphinx) -> Path:
    return Path(app.confdir)


def validate_bank(app: Sphinx) -> None:
    from exercisekit.bank.competencies import load_competencies

    try:
        app.exercise_bank = load_bank(_root(app))  # type: ignore[attr-defined]
        app.exercise_competencies = load_competencies(_root(app))  # type: ignore[attr-defined]
    except ExerciseDataError as err:
        raise ExerciseBankError(str(err)) from None
    report_findings(app.exercise_bank)  # type: ignore[attr-defined]


def report_findings(bank: Bank) -> None:
    """Item analysis and alignment findings, as `check` prints them: warnings (so `-W` fails
    the build) once `ITEM_ANALYSIS_IS_ERROR` is on, until then info lines of the build log."""
    from exercisekit.bank import thresholds
    from exercisekit.bank.analysis import all_findings

    findings = all_findings(bank)
    log = logger.warning if thresholds.ITEM_ANALYSIS_IS_ERROR else logger.info
    if findings and not thresholds.ITEM_ANALYSIS_IS_ERROR:
        logger.info(
            f"Analyse des items : {len(findings)} constat(s), signalés sans bloquer tant que "
            "ITEM_ANALYSIS_IS_ERROR est faux (src/exercisekit/bank/thresholds.py)"
        )
    for problem in findings:
        log(str(problem))


def refresh_exercises(app: Sphinx, doctree: nodes.document) -> None:
    """Replace executed `show()` outputs with markup rendered from the current data."""
    bank = app.exercise_bank  # type: ignore[attr-defined]
    found: list[str] = []
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
        found.append(ref)
    pages = _pages(app.env)
    pages.pop(app.env.docname, None)
    if found:
        pages[app.env.docname] = found


def _pages(env: Any) -> dict[str, list[str]]:
    """{docname: [exercise refs in page order]}, kept in the environment across builds."""
    if not hasattr(env, "exk_pages"):
        env.exk_pages = {}
    return env.exk_pages


def _spaces(env: Any) -> dict[str, str]:
    """{space kind: docname} for the « Mon espace » pages."""
    if not hasattr(env, "exk_spaces"):
        env.exk_spaces = {}
    return env.exk_spaces


def purge_doc(app: Sphinx, env: Any, docname: str) -> None:
    _pages(env).pop(docname, None)
    for kind, doc in list(_spaces(env).items()):
        if doc == docname:
            del _spaces(env)[kind]


def merge_info(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _pages(env).update({d: refs for d, refs in _pages(other).items() if d in docnames})
    _spaces(env).update({k: d for k, d in _spaces(other).items() if d in docnames})


def check_every_exercise_is_shown(app: Sphinx, env: Any) -> None:
    """An exercise written in exercises/ but shown on no page would be silently missing from
    the course: say which one (a warning, so `-W` fails the build)."""
    shown = {ref for refs in _pages(env).values() for ref in refs}
    for ref in app.exercise_bank.refs():  # type: ignore[attr-defined]
        if ref not in shown:
            module = ref.split("/", 1)[0]
            logger.warning(
                f"exercises/{module}.yaml : l'exercice « {ref} » n'est affiché sur aucune page "
                f'(ajoutez show("{ref}") à la page du module)',
                type="exercisekit",
                subtype="not-shown",
            )


class SpaceDirective(Directive):
    """`{exercisekit-space} parcours|journal|bilan`: the mount point of a « Mon espace »
    feature; the runtime fills it in the browser, from data kept only in that browser."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        kind = directives.choice(self.arguments[0], SPACES)
        env = self.state.document.settings.env
        _spaces(env)[kind] = env.docname
        html = (
            f'<div class="exk-space" data-exk-space="{kind}">'
            '<p class="exk-noscript">Cette page fonctionne avec JavaScript, dans votre navigateur seulement.</p>'
            "</div>"
        )
        return [nodes.raw("", html, format="html")]


class ObjectivesDirective(Directive):
    """`{exercisekit-objectives}` with `:module: conditions`: the module's objectives, from its
    exercise file (the one place they are written; the guide and the handouts read them too)."""

    has_content = False
    option_spec = {"module": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        module_id = self.options.get("module", "")
        module = env.app.exercise_bank.modules.get(module_id)
        if module is None or not module.objectives:
            raise self.error(
                f"exercises/{module_id}.yaml : aucun objectif déclaré pour le module « {module_id} »"
            )
        env.note_dependency(str(_root(env.app) / EXERCISES_DIR / f"{module_id}.yaml"))
        items = "".join(
            f'<li id="objectif-{o.id}">{to_html(o.text)}</li>' for o in module.objectives
        )
        rule = message("mastery_rule", pct=round(100 * MASTERY_FIRST_TRY))
        html = f'<ul class="exk-objectives">{items}</ul><p class="exk-mastery">{rule}</p>'
        return [nodes.raw("", html, format="html")]


def _toc_order(env: Any) -> list[str]:
    order: list[str] = []

    def visit(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def course_manifest(app: Sphinx) -> dict[str, Any]:
    """What the « Mon espace » pages need: modules with their exercises, and the competencies."""
    env, bank = app.env, app.exercise_bank  # type: ignore[attr-defined]
    pages = _pages(env)

    def page(doc: str) -> dict[str, str]:
        title = french_text(env.titles[doc].astext()) if doc in env.titles else doc
        return {"doc": doc, "title": title, "url": app.builder.get_target_uri(doc)}

    modules, seen = [], set()
    for doc in [d for d in _toc_order(env) if d in pages]:
        items = []
        for ref in pages[doc]:
            if ref in seen:  # shown again elsewhere (a guide, a recap): counted on its first page
                continue
            seen.add(ref)
            ex = bank.get(ref)
            item = {"ref": ref, "type": ex.type, "anchor": dom_id(ref)}
            if ex.type in GRADED_TYPES:
                item["graded"] = True
            if ex.type == "reflection":  # the journal shows each entry under its prompt
                item["label"] = to_html(ex.prompt)
            items.append(item)
        if items:
            modules.append({**page(doc), "items": items})
    comp = app.exercise_competencies  # type: ignore[attr-defined]
    linked = sorted({m for c in comp.items() for m in c.modules if m in env.titles})
    return {
        "modules": modules,
        "pages": {d: page(d) for d in linked},
        "scale": [_french_dump(lv.model_dump()) for lv in comp.scale],
        "families": [_french_dump(f.model_dump()) for f in comp.families],
    }


def _french_dump(value: Any, key: str | None = None) -> Any:
    """The competencies' words (labels, statements) with French no-break spaces; ids and
    module names as they are."""
    if isinstance(value, dict):
        return {k: _french_dump(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_french_dump(v, key) for v in value]
    if isinstance(value, str) and key in ("label", "short", "text", "description"):
        return french_text(value)
    return value


def add_course_script(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if pagename in _spaces(app.env).values():
        app.add_js_file("exercisekit-course.js", loading_method="defer")
        app.add_js_file("exercisekit-space.js", loading_method="defer")


def write_runtime(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    spaces = {kind: app.builder.get_target_uri(doc) for kind, doc in _spaces(app.env).items()}
    scale = len(app.exercise_competencies.scale)  # type: ignore[attr-defined]
    script = runtime_script(spaces, scale, app.config.exercisekit_storage_namespace or "")
    (target / "exercisekit.js").write_text(script, encoding="utf-8")
    course = json.dumps(course_manifest(app), ensure_ascii=False, separators=(",", ":")).replace(
        "</", "<\\/"
    )
    (target / "exercisekit-course.js").write_text(
        f"window.ExerciseKitCourse={course};\n", encoding="utf-8"
    )
    # The theme copies two Jinja macro files into _static/: they are not pages (no title, no
    # language) and would be published as broken ones.
    for name in ("webpack-macros.html", "sbt-webpack-macros.html"):
        (target / name).unlink(missing_ok=True)
    shutil.copy(STATIC / "exercisekit-space.js", target / "exercisekit-space.js")
    (target / "exercisekit.css").write_text(
        (STATIC / "exercisekit.css").read_text(encoding="utf-8"), encoding="utf-8"
    )


def drop_thebe_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Remove sphinx-thebe's scripts: the course has no live code cells on the site, and its
    inline configuration is emitted twice per page, which is a JavaScript error."""
    context["script_files"] = [
        js
        for js in context.get("script_files", [])
        if "thebe" not in (getattr(js, "filename", None) or str(js))
        and "THEBE_JS_URL" not in (getattr(js, "attributes", {}) or {}).get("body", "")
    ]
    context["css_files"] = [
        css
        for css in context.get("css_files", [])
        if "thebe" not in str(getattr(css, "filename", css))
    ]


def add_a11y_templates(app: Sphinx, config: Any) -> None:
    """Theme fixes for WCAG: a landmark around the sidebar logo; search and colour-mode
    buttons whose accessible name matches their visible text."""
    # First: the themes add their own component folders to templates_path too, and the first
    # folder holding a name wins.
    config.templates_path = [str(A11Y_TEMPLATES), *config.templates_path]


def setup(app: Sphinx) -> dict[str, Any]:
    # Where learners' work is kept in the browser; empty: derived from the site's own path.
    app.add_config_value("exercisekit_storage_namespace", "", "html", types=[str])
    app.connect("config-inited", add_a11y_templates)
    app.connect("builder-inited", validate_bank)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-check-consistency", check_every_exercise_is_shown)
    app.connect("html-page-context", add_course_script, priority=400)
    app.add_directive("exercisekit-space", SpaceDirective)
    app.add_directive("exercisekit-objectives", ObjectivesDirective)
    app.connect("doctree-read", refresh_exercises)
    app.connect("build-finished", write_runtime)
    app.connect("html-page-context", drop_thebe_assets)
    app.add_js_file("exercisekit.js", loading_method="defer")
    app.add_css_file("exercisekit.css")
    return {
        "version": "0.1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 2,
        "package": package_name,
    }
