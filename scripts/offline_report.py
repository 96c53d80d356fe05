"""Offline readiness: a report, not a test. For the site already built in `_build/html`
(`./dev build`), prints what the service worker keeps (files, bytes raw and gzip as GitHub Pages
would send them) and how long after a first visit of a module page the course is offline-ready
(worker active, every file cached), measured in headless Debian Chromium from a local server
under `/course/`: unthrottled, then through a shared link shaped like Lighthouse's « slow 4G »
(150 ms per request, 1.6 Mbit/s down for all connections together).

    .venv/bin/python scripts/offline_report.py [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import statistics
import threading
import time
from pathlib import Path

from exercisekit.chromium import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PREFIX = "/course/"
PAGE = "book/modules/02-conditions.html"
BINARY = (".woff2", ".woff", ".png", ".jpg", ".gif", ".ico", ".zip", ".pdf")


class Link:
    """One shared downlink: bytes leave at `rate` bytes/s whatever the number of connections."""

    def __init__(self, rate: float | None, latency: float) -> None:
        self.rate, self.latency, self.lock, self.free = rate, latency, threading.Lock(), 0.0

    def send(self, out, data: bytes) -> None:
        time.sleep(self.latency)
        for start in range(0, len(data), 16384):
            chunk = data[start : start + 16384]
            if self.rate:
                with self.lock:
                    now = time.monotonic()
                    self.free = max(self.free, now) + len(chunk) / self.rate
                    wait = self.free - now
                time.sleep(wait)
            out.write(chunk)


class Handler(http.server.SimpleHTTPRequestHandler):
    link: Link

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if not path.startswith(PREFIX):
            self.send_error(404)
            return
        file = Path(self.translate_path("/" + path[len(PREFIX) :]))
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        if not file.name.endswith(BINARY) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        self.link.send(self.wfile, body)

    def log_message(self, *args: object) -> None:
        pass


def precache() -> list[str]:
    worker = (SITE / "exercisekit-sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"var FILES = (\[.*?\]);", worker).group(1))


def time_to_ready(browser, rate: float | None, latency: float) -> tuple[float, float]:
    """(seconds to the page's first exercise ready, seconds to offline-ready), from navigation."""
    handler = type("H", (Handler,), {"link": Link(rate, latency)})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        start = time.monotonic()
        page.goto(f"http://127.0.0.1:{server.server_port}{PREFIX}{PAGE}", wait_until="commit")
        page.wait_for_selector(".exk-js", timeout=300_000)
        usable = time.monotonic() - start
        page.wait_for_selector("html[data-exk-offline=ready]", state="attached", timeout=600_000)
        return usable, time.monotonic() - start
    finally:
        context.close()
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    files = precache()
    raw = sum((SITE / f).stat().st_size for f in files)
    packed = sum(
        (SITE / f).stat().st_size
        if f.endswith(BINARY)
        else len(gzip.compress((SITE / f).read_bytes(), 6))
        for f in files
    )
    pages = [f for f in files if f.endswith(".html")]
    print(
        f"Precache: {len(files)} files ({len(pages)} pages), {raw / 1024:.0f} KiB raw, "
        f"{packed / 1024:.0f} KiB gzip"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for label, rate, latency in (
            ("local, unthrottled", None, 0.0),
            ("slow 4G (150 ms, 1.6 Mbit/s shared)", 1.6e6 / 8, 0.15),
        ):
            times = [time_to_ready(browser, rate, latency) for _ in range(runs)]
            usable = statistics.median(t[0] for t in times)
            ready = statistics.median(t[1] for t in times)
            print(
                f"{label}: first exercise usable {usable:.2f} s, offline-ready {ready:.2f} s "
                f"(median of {runs})"
            )
        browser.close()


if __name__ == "__main__":
    main()
