"""Sphinx extension: every page declares a strict Content-Security-Policy (see docs/securite.md).

Learners' private work (answers, journal, self-assessment) lives in this origin's storage, so a
script injected into any page could read it. GitHub Pages cannot send headers: the policy is a
`<meta http-equiv="Content-Security-Policy">`, the first element of every page's `<head>`.
It allows scripts from the site's own files and the inline scripts the build wrote, each by
its hash; styles from the site's files only — no `on…=` handler, no `style=` attribute, no
`eval`, no `unsafe-*` exception — and no plug-ins, no `<base>` from elsewhere.

The theme and Sphinx write inline code into the pages; at the end of the build, before any other
HTML post-processing step (`trim`, `typography`, the offline zip):
- sphinx-togglebutton's and thebe's settings snippets are left out of pages that do not load
  those scripts (dead code there);
- every other inline `<script>` body (the colour-mode snippet, sphinx-togglebutton's settings
  where it is loaded, the search page's focus snippet…) stays in place, allowed by its SHA-256
  in the page's `script-src` (`MOVE_SCRIPTS` moves them into files instead: the colour-mode
  snippet then costs every page a render-blocking request);
- `onclick="window.print()"` and `onclick="toggleFullScreen()"` (the theme's header buttons)
  become `data-exk-action`, handled by `_static/exercisekit-actions.js`; any other handler is a
  build error that names the page, as there is nothing safe to translate it to;
- `<style>` elements (the theme's `<noscript>` rule) become stylesheet links, and
  `style="…"` attributes (the general index's table) become classes, whose rules are written to
  `_static/csp/styles.css`;
- Sphinx's `doctools.js` compiles the locale's plural rule with `new Function` (an `eval`): the
  rule is instead written as a plain function into `translations.js` at build time.
Hashes are computed by the last step that rewrites pages, which also inserts the policy
(priority 880, after `typography` at 860 and before the offline zip at 900) and checks that no
handler or style attribute came back, and warns (an error under `-W`) otherwise. A step added
later that writes into the pages must run before 880.

`connect-src` and the cohort's LRS: a workshop's learners send their records to the LRS that
the facilitator chose, on any host, known only when a learner opens the join link — long after
the course was built and published. So `connect-src` allows `'self'`, every `https:` origin and
the loopback (`http://127.0.0.1:*`, `http://localhost:*`: a facilitator's Ralph on the same
machine, as in the tests). Plain `http:` to another host stays blocked (an https page could not
reach it anyway: mixed content). A course whose LRS is fixed can narrow this with
`csp_connect_src` in `_config.yml` (`sphinx: config:`). Scripts remain the real barrier:
`connect-src` only limits where an injected script could send data, and none can run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ACTIONS_SCRIPT = "exercisekit-actions.js"
ASSETS = HERE.parent / "render" / "assets"
MOVED = "csp"  # _static/csp/: moved inline scripts and style attributes

# Inline scripts stay in the page, allowed one by one by their SHA-256 in `script-src`: the
# colour-mode snippet must run in <head> before the first paint, and as a file it was a
# render-blocking request on every page (the light-page budgets count both). Set to True to move
# them into `_static/csp/` files instead (no hash in the policy).
MOVE_SCRIPTS = False

DEFAULT_CONNECT_SRC = ("https:", "http://127.0.0.1:*", "http://localhost:*")

# The only inline handlers the theme writes, and what replaces each (handled by
# exercisekit-actions.js): nothing else is ever evaluated.
HANDLERS = {"window.print()": "print", "toggleFullScreen()": "fullscreen"}

# Script types the browser runs (anything else, e.g. the exercises' JSON payloads or thebe's
# config, is data: CSP does not apply to it and it stays in the page).
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

# A start tag, or a whole <script>/<style> element (whose raw text may contain "<"), or a
# comment. Text between tags never holds a raw "<" in the HTML Sphinx writes.
_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style)\b([^>]*)>(.*?)</\1\s*>|<[a-zA-Z][^<>]*>", re.S | re.I
)
_ATTR = re.compile(r"""\s([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_GAP = re.compile(r"\s*")


def script_hashes(text: str) -> list[str]:
    """The CSP source of each inline script a page runs: `'sha256-…'` of its exact text."""
    hashes = []
    for m in _TOKEN.finditer(text):
        if m.group(1) and m.group(1).lower() == "script" and _is_inline_js(m.group(2), m.group(3)):
            digest = base64.b64encode(hashlib.sha256(m.group(3).encode("utf-8")).digest())
            source = f"'sha256-{digest.decode('ascii')}'"
            if source not in hashes:
                hashes.append(source)
    return hashes


def policy(
    connect_src: list[str] | tuple[str, ...] = DEFAULT_CONNECT_SRC, hashes: list[str] = ()
) -> str:
    """The policy. `'self'` only for scripts and styles, with no `unsafe-*` exception; images
    may be `data:` URLs (the theme's stylesheets draw a few icons that way). `frame-ancestors`,
    `report-uri` and `sandbox` are ignored in a `<meta>` policy, so they are left out."""
    connect = " ".join(["'self'", *connect_src])
    scripts = " ".join(["'self'", *hashes])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src {connect}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'"
    )


_POLICY_META = re.compile(r'\n?[ \t]*<meta http-equiv="Content-Security-Policy" content="[^"]*" />')


def meta_tag(content: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{content}" />'


def _attrs(tag_text: str) -> list[tuple[str, str | None, int, int]]:
    """(name, raw value, start, end) of each attribute of a start tag's text."""
    inner_start = re.match(r"<[a-zA-Z][^\s/>]*", tag_text)
    offset = inner_start.end() if inner_start else 0
    found = []
    for m in _ATTR.finditer(tag_text, offset):
        found.append((m.group(1).lower(), m.group(2), m.start(), m.end()))
    return found


def _unquote(raw: str | None) -> str:
    if raw is None:
        return ""
    return raw[1:-1] if raw[:1] in "\"'" else raw


def _script_type(attrs: str) -> str:
    for name, raw, _, _ in _attrs("<script" + attrs + ">"):
        if name == "type":
            return _unquote(raw).strip().lower()
    return ""


def _has_src(attrs: str) -> bool:
    return any(name == "src" for name, *_ in _attrs("<script" + attrs + ">"))


def _is_inline_js(attrs: str, body: str) -> bool:
    return not _has_src(attrs) and _script_type(attrs) in _JS_TYPES


class _Page:
    """One written page and the rewrites it gets."""

    def __init__(self, path: Path, outdir: Path) -> None:
        self.path = path
        self.static = Path(os.path.relpath(outdir / "_static", path.parent)).as_posix()
        self.text = path.read_text(encoding="utf-8")
        self.label = path.relative_to(outdir).as_posix()


# Settings snippets read by one script only: where the page does not load that script (trim.py
# drops sphinx-togglebutton from pages without toggles; thebe is off), the snippet is dead code,
# and moving it would cost a request for nothing: it is left out.
_SETTINGS_FOR = [
    (
        re.compile(
            r"\s*(?:(?:let|var)\s+)?(?:toggleHintShow|toggleHintHide|toggleOpenOnPrint|"
            r"togglebuttonSelector)\s*=\s*'[^'\\]*';?\s*"
        ),
        "togglebutton.js",
    ),
    (re.compile(r"\s*kernelName\s*=\s*'[^'\\]*';?\s*"), "thebe"),
]


def _unused_settings(page_text: str, body: str) -> bool:
    for pattern, reader in _SETTINGS_FOR:
        if pattern.fullmatch(body):
            loads = re.search(r'<script\b[^>]*\bsrc="[^"]*' + re.escape(reader), page_text)
            return loads is None
    return False


def _drop_unused_settings(page: _Page) -> None:
    def keep(m: re.Match[str]) -> str:
        if m.group(1) and m.group(1).lower() == "script" and _is_inline_js(m.group(2), m.group(3)):
            if _unused_settings(page.text, m.group(3)):
                return ""
        return m.group(0)

    page.text = _TOKEN.sub(keep, page.text)


def _move_scripts(page: _Page, files: dict[str, str]) -> None:
    """Inline scripts and `<style>` elements become files. A run of adjacent inline scripts
    (same attributes, only whitespace between them) becomes one file, to keep requests few."""
    out: list[str] = []
    pos = 0
    text = page.text
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        m = tokens[i]
        if m.group(1) and m.group(1).lower() == "style":
            out.append(text[pos : m.start()])
            out.append(_style_link(page, m.group(2), m.group(3), files))
            pos = m.end()
            i += 1
            continue
        if not (
            m.group(1) and m.group(1).lower() == "script" and _is_inline_js(m.group(2), m.group(3))
        ):
            i += 1
            continue
        if not MOVE_SCRIPTS:  # left inline, allowed by its hash (see `declare`)
            i += 1
            continue
        attrs, bodies, end = m.group(2), [m.group(3)], m.end()
        j = i + 1
        while j < len(tokens):
            n = tokens[j]
            gap = text[end : n.start()]
            same = n.group(1) and n.group(1).lower() == "script" and n.group(2) == attrs
            if not (same and _GAP.fullmatch(gap) and _is_inline_js(n.group(2), n.group(3))):
                break
            bodies.append(n.group(3))
            end = n.end()
            j += 1
        body = "\n".join(b.strip("\n") for b in bodies) + "\n"
        name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".js"
        files[name] = body
        out.append(text[pos : m.start()])
        out.append(f'<script{attrs} src="{page.static}/{MOVED}/{name}"></script>')
        pos = end
        i = j
    out.append(text[pos:])
    page.text = "".join(out)


def _style_link(page: _Page, attrs: str, body: str, files: dict[str, str]) -> str:
    """A `<style>` element becomes a stylesheet link. The theme's one sits in `<noscript>`:
    it never applies with scripts on, but the search parses fetched pages with DOMParser, where
    `<noscript>` content is markup and an inline `<style>` is refused by the policy."""
    body = body.strip("\n") + "\n"
    name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".css"
    files[name] = body
    media = [_unquote(raw) for key, raw, _, _ in _attrs("<style" + attrs + ">") if key == "media"]
    media_attr = f' media="{media[0]}"' if media else ""
    return f'<link rel="stylesheet" href="{page.static}/{MOVED}/{name}"{media_attr} />'


def _move_attributes(page: _Page, styles: dict[str, str]) -> tuple[bool, bool]:
    """`on…=` handlers become `data-exk-action`, `style=` attributes become classes.
    Returns whether the page now needs the actions script and the moved styles."""
    text = page.text
    out: list[str] = []
    pos = 0
    needs_actions = needs_styles = False
    for m in _TOKEN.finditer(text):
        if m.group(1) or m.group(0).startswith("<!--"):
            continue
        tag = m.group(0)
        attrs = _attrs(tag)
        handlers = [a for a in attrs if a[0].startswith("on")]
        style = [a for a in attrs if a[0] == "style"]
        if not handlers and not style:
            continue
        new_tag = tag
        extra: list[str] = []
        classes: list[str] = []
        for name, raw, start, end in sorted(handlers + style, key=lambda a: -a[2]):
            value = _unquote(raw).strip()
            if name == "style":
                declarations = "; ".join(d.strip() for d in value.split(";") if d.strip())
                cls = "exk-s-" + hashlib.sha256(declarations.encode()).hexdigest()[:10]
                styles[cls] = declarations
                classes.append(cls)
                needs_styles = True
            else:
                action = HANDLERS.get(value.rstrip(";").strip())
                if name != "onclick" or action is None:
                    raise ExtensionError(
                        f'{page.label}: gestionnaire en ligne {name}="{value}" inconnu : la '
                        "politique de sécurité (CSP) l'empêcherait de fonctionner. Ajoutez-le à "
                        "HANDLERS dans exercisekit/sphinx/csp.py et à exercisekit-actions.js."
                    )
                extra.append(f' data-exk-action="{action}"')
                needs_actions = True
            new_tag = new_tag[:start] + new_tag[end:]
        if classes:
            new_tag = _add_classes(new_tag, classes)
        head = re.match(r"<[a-zA-Z][^\s/>]*", new_tag)
        assert head is not None
        new_tag = new_tag[: head.end()] + "".join(extra) + new_tag[head.end() :]
        out.append(text[pos : m.start()])
        out.append(new_tag)
        pos = m.end()
    out.append(text[pos:])
    page.text = "".join(out)
    return needs_actions, needs_styles


def _add_classes(tag: str, classes: list[str]) -> str:
    for name, raw, start, end in _attrs(tag):
        if name == "class":
            value = " ".join([_unquote(raw), *classes]).strip()
            return tag[:start] + f' class="{value}"' + tag[end:]
    head = re.match(r"<[a-zA-Z][^\s/>]*", tag)
    assert head is not None
    return tag[: head.end()] + f' class="{" ".join(classes)}"' + tag[head.end() :]


def _append_to_head(page: _Page, markup: str) -> None:
    at = page.text.lower().find("</head>")
    if at < 0:
        raise ExtensionError(f"{page.label}: pas de </head> où ajouter {markup}")
    page.text = page.text[:at] + markup + "\n" + page.text[at:]


_PLURAL_CALL = (
    "    Documentation.PLURAL_EXPR = new Function(\n"
    '      "n",\n'
    "      `return (${catalog.plural_expr})`\n"
    "    );\n"
)
_PLURAL_SAFE = (
    "    // exercisekit.sphinx.csp: no eval under the site's CSP; translations.js sets\n"
    "    // Documentation.PLURAL_EXPR itself, as a function written at build time.\n"
    '    if (typeof catalog.plural_expr === "function") Documentation.PLURAL_EXPR = catalog.plural_expr;\n'
)
_PLURAL_DATA = re.compile(r'"plural_expr":\s*("(?:[^"\\]|\\.)*")')


def _no_eval_in_doctools(static: Path) -> None:
    """Sphinx builds the plural rule with `new Function` from a string in translations.js; the
    string comes from the locale data at build time, so it becomes a plain function there."""
    doctools = static / "doctools.js"
    if doctools.is_file():
        text = doctools.read_text(encoding="utf-8")
        if _PLURAL_CALL in text:
            doctools.write_text(text.replace(_PLURAL_CALL, _PLURAL_SAFE), encoding="utf-8")
        elif "new Function" in text:
            raise ExtensionError(
                f"{doctools}: `new Function` sous une forme inconnue (version de Sphinx ?) : "
                "adaptez _PLURAL_CALL dans exercisekit/sphinx/csp.py"
            )
    translations = static / "translations.js"
    if translations.is_file():
        text = translations.read_text(encoding="utf-8")
        match = _PLURAL_DATA.search(text)
        if match:
            expression = json.loads(match.group(1))
            if not re.fullmatch(r"[n0-9\s=!<>&|?:%()]*", expression):
                raise ExtensionError(f"{translations}: règle de pluriel inattendue {expression!r}")
            function = f'"plural_expr": function (n) {{ return Number({expression}); }}'
            translations.write_text(
                text[: match.start()] + function + text[match.end() :], encoding="utf-8"
            )


def _pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "_static")


def externalize(app: Sphinx, exception: Exception | None) -> None:
    """Move what the pages inline into files (runs before every other HTML rewrite)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    files: dict[str, str] = {}  # moved scripts and <style> bodies, by content-addressed name
    styles: dict[str, str] = {}  # style attributes' declarations, by class
    for path in _pages(outdir):
        page = _Page(path, outdir)
        before = page.text
        _drop_unused_settings(page)
        _move_scripts(page, files)
        needs_actions, needs_styles = _move_attributes(page, styles)
        if needs_styles:
            _append_to_head(
                page, f'<link rel="stylesheet" href="{page.static}/{MOVED}/styles.css" />'
            )
        if needs_actions:
            _append_to_head(page, f'<script defer src="{page.static}/{ACTIONS_SCRIPT}"></script>')
        if page.text != before:
            path.write_text(page.text, encoding="utf-8")
    target = static / MOVED
    target.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (target / name).write_text(body, encoding="utf-8")
    if styles:
        rules = "".join(f".{cls} {{ {decl}; }}\n" for cls, decl in sorted(styles.items()))
        (target / "styles.css").write_text(
            "/* style= attributes of Sphinx's templates, moved here (exercisekit.sphinx.csp) */\n"
            + rules,
            encoding="utf-8",
        )
    (static / ACTIONS_SCRIPT).write_text(
        (ASSETS / ACTIONS_SCRIPT).read_text(encoding="utf-8"), encoding="utf-8"
    )
    _no_eval_in_doctools(static)


def inline_code(text: str) -> list[str]:
    """What a strict policy would block in a page: inline scripts, handlers, style attributes,
    `<style>` elements (also in `<noscript>`: see `_style_link`)."""
    found: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.group(0).startswith("<!--"):
            continue
        if m.group(1):
            kind = m.group(1).lower()
            if kind == "style":
                found.append("<style>")
            elif MOVE_SCRIPTS and _is_inline_js(m.group(2), m.group(3)):
                found.append("<script> " + m.group(3).strip()[:60])
            continue
        for name, raw, _, _ in _attrs(m.group(0)):
            if name.startswith("on") or name == "style":
                found.append(f"{name}={raw}")
    return found


def declare(app: Sphinx, exception: Exception | None) -> None:
    """Insert the policy as the first element of every page's <head>, and check that nothing
    it would block came back since `externalize` (a later step writing inline code)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in _pages(outdir):
        text = path.read_text(encoding="utf-8")
        # Hashed here, in the last step that rewrites the pages: no later change can make a
        # hash stale (a step after this one must not touch inline scripts).
        tag = meta_tag(policy(app.config.csp_connect_src, script_hashes(text)))
        blocked = inline_code(text)
        if blocked:
            logger.warning(
                "la politique de sécurité (CSP) bloquerait : %s",
                "; ".join(blocked[:5]),
                location=str(path),
                type="exercisekit",
                subtype="csp",
            )
        # A page an incremental build did not write again carries last build's policy, whose
        # hashes may name scripts a later step has since removed: replace it.
        text = _POLICY_META.sub("", text)
        charset = _CHARSET.search(text)
        head = _HEAD.search(text)
        if charset:  # the charset must stay within the first 1024 bytes: the policy follows it
            text = text[: charset.end()] + "\n    " + tag + text[charset.end() :]
        elif head:
            text = text[: head.end()] + "\n" + tag + text[head.end() :]
        else:  # the root redirect stub: a bare <meta http-equiv="Refresh">
            text = tag + "\n" + text
        path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("csp_connect_src", list(DEFAULT_CONNECT_SRC), "html", types=[list])
    # Before trim (850), typography (860) and anything else that rewrites the pages.
    app.connect("build-finished", externalize, priority=450)
    # The last rewrite of the pages: after typography (860), before the offline zip (900).
    app.connect("build-finished", declare, priority=880)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
