"""Site budgets: a report, not a test. Builds the course and a stock `jupyter-book create` book in
the same run, measures every page of both, and writes the tables into docs/budgets.md (between
its `<!-- tableaux -->` markers).

    ./dev benchmark             # every page, Lighthouse included
    ./dev benchmark --sample    # Lighthouse on the heaviest pages only

Both books are built in a temporary folder (the course is copied there, so nothing in the
checkout is touched): a clean build, then a rebuild after editing one page. Each site is served
as GitHub Pages serves it (`tests/sitebudget.py`: gzip, cacheable, under a sub-path). For every
page: the first visit's bytes (gzip), requests, render-blocking bytes and layout shifts in a
phone's viewport (headless Debian Chromium, empty cache), then Lighthouse 12.2.3 (npm, in
scripts/tools, which `./dev benchmark` installs; mobile preset, simulated slow 4G) for its four scores, first contentful paint,
largest contentful paint, total blocking time and CLS. Lighthouse's timings depend on the
machine's load: compare the two columns of one run rather than runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sitebudget import (  # noqa: E402
    MAX_CLS,
    MAX_GZIP_BYTES,
    MAX_REQUESTS,
    MOBILE,
    OBSERVE_SHIFTS,
    probe,
    serve,
    site_pages,
)

from exercisekit.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

JB = str(Path(sys.executable).parent / "jupyter-book")
LIGHTHOUSE = ROOT / "scripts" / "tools" / "node_modules" / ".bin" / "lighthouse"
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "_build", "node_modules", "__pycache__")
DOC = ROOT / "docs" / "budgets.md"
START, END = "<!-- tableaux -->", "<!-- fin des tableaux -->"
SAMPLE = (
    "search.html",
    "book/tableau-cohorte.html",
    "book/modules/07-synthese.html",
    "book/modules/01-reflexive.html",
    "book/parcours.html",
    "book/journal.html",
    "index.html",
)


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


def bytes_of(browser, base: str, pages: list[str]) -> dict[str, dict]:
    out = {}
    for rel in pages:
        context = browser.new_context(locale="fr-CA", **MOBILE)
        context.add_init_script(OBSERVE_SHIFTS)
        out[rel] = probe(context.new_page(), base + rel)
        context.close()
    return out


def lighthouse(url: str, chromium: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report.name}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": chromium},
            check=True,
            capture_output=True,
            timeout=300,
        )
        data = json.loads(Path(report.name).read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        **{k: round(100 * (v["score"] or 0)) for k, v in data["categories"].items()},
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def lighthouse_median(url: str, chromium: str, runs: int) -> dict:
    """Lighthouse `runs` times; the run with the median performance score, as Lighthouse's own
    documentation advises for its variance, with every run's score kept beside it."""
    results = sorted(
        (lighthouse(url, chromium) for _ in range(runs)), key=lambda r: r["performance"]
    )
    median = dict(results[len(results) // 2])
    median["runs"] = [r["performance"] for r in results]
    return median


def kb(n: float) -> str:
    return f"{n / 1000:,.1f}".replace(",", " ")


def byte_rows(name: str, measured: dict[str, dict]) -> list[str]:
    rows = []
    for rel, m in measured.items():
        ok = m["gzip"] <= MAX_GZIP_BYTES and m["requests"] <= MAX_REQUESTS and m["cls"] <= MAX_CLS
        rows.append(
            f"| {name} | `{rel}` | {kb(m['raw'])} | {kb(m['gzip'])} | {m['requests']} | "
            f"{kb(m['blocking'])} | {m['cls']:.3f} | {'oui' if ok else 'NON'} |"
        )
    return rows


def performance(score: dict) -> str:
    runs = score.get("runs", [])
    return (
        f"{score['performance']} ({', '.join(map(str, runs))})"
        if len(runs) > 1
        else str(score["performance"])
    )


def lighthouse_rows(name: str, scores: dict[str, dict]) -> list[str]:
    return [
        f"| {name} | `{rel}` | {performance(s)} | {s['accessibility']} | {s['best-practices']} | "
        f"{s['seo']} | {s['fcp'] / 1000:.1f} s | {s['lcp'] / 1000:.1f} s | {s['tbt']:.0f} ms | "
        f"{s['cls']:.3f} |"
        for rel, s in scores.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sample", action="store_true", help="Lighthouse on the heaviest pages only"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="Lighthouse runs per page (the median is reported)"
    )
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None or not LIGHTHOUSE.exists():
        sys.exit(
            "needs Debian's chromium and scripts/tools/node_modules (./dev benchmark installs both)"
        )
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="budgets-"))
    course = work / "course"
    shutil.copytree(ROOT, course, ignore=IGNORE)
    subprocess.run(
        [JB, "create", str(work / "stock")], check=True, capture_output=True, timeout=120
    )
    stock = work / "stock"
    times = {}
    for name, book, page in (
        ("course", course, course / "book" / "intro.md"),
        ("stock", stock, stock / "intro.md"),
    ):
        clean = build(book, name == "course")
        times[name] = (clean, edit_and_rebuild(page, book, name == "course"))
        print(f"{name}: clean build {clean:.1f} s, rebuild {times[name][1]:.1f} s", file=sys.stderr)

    sites = {"cours": course / "_build" / "html", "livre type": stock / "_build" / "html"}
    pages = {
        # the stock root is a bare refresh stub: its pages are measured, not the stub
        name: [p for p in site_pages(site) if name == "cours" or p != "index.html"]
        for name, site in sites.items()
    }
    servers, bases = {}, {}
    for name, site in sites.items():
        servers[name], bases[name] = serve(site, "/course/" if name == "cours" else "/livre/")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        measured = {name: bytes_of(browser, bases[name], pages[name]) for name in sites}
        browser.close()
    scores: dict[str, dict[str, dict]] = {}
    for name in sites:
        chosen = pages[name]
        if args.sample and name == "cours":
            chosen = [p for p in SAMPLE if p in chosen]
        scores[name] = {}
        for rel in chosen:
            scores[name][rel] = lighthouse_median(bases[name] + rel, chromium, args.runs)
            print(f"lighthouse {name} {rel}: {scores[name][rel]}", file=sys.stderr)
    for server in servers.values():
        server.shutdown()

    course_b, stock_b = measured["cours"], measured["livre type"]
    heaviest = max(course_b, key=lambda r: course_b[r]["gzip"])
    stock_heaviest = max(stock_b, key=lambda r: stock_b[r]["gzip"])
    perf = [s["performance"] for s in scores["cours"].values()]
    today = datetime.date.today().isoformat()
    lines = [
        START,
        f"## Résultats du {today}",
        "",
        f"Produit par `scripts/benchmark.py{' --sample' if args.sample else ''}"
        f"{f' --runs {args.runs}' if args.runs > 1 else ''}` en "
        f"{(time.perf_counter() - started) / 60:.0f} min : construction, octets et Lighthouse dans "
        "la même exécution.",
        "",
        "| mesure | cours | livre `jupyter-book create` |",
        "|---|---:|---:|",
        f"| construction à neuf | {times['course'][0]:.1f} s | {times['stock'][0]:.1f} s |",
        f"| reconstruction après modification d'une page | {times['course'][1]:.1f} s | "
        f"{times['stock'][1]:.1f} s |",
        f"| page la plus lourde (gzip, requêtes) | `{heaviest}` : {kb(course_b[heaviest]['gzip'])} KB, "
        f"{course_b[heaviest]['requests']} | `{stock_heaviest}` : "
        f"{kb(stock_b[stock_heaviest]['gzip'])} KB, {stock_b[stock_heaviest]['requests']} |",
        f"| Lighthouse performance mobile (min – max) | {min(perf)} – {max(perf)} | "
        f"{min(s['performance'] for s in scores['livre type'].values())} – "
        f"{max(s['performance'] for s in scores['livre type'].values())} |",
        "",
        "### Lighthouse 12.2.3, mobile (4G lente simulée)",
        "",
        *(
            [
                f"Chaque page passe {args.runs} fois ; la colonne performance donne la note "
                "médiane, puis, entre parenthèses, la note de chaque passage.",
                "",
            ]
            if args.runs > 1
            else []
        ),
        "| livre | page | performance | accessibilité | bonnes pratiques | SEO | FCP | LCP | TBT | CLS |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *lighthouse_rows("cours", scores["cours"]),
        *lighthouse_rows("livre type", scores["livre type"]),
        "",
        "### Octets d'une première visite (KB = 1 000 octets ; téléphone, cache vide)",
        "",
        f"Budget de chaque page : ≤ {MAX_GZIP_BYTES / 1000:.0f} KB gzip, ≤ {MAX_REQUESTS} requêtes, "
        f"CLS ≤ {MAX_CLS} (vérifié aussi par `tests/test_light.py`).",
        "",
        "| livre | page | brut | gzip | requêtes | bloquant le rendu (gzip) | CLS | budget |",
        "|---|---|---:|---:|---:|---:|---:|:---:|",
        *byte_rows("cours", course_b),
        *byte_rows("livre type", stock_b),
        END,
    ]
    text = DOC.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text.split(START)[0] + "\n".join(lines) + text.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    DOC.write_text(text, encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
