"""Site budgets: a report, not a test. Prints a Markdown table comparing the course with a stock
`jupyter-book create` book built and measured in the same run, on this machine.

    .venv/bin/python scripts/benchmark.py            # about 3-5 minutes on 2 cores

Both books are built in a temporary folder (the course is copied there, so nothing in the
checkout is touched): a clean build (no execution cache), then a rebuild after editing one
page. Pages are loaded in headless Debian Chromium with an empty cache from a local server;
"gzip" is each response compressed as GitHub Pages serves text (binary files count as is).
Targets (docs/budgets.md): heaviest module page at most half the stock page's gzip bytes;
exercise runtime at most 12 KB gzip; first exercise usable no later than the stock page's
DOMContentLoaded.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from exercisekit.chromium import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
JB = str(Path(sys.executable).parent / "jupyter-book")
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "_build", "node_modules", "__pycache__")
BINARY = (".woff2", ".woff", ".png", ".jpg", ".gif", ".ico", ".zip", ".pdf")
READY = """
window.__exk = null;
new MutationObserver(function (_, obs) {
  if (document.querySelector('.exk[data-exk-ready]')) { window.__exk = performance.now(); obs.disconnect(); }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-exk-ready']});
"""


def build(book: Path, strict: bool = True) -> float:
    """The stock book is built without -W: its sample pages warn (no bibliography style, etc.)."""
    start = time.perf_counter()
    subprocess.run(
        [JB, "build", *(["-W", "-n", "--keep-going"] if strict else []), str(book)],
        cwd=book,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return time.perf_counter() - start


def edit_and_rebuild(page: Path, book: Path, strict: bool = True) -> float:
    page.write_text(
        page.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour la mesure.\n",
        encoding="utf-8",
    )
    return build(book, strict)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def measure(browser, url: str) -> dict[str, float]:
    context = browser.new_context()
    context.add_init_script(READY)
    page = context.new_page()
    sizes: list[tuple[int, int]] = []

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        packed = (
            len(body)
            if response.url.split("?")[0].endswith(BINARY)
            else len(gzip.compress(body, 6))
        )
        sizes.append((len(body), packed))

    page.on("response", on_response)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    ready = page.evaluate("window.__exk")
    context.close()
    return {
        "requests": len(sizes),
        "raw": sum(r for r, _ in sizes),
        "gzip": sum(g for _, g in sizes),
        "dcl": dcl,
        "ready": ready,
    }


def median_of(browser, url: str, runs: int = 3) -> dict[str, float]:
    """Sizes from one load; times are the median of `runs` loads, each with an empty cache."""
    loads = [measure(browser, url) for _ in range(runs)]
    result = dict(loads[0])
    for key in ("dcl", "ready"):
        values = sorted(x[key] for x in loads if x[key] is not None)
        result[key] = values[len(values) // 2] if values else None
    return result


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB".replace(",", " ")


def main() -> int:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="budgets-"))
    course = work / "course"
    shutil.copytree(ROOT, course, ignore=IGNORE)
    subprocess.run(
        [JB, "create", str(work / "stock")], check=True, capture_output=True, timeout=120
    )
    stock = work / "stock"

    figures = {}
    for name, book, page in (
        ("course", course, course / "book" / "intro.md"),
        ("stock", stock, stock / "intro.md"),
    ):
        clean = build(book, name == "course")
        figures[name] = {"clean": clean, "rebuild": edit_and_rebuild(page, book, name == "course")}
        print(
            f"{name}: clean build {clean:.1f} s, rebuild {figures[name]['rebuild']:.1f} s",
            file=sys.stderr,
        )

    site = course / "_build" / "html"
    modules = sorted(
        p.relative_to(site).as_posix() for p in (site / "book" / "modules").glob("*.html")
    )
    stock_pages = ["intro.html", "markdown-notebooks.html"]
    runtime = [site / "_static" / "exercisekit.js", site / "_static" / "exercisekit.css"]
    runtime_raw = sum(p.stat().st_size for p in runtime)
    runtime_gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in runtime)

    course_server, course_url = serve(site)
    stock_server, stock_url = serve(stock / "_build" / "html")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        measure(browser, course_url + modules[0])  # warm both servers and the browser once
        measure(browser, stock_url + stock_pages[1])
        course_pages = {m: median_of(browser, course_url + m) for m in modules}
        stock_measures = {p: median_of(browser, stock_url + p) for p in stock_pages}
        browser.close()
    course_server.shutdown()
    stock_server.shutdown()

    ref = stock_measures["markdown-notebooks.html"]  # the stock notebook page
    heaviest = max(course_pages.values(), key=lambda m: m["gzip"])
    first_ready = max(m["ready"] for m in course_pages.values())
    today = datetime.date.today().isoformat()
    lines = [
        f"Mesuré le {today} (Chromium headless de Debian, serveur local, cache vide ; machine à 2 cœurs).",
        "",
        "| mesure | cours | livre `jupyter-book create` |",
        "|---|---:|---:|",
        f"| construction à neuf | {figures['course']['clean']:.1f} s | {figures['stock']['clean']:.1f} s |",
        f"| reconstruction après modification d'une page | {figures['course']['rebuild']:.1f} s "
        f"| {figures['stock']['rebuild']:.1f} s |",
    ]
    for module, m in course_pages.items():
        lines.append(
            f"| `{module}` : octets (brut / gzip), requêtes | {kb(m['raw'])} / {kb(m['gzip'])}, "
            f"{m['requests']} | {kb(ref['raw'])} / {kb(ref['gzip'])}, {ref['requests']} |"
        )
    lines += [
        f"| moteur d'exercices partagé (`exercisekit.js` + `.css`, brut / gzip) | {kb(runtime_raw)} / "
        f"{kb(runtime_gz)} | — |",
        f"| DOMContentLoaded (pire page de module / page carnet du livre type) | "
        f"{max(m['dcl'] for m in course_pages.values()):.0f} ms | {ref['dcl']:.0f} ms |",
        f"| navigation → premier exercice utilisable (pire page de module) | {first_ready:.0f} ms | "
        f"(DOMContentLoaded : {ref['dcl']:.0f} ms) |",
        "",
        "| cible | valeur | atteinte |",
        "|---|---:|:---:|",
        f"| page de module la plus lourde ≤ ½ page type (gzip) | {kb(heaviest['gzip'])} ≤ {kb(ref['gzip'] / 2)} "
        f"| {'oui' if heaviest['gzip'] <= ref['gzip'] / 2 else 'NON'} |",
        f"| moteur d'exercices ≤ 12 KB gzip | {kb(runtime_gz)} | {'oui' if runtime_gz <= 12 * 1024 else 'NON'} |",
        f"| premier exercice utilisable ≤ DOMContentLoaded de la page type | {first_ready:.0f} ms ≤ "
        f"{ref['dcl']:.0f} ms | {'oui' if first_ready <= ref['dcl'] else 'NON'} |",
    ]
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
