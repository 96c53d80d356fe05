"""The theme's stylesheets, pruned to what the site uses, and its icon font, subset to it.

pydata-sphinx-theme ships all of Bootstrap and all of Font Awesome's classes (about 400 KB of
CSS) and a 156 KB icon font, while the course uses a few dozen classes and icons. A rule is kept
when every class and id its selector names appears somewhere in the built pages or in a script
they load (scripts add classes such as `show` or `active`); selectors that only name elements
and attributes (`html[data-theme=dark]`, `@media print` rules) are always kept. What sits inside
`:not()`, `:is()`, `:where()` or `:has()` never removes a selector, so the pruning errs toward
keeping. Pure functions; `sphinx/light.py` applies them to the build.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import tinycss2
from tinycss2 import ast

# At-rules whose body is a list of rules to prune; any other at-rule is kept as it is.
_NESTED = {"media", "supports", "layer", "container", "document"}
WORD = re.compile(r"[A-Za-z_][\w-]*")


_QUOTED = re.compile(r'"([^"\n]*)"' + r"|'([^'\n]*)'|`([^`]*)`")


def _at_rule(rule, inner: str) -> str:
    """An at-rule (`@media …`, `@supports …`) around the rules kept inside it."""
    return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{inner}}}"


def words(texts: Iterable[str]) -> set[str]:
    """Every identifier-like word inside quotes in the pages and scripts: the classes and ids
    that can exist (attribute values in HTML, string literals in scripts that add classes)."""
    found: set[str] = set()
    for text in texts:
        for match in _QUOTED.finditer(text):
            found.update(WORD.findall(match.group(1) or match.group(2) or match.group(3) or ""))
    return found


def _needs(selector: list) -> set[str]:
    """Class and id names a compound selector requires (functional pseudo-classes excepted)."""
    needed: set[str] = set()
    previous = None
    for token in selector:
        if isinstance(token, ast.HashToken) and token.is_identifier:
            needed.add(token.value)
        elif (
            isinstance(token, ast.IdentToken)
            and isinstance(previous, ast.LiteralToken)
            and previous.value == "."
        ):
            needed.add(token.value)
        previous = token
    return needed


def _split(prelude: list) -> list[list]:
    selectors: list[list] = [[]]
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _prune_rules(rules: list, used: set[str]) -> str:
    out = io.StringIO()
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            kept = [
                tinycss2.serialize(s).strip() for s in _split(rule.prelude) if _needs(s) <= used
            ]
            if kept:
                out.write(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif isinstance(rule, ast.AtRule):
            if rule.lower_at_keyword in _NESTED and rule.content is not None:
                inner = _prune_rules(
                    tinycss2.parse_rule_list(
                        rule.content, skip_comments=True, skip_whitespace=True
                    ),
                    used,
                )
                if inner:
                    out.write(_at_rule(rule, inner))
            else:
                out.write(rule.serialize())
    return out.getvalue()


def prune(css: str, used: set[str]) -> str:
    """The stylesheet without the rules whose selectors name classes or ids nothing uses."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    errors = [r for r in rules if isinstance(r, ast.ParseError)]
    if errors:
        raise ValueError(f"CSS parse error at line {errors[0].source_line}: {errors[0].message}")
    return _prune_rules(rules, used)


_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_VAR_SET = re.compile(r"(?<=[{;])\s*(--[\w-]+)\s*:")


def _declarations_without(css: str, unused: set[str]) -> str:
    """`css` without the custom-property declarations named in `unused` (braces and strings
    inside values respected by tinycss2's declaration parser)."""

    def clean(rules: list) -> str:
        out = io.StringIO()
        for rule in rules:
            if isinstance(rule, ast.QualifiedRule):
                kept = [
                    d
                    for d in tinycss2.parse_blocks_contents(rule.content)
                    if not (isinstance(d, ast.Declaration) and d.name in unused)
                    and not isinstance(d, ast.WhitespaceToken)
                ]
                body = ";".join(
                    (
                        d.name
                        + ":"
                        + tinycss2.serialize(d.value).strip()
                        + ("!important" if d.important else "")
                    )
                    if isinstance(d, ast.Declaration)
                    else tinycss2.serialize([d]).strip()
                    for d in kept
                )
                if body:
                    out.write(tinycss2.serialize(rule.prelude).strip() + "{" + body + "}")
            elif (
                isinstance(rule, ast.AtRule)
                and rule.lower_at_keyword in _NESTED
                and rule.content is not None
            ):
                inner = clean(
                    tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                )
                if inner:
                    out.write(_at_rule(rule, inner))
            else:
                out.write(rule.serialize())
        return out.getvalue()

    return clean(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def drop_unused_variables(css: str, scripts: Iterable[str] = ()) -> str:
    """Custom properties (`--x: …`) that no `var(--x)` reads, in the sheet or a script, are
    removed; repeated because a removed declaration may have been the only reader of another."""
    script_uses = set()
    for text in scripts:
        script_uses.update(re.findall(r"--[A-Za-z][\w-]*", text))
    for _ in range(4):
        declared = set(_VAR_SET.findall(css))
        unused = declared - set(_VAR_USE.findall(css)) - script_uses
        if not unused:
            break
        css = _declarations_without(css, unused)
    return css


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"' + r"|'((?:[^'\\]|\\.)*)'")
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def glyphs(css: str) -> set[int]:
    """Code points an icon font may have to draw: every character of every CSS string (icon
    classes set `--fa: "\\f185"`, pseudo-elements `content: "\\f00c"`), plus printable ASCII,
    which Font Awesome also maps (`fa-plus` is "+")."""
    points = set(range(0x20, 0x7F))
    for match in _STRING.finditer(css):
        points.update(ord(c) for c in _unescape(match.group(1) or match.group(2) or ""))
    return points


def subset_font(font_bytes: bytes, points: set[int]) -> bytes:
    """The woff2 font reduced to `points` (those it has)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.ignore_missing_unicodes = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()
