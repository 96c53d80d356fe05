"""What a learner's phone downloads: a server that answers like GitHub Pages, and a page probe.

Shared by `tests/test_light.py` (the budgets, asserted) and `scripts/benchmark.py` (the report,
where Lighthouse also runs against this server). GitHub Pages compresses text with gzip and lets
browsers keep files for ten minutes (`Cache-Control: max-age=600`, with an ETag); this server
does the same, under a project sub-path (`/<repo>/`).

The probe reads the browser's own Resource Timing entries rather than counting network events:
`encodedBodySize` is the compressed body, `transferSize` is 0 for a file served from the cache,
and `renderBlockingStatus` says what held the first paint back. Layout shifts come from a
PerformanceObserver registered before the page starts.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import http.server
import mimetypes
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Lighthouse's mobile preset (a Moto G Power): the viewport the CLS budget is measured in.
MOBILE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
# The types GitHub Pages sends gzipped (fonts and images travel as they are).
COMPRESSED = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
)

# Budgets of issue 12, for every page of the table of contents, the search page and the root.
MAX_GZIP_BYTES = 100_000
MAX_REQUESTS = 12
MAX_CLS = 0.01
# Render-blocking bytes (gzip) stand for first contentful paint in the fast proxy: on Lighthouse's
# simulated slow 4G (1.6 Mbit/s, 150 ms RTT) 1.8 s leaves about 14 KB per blocking round trip
# once the HTML is in; keeping it near 30 KB keeps the page within its FCP budget.
MAX_BLOCKING_BYTES = 30_000


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix` only, gzipped and cacheable as GitHub Pages does."""

    prefix = "/course/"
    # Seconds to hold back scripts and fonts: on a slow phone they arrive after the first paint,
    # and whatever they fill or restyle then shifts the layout. Unthrottled on 127.0.0.1 they
    # would run before the first paint and hide the shift.
    late = 0.0
    _packed: dict[tuple[str, float], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return None
        root = Path(self.directory).resolve()
        target = (root / path[len(self.prefix) :]).resolve()
        if root not in target.parents and target != root:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _body(self, file: Path) -> tuple[bytes, str, bool]:
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".js":
            kind = "application/javascript"
        data = file.read_bytes()
        packed = kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")
        if packed:
            key = (str(file), file.stat().st_mtime)
            with self._lock:
                if key not in self._packed:
                    self._packed[key] = gzip.compress(data, 6, mtime=0)
                data = self._packed[key]
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        return data, kind, packed

    def _answer(self, with_body: bool) -> None:
        file = self._file()
        if file is None:
            self.send_error(404)
            return
        data, kind, packed = self._body(file)
        if self.late and file.suffix in (".js", ".woff2", ".woff", ".ttf"):
            time.sleep(self.late)
        tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", email.utils.formatdate(file.stat().st_mtime, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading server that says nothing when a browser drops a connection."""

    def handle_error(self, request, client_address) -> None:
        # A browser context closed while its service worker was still precaching the site
        # drops its connections: nothing to report. Anything else is printed as usual.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(
    directory: Path, prefix: str = "/course/", late: float = 0.0
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start the server on 127.0.0.1 (a free port); returns it and the site's base URL."""
    handler = functools.partial(
        type("Pages", (PagesHandler,), {"prefix": prefix, "late": late}), directory=str(directory)
    )
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{prefix}"


# Registered before any page script: every layout shift not caused by input, summed (an upper
# bound of CLS, which keeps only the worst session window).
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(function (list) {
  for (const e of list.getEntries()) {
    if (!e.hadRecentInput) {
      window.__shifts.push({value: e.value, nodes: (e.sources || []).map(function (s) {
        const n = s.node; return n && n.nodeType === 1
          ? n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\\s+/).join('.') : '')
          : String(n && n.nodeName); })});
    }
  }
}).observe({type: 'layout-shift', buffered: true});
"""

_ENTRIES = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map(e => ({url: e.name, type: e.initiatorType, transfer: e.transferSize,
              body: e.encodedBodySize, raw: e.decodedBodySize,
              blocking: e.renderBlockingStatus === 'blocking'}))"""


# Once the network has been idle for half a second (every late script and image has arrived and
# run), what can still move the layout: web fonts being applied, and the frames being drawn.
_SETTLED = """() => document.fonts.ready.then(() => new Promise(
    done => requestAnimationFrame(() => requestAnimationFrame(done))))"""


def probe(page, url: str) -> dict:
    """Load `url` in `page` (whose context ran OBSERVE_SHIFTS) and read what it cost."""
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(_SETTLED)  # late scripts, fonts and images would shift the layout here
    entries = page.evaluate(_ENTRIES)
    shifts = page.evaluate("window.__shifts || []")
    return {
        "url": url,
        "entries": entries,
        "requests": len(entries),
        "gzip": sum(e["body"] for e in entries),
        "raw": sum(e["raw"] for e in entries),
        "transferred": [e["url"] for e in entries if e["transfer"] > 0],
        "blocking": sum(e["body"] for e in entries if e["blocking"]),
        "blocking_files": [e["url"] for e in entries if e["blocking"]],
        "cls": sum(s["value"] for s in shifts),
        "shifts": shifts,
        "fcp": page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        ),
    }


def site_pages(site: Path) -> list[str]:
    """Every page a learner can open: the root, the toc's pages, the search page (not _static)."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("_static/", "_sources/", "telechargements/", "_images/")):
            continue
        pages.append(rel)
    return pages
