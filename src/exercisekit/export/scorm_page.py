"""The launch page of one module in a SCORM package, cut from the built site.

A module page of the site is the theme's frame (navigation, search, 2 MB of theme styles and
scripts) around one `<article>`: the module's text and its exercises. The package keeps the
article as it is, so a learner reads the same text and answers the same exercises with the same
runtime, and drops the frame, which an LMS replaces with its own: the zip stays near 30 kB.
Inside a package:
- links to other pages of the site become plain text (a SCO that navigated its frame away
  would end its LMS session; the other modules are SCOs of their own in the course package);
- links to other sites open in a new tab, for the same reason;
- the headings' « # » permalinks and the theme's inline scripts are left out;
- the exercises' data (`<script class="exk-data">`) and everything else is kept byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from exercisekit.sphinx.csp import meta_tag, policy

COURSE_SCRIPT = "_static/exercisekit-course.js"
MODULE_PAGES = "book/modules/"


class SiteNotBuilt(FileNotFoundError):
    """The built site (or one of its module pages) is missing."""


@dataclass(frozen=True)
class ScoPage:
    """One module as a SCO: its file name in the package, title, article and exercises."""

    slug: str  # "02-conditions": the launch file is `02-conditions.html`
    module: str  # the module id ("conditions"), the first part of its exercise refs
    title: str
    article: str
    items: list[dict[str, Any]] = field(default_factory=list)  # ref, type (course manifest)

    @property
    def href(self) -> str:
        return f"{self.slug}.html"


def read_course(site: Path) -> dict[str, Any]:
    """The course manifest the build writes for « Mon espace »: modules in course order, each
    with its exercises as shown on its page."""
    path = site / COURSE_SCRIPT
    if not path.is_file():
        raise SiteNotBuilt(
            f"{path} introuvable : construisez d'abord le cours (./dev build), "
            "les paquets SCORM sont faits des pages construites"
        )
    text = path.read_text(encoding="utf-8").strip()
    head = "window.ExerciseKitCourse="
    if not text.startswith(head):
        raise SiteNotBuilt(f"{path} : contenu inattendu (reconstruisez le cours)")
    return json.loads(text[len(head) :].rstrip(";"))


def pages_from_site(site: Path) -> list[ScoPage]:
    """Every module page of the built site (`book/modules/`), in course order."""
    pages = []
    for entry in read_course(site)["modules"]:
        if not entry["doc"].startswith(MODULE_PAGES) or not entry["items"]:
            continue
        path = site / entry["url"]
        if path.is_dir():  # the dirhtml builder: book/modules/02-conditions/index.html
            path = path / "index.html"
        if not path.is_file():
            raise SiteNotBuilt(f"{path} introuvable : reconstruisez le cours (./dev build)")
        pages.append(
            ScoPage(
                slug=entry["doc"].rsplit("/", 1)[-1],
                module=entry["items"][0]["ref"].split("/", 1)[0],
                title=entry["title"],
                article=clean_article(article_of(path.read_text(encoding="utf-8"), path)),
                items=[{"ref": i["ref"], "type": i["type"]} for i in entry["items"]],
            )
        )
    return pages


def article_of(html: str, where: Path | str = "") -> str:
    """The inner HTML of the page's one `<article class="bd-article">`."""
    start = html.find('<article class="bd-article"')
    end = html.find("</article>", start)
    if start < 0 or end < 0:
        raise SiteNotBuilt(f'{where} : aucun <article class="bd-article"> dans la page')
    return html[html.index(">", start) + 1 : end].strip()


class _Cleaner(HTMLParser):
    """Re-emits an article's HTML, with the changes listed in the module docstring."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip_depth = 0  # inside an element left out (with its content)
        self.skip_tag = ""
        self.unwrapped: list[bool] = []  # for each open <a>: was its tag left out?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            self.skip_depth += tag == self.skip_tag
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "script" and "exk-data" not in classes:
            self.skip_depth, self.skip_tag = 1, "script"
            return
        if tag == "a" and "headerlink" in classes:
            self.skip_depth, self.skip_tag = 1, "a"
            return
        if tag == "a":
            href = values.get("href") or ""
            if href.startswith(("http://", "https://", "mailto:")):
                self.unwrapped.append(False)
                extra = ' target="_blank" rel="noopener"'
                text = self.get_starttag_text() or ""
                self.out.append(text[:-1] + extra + ">")
                return
            if href and not href.startswith("#"):
                self.unwrapped.append(True)  # another page of the site: its text stays
                return
            self.unwrapped.append(False)
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip_depth:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
            return
        if tag == "a" and self.unwrapped and self.unwrapped.pop():
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skip_depth:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skip_depth:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass


def clean_article(html: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return "".join(cleaner.out)


def launch_page(page: ScoPage, version: str, course_title: str, share_reflections: bool) -> str:
    """The SCO's launch file: the article, the shared runtime, then the LMS adapter. Both
    scripts are plain (not deferred) at the end of the body, so the adapter restores the saved
    state before the runtime draws the exercises (at DOMContentLoaded). The page declares the
    site's Content-Security-Policy, without the cohort's LRS: a SCO reports to its LMS through
    the JavaScript API of its parent frame, never over the network."""
    share = "true" if share_reflections else "false"
    return f"""<!DOCTYPE html>
<html lang="fr" data-exk-scorm="{version}" data-exk-module="{escape(page.module)}" data-exk-share-reflections="{share}">
<head>
<meta charset="utf-8">
{meta_tag(policy(connect_src=()))}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(page.title)} — {escape(course_title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="_static/exercisekit-scorm.css">
<link rel="stylesheet" href="_static/exercisekit.css">
</head>
<body>
<main id="main-content">
<article class="bd-article">
{page.article}
</article>
</main>
<script src="_static/exercisekit.js"></script>
<script src="_static/exercisekit-scorm.js"></script>
</body>
</html>
"""
