"""The published course's address, from what `_config.yml` says: one rule for the build (links
in the notebook copies, `sphinx/publish.py`) and for the cohort tool (join links,
`cohort/cohorts.py`), so that both always point at the same site."""

from __future__ import annotations

import re

_GITHUB = re.compile(r"^https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$")


def repository_name(repository_url: str) -> str | None:
    """The repository's name in a GitHub address (`…/owner/name`), or None."""
    match = _GITHUB.match((repository_url or "").strip())
    return match.group(2) if match else None


def published_address(html_baseurl: str, repository_url: str) -> str | None:
    """`html_baseurl` when set (a custom domain), else the GitHub Pages address of the
    repository; None when neither says where the site is."""
    base = (html_baseurl or "").strip()
    if base:
        return base.rstrip("/") + "/"
    match = _GITHUB.match((repository_url or "").strip())
    if not match:
        return None
    return f"https://{match.group(1).lower()}.github.io/{match.group(2)}/"
