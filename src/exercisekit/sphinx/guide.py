"""Sphinx extension for the « Guide d'animation »: generated parts and printable PDFs.

Directives (`:module:` is a module id, the name of its file in `exercises/`; an argument
works too, but the option keeps the id out of the prose that the spelling test reads):

    ```{workshop-plan}
    :module: conditions
    ```      objectives (from the module page's « En bref »), printables with their links,
             and what the module holds (questions, scenario cards, reflections)
    ```{answer-key}
    :module: conditions
    ```      every answer with its reasoning, every scenario card, ending and path
    ```{workshop-downloads}
    ```      a table of every module's printables (for the guide's front page)

At build-finished, every module's PDFs are written into `<html>/imprimables/`, printed from
the same data by `handouts.build_handouts`, with a cache (`_build/.imprimables-cache/`) so
that only changed documents are printed again.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from exercisekit.bank.loader import EXERCISES_DIR
from exercisekit.render.richtext import to_html
from exercisekit.render.typography import french
from exercisekit.workshop.handouts import PrintError, build_handouts, render_key_fragment
from exercisekit.workshop.materials import KINDS, Workshop, pdf_name, read_page

PDF_DIR = "imprimables"
logger = logging.getLogger(__name__)


class GuideError(SphinxError):
    category = "Erreur dans le guide d'animation"


class _GuideDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1
    option_spec = {"module": directives.unchanged_required}

    def workshop(self) -> Workshop | None:
        module_id = self.options.get("module") or (self.arguments[0] if self.arguments else "")
        if not module_id:
            raise self.error("indiquez le module : « :module: conditions »")
        bank = getattr(self.env.app, "exercise_bank", None)
        module = bank.modules.get(module_id) if bank else None
        root = Path(self.env.app.confdir)
        self.env.note_dependency(str(root / EXERCISES_DIR / f"{module_id}.yaml"))
        if module is None:
            return None
        workshop = Workshop(module, read_page(root, module))
        if workshop.page.path is not None:
            self.env.note_dependency(str(workshop.page.path))
        return workshop

    def pdf_uri(self, module_id: str, kind: str) -> str:
        here = self.env.app.builder.get_target_uri(self.env.docname)
        return relative_uri(here, f"{PDF_DIR}/{pdf_name(module_id, kind)}")

    def raw(self, html: str) -> list[nodes.Node]:
        return [nodes.raw("", html, format="html")]

    def pending(self) -> list[nodes.Node]:
        note = nodes.note()
        note += nodes.paragraph(
            text="Les exercices de ce module sont en cours de rédaction : le matériel "
            "imprimable et le corrigé apparaîtront ici dès qu'ils seront publiés."
        )
        return [note]

    def links(self, workshop: Workshop) -> str:
        items = []
        for kind, label in KINDS.items():
            if kind == "cartes" and not workshop.scenarios:
                continue
            items.append(
                f'<li><a class="exk-pdf" href="{self.pdf_uri(workshop.id, kind)}" download>'
                f"{escape(label)} (PDF)</a></li>"
            )
        return "".join(items)


class WorkshopPlan(_GuideDirective):
    def run(self) -> list[nodes.Node]:
        w = self.workshop()
        if w is None:
            return self.pending()
        page = w.page
        parts = ['<div class="exk-guide-plan">']
        if page.objectives:
            parts.append(
                "<p><strong>Objectifs</strong> (ceux du module en ligne) : à la fin de l'atelier, "
                "les personnes participantes pourront :</p><ul>"
                + "".join(f"<li>{to_html(o)}</li>" for o in page.objectives)
                + "</ul>"
            )
        if page.minutes:
            parts.append(f"<p>Le module en ligne demande environ {page.minutes} minutes.</p>")
        cards = sum(len(cards) for _, cards, _ in w.played())
        holds = [f"{len(w.quiz)} questions notées"]
        if w.dilemmas:
            holds.append(
                f"{len(w.dilemmas)} dilemme{'s' if len(w.dilemmas) > 1 else ''} à discuter"
            )
        if w.scenarios:
            holds.append(
                f"{len(w.scenarios)} mise{'s' if len(w.scenarios) > 1 else ''} en situation "
                f"({cards} cartes)"
            )
        if w.reflections:
            holds.append(f"{len(w.reflections)} questions de réflexion")
        parts.append(
            "<p><strong>Matériel à imprimer</strong>, produit à partir des exercices du "
            f"module ({', '.join(holds)}) :</p><ul>{self.links(w)}</ul>"
        )
        parts.append("</div>")
        return self.raw(french("".join(parts)))


class AnswerKey(_GuideDirective):
    def run(self) -> list[nodes.Node]:
        w = self.workshop()
        if w is None:
            return self.pending()
        return self.raw(render_key_fragment(w, heading_level=3))


class WorkshopDownloads(_GuideDirective):
    optional_arguments = 0
    option_spec: dict = {}

    def run(self) -> list[nodes.Node]:
        from exercisekit.workshop.materials import workshops

        bank = getattr(self.env.app, "exercise_bank", None)
        root = Path(self.env.app.confdir)
        rows = []
        for w in workshops(bank, root) if bank else []:
            self.env.note_dependency(str(root / EXERCISES_DIR / f"{w.id}.yaml"))
            cells = []
            for kind in KINDS:
                if kind == "cartes" and not w.scenarios:
                    cells.append("<td>—</td>")
                else:
                    cells.append(f'<td><a href="{self.pdf_uri(w.id, kind)}" download>PDF</a></td>')
            rows.append(f'<tr><th scope="row">{to_html(w.heading)}</th>{"".join(cells)}</tr>')
        head = "".join(f'<th scope="col">{escape(label)}</th>' for label in KINDS.values())
        table = (
            '<table class="table exk-downloads"><thead><tr><th scope="col">Module</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        # At 320 px the table is wider than the page: it scrolls inside its own region
        # (focusable, so keyboard users can scroll it too) instead of the whole page.
        return self.raw(
            '<div class="exk-table-scroll" tabindex="0" role="region" '
            f'aria-label="Documents imprimables par module">{table}</div>'
        )


GUIDE_CSS = """.exk-table-scroll { overflow-x: auto; max-width: 100%; }
.exk-key .why { margin: 0.2rem 0 0.6rem 1.5rem; font-size: 0.95em; }
.exk-key .hint { font-style: italic; font-weight: normal; }
.exk-key .right, .exk-key .verdict { font-weight: bold; }
.exk-key .goto { font-weight: bold; white-space: nowrap; }
"""


def write_pdfs(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "exercisekit-guide.css").write_text(GUIDE_CSS, encoding="utf-8")
    bank = getattr(app, "exercise_bank", None)
    if bank is None:
        return
    cache = Path(app.doctreedir).parent / ".imprimables-cache"
    try:
        report = build_handouts(
            Path(app.outdir) / PDF_DIR, root=Path(app.confdir), bank=bank, cache=cache
        )
    except PrintError as err:
        raise GuideError(str(err)) from None
    logger.info(f"guide d'animation : {report}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("exercisekit.sphinx.exercises")
    app.add_directive("workshop-plan", WorkshopPlan)
    app.add_directive("answer-key", AnswerKey)
    app.add_directive("workshop-downloads", WorkshopDownloads)
    app.connect("build-finished", write_pdfs)
    app.add_css_file("exercisekit-guide.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
