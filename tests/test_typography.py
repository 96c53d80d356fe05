"""French typography by machine (render/typography.py): the rule, its reach, and the result on
every built page and every workshop PDF — no breakable space before « : ; ! ? » nor inside « »,
URLs and code untouched."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from pdf_texts import page_texts

from conftest import ROOT
from exercisekit.bank.loader import load_bank
from exercisekit.render.messages import MESSAGES
from exercisekit.render.richtext import html_dump, to_html, to_plain
from exercisekit.render.typography import NBSP, NNBSP, french, french_text
from exercisekit.selfpaced.messages import MESSAGES as SELFPACED

ASSETS = ROOT / "src" / "exercisekit" / "render" / "assets"


# ---------------------------------------------------------------- the rule
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ; ! ? get a narrow no-break space, whatever space was there, or none.
        ("Oui ; non", f"Oui{NNBSP}; non"),
        ("Oui; non", f"Oui{NNBSP}; non"),
        (f"Oui{NBSP}; non", f"Oui{NNBSP}; non"),
        ("Bravo !", f"Bravo{NNBSP}!"),
        ("Bravo!", f"Bravo{NNBSP}!"),
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi   ?", f"Pourquoi{NNBSP}?"),
        ("Et alors… ?", f"Et alors…{NNBSP}?"),
        ("(oui)?", f"(oui){NNBSP}?"),
        # Runs of signs stay together.
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("Vraiment?!", f"Vraiment{NNBSP}?!"),
        ("Non !!", f"Non{NNBSP}!!"),
        # : gets a no-break space.
        ("Durée : 20 minutes", f"Durée{NBSP}: 20 minutes"),
        ("Durée: 20 minutes", f"Durée{NBSP}: 20 minutes"),
        ("Je me situe :", f"Je me situe{NBSP}:"),
        # « » get no-break spaces inside.
        ("« Oui »", f"«{NBSP}Oui{NBSP}»"),
        ("«Oui»", f"«{NBSP}Oui{NBSP}»"),
        (f"«{NNBSP}Oui{NNBSP}»", f"«{NBSP}Oui{NBSP}»"),
        ("« Pourquoi ? »", f"«{NBSP}Pourquoi{NNBSP}?{NBSP}»"),
        ("(« a »)", f"(«{NBSP}a{NBSP}»)"),
        # A sign that does not end a phrase: URLs, times, code-like text.
        ("https://agirtot.org/page?q=1&r=2", "https://agirtot.org/page?q=1&r=2"),
        ("mailto:equipe@example.org", "mailto:equipe@example.org"),
        ("de 10:30 à 11:00", "de 10:30 à 11:00"),
        ("a;b c:d e!f g?h", "a;b c:d e!f g?h"),
        ("(?) [!]", "(?) [!]"),
        # Nothing to do.
        ("Rien à changer.", "Rien à changer."),
        ("", ""),
    ],
)
def test_plain_text_rule(text, expected):
    assert french_text(text) == expected
    assert french(text) == expected  # plain text is HTML without tags
    assert french_text(expected) == expected  # idempotent


def test_plain_text_works_line_by_line():
    assert french_text("Titre\n: suite") == "Titre\n: suite"
    assert french_text("Oui ?\nNon !") == f"Oui{NNBSP}?\nNon{NNBSP}!"
    assert french_text("« {item} » : {pos}") == f"«{NBSP}{{item}}{NBSP}»{NBSP}: {{pos}}"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Attributes and tags are never touched; their text is.
        (
            '<a href="https://x.org/a:b?q=1" title="Voir : ici !">Lien ?</a>',
            f'<a href="https://x.org/a:b?q=1" title="Voir : ici !">Lien{NNBSP}?</a>',
        ),
        ('<input value="a ; b" aria-label="Nom :">', '<input value="a ; b" aria-label="Nom :">'),
        # Inline tags do not break a phrase.
        ("<strong>Note</strong> : texte", f"<strong>Note</strong>{NBSP}: texte"),
        ("<strong>Note</strong>: texte", f"<strong>Note</strong>{NBSP}: texte"),
        ("<em>Quoi ?</em> Oui.", f"<em>Quoi{NNBSP}?</em> Oui."),
        ("«<em>mot</em>»", f"«{NBSP}<em>mot</em>{NBSP}»"),
        ("mot <em> ?</em>", f"mot<em>{NNBSP}?</em>"),
        # Block tags do.
        ("<p>Note</p>: x", "<p>Note</p>: x"),
        ("<p>\n  Question\n  ?\n</p>", f"<p>\n  Question{NNBSP}?\n</p>"),
        # Code, keyboard, preformatted text, scripts, styles, text areas: untouched.
        ("<code>a ; b ?</code> : fin", f"<code>a ; b ?</code>{NBSP}: fin"),
        ("Tapez <kbd>Ctrl</kbd> ?", f"Tapez <kbd>Ctrl</kbd>{NNBSP}?"),
        ("<pre>x : y ; « z »</pre>", "<pre>x : y ; « z »</pre>"),
        (
            '<pre><span class="n">a</span> : <code>b ?</code></pre>',
            '<pre><span class="n">a</span> : <code>b ?</code></pre>',
        ),
        (
            '<script type="application/json">{"t": "a : b ?"}</script>',
            '<script type="application/json">{"t": "a : b ?"}</script>',
        ),
        ("<script>if (a<b && c ? d : e) {}</script>", "<script>if (a<b && c ? d : e) {}</script>"),
        (
            "<style>a:hover { color: red !important; }</style>",
            "<style>a:hover { color: red !important; }</style>",
        ),
        ("<textarea>Ma réponse : non !</textarea>", "<textarea>Ma réponse : non !</textarea>"),
        ("<!-- a : b ? -->x", "<!-- a : b ? -->x"),
        # Character references count as their characters; their own « ; » is not a sign.
        ("R&amp;D et &quot;oui&quot; ?", f"R&amp;D et &quot;oui&quot;{NNBSP}?"),
        ("&laquo;x&raquo; :", f"&laquo;{NBSP}x{NBSP}&raquo;{NBSP}:"),
        ("a&nbsp;: b", "a&nbsp;: b"),  # already a no-break space
        ("a&nbsp;? b", f"a{NNBSP}? b"),
    ],
)
def test_html_rule_changes_text_only(html, expected):
    assert french(html) == expected
    assert french(expected) == expected  # idempotent


# ---------------------------------------------------------------- reading the text as shown
_SIGN_AFTER_SPACE = re.compile(r"(?<=[^\s\x00])[ \t\r\n]+(?:[;:]|[!?]+)(?=[\s\x00»)\]”]|$)")
_OPEN_SPACE = re.compile(r"«[ \t\r\n]")
_CLOSE_SPACE = re.compile(r"(?<=[^\s\x00])[ \t\r\n]+»")


def breakable_spaces(text: str) -> list[str]:
    """Excerpts where a breakable space sits before « : ; ! ? » or inside « »."""
    found = []
    for pattern in (_SIGN_AFTER_SPACE, _OPEN_SPACE, _CLOSE_SPACE):
        for m in pattern.finditer(text):
            excerpt = text[max(0, m.start() - 30) : m.end() + 20]
            found.append(excerpt.replace("\x00", " | ").replace("\x01", "[code]"))
    return found


class VisibleText(HTMLParser):
    """A page's text as read: no tags, no attribute values, no code, scripts or styles; a
    block boundary is \\x00 (not a space), inline code is \\x01."""

    SKIP = {"code", "kbd", "samp", "pre", "script", "style", "textarea", "svg", "math"}
    INLINE = {
        "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins",
        "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif not self.skipping and tag not in self.INLINE:
            self.parts.append("\x00")

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag not in self.INLINE:
            self.parts.append("\x00")

    def handle_endtag(self, tag):
        if tag in self.SKIP and tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
            if not self.skipping:
                self.parts.append("\x01" if tag in {"code", "kbd", "samp"} else "\x00")
        elif not self.skipping and tag not in self.INLINE:
            self.parts.append("\x00")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "".join(parser.parts)


def test_the_visible_text_reader_sees_what_it_must():
    text = VisibleText.of(
        '<p title="a : b">Oui ? <code>x ; y</code> : <a href="?q=1">« lien »</a></p>'
        "<script>a ? b : c</script><pre>d : e</pre>"
    )
    assert text.strip("\x00") == "Oui ? \x01 : « lien »"
    assert len(breakable_spaces(text)) == 4
    assert breakable_spaces(VisibleText.of(french(text))) == []


# ---------------------------------------------------------------- where the rule is applied
def test_rich_text_is_typeset_from_markdown():
    assert to_html("**Attention** : voir `a ; b` ou [le site](https://x.org/?q=1) !") == (
        f"<strong>Attention</strong>{NBSP}: voir <code>a ; b</code> ou "
        f'<a href="https://x.org/?q=1">le site</a>{NNBSP}!'
    )
    assert to_plain("« *Oui* » ?") == f"«{NBSP}Oui{NBSP}»{NNBSP}?"


def test_every_exercise_text_is_typeset_once_and_for_all():
    bank = load_bank(ROOT)
    seen = 0
    for module in bank.modules.values():
        for exercise in module.exercises:
            dump = html_dump(exercise.model_dump())
            for text in _strings(dump):
                assert french(text) == text, (module.module, exercise.id, text[:80])
                seen += NNBSP in text or NBSP in text
    assert seen > 50


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_message_tables_are_typeset():
    for key, text in {**MESSAGES, **SELFPACED}.items():
        assert french_text(text) == text, key
    assert MESSAGES["your_answer"] == f"Votre réponse{NBSP}: {{answer}}"
    assert MESSAGES["scenario_choices"] == f"Que faites-vous{NNBSP}?"
    assert MESSAGES["moved"].startswith(f"«{NBSP}{{item}}{NBSP}»")


_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


@pytest.mark.parametrize("name", ["exercisekit.js", "exercisekit-space.js"])
def test_runtime_joiners_carry_their_no_break_spaces(name):
    """The runtime's own French joiners (« Ce qui se passe : », « Pourquoi : »…) are written
    with their no-break spaces, as their Python twins are (the conformance test compares them)."""
    source = (ASSETS / name).read_text(encoding="utf-8")
    wrong = []
    for literal in _JS_STRING.findall(source):
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), literal[1:-1])
        # A joiner sits between two words: « x » on each side stands for them.
        if breakable_spaces(VisibleText.of(f"x{text} x")):
            wrong.append(literal)
    assert wrong == []


# ---------------------------------------------------------------- the built site
def test_typeset_pages_rewrites_only_what_changes(tmp_path):
    from exercisekit.sphinx.typography import typeset_pages

    (tmp_path / "_static").mkdir()
    plain = tmp_path / "a.html"
    plain.write_text("<p>Rien</p>", encoding="utf-8")
    french_page = tmp_path / "b.html"
    french_page.write_text("<p>Oui ?</p>", encoding="utf-8")
    theme = tmp_path / "_static" / "macros.html"
    theme.write_text("<p>Oui ?</p>", encoding="utf-8")
    before = plain.stat().st_mtime_ns
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    typeset_pages(app, None)
    assert french_page.read_text(encoding="utf-8") == f"<p>Oui{NNBSP}?</p>"
    assert theme.read_text(encoding="utf-8") == "<p>Oui ?</p>"
    assert plain.stat().st_mtime_ns == before


@pytest.fixture(scope="module")
def site_pages(built_site: Path) -> list[Path]:
    from exercisekit.sphinx.typography import pages

    found = pages(built_site)
    assert len(found) > 20
    return found


def test_every_page_of_the_site_has_only_no_break_spaces_at_signs(built_site, site_pages):
    problems = []
    for page in site_pages:
        for excerpt in breakable_spaces(VisibleText.of(page.read_text(encoding="utf-8"))):
            problems.append(f"{page.relative_to(built_site)}: …{excerpt!r}…")
    assert problems == [], "\n".join(problems[:60])


def test_module_pages_carry_the_no_break_spaces(built_site):
    text = (built_site / "book" / "modules" / "02-conditions.html").read_text(encoding="utf-8")
    visible = VisibleText.of(text)
    assert f"Durée estimée{NBSP}:" in visible
    assert NNBSP + "?" in visible


def test_runtime_files_carry_the_no_break_spaces(built_site):
    script = (built_site / "_static" / "exercisekit.js").read_text(encoding="utf-8")
    assert f'"your_answer":"Votre réponse{NBSP}: {{answer}}"' in script
    course = (built_site / "_static" / "exercisekit-course.js").read_text(encoding="utf-8")
    manifest = json.loads(course.split("=", 1)[1].rstrip().rstrip(";"))
    titles = [m["title"] for m in manifest["modules"]]
    assert any(f"{NBSP}:" in t for t in titles)
    assert all(french_text(t) == t for t in titles)


# ---------------------------------------------------------------- the workshop PDFs
def test_every_workshop_pdf_has_only_no_break_spaces_at_signs(built_site):
    pdfs = sorted((built_site / "imprimables").glob("*.pdf"))
    assert len(pdfs) >= 14
    problems = []
    marks = 0
    for pdf in pdfs:
        text = "\n".join(page_texts(pdf))
        marks += text.count(NBSP) + text.count(NNBSP)
        problems += [f"{pdf.name}: …{e!r}…" for e in breakable_spaces(text)]
    # pypdf gives the no-break spaces back as themselves (U+00A0, U+202F), so a plain space
    # before a sign means a breakable one in the document.
    assert marks > 100
    assert problems == [], "\n".join(problems[:60])


def test_no_author_types_a_no_break_space():
    """Authors type ordinary spaces; the engine alone places U+00A0 and U+202F (issue 10)."""
    root = Path(__file__).resolve().parents[1]
    sources = [
        *root.glob("exercises/*.yaml"),
        *root.glob("book/**/*.md"),
        *root.glob("course/*.yaml"),
        *root.glob("docs/*.md"),
    ]
    typed = [
        f"{path.relative_to(root)}:{n}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "\u00a0" in line or "\u202f" in line
    ]
    assert len(sources) > 30 and typed == []
