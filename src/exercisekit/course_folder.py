"""Where a course keeps a learner's files on their own computer: `~/.<course>/`.

The folder is named after the course, as the site's storage namespace is: two courses made with
this package (or a fork of this one) on one computer never read or overwrite each other's
answers. The name is, in order: `exercisekit_storage_namespace` in `_config.yml` (what also names
the browser's entries), else the repository's name in `repository: url:` (what a fork edits),
else the course folder's own name. For this course that is `~/.accompagner-un-collectif/`, the
folder earlier versions used, so nothing saved there moves.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from exercisekit.course_config import CourseConfig, read_course_config
from exercisekit.site_address import repository_name

# Outside any course (no `_config.yml` found upward): a folder of the package's own.
NO_COURSE = "exercisekit"


def course_name(root: Path) -> str:
    """The course's short name, safe as a folder name."""
    try:
        config = read_course_config(root)
    except (OSError, yaml.YAMLError):
        config = CourseConfig({}, "")
    namespace = config.settings.get("exercisekit_storage_namespace")
    for name in (namespace, repository_name(config.repository_url)):
        safe = re.sub(r"[^\w.-]+", "-", str(name or "")).strip(".-")
        if safe:
            return safe
    return root.name


def local_folder(root: Path | None = None) -> Path:
    """`~/.<course>/` for the course at `root` (by default, the one found from here)."""
    if root is None:
        from exercisekit.bank.loader import find_root

        try:
            root = find_root()
        except FileNotFoundError:
            return Path.home() / f".{NO_COURSE}"
    return Path.home() / f".{course_name(root)}"
