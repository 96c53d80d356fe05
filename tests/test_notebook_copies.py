"""The `.ipynb` copies of the module pages (notebooks/, for Jupyter, Colab and Voilà): plain
notebook Markdown without MyST, links that lead somewhere, copies that run, and a Colab first
cell that installs what a notebook needs or says in French what failed and what to do."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import venv
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import nbformat
import pytest
import yaml

from conftest import OUTPUT, ROOT
from exercisekit.sphinx.notebook_markdown import NotebookMarkdownError, Site, Target, convert

NOTEBOOKS = ROOT / "notebooks"
MODULES = ROOT / "book" / "modules"
URL = "https://example.github.io/cours/"

# ------------------------------------------------------------------ the converter, small inputs


def small_site(**extra) -> Site:
    values = dict(
        url=URL,
        titles={
            "book/modules/01-a": "1. Premier",
            "book/modules/02-b": "2. Second",
            "book/journal": "Mon journal",
        },
        labels={"cycle": Target("book/modules/02-b", "cycle", "Le cycle de Gibbs")},
        images={"book/modules/img/cycle.png": "_images/cycle.png"},
        notebooks={"book/modules/01-a": "01-a.ipynb", "book/modules/02-b": "02-b.ipynb"},
        objectives=lambda module: {"a": ["**expliquer** une chose", "**appliquer** une autre"]}.get(
            module, []
        ),
        objectives_note="Réussir ce module : tout faire.",
        substitutions={"duree": "**40 minutes**"},
    )
    values.update(extra)
    return Site(**values)


def md(text: str, **extra) -> str:
    return convert(text, "book/modules/01-a", small_site(**extra), "book/modules/01-a.md")


def test_nested_admonitions_become_nested_blockquotes():
    text = (
        "::::{admonition} En bref\n"
        ":class: tip\n"
        "\n"
        "Durée : {{ duree }}\n"
        "\n"
        ":::{note}\n"
        "Un détail, avec un [lien](02-b.md).\n"
        ":::\n"
        "\n"
        "```{important} Dit en argument.\n"
        "Et en contenu.\n"
        "```\n"
        "::::"
    )
    assert md(text) == (
        "> **En bref**\n"
        ">\n"
        "> Durée : **40 minutes**\n"
        ">\n"
        "> > **Note**\n"
        "> >\n"
        "> > Un détail, avec un [lien](02-b.ipynb).\n"
        ">\n"
        "> > **Important**\n"
        "> >\n"
        "> > Dit en argument.\n"
        "> >\n"
        "> > Et en contenu."
    )


def test_dropdowns_become_details():
    assert md(":::{admonition} Réponse\n:class: dropdown\n\nC'est **oui**.\n:::") == (
        "<details>\n<summary>Réponse</summary>\n\nC'est **oui**.\n\n</details>"
    )
    assert md("```{dropdown} Indice\nRegardez en haut.\n```").startswith(
        "<details>\n<summary>Indice</summary>"
    )


def test_a_figure_becomes_an_image_of_the_site_with_its_caption():
    text = "```{figure} img/cycle.png\n:name: fig-cycle\n:alt: Six étapes en cercle\n\nLe cycle de Gibbs.\n```"
    assert md(text) == (f"![Six étapes en cercle]({URL}_images/cycle.png)\n\n*Le cycle de Gibbs.*")
    assert md("Voir ![le cycle](img/cycle.png).") == f"Voir ![le cycle]({URL}_images/cycle.png)."


def test_references_and_links_point_at_the_site_or_the_notebook_copy():
    text = (
        "(debut)=\n"
        "% une note pour les auteurs\n"
        "Voir {ref}`cycle`, {ref}`ce cycle <cycle>`, {doc}`../journal`, {doc}`02-b`,\n"
        "[le journal](../journal.md), [une section](02-b.md#cycle), [ici](#plus-bas) et\n"
        "[agirtot](https://agirtot.org/).[^a]\n"
        "\n"
        "[^a]: Une note\n"
        "    sur deux lignes."
    )
    assert md(text) == (
        f"Voir [Le cycle de Gibbs]({URL}book/modules/02-b.html#cycle), "
        f"[ce cycle]({URL}book/modules/02-b.html#cycle), [Mon journal]({URL}book/journal.html), "
        "[2. Second](02-b.ipynb),\n"
        f"[le journal]({URL}book/journal.html), [une section]({URL}book/modules/02-b.html#cycle), "
        f"[ici]({URL}book/modules/01-a.html#plus-bas) et\n"
        "[agirtot](https://agirtot.org/).<sup>1</sup>\n"
        "\n"
        "<sup>1</sup> Une note\nsur deux lignes."
    )


def test_code_is_left_as_written():
    text = "```python\n:::{note}\n{ref}`x`\n```\nEt `{ref}` en ligne."
    assert md(text) == text


def test_a_list_table_becomes_a_markdown_table():
    text = (
        ":::{list-table} Trois savoirs\n:header-rows: 1\n\n"
        "* - Famille\n  - Exemple\n* - Savoir-être\n  - l'humilité,\n    la patience\n:::"
    )
    assert md(text) == (
        "*Trois savoirs*\n\n| Famille | Exemple |\n|---|---|\n| Savoir-être | l'humilité, la patience |"
    )


def test_glued_values_and_small_roles_are_filled_in():
    glued = {
        ("book/modules/01-a", "taux"): {"text/plain": "'80 %'"},
        ("book/modules/02-b", "liste"): {"text/markdown": "- un\n- deux"},
    }
    site = dict(glue=lambda doc, key: glued.get((doc, key), {}))
    assert md("Seuil : {glue:}`taux`, {abbr}`PCAP (propriété, contrôle)`.", **site) == (
        "Seuil : 80 %, PCAP (propriété, contrôle)."
    )
    assert md("```{glue:md} book/modules/02-b::liste\n```", **site) == "- un\n- deux"
    with pytest.raises(NotebookMarkdownError, match="« absent »"):
        md("{glue:}`absent`", **site)


def test_the_site_address_follows_the_repository_a_fork_names():
    from types import SimpleNamespace

    from exercisekit.sphinx.publish import site_url

    def config(url: str, base: str = "") -> SimpleNamespace:
        return SimpleNamespace(html_theme_options={"repository_url": url}, html_baseurl=base)

    assert site_url(config("https://github.com/Mon-Org/cours-copie")) == (
        "https://mon-org.github.io/cours-copie/"
    )
    assert site_url(config("https://github.com/a/b", "https://cours.example.org")) == (
        "https://cours.example.org/"
    )
    with pytest.raises(Exception, match="html_baseurl"):
        site_url(config("https://gitlab.com/a/b"))


def test_the_course_objectives_directive_becomes_its_list():
    assert md("```{exercisekit-objectives}\n:module: a\n```") == (
        "- **expliquer** une chose\n- **appliquer** une autre\n\nRéussir ce module : tout faire."
    )


def test_only_blocks_keep_what_is_meant_for_notebooks():
    text = ":::{only} html\nDans ce navigateur.\n:::\n\n:::{only} notebook\nDans un fichier.\n:::"
    assert md(text).strip() == "Dans un fichier."
    assert md(":::{only} not html\nHors du site.\n:::").strip() == "Hors du site."


def test_the_copies_say_answers_stay_in_a_file_not_in_the_browser(built_site):
    """Issue 11, point 6: the site says « dans votre navigateur », a notebook copy (a kernel,
    saving to a file) says where the file is."""
    for copy in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(copy, as_version=4)
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert "navigateur" not in markdown, copy.name
        assert "dans un fichier sur cet ordinateur" in markdown, copy.name
    page = (built_site / "book" / "modules" / "02-conditions.html").read_text(encoding="utf-8")
    assert "Vos réponses restent dans votre navigateur" in page
    assert "fichier sur cet ordinateur" not in page


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Intro\n\n```{mermaid}\ngraph TD\n```", "ligne 3 : directive « {mermaid} »"),
        ("Un\ndeux\nVoir {cite}`gibbs1988`.", "ligne 3 : rôle « {cite} »"),
        ("Voir {ref}`inconnue`.", "étiquette inconnue « inconnue »"),
        ("Voir [là](03-c.md).", "lien vers « 03-c.md »"),
        ("![x](img/absente.png)", "image « img/absente.png »"),
        (":::{note}\nsans fin", "« :::{note} » n'est jamais refermé"),
        ("{{ inconnue }}", "substitution « {{ inconnue }} »"),
        ("```{exercisekit-objectives}\n:module: z\n```", "module « z »"),
    ],
)
def test_what_has_no_markdown_rendering_fails_naming_file_line_and_directive(text, named):
    with pytest.raises(NotebookMarkdownError) as error:
        md(text)
    assert str(error.value).startswith("book/modules/01-a.md, ligne ")
    assert named in str(error.value)


def test_an_unknown_directive_fails_the_build_with_its_file_and_line(tmp_path):
    from exercisekit.sphinx.publish import notebook_copy

    page = tmp_path / "book" / "modules" / "09-essai.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        (MODULES / "02-conditions.md").read_text(encoding="utf-8").split("\n## ")[0]
        + "\n\n```{mermaid}\ngraph TD\n```\n",
        encoding="utf-8",
    )
    line = page.read_text(encoding="utf-8").split("\n").index("```{mermaid}") + 1
    site = small_site(objectives=lambda module: ["un objectif"])
    from exercisekit.sphinx.publish import NotebookCopyError

    with pytest.raises(
        NotebookCopyError,
        match=rf"^book/modules/09-essai.md, ligne {line} : directive « {{mermaid}} »",
    ):
        notebook_copy(page, site, "pass", tmp_path)


# ------------------------------------------------------------------ the copies the build wrote

MYST = [
    (re.compile(r"```+\s*\{"), "a backtick directive"),
    (re.compile(r":::+\s*\{"), "a colon directive"),
    (re.compile(r"\{[a-z:-]+\}`"), "a role"),
    (re.compile(r"^\s*:[\w-]+:( |$)", re.M), "a directive option line"),
    (re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M), "a (label)= target"),
    (re.compile(r"^\s*%", re.M), "a % comment"),
    (re.compile(r"\{\{[^}]*\}\}"), "a substitution"),
    (re.compile(r"\[\^[^\]]+\]"), "a footnote"),
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in (("a", "href"), ("img", "src")) and value:
                self.found.append(("image" if tag == "img" else "link", value))


def rendered(markdown: str) -> str:
    """The HTML a notebook front end shows for a Markdown cell (CommonMark, tables, HTML)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def links_of(markdown: str) -> list[tuple[str, str]]:
    """(kind, target) of every link and image, as rendered (inline, reference or HTML)."""
    parser = _Links()
    parser.feed(rendered(markdown))
    return parser.found


def site_root() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    base = (config.get("sphinx", {}).get("config", {}) or {}).get("html_baseurl")
    if base:
        return base.rstrip("/") + "/"
    owner, name = config["repository"]["url"].removeprefix("https://github.com/").split("/")[:2]
    return f"https://{owner.lower()}.github.io/{name}/"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k == "id" and v)


def test_the_copies_have_no_myst_left_and_every_link_leads_somewhere(built_site):
    root = site_root()
    copies = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert [c.stem for c in copies] == sorted(p.stem for p in MODULES.glob("*.md"))
    ids: dict[Path, set[str]] = {}
    checked = {"site": 0, "notebook": 0, "image": 0}
    for copy in copies:
        notebook = nbformat.read(copy, as_version=4)
        for number, cell in enumerate(notebook.cells):
            if cell.cell_type != "markdown":
                continue
            where = f"{copy.name}, cellule {number}"
            for pattern, what in MYST:
                found = pattern.search(cell.source)
                assert found is None, f"{where}: {what} is left: {found.group(0)!r}"
            for kind, target in links_of(cell.source):
                if target.startswith("data:image/"):
                    continue
                if target.startswith(root):
                    path, anchor = urldefrag(unquote(target[len(root) :]))
                    page = built_site / (path or "index.html")
                    assert page.is_file(), f"{where}: {target} is not on the built site"
                    if anchor:
                        if page not in ids:
                            parser = _Ids()
                            parser.feed(page.read_text(encoding="utf-8"))
                            ids[page] = parser.ids
                        assert anchor in ids[page], f"{where}: no #{anchor} in {path}"
                    checked["image" if kind == "image" else "site"] += 1
                elif re.match(r"^https?://", target):
                    assert kind == "link", f"{where}: image from another site: {target}"
                else:
                    assert kind == "link" and target.endswith(".ipynb"), f"{where}: {target}"
                    assert (NOTEBOOKS / target).is_file(), f"{where}: no notebook {target}"
                    checked["notebook"] += 1
    # The course links its modules to each other and to its other pages.
    assert checked["notebook"] >= 7 and checked["site"] >= 2, checked


def test_the_copies_show_admonitions_as_titled_blockquotes(built_site):
    notebook = nbformat.read(NOTEBOOKS / "03-savoirs.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    html = rendered(markdown)
    assert (
        "<blockquote>\n<p><strong>En bref</strong></p>\n<p><strong>Durée estimée :</strong>" in html
    )
    assert "<blockquote>\n<p><strong>Piste du cours</strong></p>" in html
    assert ":::" not in html and "{admonition}" not in html and ":class:" not in html
    assert "> **En bref**\n>\n> **Durée estimée :** 50 minutes" in markdown
    assert "> - **distinguer** les savoirs, les savoir-faire et les savoir-être" in markdown
    assert "> **Piste du cours**\n>\n> Les listes de la source" in markdown
    assert "Le [module 2](02-conditions.ipynb) l'a montré" in markdown


def load_environment():
    path = OUTPUT / "_build" / ".doctrees" / "environment.pickle"
    with path.open("rb") as stream:
        return pickle.load(stream)


def test_the_copies_are_what_the_build_makes_from_the_pages(built_site):
    """A copy is regenerated from its page by every build; the pull-request workflow checks
    they are committed (here: the same function, from the build's own environment)."""
    from exercisekit.bank.loader import load_bank
    from exercisekit.sphinx import publish

    env = load_environment()
    site = publish.site_from_env(env, load_bank(ROOT), OUTPUT / "_build" / "jupyter_execute")
    repository, branch = publish._repository(env.config)
    bootstrap = publish.bootstrap_cell(
        repository, branch, publish.kernel_requirements(ROOT), site.url
    )
    assert site.url == site_root()
    for source in sorted(MODULES.glob("*.md")):
        copy = NOTEBOOKS / f"{source.stem}.ipynb"
        text = publish.notebook_copy(source, site, bootstrap, ROOT)
        assert copy.read_text(encoding="utf-8") == text, f"{copy.name} is stale: run ./dev build"
        notebook = json.loads(text)
        first = "".join(notebook["cells"][0]["source"])
        assert 'find_spec("exercisekit") is None' in first and repository in first
        assert all(not c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code")


def test_figures_and_references_of_a_page_reach_its_copy(built_site, tmp_path):
    """A real build of the course with a figure, an image and cross-references added to a
    module page: the copy shows the site's copy of the image and links to the site's anchors."""
    import shutil

    from conftest import build_book

    course = tmp_path / "cours"
    course.mkdir()
    for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, course / name)
    for folder in ("book", "exercises", "course"):
        shutil.copytree(ROOT / folder, course / folder)
    for cache in (".jupyter_cache", ".imprimables-cache"):  # executed notebooks, printed PDFs
        shutil.copytree(OUTPUT / "_build" / cache, course / "_build" / cache)
    images = course / "book" / "modules" / "img"
    images.mkdir()
    (images / "essai.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>',
        encoding="utf-8",
    )
    page = course / "book" / "modules" / "07-synthese.md"
    head, sep, rest = page.read_text(encoding="utf-8").partition("\n## ")
    added = (
        ":::{figure} img/essai.svg\n:name: fig-essai\n:alt: Un carré noir\n\n"
        "Un carré, pour l'essai.\n:::\n\n"
        "Voir {ref}`fig-essai`, {ref}`la section <sec-essai>`, {doc}`../journal` et "
        "![le carré](img/essai.svg).\n\n(sec-essai)=\n"
    )
    page.write_text(head + "\n\n" + added + sep.lstrip("\n") + rest, encoding="utf-8")
    result = build_book(course)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    notebook = nbformat.read(course / "notebooks" / "07-synthese.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    root = site_root()
    image = f"{root}_images/essai.svg"
    assert f"![Un carré noir]({image})\n\n*Un carré, pour l'essai.*" in markdown
    assert f"![le carré]({image})" in markdown
    assert (course / "_build" / "html" / "_images" / "essai.svg").is_file()
    html = (course / "_build" / "html" / "book" / "modules" / "07-synthese.html").read_text(
        encoding="utf-8"
    )
    ids = _Ids()
    ids.feed(html)
    found = re.findall(
        r"\]\(" + re.escape(root) + r"book/modules/07-synthese\.html#([^)]+)\)", markdown
    )
    assert found == ["fig-essai", "sec-essai"] and set(found) <= ids.ids
    # The label's title as the site has it (Sphinx's typographic apostrophe).
    assert f"[Un carré, pour l’essai.]({root}book/modules/07-synthese.html#fig-essai)" in markdown
    assert f"[Mon journal]({root}book/journal.html)" in markdown


# ------------------------------------------------------------------ the copies run


def run(notebook, cwd: Path, env: dict[str, str] | None = None):
    """Execute in a real kernel started in `cwd`, as Jupyter and Colab do."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    return client.execute(env={**os.environ, **(env or {})})


REPORT = "import json, sys\nprint(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))"


@pytest.fixture(scope="module")
def executed_copy(built_site, tmp_path_factory):
    """One module's copy run in a kernel (its own state file), between two reports of the
    imported modules: at kernel start, and after the module and the chart of « Mon espace »."""
    from exercisekit.selfpaced import state

    notebook = nbformat.read(NOTEBOOKS / "02-conditions.ipynb", as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(REPORT))
    chart = "from exercisekit.selfpaced import self_assessment\nself_assessment.chart()\n"
    notebook.cells.append(nbformat.v4.new_code_cell(chart + REPORT))
    private = tmp_path_factory.mktemp("etat") / "etat.json"
    return run(notebook, NOTEBOOKS, env={state.ENV_FILE: str(private)})


def test_a_copy_runs_and_its_first_cell_does_nothing_where_the_course_is_installed(executed_copy):
    first = executed_copy.cells[1]
    assert "bootstrap" in first.metadata["tags"] and first.outputs == []
    assert not os.path.exists(NOTEBOOKS / "cours-source")
    for cell in executed_copy.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            assert output.get("name") != "stderr", output["text"]
    widgets = [
        o
        for c in executed_copy.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) >= 10


def test_the_first_cell_installs_every_package_a_notebook_imports(executed_copy):
    """Colab has Python, IPython and ipykernel; the first cell installs the rest: every
    distribution a module notebook (and the self-assessment chart) imports beyond what a kernel
    starts with must be one of KERNEL_NEEDS or come with one of them."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, requires

    from packaging.requirements import Requirement

    from exercisekit.sphinx.publish import KERNEL_NEEDS

    at_start = json.loads(executed_copy.cells[0].outputs[-1]["text"])
    imported = set(json.loads(executed_copy.cells[-1].outputs[-1]["text"])) - set(at_start)

    def closure(names) -> set[str]:
        seen: set[str] = set()
        todo = [n.lower() for n in names]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                for spec in requires(name) or []:
                    requirement = Requirement(spec)
                    if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                        todo.append(requirement.name.lower())
            except PackageNotFoundError:
                pass
        return {n.replace("_", "-") for n in seen}

    provided = closure([*KERNEL_NEEDS, "ipykernel", "ipython"])
    # markdown-it-py imports linkify-it-py only if it is there (try/except ImportError).
    optional = {"linkify-it-py"}
    owners = packages_distributions()
    needed = {
        dist.lower().replace("_", "-")
        for module in imported
        if module not in sys.stdlib_module_names and module != "exercisekit"
        for dist in owners.get(module, [])
    }
    assert "matplotlib" in needed  # the chart
    missing = needed - provided - optional
    assert missing == set(), f"not installed by the first cell: {missing}"


def test_a_package_the_first_cell_needs_must_be_pinned_in_pyproject(tmp_path):
    from exercisekit.sphinx.publish import NotebookCopyError, kernel_requirements

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["pydantic>=2.6", "PyYAML", "markdown-it-py",'
        ' "ipywidgets>=8.1"]\n',
        encoding="utf-8",
    )
    with pytest.raises(NotebookCopyError, match=r"pyproject.toml .* matplotlib manque"):
        kernel_requirements(tmp_path)
    assert "matplotlib<4,>=3.7" in kernel_requirements(ROOT)


def bootstrap_for(repository: str) -> str:
    from exercisekit.sphinx.publish import bootstrap_cell, kernel_requirements

    return bootstrap_cell(repository, "main", kernel_requirements(ROOT), site_root())


# Runs cellule.py and prints what IPython shows for an exception that has _render_traceback_
# (checked in a real kernel by the first test below).
AS_IPYTHON_SHOWS_IT = (
    "try:\n    exec(compile(open('cellule.py', encoding='utf-8').read(), 'cellule', 'exec'))\n"
    "except Exception as error:\n    print('\\n'.join(error._render_traceback_()))\n"
)
FORBIDDEN = ("Traceback", "CalledProcessError", 'File "', "Error:")


def test_without_network_the_first_cell_says_in_french_what_failed_and_what_to_do(tmp_path):
    """In a real kernel (as in Colab), the course missing and its repository unreachable."""
    unreachable = "http://127.0.0.1:9/accompagner-un-collectif.git"  # nothing listens on port 9
    notebook = nbformat.v4.new_notebook(
        cells=[
            # As in Colab: no exercise kit in this Python (find_spec then returns None).
            nbformat.v4.new_code_cell("import sys\nsys.modules['exercisekit'] = None"),
            nbformat.v4.new_code_cell(bootstrap_for(unreachable)),
            nbformat.v4.new_code_cell("print('suite')"),
        ]
    )
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError):
        run(notebook, tmp_path)  # « Run all » stops at the first cell, as it must
    error = next(o for o in notebook.cells[1].outputs if o["output_type"] == "error")
    shown = "\n".join(error["traceback"])
    assert shown.startswith(f"Impossible de copier le cours depuis {unreachable} (branche main).")
    assert (
        "Que faire\u00a0: vérifiez que ce carnet a accès à Internet, et que DEPOT et BRANCHE"
        in shown
    )
    assert (
        "relancez cette cellule" in shown
        and f"Autrement, suivez le cours sur son site ({site_root()})" in shown
    )
    assert "Détail technique\u00a0: fatal:" in shown
    for word in FORBIDDEN:
        assert word not in shown.replace("fatal:", ""), shown
    assert notebook.cells[2].outputs == []
    assert not (tmp_path / "cours-source").exists()


def test_without_packages_the_first_cell_says_in_french_what_failed_and_what_to_do(tmp_path):
    """A real clone (a local repository), then pip in a fresh Python without the course's
    packages and with an unreachable package index."""
    origin = tmp_path / "origin"
    (origin / "src" / "exercisekit").mkdir(parents=True)
    (origin / "src" / "exercisekit" / "__init__.py").write_text("")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(origin)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(origin)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "cours"], check=True)
    # A Python without the course's packages; pip is linked in rather than installed by
    # ensurepip (35 s here), and is the same pip.
    import pip

    python = tmp_path / "venv" / "bin" / "python"
    venv.EnvBuilder(with_pip=False).create(tmp_path / "venv")
    (site_packages,) = (tmp_path / "venv" / "lib").glob("python*/site-packages")
    (site_packages / "pip").symlink_to(Path(pip.__file__).parent, target_is_directory=True)
    assert subprocess.run([str(python), "-c", "import pydantic"], capture_output=True).returncode
    work = tmp_path / "colab"
    work.mkdir()
    code = bootstrap_for(origin.as_uri())
    script = work / "premiere_cellule.py"
    script.write_text(AS_IPYTHON_SHOWS_IT, encoding="utf-8")
    (work / "cellule.py").write_text(code, encoding="utf-8")
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "3",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    result = subprocess.run(
        [str(python), str(script)],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    shown = result.stdout
    assert (work / "cours-source" / "src" / "exercisekit").is_dir()  # the clone worked
    assert shown.startswith("Impossible d'installer les paquets dont le cours a besoin (pydantic")
    assert "matplotlib" in shown.split("\n")[0]
    assert "Que faire\u00a0: vérifiez que ce carnet a accès à Internet" in shown
    assert "Détail technique" in shown


def test_without_git_the_first_cell_says_so_in_french(tmp_path):
    code = "import sys\nsys.modules['exercisekit'] = None\n" + bootstrap_for(
        "https://github.com/avenir-cours/accompagner-un-collectif"
    )
    (tmp_path / "cellule.py").write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", AS_IPYTHON_SHOWS_IT],
        cwd=tmp_path,
        env={"PATH": str(tmp_path / "nothing"), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Impossible de copier le cours\u00a0: la commande git est introuvable sur cet ordinateur.\n"
        "Que faire\u00a0: installez git"
    )
    assert "Autrement, suivez le cours sur son site" in result.stdout
