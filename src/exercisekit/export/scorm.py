"""SCORM packages of the course, for an organisation's LMS: one per module and one for the whole
course, each in SCORM 1.2 and in SCORM 2004 4th edition (`python -m exercisekit scorm DIR`, and
the build, into `telechargements/scorm/`).

What is inside. Each module is one SCO whose launch page is the module page of the built site,
its article kept byte for byte (text, exercises, their data) without the theme's frame
(`scorm_page.py`): the learner reads and answers exactly what the site shows, with the same
runtime (`exercisekit.js`, one shared copy per zip), and a module package weighs about 30 kB.
The runtime's pages of « Mon espace » are not part of a package: the LMS keeps the progress.
Nothing is fetched from outside the zip.

Why one SCO per module, also in the course package. A SCO is one page with one LMS session: it
reports its completion, success and score and keeps its own `suspend_data`. A module is what a
learner opens, finishes and resumes, and the mastery rule is a module's rule; one module's saved
state fits the 4,096 characters of SCORM 1.2. The course package lists the seven modules as seven
SCOs: the LMS shows them as its table of contents and rolls up (or, for SCORM 1.2, lets the
course team choose how to combine) their results.

The adapter (`render/assets/exercisekit-scorm.js`) is loaded only in these packages; it talks to
the LMS when there is one. Reflection text never goes into a package's LMS data unless the course
sets `exercisekit_scorm_share_reflections: true` (`_config.yml`, under `sphinx: config:`).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from exercisekit.export.common import COURSE_TITLE
from exercisekit.export.scorm_manifest import Sco, manifest
from exercisekit.export.scorm_page import ScoPage, launch_page, pages_from_site
from exercisekit.render.runtime import ASSETS, runtime_script

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
# The course's switch (`_config.yml`, `sphinx: config:`), false unless set to true.
SHARE_SETTING = "exercisekit_scorm_share_reflections"
COURSE_SLUG = "cours-complet"
FOLDER = "scorm"
# The SCORM 1.2 limit of cmi.suspend_data, kept in SCORM 2004 too (whose minimum is larger).
SUSPEND_LIMIT = 4096
SHARED = (
    "_static/exercisekit.js",
    "_static/exercisekit-scorm.js",
    "_static/exercisekit.css",
    "_static/exercisekit-scorm.css",
)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed: the same course gives the same zips


def package_name(version: str, slug: str) -> str:
    return f"{VERSIONS[version]}-{slug}.zip"


def adapter_script() -> str:
    from exercisekit.render.lms_messages import MESSAGES

    script = (ASSETS / "exercisekit-scorm.js").read_text(encoding="utf-8")
    table = json.dumps(MESSAGES, ensure_ascii=False, separators=(",", ":"))
    script = script.replace("/*MESSAGES*/{}/*END*/", table)
    return script.replace("/*LIMIT*/4096/*END*/", str(SUSPEND_LIMIT))


def _shared_files() -> dict[str, str]:
    return {
        "_static/exercisekit.js": runtime_script({}),
        "_static/exercisekit-scorm.js": adapter_script(),
        "_static/exercisekit.css": (ASSETS / "exercisekit.css").read_text(encoding="utf-8"),
        "_static/exercisekit-scorm.css": (ASSETS / "exercisekit-scorm.css").read_text(
            encoding="utf-8"
        ),
    }


def package_files(
    pages: list[ScoPage],
    version: str,
    title: str,
    ident: str,
    share_reflections: bool = False,
    course_title: str = COURSE_TITLE,
) -> dict[str, str]:
    """Every file of one package, by its path in the zip."""
    files = {
        page.href: launch_page(page, version, course_title, share_reflections) for page in pages
    }
    files.update(_shared_files())
    scos = [Sco(page.slug, page.title, page.href) for page in pages]
    files["imsmanifest.xml"] = manifest(version, ident, title, scos, list(SHARED))
    return files


def write_zip(target: Path, files: dict[str, str]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for name in sorted(files, key=lambda n: (n != "imsmanifest.xml", n)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, files[name].encode("utf-8"))
    partial.replace(target)
    return target


def write_packages(
    pages: list[ScoPage],
    outdir: Path,
    share_reflections: bool = False,
    course_title: str = COURSE_TITLE,
) -> list[Path]:
    """A package per module and one for the course, in both versions; returns their paths."""
    if not pages:
        raise ValueError("aucune page de module : rien à mettre dans un paquet SCORM")
    written = []
    for version in VERSIONS:
        for page in pages:
            files = package_files(
                [page],
                version,
                f"{course_title} — {page.title}",
                f"acp-{page.slug}",
                share_reflections,
                course_title,
            )
            written.append(write_zip(outdir / package_name(version, page.slug), files))
        files = package_files(
            pages, version, course_title, f"acp-{COURSE_SLUG}", share_reflections, course_title
        )
        written.append(write_zip(outdir / package_name(version, COURSE_SLUG), files))
    return written


def share_reflections_setting(root: Path) -> bool:
    """The switch as `_config.yml` sets it, for the command line (the build reads Sphinx's)."""
    from exercisekit.course_config import read_course_config

    value = read_course_config(root).settings.get(SHARE_SETTING, False)
    if not isinstance(value, bool):
        raise ValueError(
            f"_config.yml : {SHARE_SETTING} doit valoir true ou false (lu : {value!r})"
        )
    return value


def write_scorm(site: Path, outdir: Path, share_reflections: bool = False) -> list[Path]:
    """The packages of the course built in `site` (its `_build/html`)."""
    return write_packages(pages_from_site(site), outdir, share_reflections)
