"""What a course's `_config.yml` says, for the code that runs outside a Sphinx build (the command
line, the cohort tool, a Jupyter kernel): its `sphinx: config:` settings and its repository's
address, read one way. The build itself reads them from Sphinx's config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class CourseConfig:
    settings: dict[str, Any]  # `sphinx: config:`
    repository_url: str  # `repository: url:` (what a fork edits)


def read_course_config(root: Path) -> CourseConfig:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    return CourseConfig(
        settings=(config.get("sphinx") or {}).get("config") or {},
        repository_url=(config.get("repository") or {}).get("url") or "",
    )
