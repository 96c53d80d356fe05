"""The published course after one visit (issue 12, points 3 and 4), in Debian's Chromium: it opens
again with the network cut, with the learner's saved work and working exercises; two courses on
one origin keep their own caches; a new build served in place is offered as « Nouvelle version
disponible » and loses no saved entry; nothing from another origin is cached; the manifest is
valid and installable; persistent storage is asked and reported, with a weekly export reminder
where it is not granted; entries in the previous version's format are migrated and shown; the
offline zip (file://) and the SCORM packages register no worker.

These contexts have no request routing: Playwright's routing makes Chromium bypass service
workers. Requests to other hosts are watched instead (and the machine reaches none)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import struct
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bank_refs import BANK, PAGE, REFLECTION, SINGLE, TRUE_FALSE
from storage_helpers import (
    answer_first_option,
    open_page,
    seed_entries,
    storage_prefix,
    stored,
    write_reflection,
)

from conftest import EXERCISES_READY, OTHER_PREFIX, PREFIX, failed_for_real
from exercisekit.chromium import CHROMIUM_ARGS, find_chromium
from exercisekit.sphinx.offline import ICONS, MANIFEST, WORKER, precache_files, version_of

pytestmark = pytest.mark.browser
OTHER_PAGE = "book/modules/03-savoirs.html"  # never visited before the network is cut
NEW_TEXT = "Texte de la nouvelle version du cours."


# ---------------------------------------------------------------- a server we can cut or update
class _Served:
    """What the server answers: /course/ from `course`, /autre-cours/ from `other`; nothing
    at all while `down` (the network is cut)."""

    def __init__(self, site: Path) -> None:
        self.course = site
        self.other = site
        self.down = False


class _Handler(http.server.SimpleHTTPRequestHandler):
    served: _Served

    def do_GET(self) -> None:
        if self.served.down:
            self.close_connection = True
            self.connection.shutdown(2)  # as if the host were unreachable
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        for prefix, folder in ((PREFIX, self.served.course), (OTHER_PREFIX, self.served.other)):
            if path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + path[len(prefix) :])
        return str(Path(self.served.course) / "__outside_prefix__")

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # connections dropped on purpose while the network is cut


@pytest.fixture
def server(built_site):
    served = _Served(built_site)
    handler = type("Handler", (_Handler,), {"served": served})
    httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(built_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    served.origin = f"http://127.0.0.1:{httpd.server_port}"
    yield served
    httpd.shutdown()


class Watch:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.requested: list[str] = []


@pytest.fixture
def ctx(browser):
    """(context, watch): a fresh profile where workers run; after the test, no console error,
    no failed request, nothing asked of another host."""
    context = browser.new_context(locale="fr-CA", service_workers="allow")
    watch = Watch()

    def on_request(request):
        watch.requested.append(request.url)
        host = urlparse(request.url).hostname
        if not request.url.startswith(("data:", "blob:")) and host != "127.0.0.1":
            watch.external.append(request.url)

    def on_failed(request) -> None:
        if problem := failed_for_real(request):
            watch.failed.append(problem)

    def on_page(page):
        page.on(
            "console",
            lambda m: watch.errors.append(f"{m.text} {m.location}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: watch.errors.append(str(e)))
        page.on("requestfailed", on_failed)

    context.on("request", on_request)
    context.on("page", on_page)
    yield context, watch
    context.close()
    assert watch.external == [], watch.external
    assert watch.errors == [], watch.errors
    assert watch.failed == [], watch.failed


def offline_ready(page) -> None:
    """The worker is activated: every file of this version is in the cache, and the next
    navigation goes through it. (The page itself may have loaded just before activation and
    stay uncontrolled: that does not matter to the next one.)"""
    page.wait_for_selector("html[data-exk-offline=ready]", state="attached", timeout=60_000)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") == "activated"


def cut(context, served) -> None:
    served.down = True
    context.set_offline(True)


def caches(page) -> dict[str, list[str]]:
    return page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                out[name] = (await (await caches.open(name)).keys()).map(r => r.url);
            }
            return out;
        }"""
    )


# ---------------------------------------------------------------- offline after one visit
def test_a_module_page_visited_once_opens_offline_with_saved_work_and_working_exercises(
    ctx, server
):
    context, watch = ctx
    base = server.origin + PREFIX
    page = open_page(context, base + PAGE)
    answer_first_option(page, SINGLE)
    write_reflection(page, REFLECTION, "Écrit avant la coupure.")
    offline_ready(page)
    # Everything the page loaded is in the cache, not just in the browser's HTTP cache (which
    # would hide a gap in the precache list until it expires).
    page.goto(base + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    cached = {url for urls in caches(page).values() for url in urls}
    loaded = {url.split("?")[0] for url in watch.requested if url.startswith(base)}
    assert loaded - cached == {base + WORKER}, loaded - cached
    cut(context, server)

    page.goto(base + PAGE)
    page.wait_for_selector(EXERCISES_READY)
    block = page.locator(f'[data-exk-ref="{REFLECTION}"] textarea')
    assert block.input_value() == "Écrit avant la coupure."
    assert page.locator(f'[data-exk-ref="{SINGLE}"] .exk-verdict').count() == 1
    # The stylesheets come from the cache too (not a bare page).
    assert page.evaluate(
        "[...document.styleSheets].some(s => (s.href || '').includes('/_static/')"
        " && [...s.cssRules].some(r => (r.selectorText || '').includes('.exk-verdict')))"
    )
    # An exercise still works offline, and its answer is kept.
    tf = page.locator(f'[data-exk-ref="{TRUE_FALSE}"]')
    tf.locator("input").first.check()
    tf.locator(".exk-check").click()
    tf.locator(".exk-verdict").wait_for()
    page.reload()
    page.wait_for_selector(EXERCISES_READY)
    assert tf.locator(".exk-verdict").count() == 1
    # A page never opened, « Mon parcours » and the site's root open too (all precached).
    page.goto(base + OTHER_PAGE)
    page.wait_for_selector(EXERCISES_READY)
    page.goto(base + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    assert "Le cours est enregistré sur cet appareil" in page.locator(".exk-persist").inner_text()
    # The site's root opens from the cache too: it is the home page itself (sphinx/light.py).
    page.goto(base)
    page.wait_for_selector("article.bd-article h1")
    assert "Bienvenue" in page.title()
    page.goto(base + "book/intro.html")
    page.wait_for_selector("article h1")
    assert watch.failed == []


def test_two_courses_keep_their_caches_and_an_update_keeps_every_saved_entry(
    ctx, server, built_site, tmp_path
):
    context, _ = ctx
    course, other = server.origin + PREFIX, server.origin + OTHER_PREFIX
    first = open_page(context, course + PAGE)
    offline_ready(first)
    second = open_page(context, other + PAGE)
    offline_ready(second)
    write_reflection(first, REFLECTION, "Réflexion gardée à travers la mise à jour.")
    answer_first_option(first, SINGLE)
    names = caches(first)
    mine = [n for n in names if course in n]
    theirs = [n for n in names if other in n]
    assert len(mine) == 1 and len(theirs) == 1, names
    assert all(url.startswith(course) for url in names[mine[0]])
    assert all(url.startswith(other) for url in names[theirs[0]])
    kept = sorted(names[theirs[0]])

    # A new build of the first course, served in place: one page changed, so a new version.
    server.course = new_version(built_site, tmp_path)
    first.reload()
    notice = first.locator(".exk-update[role=status]")
    notice.wait_for(timeout=60_000)
    assert "Nouvelle version disponible" in notice.inner_text()
    # Nothing switches until the learner asks; then the page reloads in the new version.
    with first.expect_navigation():
        notice.locator("button").click()
    first.wait_for_selector(EXERCISES_READY)
    assert NEW_TEXT in first.locator("main").inner_text()
    area = first.locator(f'[data-exk-ref="{REFLECTION}"] textarea')
    assert area.input_value() == "Réflexion gardée à travers la mise à jour."
    assert first.locator(f'[data-exk-ref="{SINGLE}"] .exk-verdict').count() == 1
    first.wait_for_function(
        f"caches.keys().then(n => n.filter(x => x.includes({json.dumps(course)})).length === 1)"
    )
    after = caches(first)
    assert [n for n in after if course in n] != mine  # the old version is gone
    assert sorted(after[theirs[0]]) == kept  # the other course's cache is untouched

    # The other course still opens offline from its own cache.
    cut(context, server)
    second.goto(other + OTHER_PAGE)
    second.wait_for_selector(EXERCISES_READY)


def new_version(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the site with one page changed and its worker rewritten as a build would."""
    copy = tmp_path / "site-v2"
    shutil.copytree(
        built_site,
        copy,
        ignore=shutil.ignore_patterns("telechargements", "imprimables", "_sources"),
    )
    module = copy / PAGE
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace("<main", '<main data-new="1"', 1).replace(
            '<article class="bd-article">', f'<article class="bd-article"><p>{NEW_TEXT}</p>', 1
        ),
        encoding="utf-8",
    )
    assert NEW_TEXT in module.read_text(encoding="utf-8")
    worker = copy / WORKER
    files = precache_files(copy)
    source = worker.read_text(encoding="utf-8")
    old = re.search(r'var VERSION = "([0-9a-f]+)";', source).group(1)
    new = version_of(
        copy,
        sorted(set(files) | set(json.loads(re.search(r"var FILES = (\[.*?\]);", source).group(1)))),
    )
    assert new != old
    worker.write_text(source.replace(old, new), encoding="utf-8")
    return copy


def test_nothing_from_another_origin_is_cached(ctx, server, built_site):
    context, _ = ctx
    base = server.origin + PREFIX
    page = open_page(context, base + PAGE)
    offline_ready(page)
    # Another origin (same host, another port) asked from a controlled page: the worker lets it
    # go to the network and keeps nothing of it.
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{elsewhere.server_port}/_static/exercisekit.css"
        assert (
            page.evaluate(f"fetch({json.dumps(url)}, {{mode: 'no-cors'}}).then(r => r.type)")
            == "opaque"
        )
    finally:
        elsewhere.shutdown()
    stored = [url for urls in caches(page).values() for url in urls]
    assert stored and all(url.startswith(base) for url in stored), stored
    listed = json.loads(
        re.search(r"var FILES = (\[.*?\]);", (built_site / WORKER).read_text()).group(1)
    )
    assert not [f for f in listed if "//" in f or f.startswith(("/", "http", "telechargements/"))]


# ---------------------------------------------------------------- installable
def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_is_valid_and_the_course_installable(browser, server, built_site, tmp_path):
    manifest = json.loads((built_site / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["name"] == "Accompagner un collectif de partenaires"
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["lang"] == "fr" and manifest["display"] == "standalone"
    # Relative: they follow whatever sub-path the site is served under.
    assert manifest["scope"] == "./" and not manifest["start_url"].startswith(("/", "http"))
    assert (built_site / manifest["start_url"]).is_file()
    sizes = {}
    for icon in manifest["icons"]:
        width, height = png_size(built_site / icon["src"])
        assert f"{width}x{height}" == icon["sizes"] and icon["type"] == "image/png"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]

    # Installability is judged in an ordinary (not incognito) profile, as on a phone.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=find_chromium(),
        args=CHROMIUM_ARGS,
        locale="fr-CA",
    )
    try:
        base = server.origin + OTHER_PREFIX
        page = context.new_page()
        page.goto(base + PAGE)
        page.wait_for_selector(EXERCISES_READY)
        offline_ready(page)
        cdp = context.new_cdp_session(page)
        got = cdp.send("Page.getAppManifest")
        assert got["errors"] == [], got["errors"]
        assert got["url"] == base + MANIFEST
        parsed = got.get("manifest") or {}
        if parsed:  # Chromium's parsed view: URLs resolved against the course's sub-path
            assert parsed["scope"] == base and parsed["startUrl"].startswith(base)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


# ---------------------------------------------------------------- persistent storage
def test_persistent_storage_is_reported_and_the_export_reminder_comes_at_most_weekly(ctx, server):
    context, _ = ctx
    base = server.origin + PREFIX
    page = open_page(context, base + "book/parcours.html", ".exk-module")
    status = page.locator(".exk-persist[role=status]")
    status.wait_for()
    # A fresh headless profile is not granted persistence: said plainly, with what to do.
    assert status.get_attribute("data-persisted") == "false"
    assert "Stockage persistant non accordé" in status.inner_text()
    assert page.locator(".exk-reminder").count() == 0  # nothing saved yet: nothing to remind

    page.goto(base + PAGE)
    page.wait_for_selector(EXERCISES_READY)
    write_reflection(page, REFLECTION, "Une réflexion à ne pas perdre.")
    page.goto(base + OTHER_PAGE)
    reminder = page.locator(".exk-reminder[role=status]")
    reminder.wait_for()
    assert "exportez votre journal" in reminder.inner_text()
    assert reminder.locator("a").get_attribute("href").endswith("book/journal.html")
    key = storage_prefix(page) + "meta:export-reminder"
    assert stored(page, "meta:export-reminder")
    reminder.locator("button").click()
    assert page.locator(".exk-reminder").count() == 0
    # Within the week: no reminder, on any page.
    for url in (PAGE, "book/journal.html", OTHER_PAGE):
        page.goto(base + url)
        page.wait_for_selector(".exk-js, .exk-toolbar")
        page.wait_for_selector("html[data-exk-offline]", state="attached")
        page.wait_for_timeout(300)
        assert page.locator(".exk-reminder").count() == 0, url
    # Eight days later: once again.
    page.evaluate(
        f"localStorage.setItem({json.dumps(key)}, new Date(Date.now() - 8 * 86400000).toISOString())"
    )
    page.reload()
    page.locator(".exk-reminder").wait_for()


def test_granted_persistent_storage_is_reported_and_no_reminder_is_shown(browser, server, tmp_path):
    # Chromium never grants persistence to an incognito profile: use an ordinary one, and
    # grant it the way a browser does for a site the person uses (bookmark, installed app).
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=find_chromium(),
        args=CHROMIUM_ARGS,
        locale="fr-CA",
    )
    errors: list[str] = []
    try:
        base = server.origin + PREFIX
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + PAGE)
        page.wait_for_selector(EXERCISES_READY)
        write_reflection(page, REFLECTION, "Une réflexion.")
        context.new_cdp_session(page).send(
            "Browser.grantPermissions",
            {"origin": server.origin, "permissions": ["durableStorage"]},
        )
        page.goto(base + "book/parcours.html")
        status = page.locator(".exk-persist[role=status]")
        status.wait_for()
        page.wait_for_function(
            "document.querySelector('.exk-persist').dataset.persisted === 'true'"
        )
        assert "Stockage persistant accordé" in status.inner_text()
        page.goto(base + OTHER_PAGE)
        page.wait_for_selector(EXERCISES_READY)
        page.wait_for_timeout(500)
        assert page.locator(".exk-reminder").count() == 0
    finally:
        context.close()
    assert errors == [], errors


# ---------------------------------------------------------------- older storage formats
def test_entries_in_the_previous_versions_format_are_migrated_and_shown(ctx, server):
    """The previous version kept every entry under `acp1:` (one namespace for every course);
    this one keeps them under the course's own namespace. A learner coming back sees all of
    them, online and then offline."""
    context, _ = ctx
    base = server.origin + PREFIX
    right = next(o.id for o in BANK.get(SINGLE).options if o.correct)
    at = "2026-03-01T10:00:00.000Z"
    old = {
        f"acp1:answer:{SINGLE}": {"answer": right, "status": "correct", "at": at},
        f"acp1:first:{SINGLE}": {"status": "correct", "at": at},
        f"acp1:journal:{REFLECTION}": {"text": "Réflexion de l'an dernier.", "at": at},
        "acp1:self:avant/ecoute": {"level": 3, "at": at},
    }
    seed_entries(context, old)
    page = open_page(context, base + PAGE)
    prefix = storage_prefix(page)
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.startswith("acp1:")]
    assert {prefix + k[len("acp1:") :] for k in old} <= set(keys)
    single = page.locator(f'[data-exk-ref="{SINGLE}"]')
    assert single.locator(f'input[value="{right}"]').is_checked()
    assert single.locator(".exk-verdict--correct").count() == 1
    assert page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value() == (
        "Réflexion de l'an dernier."
    )
    page.goto(base + "book/autoevaluation.html")
    page.wait_for_selector(".exk-rate")
    assert page.locator("#exk-self-ecoute-3").is_checked()
    page.goto(base + "book/parcours.html")
    page.wait_for_selector(".exk-module")
    offline_ready(page)
    cut(context, server)
    page.goto(base + "book/journal.html")
    page.locator(".exk-entry", has_text="Réflexion de l'an dernier.").wait_for()


# ---------------------------------------------------------------- where no worker belongs
def test_no_worker_from_the_offline_zip_nor_in_scorm_packages(built_site, browser, tmp_path):
    with zipfile.ZipFile(built_site / "telechargements" / "cours-hors-ligne.zip") as archive:
        archive.extractall(tmp_path)
    site = tmp_path / "accompagner-un-collectif"
    context = browser.new_context(locale="fr-CA")
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / PAGE).as_uri())
    page.wait_for_selector(EXERCISES_READY)
    page.wait_for_selector("html[data-exk-offline=off]", state="attached")
    write_reflection(page, REFLECTION, "Dans la copie hors ligne.")
    page.reload()
    page.wait_for_selector(EXERCISES_READY)
    assert page.locator(f'[data-exk-ref="{REFLECTION}"] textarea').input_value() == (
        "Dans la copie hors ligne."
    )
    context.close()
    assert errors == [], errors
    packages = sorted((built_site / "telechargements" / "scorm").glob("*.zip"))
    assert packages
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            assert not [n for n in names if "exercisekit-offline" in n or n.endswith(WORKER)]
            for name in names:
                if name.endswith((".html", ".js")):
                    text = archive.read(name).decode("utf-8")
                    assert "serviceWorker" not in text and "manifest.webmanifest" not in text, (
                        f"{package.name}/{name}"
                    )


# ---------------------------------------------------------------- what the build writes
def test_the_worker_keeps_every_page_and_what_they_load_but_no_download(built_site):
    listed = json.loads(
        re.search(r"var FILES = (\[.*?\]);", (built_site / WORKER).read_text()).group(1)
    )
    pages = {
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if not p.relative_to(built_site).as_posix().startswith(("telechargements/", "_static/"))
    }
    assert pages <= set(listed)
    for needed in (
        "_static/exercisekit.js",
        "_static/exercisekit-offline.js",
        "_static/exercisekit-space.js",
        # The site's one stylesheet and its bundled scripts (sphinx/light.py).
        "_static/light.css",
        "_static/light.js",
        MANIFEST,
        "icon-192.png",
    ):
        assert needed in listed, needed
    assert [f for f in listed if f.endswith(".woff2")], "the icon font is not kept offline"
    assert not [
        f for f in listed if f.startswith(("telechargements/", "_sources/", "imprimables/"))
    ]
    assert all((built_site / f).is_file() for f in listed)
    # The same list as the build computes: a rebuild of the same site gives the same worker.
    assert listed == sorted(set(precache_files(built_site)) | set(ICONS))
    version = re.search(r'var VERSION = "([0-9a-f]{16})";', (built_site / WORKER).read_text())
    assert version and version.group(1) == version_of(built_site, listed)


def test_the_learners_messages_carry_french_no_break_spaces(built_site):
    from exercisekit.render.typography import french_text
    from exercisekit.sphinx.offline import MESSAGES, SCRIPT

    script = (built_site / "_static" / SCRIPT).read_text(encoding="utf-8")
    table = json.loads(re.search(r"var M = (\{.*?\});", script).group(1))
    assert table == {k: french_text(v) for k, v in MESSAGES.items()}
    assert table["persist_granted"].startswith("Stockage persistant accordé\u00a0:")
