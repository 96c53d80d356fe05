"""Sphinx extension: the published course opens again without a network, and can be installed.

At the end of the build (after every extension that rewrites the written pages, before the
offline zip and the SCORM packages are made from them) it writes, at the site's root:

- `exercisekit-sw.js`, the service worker. Being at the root, its scope is the site's own path
  (`/<repo>/` on GitHub Pages), so two courses on one `<org>.github.io` never share a worker.
  Its text carries the precache list (every page, and the local files the pages load, found
  by reading them) and a version hash of those files: a new build changes the worker's bytes,
  which is how the browser learns that a new version was published.
- `manifest.webmanifest` and its PNG icons (drawn from the favicon's three circles, without
  any image library): the course can be added to a phone's home screen. Its `start_url` and
  `scope` are relative, so they follow the sub-path.
- `_static/exercisekit-offline.js`, loaded by every page: registers the worker (only over
  http(s): never from `file://`, and the SCORM packages do not load it), shows « Nouvelle
  version disponible » when one is waiting, asks for persistent storage and says in
  « Mon parcours » whether it was granted; where not, reminds the learner at most once a week
  to export their journal.

Downloads (`telechargements/`: the offline zip, SCORM packages, exports) and printable PDFs
are never precached: they are large and fetched only on demand.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from exercisekit.render.runtime import ASSETS
from exercisekit.render.typography import french_text

logger = logging.getLogger(__name__)

WORKER = "exercisekit-sw.js"
MANIFEST = "manifest.webmanifest"
SCRIPT = "exercisekit-offline.js"
ICONS = {
    "icon-192.png": (192, 0.14),
    "icon-512.png": (512, 0.14),
    "icon-maskable-512.png": (512, 0.24),
}
THEME_COLOR = "#0a5fa3"
# Folders at the site's root that are downloads or build leftovers, never pages to keep offline.
NOT_PRECACHED = ("telechargements/", "imprimables/", "_sources/", ".doctrees/")
# Files a page may load that are worth keeping offline (fonts: only woff2, which every browser
# with service workers reads).
ASSET_SUFFIXES = (".css", ".js", ".woff2", ".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".ico")
# Files that scripts load themselves, not named in any page: the cohort board's items, fetched
# once a read link is there (exercisekit-board.js).
LOADED_BY_SCRIPTS = ("_static/exercisekit-board-data.js",)

# What the learner reads (French typography applied when the script is written).
MESSAGES = {
    "update_available": "Nouvelle version disponible. Vos réponses et votre journal sont conservés.",
    "update_button": "Afficher la nouvelle version",
    "persist_granted": (
        "Stockage persistant accordé : ce navigateur ne supprimera pas de lui-même vos réponses "
        "ni votre journal."
    ),
    "persist_denied": (
        "Stockage persistant non accordé : ce navigateur peut effacer vos réponses et votre "
        "journal, par exemple après quelques jours sans visite ou s'il manque d'espace. "
        "Exportez votre journal de temps en temps."
    ),
    "persist_unknown": (
        "Ce navigateur ne dit pas s'il garde vos données : exportez votre journal de temps en "
        "temps."
    ),
    "offline_ready": "Le cours est enregistré sur cet appareil : il s'ouvre aussi sans connexion.",
    "reminder": (
        "Petit rappel : ce navigateur peut effacer les données des sites peu visités. Pour ne "
        "rien perdre, exportez votre journal."
    ),
    "reminder_link": "Exporter mon journal",
    "reminder_close": "Fermer le rappel",
}


# ---------------------------------------------------------------- what a page loads
class _Links(HTMLParser):
    """The local files a page loads by itself (scripts, stylesheets, images, icons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.found.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = a.get("rel", "").lower().split()
            if {"stylesheet", "icon", "manifest", "apple-touch-icon", "preload"} & set(rel):
                self.found.append(a["href"])
        elif tag in ("img", "source") and a.get("src"):
            self.found.append(a["src"])


# url(...) and the bare form of @import ("../basic.css", as the theme writes it).
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _local(base: Path, ref: str, outdir: Path) -> Path | None:
    """The built file a reference points to, or None for another host, data:, or outside."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (base.parent / unquote(parts.path)).resolve()
    try:
        target.relative_to(outdir.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def precache_files(outdir: Path) -> list[str]:
    """Every page of the site and every local file they load, as paths from the site's root
    (sorted, so the same build gives the same worker)."""
    outdir = outdir.resolve()
    wanted: set[Path] = set()
    pages = [
        p
        for p in outdir.rglob("*.html")
        if not p.relative_to(outdir).as_posix().startswith(NOT_PRECACHED + ("_static/",))
    ]
    todo: list[Path] = [outdir / f for f in LOADED_BY_SCRIPTS if (outdir / f).is_file()]
    for page in pages:
        wanted.add(page)
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for ref in parser.found:
            target = _local(page, ref, outdir)
            if target and target.suffix.lower() in ASSET_SUFFIXES + (".webmanifest",):
                todo.append(target)
    while todo:  # stylesheets load fonts and images, and other stylesheets
        item = todo.pop()
        if item in wanted:
            continue
        wanted.add(item)
        if item.suffix == ".css":
            css = item.read_text(encoding="utf-8", errors="replace")
            for ref in (a or b for a, b in _CSS_URL.findall(css)):
                target = _local(item, ref, outdir)
                if target and target.suffix.lower() in ASSET_SUFFIXES:
                    todo.append(target)
    return sorted(
        p.relative_to(outdir).as_posix()
        for p in wanted
        if not p.relative_to(outdir).as_posix().startswith(NOT_PRECACHED)
    )


def version_of(outdir: Path, files: list[str]) -> str:
    """A hash of the precached files' names and bytes: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256((outdir / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------- icons, without an image library
# The favicon's three circles (book/_static/favicon.svg, a 32-unit square): (cx, cy, r, colour).
_CIRCLES = [
    (10, 12, 6, (0x0A, 0x5F, 0xA3)),
    (22, 12, 6, (0x1B, 0x7F, 0x3B)),
    (16, 22, 6, (0xC2, 0x18, 0x5B)),
]


def icon_png(size: int, padding: float) -> bytes:
    """A square PNG on white: the three circles, scaled into the square minus `padding` (a
    fraction of the side on each edge; maskable icons keep theirs inside the safe zone),
    edges smoothed by each pixel's coverage."""
    # The circles fill x 4..28 and y 6..28 of the 32-unit square: centre that box.
    inner = size * (1 - 2 * padding)
    unit = inner / 24
    ox, oy = size * padding - 4 * unit, (size - 22 * unit) / 2 - 6 * unit
    circles = [(ox + cx * unit, oy + cy * unit, r * unit, rgb) for cx, cy, r, rgb in _CIRCLES]
    rows = bytearray()
    for y in range(size):
        row = bytearray(b"\xff" * (3 * size))
        py = y + 0.5
        for cx, cy, r, rgb in circles:
            dy = py - cy
            if abs(dy) > r + 1:
                continue
            span = (max(0.0, (r + 1) ** 2 - dy * dy)) ** 0.5
            for x in range(max(0, int(cx - span)), min(size, int(cx + span) + 1)):
                d = ((x + 0.5 - cx) ** 2 + dy * dy) ** 0.5
                cover = min(1.0, max(0.0, r - d + 0.5))
                if cover:
                    for c in range(3):
                        old = row[3 * x + c]
                        row[3 * x + c] = round(old + (rgb[c] - old) * cover)
        rows += b"\x00" + row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def web_manifest(app: Sphinx) -> dict[str, Any]:
    title = french_text(app.config.html_title or app.config.project)
    # Under the home-screen icon there is room for about 12 characters.
    short = app.config.exercisekit_short_name or (title if len(title) <= 12 else title.split()[0])
    return {
        "name": title,
        "short_name": short,
        "description": french_text(
            "Un cours en ligne pour accompagner un collectif de partenaires, utilisable hors ligne."
        ),
        "lang": app.config.language or "fr",
        "dir": "ltr",
        # Relative to the manifest, which sits at the site's root: they follow the sub-path.
        "id": "./",
        "start_url": app.builder.get_target_uri(app.config.root_doc),
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": "icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": "icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


# ---------------------------------------------------------------- Sphinx hooks
def add_head_links(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Every page names the manifest, the theme colour and the home-screen icon."""
    if app.builder.format != "html":
        return
    here = app.builder.get_target_uri(pagename)
    manifest = relative_uri(here, MANIFEST)
    icon = relative_uri(here, "icon-192.png")
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="manifest" href="{manifest}">'
        f'\n<meta name="theme-color" content="{THEME_COLOR}">'
        f'\n<link rel="apple-touch-icon" href="{icon}">'
    )


def _filled(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        marker = f"/*{name}*/"
        start = template.index(marker)
        end = template.index("/*END*/", start) + len("/*END*/")
        template = template[:start] + value + template[end:]
    return template


def write_offline_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    words = {key: french_text(text) for key, text in MESSAGES.items()}
    spaces = getattr(app.env, "exk_spaces", {})
    journal = app.builder.get_target_uri(spaces["journal"]) if "journal" in spaces else ""
    script = _filled(
        (ASSETS / SCRIPT).read_text(encoding="utf-8"),
        {
            "MESSAGES": json.dumps(words, ensure_ascii=False, separators=(",", ":")),
            "JOURNAL": json.dumps(journal),
        },
    )
    (outdir / "_static").mkdir(exist_ok=True)
    (outdir / "_static" / SCRIPT).write_text(script, encoding="utf-8")
    for name, (size, padding) in ICONS.items():
        data = icon_png(size, padding)
        target = outdir / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    (outdir / MANIFEST).write_text(
        json.dumps(web_manifest(app), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    files = precache_files(outdir)
    for name in ICONS:
        if name not in files:
            files.append(name)
    files.sort()
    version = version_of(outdir, files)
    worker = _filled(
        (ASSETS / WORKER).read_text(encoding="utf-8"),
        {
            "VERSION": json.dumps(version),
            "FILES": json.dumps(files, separators=(",", ":")),
        },
    )
    (outdir / WORKER).write_text(worker, encoding="utf-8")
    size = sum((outdir / f).stat().st_size for f in files)
    logger.info(
        f"[offline] {len(files)} fichiers gardés hors ligne ({size / 1024:.0f} Kio), version {version}"
    )


def setup(app: Sphinx) -> dict[str, Any]:
    # The name under the course's icon on a phone's home screen (empty: the title's first word).
    app.add_config_value("exercisekit_short_name", "", "html", types=[str])
    app.connect("html-page-context", add_head_links)
    # After the runtime (500), the theme trimming (850) and the typography pass (860) have
    # written the pages' final bytes; before the offline zip and SCORM packages (900).
    app.connect("build-finished", write_offline_files, priority=880)
    # After exercisekit.js (default priority 500): it reads the storage namespace from it.
    app.add_js_file(SCRIPT, loading_method="defer", priority=600)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
