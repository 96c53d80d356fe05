"""Sphinx extension for workshops with a cohort (opt-in learning records, debrief view).

- `exercisekit-cohort.js` is loaded by every page and does nothing unless the learner joined a
  cohort (its state sits in the course's storage namespace). At build-finished it is written
  into `_static/` with the French words, the xAPI profile (`cohort/profile.py`) under the
  course's IRI (`exercisekit_course_iri`, else the repository URL) and, per module, the items
  the mastery rule reads.
- Directive `{exercisekit-cohort}` (`:page: join|board`): the mount point of the join page (consent) or of
  « Tableau de la cohorte »; the board page also gets `exercisekit-board.js` and
  `exercisekit-board-data.js` (each item's options, keys and scenario cards, from the bank).
- `exercisekit-cohort.css` on the pages that can show cohort markup: the two cohort pages,
  « Mon parcours » and the pages with exercises.
"""

from __future__ import annotations

import json
import shutil
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx

from exercisekit.bank.model import GRADED_TYPES
from exercisekit.cohort.messages import MESSAGES
from exercisekit.cohort.profile import SENT_TYPES, profile_for
from exercisekit.grading import MASTERY_FIRST_TRY
from exercisekit.render.richtext import html_dump, to_html, to_plain
from exercisekit.render.typography import french_text
from exercisekit.sphinx.exercises import STATIC, _pages, _spaces, course_manifest

KINDS = ("join", "board")


def _cohort_pages(env: Any) -> dict[str, str]:
    """{kind: docname} for the join page and the board."""
    if not hasattr(env, "exk_cohort_pages"):
        env.exk_cohort_pages = {}
    return env.exk_cohort_pages


class CohortDirective(Directive):
    """`{exercisekit-cohort}` with `:page: join` (or `board`): filled in by the browser; nothing
    is read or sent without the link a facilitator gives. (An option, not an argument: the
    spelling test reads arguments as French prose.)"""

    has_content = False
    option_spec = {"page": lambda value: directives.choice(value, KINDS)}

    def run(self) -> list[nodes.Node]:
        if "page" not in self.options:
            raise self.error("indiquez la page : « :page: join » ou « :page: board »")
        kind = self.options["page"]
        env = self.state.document.settings.env
        _cohort_pages(env)[kind] = env.docname
        html = (
            f'<div class="exk-cohort" data-exk-cohort="{kind}">'
            '<p class="exk-noscript">Cette page fonctionne avec JavaScript, dans votre navigateur.</p>'
            "</div>"
        )
        return [nodes.raw("", html, format="html")]


def _short(text: str, limit: int = 90) -> str:
    plain = " ".join(to_plain(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


class DebriefPlan(Directive):
    """`{cohort-debrief}`: for each module, what its debrief view holds and the question to ask
    about each distribution, generated from the exercise files (guide d'animation)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from exercisekit.bank.loader import EXERCISES_DIR
        from exercisekit.render.typography import french
        from exercisekit.workshop.materials import workshops

        env = self.state.document.settings.env
        bank = getattr(env.app, "exercise_bank", None)
        root = Path(env.app.confdir)
        parts = []
        for w in workshops(bank, root) if bank else []:
            env.note_dependency(str(root / EXERCISES_DIR / f"{w.id}.yaml"))
            items = []
            if w.quiz:
                kinds = [e.type for e in w.quiz]
                hint = ""
                if "classify" in kinds or "order" in kinds:
                    what = " et ".join(
                        label
                        for kind, label in (
                            ("classify", "le classement"),
                            ("order", "la mise en ordre"),
                        )
                        if kind in kinds
                    )
                    hint = (
                        f" Pour {what}, partez de l'élément le plus souvent mal placé : « Où "
                        "l'avez-vous mis, et pourquoi? »"
                    )
                items.append(
                    f"<li><strong>{len(w.quiz)} questions notées</strong> : projetez d'abord celle "
                    "dont les réponses sont les plus partagées et demandez « Qu'est-ce qui fait "
                    f"pencher vers l'une ou l'autre? » avant de révéler la réponse.{hint}</li>"
                )
            for d in w.dilemmas:
                items.append(
                    f"<li><strong>Dilemme</strong> « {escape(_short(d.prompt))} » : aucune option "
                    "n'est la bonne; demandez « Qu'est-ce que chaque option gagne, et qu'est-ce "
                    "qu'elle coûte? »</li>"
                )
            for sc in w.scenarios:
                cards = sum(1 for n in sc.nodes if n.choices)
                ends = sum(1 for n in sc.nodes if n.ending)
                items.append(
                    f"<li><strong>Mise en situation</strong> « {escape(_short(sc.title))} » "
                    f"({cards} cartes, {ends} fins) : à la carte où le groupe s'est partagé, "
                    "« Qu'est-ce qui vous a décidés? »; devant les fins et les chemins, « Quel "
                    "choix a tout fait basculer? »</li>"
                )
            parts.append(f"<h3>{to_html(w.heading)}</h3><ul>{''.join(items)}</ul>")
        html = french('<div class="exk-debrief-plan">' + "".join(parts) + "</div>")
        return [nodes.raw("", html, format="html")]


def purge_doc(app: Sphinx, env: Any, docname: str) -> None:
    for kind, doc in list(_cohort_pages(env).items()):
        if doc == docname:
            del _cohort_pages(env)[kind]


def merge_info(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _cohort_pages(env).update({k: d for k, d in _cohort_pages(other).items() if d in docnames})


def course_iri(app: Sphinx) -> str:
    configured = app.config.exercisekit_course_iri
    repository = (app.config.html_theme_options or {}).get("repository_url", "")
    return (configured or repository or "urn:exercisekit:course").rstrip("/")


def _modules(app: Sphinx) -> list[dict[str, Any]]:
    """Bank modules in the order of the table of contents, with their page and exercises."""
    manifest = course_manifest(app)
    found: dict[str, dict[str, Any]] = {}
    for page in manifest["modules"]:
        for item in page["items"]:
            module = item["ref"].split("/", 1)[0]
            entry = found.setdefault(
                module, {"id": module, "title": page["title"], "url": page["url"], "items": []}
            )
            entry["items"].append(item)
    return list(found.values())


def participant_data(app: Sphinx) -> dict[str, Any]:
    # The debrief view's words go with its own data (board page only).
    words = {k: french_text(t) for k, t in MESSAGES.items() if not k.startswith("board_")}
    pages = {kind: app.builder.get_target_uri(doc) for kind, doc in _cohort_pages(app.env).items()}
    if "parcours" in _spaces(app.env):
        pages["parcours"] = app.builder.get_target_uri(_spaces(app.env)["parcours"])
    modules = {
        m["id"]: {
            "title": m["title"],
            # What the mastery rule reads: graded items and scenarios.
            "items": [
                [i["ref"], i["type"]]
                for i in m["items"]
                if i["type"] in GRADED_TYPES or i["type"] == "scenario"
            ],
        }
        for m in _modules(app)
    }
    return {
        **profile_for(course_iri(app)),
        "sent": list(SENT_TYPES),
        "mastery": MASTERY_FIRST_TRY,
        "pages": pages,
        "modules": modules,
        "messages": words,
    }


# Texts the debrief view never shows: feedback belongs to the learner's page.
_DROP = {"feedback", "justification", "explanation", "consequence", "benefit", "cost", "hints"}


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if k not in _DROP}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def board_data(app: Sphinx) -> dict[str, Any]:
    """Each module's items as the debrief view shows them: prompts, options and keys in the
    presented order, scenario cards with their choices' quality; no reflection."""
    bank = app.exercise_bank  # type: ignore[attr-defined]
    modules = []
    for m in _modules(app):
        items = []
        for item in m["items"]:
            if item["type"] not in SENT_TYPES:
                continue
            exercise = bank.get(item["ref"])
            data = _compact(html_dump(exercise.model_dump(mode="json")))
            if exercise.type == "scenario":
                for node, raw in zip(data["nodes"], exercise.nodes, strict=True):
                    short = to_plain(raw.text)
                    node["text"] = french_text(short if len(short) <= 160 else short[:157] + "…")
            data["ref"] = item["ref"]
            data.pop("objectives", None)
            data.pop("level", None)
            items.append(data)
        modules.append({"id": m["id"], "title": m["title"], "items": items})
    return {"modules": modules}


def board_words() -> dict[str, str]:
    """The board's messages, written into its script: shown before (or without) its data."""
    return {k: french_text(t) for k, t in MESSAGES.items() if k.startswith("board_")}


def _script(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    pages = _cohort_pages(app.env)
    if pagename == pages.get("board"):
        # Its data (exercisekit-board-data.js) is loaded by the script once a read link is there.
        app.add_js_file("exercisekit-board.js", loading_method="defer")
    if (
        pagename in pages.values()
        or pagename in _pages(app.env)
        or pagename == _spaces(app.env).get("parcours")
    ):
        app.add_css_file("exercisekit-cohort.css")


def write_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    script = (STATIC / "exercisekit-cohort.js").read_text(encoding="utf-8")
    script = script.replace("/*COHORT*/{}/*END*/", _script(participant_data(app)))
    (target / "exercisekit-cohort.js").write_text(script, encoding="utf-8")
    (target / "exercisekit-board-data.js").write_text(
        f"window.ExerciseKitBoard={_script(board_data(app))};\n", encoding="utf-8"
    )
    board = (STATIC / "exercisekit-board.js").read_text(encoding="utf-8")
    board = board.replace("/*WORDS*/{}/*END*/", _script(board_words()))
    (target / "exercisekit-board.js").write_text(board, encoding="utf-8")
    shutil.copy(STATIC / "exercisekit-cohort.css", target / "exercisekit-cohort.css")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("exercisekit.sphinx.exercises")
    # The course's IRI for xAPI activity ids; empty: the repository URL of _config.yml.
    app.add_config_value("exercisekit_course_iri", "", "html", types=[str])
    app.add_directive("exercisekit-cohort", CohortDirective)
    app.add_directive("cohort-debrief", DebriefPlan)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("html-page-context", add_assets, priority=400)
    app.connect("build-finished", write_files)
    # Every page: inert unless this browser joined a cohort (after exercisekit.js, deferred).
    app.add_js_file("exercisekit-cohort.js", loading_method="defer")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
