"""MyST Markdown → plain notebook Markdown, for the `.ipynb` copies of the module pages.

JupyterLab, Colab and Voilà render CommonMark (with a little HTML), not MyST: a directive or a
role left in a copy shows as raw syntax, and a relative link to a `.md` page leads nowhere. This
module rewrites one markdown cell so that a reader sees what the site shows:

- admonitions (`{admonition}`, `{note}`, `{tip}`…, colon or backtick fences, nested) become
  blockquotes with a bold title; dropdowns (and `:class: dropdown`) become `<details>`;
- figures and images become Markdown images (published copy of the file) with their caption;
- `{ref}`, `{numref}`, `{doc}`, `{term}` and relative links to pages become absolute links to
  the published site, except a plain link to another module page, which opens its `.ipynb` copy;
- the course's own directives (`{exercisekit-objectives}`) become their Markdown content;
- `{only}` keeps what is meant for notebooks (tag `notebook`) and drops what is for the site;
- `{glue}` values and `{{ substitutions }}` are filled in, `(label)=` targets and `% comments`
  are dropped.

Anything else fails with a message naming the file, the line and the directive or role: a copy
is never published with raw MyST in it. What the site knows (labels, titles, images, objectives)
comes in a `Site`, filled from the Sphinx environment by `publish.py` and by hand in the tests.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sphinx.util.tags import Tags

# Sphinx's own French labels for the admonitions without a title (its fr catalogue), so the
# notebook says what the site says.
ADMONITION_TITLES = {
    "attention": "Attention",
    "caution": "Prudence",
    "danger": "Danger",
    "error": "Erreur",
    "hint": "Indication",
    "important": "Important",
    "note": "Note",
    "seealso": "Voir aussi",
    "tip": "Astuce",
    "warning": "Avertissement",
}
QUOTES = {"epigraph", "pull-quote", "highlights", "margin"}
CODE = {"code", "code-block", "sourcecode"}
# The tags a notebook copy answers to in `{only}`: the site's build sets `html` instead.
NOTEBOOK_TAGS = ("notebook",)
GLUE_DIRECTIVES = {"glue", "glue:", "glue:any", "glue:figure", "glue:md", "glue:math"}
SIMPLE_ROLES = {"abbr", "guilabel", "menuselection", "file", "samp", "kbd", "code", "math"}
SIMPLE_ROLES |= {"sub", "sup", "eq"}
GLUE_ROLES = {"glue", "glue:", "glue:any", "glue:text", "glue:md"}


class NotebookMarkdownError(Exception):
    """MyST that has no plain-Markdown rendering here (the message names file and line)."""


@dataclass(frozen=True)
class Target:
    """Where a label points on the site, and the text a link to it shows by default."""

    docname: str
    anchor: str
    title: str = ""


@dataclass
class Site:
    """What the published site knows, for links and content the notebook cannot compute."""

    url: str  # the published site's root, ending with "/"
    titles: dict[str, str] = field(default_factory=dict)  # docname -> page title (all pages)
    labels: dict[str, Target] = field(default_factory=dict)  # {ref} / {numref} targets
    terms: dict[str, Target] = field(default_factory=dict)  # glossary terms, lower case
    images: dict[str, str] = field(default_factory=dict)  # source path -> path on the site
    notebooks: dict[str, str] = field(default_factory=dict)  # docname -> notebook copy name
    numbers: dict[str, str] = field(default_factory=dict)  # {numref} label -> "2.1"
    substitutions: dict[str, str] = field(default_factory=dict)
    objectives: Callable[[str], list[str]] = lambda module: []
    objectives_note: str = ""  # the sentence the site prints after the objectives
    glue: Callable[[str, str], dict] = lambda docname, key: {}  # (doc, key) -> mime bundle

    def page(self, docname: str, anchor: str = "") -> str:
        return f"{self.url}{docname}.html" + (f"#{anchor}" if anchor else "")


def convert(
    text: str,
    docname: str,
    site: Site,
    source: str = "",
    line: int = 0,
    footnotes: dict[str, int] | None = None,
) -> str:
    """One markdown cell of page `docname` (file `source`, starting at 0-based `line`, for
    messages), as notebook Markdown. `footnotes` numbers the page's footnotes: pass the same
    dict for every cell of a page."""
    converter = _Converter(docname, site, source or f"{docname}.md", footnotes)
    return converter.blocks(text.split("\n"), line)


# A fence opening: indentation, the fence, and what follows (`{name} argument` for a directive).
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[^{}\s]+)\}\s*(?P<argument>.*?)\s*$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_TARGET = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
_COMMENT = re.compile(r"^\s*%")
_FOOTNOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^(?P<label>[^\]]+)\]:\s*(?P<text>.*)$")
_DEFINITION = re.compile(r"^(?P<head>\s{0,3}\[[^\]]+\]:\s*)(?P<url><[^>]*>|\S+)(?P<tail>.*)$")
_INLINE = re.compile(
    r"(?P<footnote>\[\^(?P<fname>[^\]\s]+)\])|"
    r"(?P<role>\{(?P<rname>[^\s{}`]+)\}(?P<rtick>`+)(?P<rbody>[^`]+?)(?P=rtick))"
    r"|(?P<code>(?P<tick>`+)[\s\S]+?(?P=tick))"
    r"|(?P<link>(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\((?P<target><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?P<title>\s+\"[^\"\n]*\")?\))"
    r"|(?P<sub>\{\{\s*(?P<subname>[\w.-]+)\s*\}\})"
)
_EXPLICIT = re.compile(r"^(?P<text>[\s\S]*?)\s*<(?P<target>[^<>]+)>$")


class _Converter:
    def __init__(
        self, docname: str, site: Site, source: str, footnotes: dict[str, int] | None
    ) -> None:
        self.footnotes = {} if footnotes is None else footnotes
        self.docname = docname
        self.site = site
        self.source = source
        self.folder = posixpath.dirname(docname)

    def fail(self, line: int, what: str) -> NotebookMarkdownError:
        return NotebookMarkdownError(
            f"{self.source}, ligne {line + 1} : {what} (dans la copie .ipynb pour Jupyter et "
            "Colab ; voir src/exercisekit/sphinx/notebook_markdown.py)"
        )

    # ---------------------------------------------------------------- blocks
    def blocks(self, lines: list[str], first: int) -> str:
        """Prose lines are rewritten inline; fences are copied (code) or rendered (directives)."""
        out: list[str] = []
        prose: list[tuple[int, str]] = []
        i = 0
        while i < len(lines):
            match = _FENCE.match(lines[i])
            if not match:
                prose.append((first + i, lines[i]))
                i += 1
                continue
            out.append(self.prose(prose))
            prose = []
            indent, fence, info = match["indent"], match["fence"], match["info"].strip()
            end = self.closing(lines, i, fence)
            body = [_dedent(line, indent) for line in lines[i + 1 : end]]
            directive = _DIRECTIVE.match(info)
            if directive:
                rendered = self.directive(directive["name"], directive["argument"], body, first + i)
                out.append(_indent(rendered, indent))
            elif fence.startswith(":"):
                raise self.fail(first + i, f"clôture « {fence} » sans directive {{nom}}")
            else:
                out.append("\n".join(lines[i : end + 1]))
            i = end + 1
        out.append(self.prose(prose))
        return "\n".join(part for part in out if part is not None)

    def closing(self, lines: list[str], start: int, fence: str) -> int:
        """The line that closes the fence opened at `start` (CommonMark: same character, at least
        as long, nothing else); a nested fence must be shorter, or of the other character."""
        char, size = fence[0], len(fence)
        for j in range(start + 1, len(lines)):
            stripped = lines[j].strip()
            if len(stripped) >= size and stripped == char * len(stripped):
                return j
        raise self.fail(start, f"« {lines[start].strip()} » n'est jamais refermé")

    def prose(self, lines: list[tuple[int, str]]) -> str | None:
        if not lines:
            return None
        kept: list[str] = []
        in_footnote = False
        for _number, line in lines:
            if _TARGET.match(line) or _COMMENT.match(line):
                continue  # a label for {ref} (links point at the site), or a MyST comment
            note = _FOOTNOTE_DEFINITION.match(line)
            if note:
                # Notebook Markdown has no footnotes: a numbered paragraph where it is written.
                line = f"<sup>{self.footnote(note['label'])}</sup> {note['text']}"
                in_footnote = True
                kept.append(line)
                continue
            if in_footnote and line[:1].isspace() and line.strip():
                kept.append(line.strip())  # its continuation, not an indented code block
                continue
            in_footnote = False
            definition = _DEFINITION.match(line)
            if definition:
                url = definition["url"].strip("<>")
                line = f"{definition['head']}{self.href(url, lines[0][0])}{definition['tail']}"
            kept.append(line)
        return self.inline("\n".join(kept), lines[0][0])

    # ---------------------------------------------------------------- directives
    def directive(self, name: str, argument: str, body: list[str], line: int) -> str:
        options, content = self.options(body, line)
        classes = options.get("class", "").split()
        if name == "admonition" or name in ADMONITION_TITLES:
            title = argument if name == "admonition" else ADMONITION_TITLES[name]
            if name != "admonition" and argument:
                content = [argument, "", *content]  # docutils: the argument starts the body
            if not title:
                raise self.fail(line, "{admonition} sans titre")
            inner = self.blocks(content, line + 1)
            if "dropdown" in classes:
                return _details(self.inline(title, line), inner)
            return _quote(f"**{self.inline(title, line)}**\n\n{inner}".rstrip())
        if name == "dropdown":
            return _details(
                self.inline(argument or "Détails", line), self.blocks(content, line + 1)
            )
        if name in QUOTES or name == "sidebar":
            inner = self.blocks(content, line + 1)
            if argument:
                inner = f"**{self.inline(argument, line)}**\n\n{inner}"
            return _quote(inner.rstrip())
        if name in ("figure", "image"):
            return self.figure(name, argument, options, content, line)
        if name == "list-table":
            return self.list_table(argument, options, content, line)
        if name in CODE:
            return "\n".join([f"```{argument}", *content, "```"])
        if name == "math":
            return "\n".join(["$$", *content, "$$"])
        if name == "raw" and argument == "html":
            return "\n".join(content)
        if name == "only":
            # Sphinx's {only}: what a page says on the site (`html`) or in a notebook copy
            # (`notebook`, a tag the site's build never sets), e.g. where answers are kept.
            if not argument:
                raise self.fail(line, "{only} sans expression (html, notebook…)")
            if Tags(list(NOTEBOOK_TAGS)).eval_condition(argument):
                return self.blocks(content, line + 1)
            return ""
        if name == "exercisekit-objectives":
            return self.objectives(options.get("module", ""), line)
        if name in GLUE_DIRECTIVES:
            return self.glue_block(name, argument, content, line)
        raise self.fail(line, f"directive « {{{name}}} » sans équivalent Markdown pour les carnets")

    def options(self, body: list[str], line: int) -> tuple[dict[str, str], list[str]]:
        """`:key: value` lines, or a `---` YAML block, at the top of a directive's body."""
        options: dict[str, str] = {}
        rest = list(body)
        if rest and rest[0].strip() == "---":
            import yaml

            try:
                end = rest.index("---", 1)
            except ValueError:
                raise self.fail(line, "options YAML (---) jamais refermées") from None
            options = {
                str(k): str(v) for k, v in (yaml.safe_load("\n".join(rest[1:end])) or {}).items()
            }
            rest = rest[end + 1 :]
        else:
            while rest and (option := _OPTION.match(rest[0])):
                options[option["key"]] = option["value"]
                rest.pop(0)
        while rest and not rest[0].strip():
            rest.pop(0)
        return options, rest

    def figure(self, name: str, path: str, options: dict, content: list[str], line: int) -> str:
        url = self.image(path, line)
        caption, _, legend = "\n".join(content).strip().partition("\n\n")
        caption = self.inline(caption, line + 1) if name == "figure" else ""
        alt = options.get("alt") or _plain(caption) or posixpath.basename(path)
        parts = [f"![{_escape_brackets(alt)}]({url})"]
        if caption:
            parts.append(f"*{caption}*")
        if legend.strip():
            parts.append(self.blocks(legend.strip().split("\n"), line + 1))
        return "\n\n".join(parts)

    def list_table(self, caption: str, options: dict, content: list[str], line: int) -> str:
        """`{list-table}` (a list of rows, each a list of cells) as a Markdown table."""
        rows: list[list[list[str]]] = []
        for text in content:
            if not text.strip():
                continue
            row = re.match(r"^[*-]\s+-\s+(.*)$", text)
            cell = re.match(r"^\s+-\s+(.*)$", text)
            if row:
                rows.append([[row[1]]])
            elif cell and rows:
                rows[-1].append([cell[1]])
            elif rows and text[:1].isspace():
                rows[-1][-1].append(text.strip())
            else:
                raise self.fail(line, f"{{list-table}} : ligne inattendue « {text.strip()} »")
        width = max((len(r) for r in rows), default=0)
        if not width or any(len(r) != width for r in rows):
            raise self.fail(
                line, "{list-table} : toutes les rangées doivent avoir autant de cellules"
            )

        def render(row: list[list[str]]) -> str:
            cells = [self.inline(" ".join(c), line).replace("|", "\\|") for c in row]
            return "| " + " | ".join(cells) + " |"

        header = int(options.get("header-rows", "0") or 0)
        head = [render(r) for r in rows[:header]] or ["|" + " |" * width]
        table = [head[0], "|" + "---|" * width, *head[1:], *(render(r) for r in rows[header:])]
        return (f"*{self.inline(caption, line)}*\n\n" if caption else "") + "\n".join(table)

    def objectives(self, module: str, line: int) -> str:
        items = self.site.objectives(module)
        if not items:
            raise self.fail(
                line, f"{{exercisekit-objectives}} : aucun objectif pour le module « {module} »"
            )
        listed = "\n".join("- " + " ".join(item.split()) for item in items)
        return listed + (f"\n\n{self.site.objectives_note}" if self.site.objectives_note else "")

    def glue_block(self, name: str, key: str, content: list[str], line: int) -> str:
        bundle = self.glued(key, line)
        caption = "\n".join(content).strip()
        if "image/png" in bundle:
            shown = f"![{_escape_brackets(_plain(caption) or key)}](data:image/png;base64,{bundle['image/png'].strip()})"
        elif "text/markdown" in bundle:
            shown = bundle["text/markdown"]
        elif "text/latex" in bundle and name == "glue:math":
            shown = "$$\n" + bundle["text/latex"].strip().strip("$") + "\n$$"
        elif "text/plain" in bundle:
            shown = bundle["text/plain"]
        else:
            raise self.fail(line, f"{{{name}}} « {key} » : aucune sortie affichable")
        return shown + (f"\n\n*{self.inline(caption, line)}*" if caption else "")

    def glued(self, key: str, line: int) -> dict:
        docname, _, name = key.rpartition("::")
        bundle = self.site.glue(docname or self.docname, name)
        if not bundle:
            raise self.fail(line, f"{{glue}} « {key} » : aucune valeur collée sous ce nom")
        return bundle

    # ---------------------------------------------------------------- inline
    def inline(self, text: str, first: int) -> str:
        def replace(match: re.Match) -> str:
            line = first + text.count("\n", 0, match.start())  # for messages
            if match["code"]:
                return match["code"]
            if match["footnote"]:
                return f"<sup>{self.footnote(match['fname'])}</sup>"
            if match["role"]:
                return self.role(match["rname"], match["rbody"], line)
            if match["sub"]:
                key = match["subname"]
                if key not in self.site.substitutions:
                    raise self.fail(line, f"substitution « {{{{ {key} }}}} » inconnue")
                return self.inline(self.site.substitutions[key], line)
            target = match["target"].strip("<>")
            if match["bang"]:
                url = self.image(target, line)
            else:
                url = self.href(target, line)
            return (
                f"{match['bang']}[{self.inline(match['text'], line)}]({url}{match['title'] or ''})"
            )

        return _INLINE.sub(replace, text)

    def role(self, name: str, body: str, line: int) -> str:
        explicit = _EXPLICIT.match(body)
        text, target = (explicit["text"], explicit["target"]) if explicit else ("", body)
        if name in ("ref", "numref"):
            found = self.site.labels.get(target.strip().lower())
            if found is None:
                raise self.fail(line, f"{{{name}}} vers l'étiquette inconnue « {target} »")
            shown = text or found.title or target
            if name == "numref":
                number = self.site.numbers.get(target.strip().lower(), "")
                shown = shown.replace("{number}", number).replace("%s", number)
                shown = re.sub(r"\{name\}", found.title, shown)
            return f"[{shown}]({self.site.page(found.docname, found.anchor)})"
        if name == "doc":
            docname = self.docname_of(target, line, ".md")
            return f"[{text or self.site.titles[docname]}]({self.page_link(docname, '')})"
        if name == "term":
            found = self.site.terms.get(target.strip().lower())
            if found is None:
                raise self.fail(line, f"{{term}} : terme « {target} » absent du glossaire")
            return f"[{text or target}]({self.site.page(found.docname, found.anchor)})"
        if name in GLUE_ROLES:
            bundle = self.glued(body, line)
            if name == "glue:md" and "text/markdown" in bundle:
                return bundle["text/markdown"].strip()
            plain = bundle.get("text/plain", "").strip()
            return (
                plain[1:-1]
                if len(plain) > 1 and plain[0] == plain[-1] and plain[0] in "'\""
                else plain
            )
        if name in SIMPLE_ROLES:
            return _simple_role(name, body)
        raise self.fail(line, f"rôle « {{{name}}} » sans équivalent Markdown pour les carnets")

    def footnote(self, label: str) -> int:
        """Footnotes are numbered in the order the page first mentions them, as on the site."""
        return self.footnotes.setdefault(label, len(self.footnotes) + 1)

    # ---------------------------------------------------------------- links
    def href(self, url: str, line: int) -> str:
        """A link's target, as the notebook can follow it: unchanged when absolute; another
        module's notebook copy; else the published page (and anchor)."""
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            return url
        if url.startswith("#"):
            return self.site.page(self.docname, url[1:])
        path, _, anchor = url.partition("#")
        docname = self.docname_of(path, line, "")
        return self.page_link(docname, anchor)

    def page_link(self, docname: str, anchor: str) -> str:
        # Without an anchor, a module's notebook; with one, the site (the notebook's headings
        # have JupyterLab's ids, not the site's).
        if docname in self.site.notebooks and not anchor:
            return self.site.notebooks[docname]
        return self.site.page(docname, anchor)

    def docname_of(self, path: str, line: int, default_suffix: str) -> str:
        stem = path.strip()
        if stem.startswith("/"):
            resolved = stem.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(self.folder, stem))
        for suffix in (".md", ".ipynb", ".rst", default_suffix):
            if suffix and resolved.endswith(suffix):
                resolved = resolved[: -len(suffix)]
                break
        if resolved not in self.site.titles:
            raise self.fail(line, f"lien vers « {path} » : aucune page du livre à cette adresse")
        return resolved

    def image(self, path: str, line: int) -> str:
        if urlsplit(path).scheme:
            return path
        resolved = posixpath.normpath(
            path.lstrip("/") if path.startswith("/") else posixpath.join(self.folder, path)
        )
        if resolved not in self.site.images:
            raise self.fail(line, f"image « {path} » absente du site publié")
        return self.site.url + self.site.images[resolved]


def _simple_role(name: str, body: str) -> str:
    if name == "abbr":
        return re.sub(r"\s*\(([^()]*)\)\s*$", r" (\1)", body)
    if name in ("math", "eq"):
        return f"${body}$"
    if name in ("sub", "sup"):
        return f"<{name}>{body}</{name}>"
    if name == "kbd":
        return f"<kbd>{body}</kbd>"
    if name == "guilabel":
        return f"**{body.replace('&', '')}**"
    if name == "menuselection":
        return "**" + " → ".join(p.strip() for p in body.split("-->")) + "**"
    return f"`{body}`"


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip()


def _indent(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.split("\n"))


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def _details(title: str, inner: str) -> str:
    # A blank line after <summary> lets JupyterLab and Colab render the Markdown inside.
    return f"<details>\n<summary>{title}</summary>\n\n{inner.strip()}\n\n</details>"


def _plain(text: str) -> str:
    return re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text).strip()


def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")
