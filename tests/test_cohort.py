"""A workshop's cohort without a browser: `cohort create` writes credentials outside the
repository, Ralph's auth file with least-privilege scopes, the links (credential in the
fragment) and a QR code; the xAPI profile document names every IRI the browser may send."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from exercisekit.cohort import cohorts, profile

ROOT = Path(__file__).resolve().parents[1]


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.returncode, self.stdout, self.stderr = code, out, err


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """`python -m exercisekit cohort …`, in this process (the same `main`)."""
    from exercisekit.__main__ import main

    def run(*args: str, env_dir: Path) -> Result:
        monkeypatch.setenv(cohorts.ENV_DIR, str(env_dir))
        monkeypatch.chdir(ROOT)
        code = main(["cohort", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def test_create_prints_the_links_and_keeps_secrets_outside_the_repository(tmp_path, run_cli):
    result = run_cli(
        "create", "atelier-test", "--site", "https://exemple.org/cours/", env_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    cohort = cohorts.load("atelier-test", tmp_path / "atelier-test")
    out = result.stdout
    assert cohort.join_link in out and cohort.read_link in out
    assert "rejoindre.svg" in out

    join = urlsplit(cohort.join_link)
    assert join.scheme == "https" and join.path == "/cours/book/cohorte.html"
    assert join.query == "", "nothing secret in what a web server logs"
    fragment = {k: v[0] for k, v in parse_qs(join.fragment).items()}
    assert fragment["u"] == cohort.participants.username
    assert fragment["k"] == cohort.participants.password
    assert fragment["lrs"] == cohorts.DEFAULT_LRS and fragment["cohorte"] == cohort.id
    read = {k: v[0] for k, v in parse_qs(urlsplit(cohort.read_link).fragment).items()}
    assert urlsplit(cohort.read_link).path == "/cours/book/tableau-cohorte.html"
    assert read["u"] == cohort.facilitator.username != fragment["u"]

    # Credentials: random, readable by their owner only, never in the repository.
    for name in ("cohorte.json", "auth.json", "rejoindre.svg"):
        mode = (cohort.folder / name).stat().st_mode
        assert stat.S_IMODE(mode) == 0o600, name
    assert len(cohort.participants.password) >= 24
    # -F -e: a random password may begin with "-" (URL-safe alphabet), which git would read as
    # an option (exit 129, seen once in CI).
    tracked = subprocess.run(
        ["git", "grep", "-l", "-F", "-e", cohort.participants.password], cwd=ROOT
    )
    assert tracked.returncode == 1

    # Ralph's auth file: bcrypt hashes, write-only participants, read-only facilitator,
    # one target per cohort; Ralph's own model reads it (in a process of its own: importing
    # Ralph's API reads its settings once).
    raw = (cohort.folder / "auth.json").read_text(encoding="utf-8")
    assert cohort.participants.password not in raw and cohort.facilitator.password not in raw
    check = (
        "import sys, json\n"
        "from ralph.api.auth.basic import ServerUsersCredentials\n"
        "users = ServerUsersCredentials.model_validate_json(open(sys.argv[1]).read())\n"
        "print(json.dumps({u.username: [sorted(u.scopes.root), u.target] for u in users}))"
    )
    env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs"}
    read = subprocess.run(
        [sys.executable, "-c", check, str(cohort.folder / "auth.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout) == {
        cohort.participants.username: [["statements/write"], cohort.id],
        cohort.facilitator.username: [["statements/read"], cohort.id],
    }

    svg = (cohort.folder / "rejoindre.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<title>" in svg and "<svg" in svg

    again = run_cli("links", "atelier-test", env_dir=tmp_path)
    assert cohort.join_link in again.stdout
    assert run_cli("list", env_dir=tmp_path).stdout.split() == ["atelier-test"]


def test_create_refuses_a_folder_in_the_repository_and_a_bad_name(tmp_path, run_cli):
    inside = run_cli("create", "x", "--dir", str(ROOT / "cohorte-x"), env_dir=tmp_path)
    assert inside.returncode == 1 and "dans le dépôt" in inside.stderr
    assert not (ROOT / "cohorte-x").exists()
    bad = run_cli("create", "Mon Atelier!", env_dir=tmp_path)
    assert bad.returncode == 1 and "Nom de cohorte invalide" in bad.stderr
    ok = run_cli("create", "deux", "--site", "http://127.0.0.1:8000/", env_dir=tmp_path)
    twice = run_cli("create", "deux", "--site", "http://127.0.0.1:8000/", env_dir=tmp_path)
    assert ok.returncode == 0 and twice.returncode == 1 and "existe déjà" in twice.stderr
    assert run_cli("delete", "deux", env_dir=tmp_path).returncode == 1  # asks to confirm
    assert run_cli("delete", "deux", "--oui", env_dir=tmp_path).returncode == 0
    assert not (tmp_path / "deux").exists()


def test_the_default_site_is_the_repository_pages_address(tmp_path):
    cohort = cohorts.create("sans-site", ROOT, folder=tmp_path / "c")
    assert cohort.site == "https://avenir-cours.github.io/accompagner-un-collectif/"
    assert cohort.origin == "https://avenir-cours.github.io"
    assert cohort.iri == profile.course_iri(ROOT)


def test_the_default_site_follows_the_build_when_the_course_has_its_own_domain(tmp_path):
    """`cohort create` and the build read `_config.yml` with one rule (site_address.py)."""
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/Mon-Org/cours.git\n"
        "sphinx:\n  config:\n    html_baseurl: https://cours.example.org\n",
        encoding="utf-8",
    )
    assert cohorts.default_site(tmp_path) == "https://cours.example.org/"
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/Mon-Org/cours.git\n", encoding="utf-8"
    )
    assert cohorts.default_site(tmp_path) == "https://mon-org.github.io/cours/"
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(cohorts.CohortError, match="--site"):
        cohorts.default_site(tmp_path)


def test_serve_runs_ralph_on_loopback_with_the_fs_backend_and_one_origin(tmp_path):
    cohort = cohorts.create("servir", ROOT, folder=tmp_path / "c", site="http://127.0.0.1:9/c/")
    command, env = cohorts.server_command(cohort)
    assert command[1:4] == ["-m", "uvicorn", "exercisekit.cohort.ralph_app:app"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "8100"
    assert env["RALPH_RUNSERVER_BACKEND"] == "fs"
    assert env["RALPH_AUTH_FILE"] == str(cohort.folder / "auth.json")
    assert env["RALPH_LRS_RESTRICT_BY_SCOPES"] == env["RALPH_LRS_RESTRICT_BY_AUTHORITY"] == "true"
    assert json.loads(env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"]) == ["http://127.0.0.1:9"]


def test_the_profile_document_names_every_iri_and_extension():
    doc = (ROOT / "docs" / "profil-xapi.md").read_text(encoding="utf-8")
    for verb in profile.VERBS.values():
        assert verb["id"] in doc
    for iri in profile.ACTIVITY_TYPES.values():
        assert iri in doc
    for kind in profile.INTERACTION_TYPES.values():
        assert f"`{kind}`" in doc
    for path in [*profile.EXTENSIONS.values(), profile.PROFILE_PATH]:
        assert path in doc
    assert "reflection" not in profile.SENT_TYPES


@pytest.mark.parametrize("page", ["book/cohorte.md", "book/tableau-cohorte.md"])
def test_cohort_pages_are_in_the_table_of_contents(page):
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert f"file: {page[:-3]}\n" in toc
    assert (ROOT / "book" / "guide" / "cohorte.md").is_file()
