"""Create, list and serve cohorts: one folder per cohort, outside the repository.

A cohort folder (`~/.accompagner-un-collectif/cohortes/NAME/`, or `$EXERCISEKIT_COHORTS/NAME/`,
or a folder given on the command line) holds:

- `cohorte.json` (mode 0600): the cohort's random id, its LRS endpoint, the site, the end date
  and the two generated credentials, kept only here so that the links can be printed again;
- `auth.json` (mode 0600): Ralph's auth file (`RALPH_AUTH_FILE`), one entry per credential,
  bcrypt hashes only: the participants' credential may only write statements
  (`statements/write`), the facilitator's may only read them (`statements/read`); both point
  at the cohort's own target, so a Ralph serving several cohorts keeps them apart;
- `lrs/<id>/fs_lrs.jsonl`: the statements, written by Ralph's file-system backend;
- `rejoindre.svg`: the join link as a QR code, for a projector.

`serve` starts Ralph's API with uvicorn, as Ralph's documentation does (`ralph_app.py`: Ralph's
app, the file-system backend set to append), with the file-system backend, the cohort's auth file, scopes enforced, and CORS open to the course's
origin only, on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from exercisekit.cohort.profile import course_iri
from exercisekit.course_config import read_course_config
from exercisekit.site_address import published_address

ENV_DIR = "EXERCISEKIT_COHORTS"
JOIN_PAGE = "book/cohorte.html"
BOARD_PAGE = "book/tableau-cohorte.html"
DEFAULT_LRS = "http://127.0.0.1:8100/xAPI/"
DEFAULT_DAYS = 30
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
WRITE_SCOPES = ["statements/write"]
READ_SCOPES = ["statements/read"]


class CohortError(Exception):
    """A problem the facilitator can fix, said in French."""


@dataclass
class Credential:
    username: str
    password: str


@dataclass
class Cohort:
    name: str
    id: str
    site: str
    lrs: str
    iri: str
    ends: str  # ISO date: the browser stops sending after this day
    participants: Credential
    facilitator: Credential
    folder: Path

    # ------------------------------------------------------------ derived
    @property
    def origin(self) -> str:
        return origin_of(self.site)

    @property
    def statements_file(self) -> Path:
        return self.folder / "lrs" / self.id / "fs_lrs.jsonl"

    def _fragment(self, who: Credential) -> str:
        return urlencode(
            {
                "cohorte": self.id,
                "nom": self.name,
                "lrs": self.lrs,
                "u": who.username,
                "k": who.password,
                "fin": self.ends,
            }
        )

    @property
    def join_link(self) -> str:
        # The credential sits in the fragment: browsers never send it to the web server.
        return f"{self.site}{JOIN_PAGE}#{self._fragment(self.participants)}"

    @property
    def read_link(self) -> str:
        return f"{self.site}{BOARD_PAGE}#{self._fragment(self.facilitator)}"

    def save(self) -> None:
        data = asdict(self)
        data["folder"] = None
        _write_private(self.folder / "cohorte.json", json.dumps(data, indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path) -> Cohort:
        path = folder / "cohorte.json"
        if not path.is_file():
            raise CohortError(f"Aucune cohorte dans {folder} (créez-la avec « cohort create »).")
        data = json.loads(path.read_text(encoding="utf-8"))
        data["participants"] = Credential(**data["participants"])
        data["facilitator"] = Credential(**data["facilitator"])
        data["folder"] = folder
        return cls(**data)


def cohorts_dir() -> Path:
    default = Path.home() / ".accompagner-un-collectif" / "cohortes"
    return Path(os.environ.get(ENV_DIR) or default)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CohortError(f"Adresse invalide : « {url} » (attendu : http://… ou https://…).")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def default_site(root: Path) -> str:
    """Where `_config.yml` says the course is published (the same rule as the build's)."""
    config = read_course_config(root)
    address = published_address(config.settings.get("html_baseurl") or "", config.repository_url)
    if address is None:
        raise CohortError("Indiquez l'adresse du site du cours avec --site.")
    return address


def _write_private(path: Path, text: str) -> None:
    """Written readable by its owner only, from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


def _inside_a_repository(folder: Path) -> Path | None:
    for parent in [folder, *folder.parents]:
        if (parent / ".git").exists():
            return parent
    return None


def _hash(password: str) -> str:
    try:
        import bcrypt
    except ImportError:  # pragma: no cover - bcrypt comes with ralph-malph[lrs]
        raise CohortError(
            'Il manque Ralph : pip install -e ".[cohorte]" (ou ./dev cohorte, qui l\'installe).'
        ) from None
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def auth_entries(cohort: Cohort) -> list[dict]:
    """Ralph's auth file entries (docs: « HTTP Basic Authentication »): username, bcrypt hash,
    scopes, the agent that becomes the statements' authority, and the cohort's target."""

    def entry(who: Credential, scopes: list[str], agent_name: str) -> dict:
        return {
            "username": who.username,
            "hash": _hash(who.password),
            "scopes": scopes,
            "agent": {
                "objectType": "Agent",
                "account": {"name": agent_name, "homePage": cohort.iri},
            },
            "target": cohort.id,
        }

    return [
        entry(cohort.participants, WRITE_SCOPES, f"cohorte-{cohort.id}"),
        entry(cohort.facilitator, READ_SCOPES, f"animation-{cohort.id}"),
    ]


def folder_for(name: str, folder: str | Path | None = None) -> Path:
    if not NAME.match(name):
        raise CohortError(
            f"Nom de cohorte invalide : « {name} » (lettres minuscules, chiffres et tirets, "
            "40 au plus, par exemple atelier-mars)."
        )
    return (Path(folder) if folder else cohorts_dir() / name).expanduser().resolve()


def create(
    name: str,
    root: Path,
    *,
    lrs: str | None = None,
    site: str | None = None,
    folder: str | Path | None = None,
    days: int = DEFAULT_DAYS,
    extra_auth_file: Path | None = None,
) -> Cohort:
    target = folder_for(name, folder)
    repo = _inside_a_repository(target)
    if repo is not None:
        raise CohortError(
            f"Le dossier {target} est dans le dépôt {repo} : les mots de passe de la cohorte "
            "n'y ont pas leur place. Choisissez un dossier hors du dépôt."
        )
    if (target / "cohorte.json").exists():
        raise CohortError(f"La cohorte « {name} » existe déjà ({target}).")
    site = site or default_site(root)
    if not site.endswith("/"):
        site += "/"
    lrs = lrs or DEFAULT_LRS
    if not lrs.endswith("/"):
        lrs += "/"
    origin_of(site)
    origin_of(lrs)
    if days < 1:
        raise CohortError("--jours : au moins 1.")
    cohort_id = secrets.token_hex(8)
    cohort = Cohort(
        name=name,
        id=cohort_id,
        site=site,
        lrs=lrs,
        iri=course_iri(root),
        ends=(date.today() + timedelta(days=days)).isoformat(),
        participants=Credential(f"participants-{cohort_id}", secrets.token_urlsafe(24)),
        facilitator=Credential(f"animation-{cohort_id}", secrets.token_urlsafe(24)),
        folder=target,
    )
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    entries = auth_entries(cohort)
    _write_private(target / "auth.json", json.dumps(entries, indent=2) + "\n")
    if extra_auth_file is not None:
        append_auth_entries(extra_auth_file, entries)
    (target / "lrs" / cohort.id).mkdir(parents=True, exist_ok=True)
    cohort.save()
    write_qr(cohort)
    return cohort


def append_auth_entries(path: Path, entries: list[dict]) -> None:
    """Add the cohort's entries to an existing Ralph auth file (an organisation's Ralph)."""
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    names = {e["username"] for e in current}
    current += [e for e in entries if e["username"] not in names]
    _write_private(path, json.dumps(current, indent=2) + "\n")


def write_qr(cohort: Cohort) -> Path:
    import segno

    qr = segno.make(cohort.join_link, error="m")
    path = cohort.folder / "rejoindre.svg"
    qr.save(
        str(path),
        kind="svg",
        scale=8,
        border=4,
        title=f"Rejoindre la cohorte {cohort.name}",
        desc="Code QR du lien pour rejoindre la cohorte",
    )
    os.chmod(path, 0o600)
    return path


def load(name: str, folder: str | Path | None = None) -> Cohort:
    return Cohort.load(folder_for(name, folder))


def names() -> list[str]:
    base = cohorts_dir()
    return sorted(p.name for p in base.glob("*") if (p / "cohorte.json").is_file())


def delete(cohort: Cohort) -> None:
    shutil.rmtree(cohort.folder)


def server_command(
    cohort: Cohort, host: str = "127.0.0.1", port: int | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command and environment that start Ralph for this cohort."""
    if port is None:
        port = urlsplit(cohort.lrs).port or 8100
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env.update(
        {
            "RALPH_APP_DIR": str(cohort.folder / "ralph"),
            "RALPH_AUTH_FILE": str(cohort.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(cohort.folder / "lrs"),
            # Scopes enforced: the participants' credential cannot read, the facilitator's
            # cannot write (Ralph needs the authority restriction for scopes).
            "RALPH_LRS_RESTRICT_BY_AUTHORITY": "true",
            "RALPH_LRS_RESTRICT_BY_SCOPES": "true",
            "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps([cohort.origin]),
        }
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        # Ralph's own app, with statements appended to the file (see ralph_app.py).
        "exercisekit.cohort.ralph_app:app",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        "1",
        # No access log: it would keep each participant's address and each request.
        "--no-access-log",
    ]
    return command, env


def serve(cohort: Cohort, host: str = "127.0.0.1", port: int | None = None) -> None:
    """Replace this process by Ralph's server (Ctrl+C stops it)."""
    if find_spec("ralph") is None or find_spec("uvicorn") is None:
        raise CohortError(
            'Il manque Ralph : pip install -e ".[cohorte]" (ou ./dev cohorte, qui l\'installe).'
        )
    command, env = server_command(cohort, host, port)
    (cohort.folder / "ralph").mkdir(exist_ok=True)
    (cohort.folder / "lrs" / cohort.id).mkdir(parents=True, exist_ok=True)
    # Run from the cohort's folder: Ralph also reads a `.env` file from the working folder.
    os.chdir(cohort.folder)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, env)
