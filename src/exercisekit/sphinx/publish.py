"""Sphinx extension: what the published course offers beyond its pages.

- Downloads, written into the built site at the end of the build (`telechargements/`):
  the question bank as Moodle XML and GIFT with their reports (`export/files.py`), and
  `cours-hors-ligne.zip`, the whole site to open from a folder without a network, and the
  SCORM 1.2 and 2004 packages for an LMS (`scorm/`, `export/scorm.py`), listed on the page by
  the `exercisekit-scorm-downloads` directive.
- Live notebooks: `notebooks/*.ipynb`, copies of the MyST module pages whose first cell
  installs the exercise kit when it is missing (Colab opens only `.ipynb` files from the
  repository, and has no copy of it), or says in French what failed and what to do. Their
  MyST is rewritten as plain notebook Markdown, links to the published site
  (`notebook_markdown.py`). They are regenerated after every build's reading phase, when they
  changed, and the Binder and Colab launch buttons point at them.
"""

from __future__ import annotations

import dataclasses
import os
import zipfile
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError, SphinxError
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from exercisekit.course_folder import local_folder
from exercisekit.export.files import FORMATS, write_export
from exercisekit.export.scorm import COURSE_SLUG, SHARE_SETTING, VERSIONS, package_name, write_scorm
from exercisekit.export.scorm import FOLDER as SCORM_FOLDER
from exercisekit.render.typography import french_text
from exercisekit.site_address import published_address
from exercisekit.sphinx.notebook_markdown import NotebookMarkdownError, Site, Target, convert

logger = logging.getLogger(__name__)

DOWNLOADS = "telechargements"
ZIP_NAME = "cours-hors-ligne.zip"
NOTEBOOKS = "notebooks"
MODULES = "book/modules"


def notebook_wording(root: Path | None) -> dict[str, str]:
    """The site's words (`myst_substitutions` in _config.yml) that are wrong in a Jupyter kernel,
    where answers go to a file in the course's own folder (selfpaced/state.py), not to the
    browser."""
    folder = local_folder(root).relative_to(Path.home())
    return {
        "reponses_privees": "Vos réponses restent dans un fichier sur cet ordinateur "
        f"(`~/{folder.as_posix()}/etat.json`) : personne d'autre ne les voit.",
    }


# What a module notebook imports, by distribution name; their version ranges come from
# pyproject.toml (one place). Colab already has IPython and ipykernel.
KERNEL_NEEDS = ("pydantic", "PyYAML", "markdown-it-py", "ipywidgets", "anywidget", "matplotlib")
DISTRIBUTION = "accompagner-un-collectif"

BOOTSTRAP = """\
import importlib.util, os, shutil, subprocess, sys


class CoursNonInstalle(Exception):
    def _render_traceback_(self):  # IPython (Jupyter, Colab) montre ce message, sans trace Python
        return [str(self)]


def _echec(quoi, resultat):
    lignes = [ligne.strip() for ligne in (resultat.stderr or "").splitlines() if ligne.strip()]
    detail = "\\n" + DETAIL + " " + lignes[-1] if lignes else ""
    return CoursNonInstalle(quoi + "\\n" + AUTREMENT + detail)


def _installer_le_cours():
    cours = os.path.abspath("..")  # carnet ouvert dans une copie du dépôt
    if not os.path.isdir(os.path.join(cours, "src", "exercisekit")):
        cours = os.path.abspath("cours-source")
    if not os.path.isdir(os.path.join(cours, "src", "exercisekit")):
        shutil.rmtree(cours, ignore_errors=True)  # une copie interrompue
        commande = ["git", "clone", "--quiet", "--depth", "1", "--branch", BRANCHE, DEPOT, cours]
        try:
            resultat = subprocess.run(commande, capture_output=True, text=True)
        except OSError:
            raise CoursNonInstalle(SANS_GIT + "\\n" + AUTREMENT) from None
        if resultat.returncode != 0:
            raise _echec(ECHEC_COPIE, resultat)
    commande = [sys.executable, "-m", "pip", "install", "--quiet", *PAQUETS]
    resultat = subprocess.run(commande, capture_output=True, text=True)
    if resultat.returncode != 0:
        raise _echec(ECHEC_INSTALLATION, resultat)
    sys.path.insert(0, os.path.join(cours, "src"))
    os.environ["EXERCISEKIT_ROOT"] = cours


if importlib.util.find_spec("exercisekit") is None:
    _installer_le_cours()
    try:  # Colab affiche les widgets d'ipywidgets 8 avec son gestionnaire de widgets tiers
        from google.colab import output
        output.enable_custom_widget_manager()
    except ImportError:
        pass
"""

# The bootstrap's messages: what failed, then what to do (read by a learner: French).
BOOTSTRAP_MESSAGES = {
    "ECHEC_COPIE": (
        "Impossible de copier le cours depuis {repository} (branche {branch}).\n"
        "Que faire : vérifiez que ce carnet a accès à Internet, et que DEPOT et BRANCHE, en haut "
        "de cette cellule, désignent bien le dépôt du cours ; puis relancez cette cellule."
    ),
    "SANS_GIT": (
        "Impossible de copier le cours : la commande git est introuvable sur cet ordinateur.\n"
        "Que faire : installez git (https://git-scm.com), puis relancez cette cellule."
    ),
    "ECHEC_INSTALLATION": (
        "Impossible d'installer les paquets dont le cours a besoin ({packages}).\n"
        "Que faire : vérifiez que ce carnet a accès à Internet, puis relancez cette cellule."
    ),
    "AUTREMENT": (
        "Autrement, suivez le cours sur son site ({site}) ou dans sa copie hors ligne (page "
        "« Hors ligne, Moodle et carnets » du site) : les exercices y fonctionnent dans le "
        "navigateur."
    ),
    "DETAIL": "Détail technique :",
}


class NotebookCopyError(SphinxError):
    category = "Copie .ipynb d'un module (notebooks/)"


def kernel_requirements(root: Path) -> list[str]:
    """The requirement strings of KERNEL_NEEDS, as the book's pyproject.toml pins them (or,
    for a book without one, as the installed exercise kit declares them)."""
    from packaging.requirements import Requirement

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        declared, where = project.get("dependencies", []), "pyproject.toml : [project] dependencies"
    else:
        from importlib.metadata import requires

        declared = [r for r in requires(DISTRIBUTION) or [] if "extra ==" not in r]
        where = f"les dépendances installées de {DISTRIBUTION}"
    pinned = {Requirement(r).name.lower(): str(Requirement(r)) for r in declared}
    missing = [name for name in KERNEL_NEEDS if name.lower() not in pinned]
    if missing:
        raise NotebookCopyError(
            f"{where} : {', '.join(missing)} manque (la première cellule des carnets "
            "l'installe dans Colab)"
        )
    return [pinned[name.lower()] for name in KERNEL_NEEDS]


def bootstrap_cell(repository: str, branch: str, packages: list[str], site: str) -> str:
    """The notebooks' first cell: installs the exercise kit where it is missing, or says in
    French what failed and what to do (no traceback: a learner reads it, in Colab)."""
    values = {"repository": repository, "branch": branch, "site": site}
    values["packages"] = ", ".join(packages)
    lines = [
        "# Première cellule : installe la boîte à exercices du cours si elle manque (Colab, Jupyter",
        "# sans le cours). Sur Binder, ou dans une copie installée du dépôt, elle ne fait rien.",
        f"DEPOT = {repository!r}",
        f"BRANCHE = {branch!r}",
        f"PAQUETS = {packages!r}",
    ]
    for name, text in BOOTSTRAP_MESSAGES.items():
        lines.append(f"{name} = {french_text(text.format(**values))!r}")
    return "\n".join(lines) + "\n" + BOOTSTRAP


def _repository(config: Any) -> tuple[str, str]:
    options = config.html_theme_options or {}
    return options.get("repository_url", ""), options.get("repository_branch", "") or "main"


def site_url(config: Any) -> str:
    """The published site's root: `html_baseurl` when set, else the GitHub Pages address of
    `repository: url:` in `_config.yml` (what a fork edits)."""
    repository, _ = _repository(config)
    address = published_address(getattr(config, "html_baseurl", "") or "", repository)
    if address is None:
        raise ExtensionError(
            f"_config.yml : repository: url: « {repository} » n'est pas une adresse GitHub ; "
            "indiquez l'adresse du site publié avec sphinx: config: html_baseurl:"
        )
    return address


def site_from_env(env: Any, bank: Any, output_folder: Path) -> Site:
    """What the notebook copies need to know about the site, from a read Sphinx environment
    (also unpickled by the tests from _build/.doctrees)."""
    from exercisekit.grading import MASTERY_FIRST_TRY
    from exercisekit.render.messages import message

    std = env.domaindata.get("std", {})
    labels = {
        name: Target(docname, labelid, title)
        for name, (docname, labelid, title) in std.get("labels", {}).items()
    }
    for name, (docname, labelid) in std.get("anonlabels", {}).items():
        labels.setdefault(name, Target(docname, labelid))
    terms = {
        name: Target(docname, labelid) for name, (docname, labelid) in std.get("terms", {}).items()
    }
    numbers = {}
    for name, target in labels.items():
        for kinds in env.toc_fignumbers.get(target.docname, {}).values():
            if target.anchor in kinds:
                numbers[name] = ".".join(map(str, kinds[target.anchor]))
    images = {path: f"_images/{unique}" for path, (_docs, unique) in env.images.items()}

    def objectives(module_id: str) -> list[str]:
        module = bank.modules.get(module_id)
        return [o.text for o in module.objectives] if module else []

    executed: dict[str, dict] = {}

    def glue(docname: str, key: str) -> dict:
        if docname not in executed:
            path = output_folder / f"{docname}.ipynb"
            executed[docname] = _glued_values(path) if path.is_file() else {}
        return executed[docname].get(key, {})

    return Site(
        url=site_url(env.config),
        titles={doc: title.astext() for doc, title in env.titles.items()},
        labels=labels,
        terms=terms,
        images=images,
        notebooks={
            f"{MODULES}/{Path(doc).name}": f"{Path(doc).name}.ipynb"
            for doc in env.found_docs
            if doc.startswith(MODULES + "/")
        },
        numbers=numbers,
        substitutions=dict(getattr(env.config, "myst_substitutions", {}) or {}),
        objectives=objectives,
        objectives_note=message("mastery_rule", pct=round(100 * MASTERY_FIRST_TRY)),
        glue=glue,
    )


def _glued_values(path: Path) -> dict[str, dict]:
    """`glue()` outputs of an executed notebook, by name (myst-nb marks them `scrapbook`)."""
    import json

    found: dict[str, dict] = {}
    for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []):
            meta = (output.get("metadata") or {}).get("scrapbook")
            if meta:
                cut = len(meta.get("mime_prefix", ""))
                data = output.get("data", {})
                found[meta["name"]] = {
                    k[cut:]: "".join(v) if isinstance(v, list) else v for k, v in data.items()
                }
    return found


def notebook_copy(source: Path, site: Site, bootstrap: str, root: Path | None = None) -> str:
    """The .ipynb text for one MyST module page: the bootstrap cell, then the page's cells,
    their MyST rewritten as plain notebook Markdown (notebook_markdown.py)."""
    import jupytext
    from nbformat.v4 import new_code_cell

    notebook = jupytext.read(source)
    text = source.read_text(encoding="utf-8")
    name = source.relative_to(root).as_posix() if root else source.name
    docname = f"{MODULES}/{source.stem}"
    substitutions = {
        **site.substitutions,
        **notebook_wording(root),
        **notebook.metadata.get("substitutions", {}),
    }
    page = dataclasses.replace(site, substitutions=substitutions)
    footnotes: dict[str, int] = {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            line = text[: max(text.find(cell.source), 0)].count("\n")
            try:
                cell.source = convert(cell.source, docname, page, name, line, footnotes)
            except NotebookMarkdownError as error:
                raise NotebookCopyError(str(error)) from None
    cell = new_code_cell(bootstrap)
    cell.metadata["tags"] = ["bootstrap"]
    notebook.cells.insert(0, cell)
    for number, each in enumerate(notebook.cells):
        each["id"] = f"cell-{number}"  # stable ids: a rebuild never rewrites an unchanged copy
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.pop("substitutions", None)
    return jupytext.writes(notebook, fmt="ipynb")


def write_notebooks(app: Sphinx, env: Any) -> None:
    """After reading (every label, title and image known): regenerate notebooks/."""
    root = Path(app.confdir)
    modules = root / MODULES
    if not modules.is_dir():
        return
    repository, branch = _repository(app.config)
    site = site_from_env(env, app.exercise_bank, Path(app.outdir).parent / "jupyter_execute")
    bootstrap = bootstrap_cell(repository, branch, kernel_requirements(root), site.url)
    target = root / NOTEBOOKS
    for source in sorted(modules.glob("*.md")):
        text = notebook_copy(source, site, bootstrap, root)
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
    app.connect("env-updated", write_notebooks)
    app.connect("html-page-context", retarget_launch_buttons, priority=700)
    # After the exercise kit has written its runtime and course manifest (priority 500), so the
    # offline zip holds them and the SCORM packages are made from them.
    app.connect("build-finished", write_downloads, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
