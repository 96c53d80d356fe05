"""Sphinx extension: what the published course offers beyond its pages.

- Downloads, written into the built site at the end of the build (`telechargements/`):
  the question bank as Moodle XML and GIFT with their reports (`export/files.py`), and
  `cours-hors-ligne.zip`, the whole site to open from a folder without a network, and the
  SCORM 1.2 and 2004 packages for an LMS (`scorm/`, `export/scorm.py`), listed on the page by
  the `exercisekit-scorm-downloads` directive.
- Live notebooks: `notebooks/*.ipynb`, copies of the MyST module pages whose first cell
  installs the exercise kit when it is missing (Colab opens only `.ipynb` files from the
  repository, and has no copy of it). They are regenerated at every build when a module page
  changed, and the Binder and Colab launch buttons point at them.
"""

from __future__ import annotations

import os
import zipfile
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from exercisekit.export.files import FORMATS, write_export
from exercisekit.export.scorm import COURSE_SLUG, SHARE_SETTING, VERSIONS, package_name, write_scorm
from exercisekit.export.scorm import FOLDER as SCORM_FOLDER
from exercisekit.render.typography import french_text

logger = logging.getLogger(__name__)

DOWNLOADS = "telechargements"
ZIP_NAME = "cours-hors-ligne.zip"
NOTEBOOKS = "notebooks"
MODULES = "book/modules"

BOOTSTRAP = """\
# Première cellule : installe la boîte à exercices du cours si elle manque (Colab, Jupyter
# sans le cours). Sur Binder, ou dans une copie du dépôt, elle ne fait rien.
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("exercisekit") is None:
    COURS = os.path.abspath("cours-source")
    if not os.path.isdir(COURS):
        subprocess.run(["git", "clone", "--depth", "1", "--branch", "{branch}",
                        "{repository}", COURS], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pydantic>=2.6",
                    "PyYAML", "markdown-it-py>=3", "ipywidgets>=8.1,<9"], check=True)
    sys.path.insert(0, os.path.join(COURS, "src"))
    os.environ["EXERCISEKIT_ROOT"] = COURS
    try:  # Colab affiche les widgets d'ipywidgets 8 avec son gestionnaire de widgets tiers
        from google.colab import output
        output.enable_custom_widget_manager()
    except ImportError:
        pass
"""


def _repository(app: Sphinx) -> tuple[str, str]:
    options = app.config.html_theme_options or {}
    return options.get("repository_url", ""), options.get("repository_branch", "") or "main"


def notebook_copy(source: Path, repository: str, branch: str) -> str:
    """The .ipynb text for one MyST module page: the bootstrap cell, then the page's cells."""
    import jupytext
    from nbformat.v4 import new_code_cell

    notebook = jupytext.read(source)
    cell = new_code_cell(BOOTSTRAP.format(repository=repository, branch=branch))
    cell.metadata["tags"] = ["bootstrap"]
    notebook.cells.insert(0, cell)
    for number, each in enumerate(notebook.cells):
        each["id"] = f"cell-{number}"  # stable ids: a rebuild never rewrites an unchanged copy
    notebook.metadata.pop("jupytext", None)
    return jupytext.writes(notebook, fmt="ipynb")


def write_notebooks(app: Sphinx) -> None:
    root = Path(app.confdir)
    modules = root / MODULES
    if not modules.is_dir():
        return
    repository, branch = _repository(app)
    target = root / NOTEBOOKS
    for source in sorted(modules.glob("*.md")):
        text = notebook_copy(source, repository, branch)
        copy = target / (source.stem + ".ipynb")
        if not copy.is_file() or copy.read_text(encoding="utf-8") != text:
            target.mkdir(exist_ok=True)
            copy.write_text(text, encoding="utf-8")


def retarget_launch_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Point Binder and Colab at the generated `.ipynb` copy rather than the MyST page."""
    if not pagename.startswith(MODULES + "/"):
        return
    source = f"{pagename}.md"
    copy = f"{NOTEBOOKS}/{pagename.rsplit('/', 1)[-1]}.ipynb"
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if "url" in button:
                button["url"] = button["url"].replace(source, copy)


class ScormDownloads(Directive):
    """`{exercisekit-scorm-downloads}`: a table of the SCORM packages, one row per module page
    (in course order) and one for the whole course, a column per SCORM version."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from exercisekit.workshop.materials import workshops

        env = self.state.document.settings.env
        bank = env.app.exercise_bank
        here = env.app.builder.get_target_uri(env.docname)
        rows = []
        for workshop in workshops(bank, bank.root):
            if workshop.page.path is None:
                continue
            env.note_dependency(str(workshop.page.path))
            label = f"{workshop.page.number}. " if workshop.page.number else ""
            # As the site shows titles (Sphinx's smart quotes), raw HTML is not converted.
            rows.append((workshop.page.path.stem, label + workshop.page.title.replace("'", "’")))
        rows.append((COURSE_SLUG, f"Cours complet ({len(rows)} modules, un par activité)"))

        def link(version: str, slug: str) -> str:
            name = package_name(version, slug)
            href = relative_uri(here, f"{DOWNLOADS}/{SCORM_FOLDER}/{name}")
            return f'<a href="{href}" download>SCORM {version}<span class="exk-sr"> : {name}</span></a>'

        body = "".join(
            f'<tr><th scope="row">{escape(title)}</th>'
            + "".join(f"<td>{link(v, slug)}</td>" for v in VERSIONS)
            + "</tr>"
            for slug, title in rows
        )
        html = (
            '<div class="pst-scrollable-table-container"><table class="table exk-scorm-table">'
            "<caption>Paquets SCORM du cours, par module</caption><thead><tr>"
            '<th scope="col">Contenu</th>'
            + "".join(f'<th scope="col">SCORM {v}</th>' for v in VERSIONS)
            + f"</tr></thead><tbody>{body}</tbody></table></div>"
        )
        return [nodes.raw("", html, format="html")]


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    downloads = outdir / DOWNLOADS
    bank = getattr(app, "exercise_bank", None)
    if bank is not None:
        for fmt in FORMATS:
            _, export = write_export(bank, fmt, downloads)
            for skipped in export.skipped:
                logger.info(f"[{fmt}] {skipped}")
    downloads.mkdir(parents=True, exist_ok=True)
    archive = downloads / ZIP_NAME
    partial = archive.with_suffix(".part")
    top = "accompagner-un-collectif"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zipped:
        for folder, subfolders, files in os.walk(outdir):
            subfolders.sort()
            for name in sorted(files):
                path = Path(folder) / name
                if name.endswith((".zip", ".part")):  # no archive inside the archive
                    continue
                zipped.write(path, f"{top}/{path.relative_to(outdir).as_posix()}")
        zipped.writestr(f"{top}/LISEZMOI.txt", french_text(README_OFFLINE))
    partial.replace(archive)
    # The module pages and the runtime are written by now (this runs after the exercise kit).
    write_scorm(outdir, downloads / SCORM_FOLDER, bool(getattr(app.config, SHARE_SETTING)))


README_OFFLINE = """\
Accompagner un collectif de partenaires : copie hors ligne du cours.

Ouvrez index.html (double-clic) : le cours s'affiche dans votre navigateur sans connexion.
Vos réponses et votre journal restent dans ce navigateur, comme sur le site en ligne, mais
séparément de ceux du site en ligne : pour passer de l'un à l'autre, exportez votre journal
(page Mon journal) puis importez-le dans l'autre.
"""


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(SHARE_SETTING, False, "env", [bool])
    app.add_directive("exercisekit-scorm-downloads", ScormDownloads)
    app.connect("builder-inited", write_notebooks)
    app.connect("html-page-context", retarget_launch_buttons, priority=700)
    # After the exercise kit has written its runtime and course manifest (priority 500), so the
    # offline zip holds them and the SCORM packages are made from them.
    app.connect("build-finished", write_downloads, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
