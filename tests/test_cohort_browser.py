"""A workshop's cohort end to end, with a real Ralph LRS started on 127.0.0.1 by the documented
command (`python -m exercisekit cohort serve`) and five participants in Debian's Chromium:
consent first, answers and a scenario sent once each (one participant offline for a while),
the debrief view's counts, a group of four hidden, nothing sent after leaving, never the text
of a reflection. Ralph that cannot start fails the tests (it is part of the `test` extra)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import requests
from bank_refs import MULTIPLE, REFLECTION, SCENARIO, SINGLE, TRUE_FALSE, dilemma
from test_accessibility import OPTIONS

from conftest import EXERCISES_READY, ROOT, new_watched_context
from exercisekit import load_bank
from exercisekit.bank.graph import ending_paths
from exercisekit.cohort import cohorts

pytestmark = pytest.mark.browser
BANK = load_bank(ROOT)
PAGE = "book/modules/02-conditions.html"
MARKER = "MARQUEUR-PRIVE-7f3a9c"


def axe_violations(page) -> list:
    """WCAG 2.2 A/AA as test_accessibility.py runs it, on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=OPTIONS).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def real_errors(errors: list[str]) -> list[str]:
    """Console errors, less the ones axe-core itself causes: its style sheet preload resolves the
    theme's `@import "../basic.css"` against the page and asks for a file that is not there, and
    parses the sheets it fetched in a `<style>` element, which the site's CSP refuses."""
    axe = [e for e in errors if e.startswith("404 ") and e.endswith("/basic.css")]
    rest = [e for e in errors if e not in axe]
    for _ in axe:
        generic = "console: Failed to load resource: the server responded with a status of 404 (File not found)"
        if generic in rest:
            rest.remove(generic)
        refused = [e for e in rest if e.startswith("console: Applying inline style violates")]
        if refused:
            rest.remove(refused[0])
    return rest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lrs:
    def __init__(self, cohort: cohorts.Cohort) -> None:
        self.cohort = cohort
        self.base = cohort.lrs

    def statements(self) -> list[dict]:
        """Every statement, read back through the LRS API with the facilitator's credential."""
        auth = (self.cohort.facilitator.username, self.cohort.facilitator.password)
        found, url = [], self.base + "statements?limit=100"
        for _ in range(100):
            r = requests.get(
                url, auth=auth, timeout=10, headers={"X-Experience-API-Version": "1.0.3"}
            )
            r.raise_for_status()
            body = r.json()
            found += body["statements"]
            if not body.get("more") or not body["statements"]:
                return found
            url = requests.compat.urljoin(self.base, body["more"])
        raise AssertionError("the LRS never stopped paging")


@pytest.fixture(scope="module")
def lrs(site_url, tmp_path_factory):
    """A cohort for the test site, and its Ralph started by `cohort serve` on a free port."""
    folder = tmp_path_factory.mktemp("cohortes") / "atelier"
    port = free_port()
    cohort = cohorts.create(
        "atelier", ROOT, folder=folder, site=site_url, lrs=f"http://127.0.0.1:{port}/xAPI/"
    )
    log = open(folder / "ralph.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [sys.executable, "-m", "exercisekit", "cohort", "serve", "atelier", "--dir", str(folder)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.close()
            pytest.fail("Ralph did not start:\n" + (folder / "ralph.log").read_text()[-3000:])
        time.sleep(0.2)
    yield Lrs(cohort)
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    log.close()


class Participant:
    """One person's browser: a fresh profile, and every request it makes to the LRS."""

    def __init__(self, browser, lrs: Lrs) -> None:
        self.context, self.watch = new_watched_context(
            browser, viewport={"width": 1100, "height": 900}
        )
        self.lrs_port = urlsplit(lrs.base).port
        self.to_lrs: list[str] = []
        self.context.on("request", self._note)
        self.context.on(
            "response",
            lambda r: self.watch.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.page = self.context.new_page()

    def _note(self, request) -> None:
        if urlsplit(request.url).port == self.lrs_port:
            self.to_lrs.append(f"{request.method} {request.url}")

    def block(self, ref):
        return self.page.locator(f'[data-exk-ref="{ref}"]')

    def module(self, site_url):
        self.page.goto(site_url + PAGE)
        self.page.wait_for_selector(EXERCISES_READY)

    def answer_single(self, option_id):
        b = self.block(SINGLE)
        b.locator(f"label[for$='-{option_id}']").click()
        b.locator(".exk-check").click()

    def answer_true_false(self, value: bool):
        b = self.block(TRUE_FALSE)
        b.get_by_label("Vrai" if value else "Faux").check()
        b.locator(".exk-check").click()

    def walk(self, choices):
        b = self.block(SCENARIO)
        for choice in choices:
            b.locator(f'.exk-choice-btn[data-choice="{choice}"]').click()

    def queued(self) -> int:
        return self.page.evaluate("window.ExerciseKitCohort.queued()")

    def drained(self):
        self.page.wait_for_function("() => window.ExerciseKitCohort.queued() === 0", timeout=20000)

    def close(self):
        self.context.close()
        assert real_errors(self.watch.errors) == [], self.watch.errors


def paths_to_two_endings():
    paths = ending_paths(BANK.get(SCENARIO))
    first = paths[0]
    other = next(p for p in paths if p[1] != first[1])
    return first, other


def test_five_participants_a_debrief_and_one_who_leaves(browser, site_url, lrs):
    cohort = lrs.cohort
    single = BANK.get(SINGLE)
    right = next(o for o in single.options if o.correct)
    wrong = next(o for o in single.options if not o.correct)
    (path_a, end_a), (path_b, end_b) = paths_to_two_endings()
    people = [Participant(browser, lrs) for _ in range(5)]
    try:
        # -------------------------------------------------- consent, then joining
        for p in people:
            p.page.goto(cohort.join_link)
            consent = p.page.locator(".exk-consent")
            consent.wait_for()
            text = consent.inner_text()
            for words in (
                "Ce qui est envoyé",
                "Ce qui n'est jamais envoyé",
                "À qui",
                "Pour combien de temps",
                "Comment partir",
            ):
                assert words in text.replace("\u2019", "'")
            assert cohort.lrs in text and "réflexions" in text
            assert "#" not in p.page.url, "the credential leaves the address bar"
            assert p.to_lrs == [], "nothing is sent before acceptance"
            if p is people[0]:
                assert axe_violations(p.page) == []
            p.page.get_by_role("button", name="J'accepte : rejoindre la cohorte").click()
            p.page.get_by_role("button", name="Quitter la cohorte").wait_for()

        # -------------------------------------------------- answers: 3 right, 1 wrong so far
        for i, p in enumerate(people[:4]):
            p.module(site_url)
            assert "Cohorte" in p.page.locator(".exk-cohort-banner").inner_text()
            if i == 0:
                assert axe_violations(p.page) == []
            p.answer_single(right.id if i < 3 else wrong.id)
            p.answer_true_false(True)  # four people only: the board hides it
            p.walk(path_a if i < 3 else path_b)
        people[0].block(REFLECTION).locator("textarea").fill(f"Ma réflexion {MARKER}")
        people[0].block(REFLECTION).locator("textarea").blur()
        for p in people[:4]:
            p.drained()

        # -------------------------------------------------- the debrief view, opened with the read link
        board = Participant(browser, lrs)
        board.page.goto(cohort.read_link)
        single_card = board.page.locator(f"#exk-board-{SINGLE.replace('/', '-')}")
        single_card.locator(".exk-board-small").wait_for()  # four answers so far: nothing shown
        assert "#" not in board.page.url

        # The fifth person answers: the count reaches the board (measured).
        fifth = people[4]
        fifth.module(site_url)
        fifth.answer_single(wrong.id)
        started = time.monotonic()
        single_card.locator("table").wait_for(timeout=20000)
        latency = time.monotonic() - started
        print(f"\nanswer -> debrief count: {latency:.2f} s")

        # Rows follow the options in the order learners see them.
        rows = single_card.locator("tbody tr")
        assert rows.count() == len(single.options)
        counts = [int(rows.nth(k).locator("td").inner_text()) for k in range(rows.count())]
        at = {o.id: k for k, o in enumerate(single.options)}
        assert counts[at[right.id]] == 3 and counts[at[wrong.id]] == 2 and sum(counts) == 5
        assert "bonne réponse" not in single_card.inner_text()  # not before « Révéler »
        single_card.get_by_role("button", name="Révéler la réponse").click()
        assert "bonne réponse" in rows.nth(at[right.id]).inner_text()
        assert "bonne réponse" not in rows.nth(at[wrong.id]).inner_text()

        assert axe_violations(board.page) == []

        tf_card = board.page.locator(f"#exk-board-{TRUE_FALSE.replace('/', '-')}")
        assert (
            "Moins de 5 réponses" in tf_card.inner_text() and tf_card.locator("table").count() == 0
        )

        # -------------------------------------------------- one participant offline, then back
        fifth.context.set_offline(True)
        fifth.walk(path_b)
        assert fifth.queued() == len(path_b) + 1
        fifth.context.set_offline(False)
        fifth.drained()

        # The scenario: 3 took path A, 2 path B (counted once the fifth is back).
        scenario_card = board.page.locator(f"#exk-board-{SCENARIO.replace('/', '-')}")
        board.page.wait_for_function(
            "el => el.textContent.includes('5 personnes ont joué')",
            arg=scenario_card.element_handle(),
            timeout=20000,
        )
        endings = scenario_card.locator("table.exk-board-endings")
        ending_counts = sorted(int(x) for x in endings.locator("td").all_inner_texts() if int(x))
        assert ending_counts == [2, 3]

        # -------------------------------------------------- projector mode: one at a time, ←/→
        board.page.get_by_role("button", name="Mode projection").click()
        current = board.page.locator(".exk-board-card.exk-current")
        assert current.count() == 1 and board.page.locator(".exk-board-card:visible").count() == 1
        first_id = current.get_attribute("id")
        board.page.keyboard.press("ArrowRight")
        assert current.get_attribute("id") != first_id
        assert board.page.evaluate("document.activeElement.closest('.exk-current') !== null")
        board.page.keyboard.press("ArrowLeft")
        assert current.get_attribute("id") == first_id
        assert axe_violations(board.page) == []
        board.page.keyboard.press("Escape")
        assert board.page.locator(".exk-board-card.exk-current").count() == 0

        # -------------------------------------------------- the LRS holds each statement once
        statements = lrs.statements()
        ids = [s["id"] for s in statements]
        assert len(ids) == len(set(ids))
        expected = 5 + 4 + sum(len(path_a) + 1 for _ in range(3)) + 2 * (len(path_b) + 1)
        assert len(statements) == expected
        actors = {s["actor"]["account"]["name"] for s in statements}
        assert len(actors) == 5
        for s in statements:
            assert set(s["actor"]) == {"objectType", "account"}  # no name, no mbox
            assert s["actor"]["account"]["homePage"] == cohort.iri
        verbs = {s["verb"]["id"] for s in statements}
        assert verbs == {
            "http://adlnet.gov/expapi/verbs/answered",
            "http://adlnet.gov/expapi/verbs/completed",
        }
        answered = [s for s in statements if s["object"]["id"].endswith("/exercices/" + SINGLE)]
        assert len(answered) == 5 and all("success" in s["result"] for s in answered)
        assert all(
            s["context"]["contextActivities"]["parent"][0]["id"]
            == f"{cohort.iri}/modules/conditions"
            for s in answered
        )

        # -------------------------------------------------- a reflection never leaves the browser
        dump = json.dumps(statements, ensure_ascii=False)
        assert MARKER not in dump and "Ma réflexion" not in dump
        assert MARKER not in cohort.statements_file.read_text(encoding="utf-8")

        # -------------------------------------------------- leaving stops everything at once
        leaver = people[3]
        leaver.page.goto(site_url + "book/parcours.html")
        leaver.page.locator(".exk-cohort-banner").get_by_role(
            "button", name="Quitter la cohorte"
        ).click()
        assert "plus rien n'est envoyé" in leaver.page.locator(
            ".exk-cohort-banner"
        ).inner_text().replace("\u2019", "'")
        before = len(leaver.to_lrs)
        leaver.module(site_url)
        assert leaver.page.locator(".exk-cohort-banner").count() == 0
        b = leaver.block(MULTIPLE)
        b.locator("input").first.check()
        b.locator(".exk-check").click()
        leaver.block(SCENARIO).locator(".exk-stage").get_by_role(
            "button", name="Recommencer"
        ).click()
        leaver.walk(path_a)
        leaver.page.wait_for_timeout(1500)
        assert leaver.to_lrs[before:] == []
        assert len(lrs.statements()) == expected

        board.close()
    finally:
        for p in people:
            p.context.close()
    for p in people:
        assert real_errors(p.watch.errors) == [] and p.watch.external == []


def test_without_a_link_nothing_is_sent_and_the_pages_say_how_to_join(watched, site_url, lrs):
    context, watch = watched
    to_lrs = []
    port = urlsplit(lrs.base).port
    context.on("request", lambda r: to_lrs.append(r.url) if urlsplit(r.url).port == port else None)
    page = context.new_page()
    page.goto(site_url + "book/cohorte.html")
    assert "ouvrez le lien" in page.locator(".exk-cohort").inner_text()
    page.goto(site_url + "book/tableau-cohorte.html")
    assert "lien de lecture" in page.locator(".exk-cohort").inner_text()
    page.goto(site_url + PAGE)
    page.wait_for_selector(EXERCISES_READY)
    b = page.locator(f'[data-exk-ref="{SINGLE}"]')
    b.locator("input").first.check()
    b.locator(".exk-check").click()
    assert page.locator(".exk-cohort-banner").count() == 0
    # A join link that is declined sends nothing either.
    page.goto(lrs.cohort.join_link)
    page.get_by_role("button", name="Non merci").click()
    assert "Rien n'a été envoyé" in page.locator(".exk-cohort").inner_text().replace("\u2019", "'")
    page.goto(site_url + PAGE)
    page.wait_for_selector(EXERCISES_READY)
    page.locator(f'[data-exk-ref="{TRUE_FALSE}"]').get_by_label("Vrai").check()
    page.locator(f'[data-exk-ref="{TRUE_FALSE}"] .exk-check').click()
    page.wait_for_timeout(500)
    assert to_lrs == []


def test_the_lrs_enforces_scopes_and_one_origin(lrs):
    cohort = lrs.cohort
    url = lrs.base + "statements"
    participants = (cohort.participants.username, cohort.participants.password)
    facilitator = (cohort.facilitator.username, cohort.facilitator.password)
    assert requests.get(url, auth=participants, timeout=10).status_code == 401  # write-only
    put = requests.put(
        url + "?statementId=3c9a4d2e-1b7f-4e8a-9c6d-5f2e1a0b9c8d",
        auth=facilitator,
        json={
            "actor": {"objectType": "Agent", "account": {"homePage": cohort.iri, "name": "x"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"objectType": "Activity", "id": cohort.iri + "/x"},
        },
        timeout=10,
    )
    assert put.status_code == 401  # read-only
    assert requests.get(url, timeout=10).status_code == 401
    preflight = {
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ours = requests.options(url, headers={**preflight, "Origin": cohort.origin}, timeout=10)
    assert ours.headers.get("access-control-allow-origin") == cohort.origin
    other = requests.options(
        url, headers={**preflight, "Origin": "https://ailleurs.example"}, timeout=10
    )
    assert "access-control-allow-origin" not in {k.lower() for k in other.headers}


def answer_every_graded_item(page) -> int:
    """Any answer to every graded item of the page; returns how many."""
    blocks = page.locator(".exk[data-exk-type]")
    graded = 0
    for k in range(blocks.count()):
        b = blocks.nth(k)
        kind = b.get_attribute("data-exk-type")
        if kind not in ("single", "multiple", "true_false", "classify", "order"):
            continue
        if kind == "classify":
            for s in range(b.locator("select").count()):
                b.locator("select").nth(s).select_option(index=1)
        elif kind != "order":
            b.locator("input").first.check()
        b.locator(".exk-check").click()
        graded += 1
    return graded


# Runs after the five participants' test (file order): its sixth person would change their counts.
def test_a_finished_module_and_a_dilemma(browser, site_url, lrs):
    """`completed` for a module once its graded items and scenarios are done; a dilemma's
    statement carries the response only (no success, no score)."""
    p = Participant(browser, lrs)
    try:
        p.page.goto(lrs.cohort.join_link)
        p.page.get_by_role("button", name="J'accepte : rejoindre la cohorte").click()
        p.module(site_url)
        graded = answer_every_graded_item(p.page)
        module = SINGLE.split("/")[0]
        for ex in BANK.modules[module].exercises:
            if ex.type == "scenario":
                for choice in ending_paths(ex)[0][0]:
                    p.block(f"{module}/{ex.id}").locator(
                        f'.exk-choice-btn[data-choice="{choice}"]'
                    ).click()
        p.drained()
        ref = dilemma()
        pages = p.page.evaluate(
            "fetch(document.documentElement.dataset.content_root + '_static/exercisekit-course.js')"
            ".then(r => r.text())"
        )
        manifest = json.loads(pages.split("=", 1)[1].rstrip().rstrip(";"))
        url = next(
            m["url"] for m in manifest["modules"] if any(i["ref"] == ref for i in m["items"])
        )
        p.page.goto(site_url + url)
        p.page.wait_for_selector(EXERCISES_READY)
        b = p.block(ref)
        b.locator("input").first.check()
        b.locator(".exk-check").click()
        p.drained()
        actor = p.page.evaluate("window.ExerciseKitCohort.state().actor")
    finally:
        p.close()
    mine = [s for s in lrs.statements() if s["actor"]["account"]["name"] == actor]
    done = [s for s in mine if s["object"]["id"] == f"{lrs.cohort.iri}/modules/{module}"]
    assert len(done) == 1
    assert done[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert done[0]["result"]["completion"] is True and isinstance(
        done[0]["result"]["success"], bool
    )
    assert done[0]["result"]["score"]["max"] == graded
    chosen = [s for s in mine if s["object"]["id"] == f"{lrs.cohort.iri}/exercices/{ref}"]
    assert len(chosen) == 1
    result = chosen[0]["result"]
    assert result["response"] and "success" not in result and "score" not in result
    assert "correctResponsesPattern" not in chosen[0]["object"]["definition"]
