"""Shared test fixtures: the built site, a sub-path server, and Debian's Chromium
driven by Playwright (never a browser that Playwright downloads)."""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sitebudget import QuietServer

from exercisekit.chromium import CHROMIUM_ARGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
# Tests build into _build/ like `./dev build`; COURSE_TEST_OUTPUT moves that elsewhere (so that
# two people testing in one checkout do not build into the same folder at once).
OUTPUT = Path(os.environ.get("COURSE_TEST_OUTPUT", ROOT))
SITE = OUTPUT / "_build" / "html"

PREFIX = "/course/"  # GitHub Pages serves a project site under /<repository>/
# A second project site on the same origin (<org>.github.io/<other>/), served from the same build:
# two courses there must keep their learners' work (and caches) apart.
OTHER_PREFIX = "/autre-cours/"
# Set on <html> by exercisekit.js once every exercise of the page is set up (a few at a time after
# load, docs/budgets.md): what a test waits for before it reads or restores an exercise's state.
EXERCISES_READY = "html[data-exk-ready]"


# ---------------------------------------------------------------- the learner's local state
@pytest.fixture(autouse=True)
def private_state_file(tmp_path, monkeypatch):
    """Live widgets save to a state file: each test gets its own, never the user's."""
    from exercisekit.selfpaced import state

    monkeypatch.setenv(state.ENV_FILE, str(tmp_path / "etat.json"))
    monkeypatch.setattr(state, "_shared", {})


# ---------------------------------------------------------------- the built site
def build_book(source: Path, output: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real book build, as the README does, with warnings as errors."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        "-W",
        "-n",
        "--keep-going",
        str(source),
    ]
    if output is not None:
        command += ["--path-output", str(output)]
    return subprocess.run(command, capture_output=True, text=True, cwd=source, timeout=900)


def build_the_course() -> dict:
    result = build_book(ROOT, None if OUTPUT == ROOT else OUTPUT)
    return {"returncode": result.returncode, "log": result.stdout + result.stderr}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The course built once per test run. Under pytest-xdist every worker asks for it: the first
    to take the lock builds and records the outcome, the others wait on the lock and read it (two
    builds into one folder at once would corrupt each other)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        outcome = build_the_course()
    else:
        shared = tmp_path_factory.getbasetemp().parent  # one folder for all workers of this run
        with (shared / "built-site.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # Named after this run: a --basetemp kept from an earlier run holds its record too.
            record = shared / f"built-site-{os.environ.get('PYTEST_XDIST_TESTRUNUID', '')}.json"
            if record.exists():
                outcome = json.loads(record.read_text(encoding="utf-8"))
            else:
                outcome = build_the_course()
                record.write_text(json.dumps(outcome), encoding="utf-8")
    assert outcome["returncode"] == 0, f"the book build failed:\n{outcome['log'][-6000:]}"
    return SITE


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under PREFIX, as GitHub Pages does for a project site."""

    def translate_path(self, path: str) -> str:
        for prefix in (PREFIX, OTHER_PREFIX):
            if path.startswith(prefix):
                return super().translate_path("/" + path[len(prefix) :])
        return str(Path(self.directory) / "__outside_prefix__")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_SubPathHandler, directory=str(built_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "Debian's chromium is missing: run the tests with ./dev test, which installs it"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageWatch:
    """What a page did that it must not: console errors, uncaught exceptions, other hosts."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []


def failed_for_real(request) -> str | None:
    """What went wrong with a failed request, or None when the browser only cut it short.

    A missing file fails as net::ERR_FILE_NOT_FOUND (or ERR_FAILED from a worker);
    net::ERR_ABORTED is a request the browser dropped itself, such as the favicon still in
    flight when the test moves on to the next page (seen once in CI)."""
    failure = request.failure or ""
    return None if "ERR_ABORTED" in failure else f"{request.url} {failure}"


def new_watched_context(browser, **options):
    """A fresh browser profile whose requests to any host but 127.0.0.1 are blocked and noted."""
    context = browser.new_context(locale="fr-CA", **options)
    watch = PageWatch()

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            watch.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)

    def on_page(page):
        page.on(
            "console",
            lambda m: watch.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: watch.errors.append(f"pageerror: {e}"))

    context.on("page", on_page)
    return context, watch


@pytest.fixture
def watched(browser):
    """(context, watch): a fresh profile; after the test, no console error and no other host."""
    context, watch = new_watched_context(browser, viewport={"width": 1200, "height": 900})
    yield context, watch
    context.close()
    assert watch.external == [], f"requests to other hosts: {watch.external}"
    assert watch.errors == [], f"console errors: {watch.errors}"


@pytest.fixture
def page(watched):
    context, _ = watched
    return context.new_page()
