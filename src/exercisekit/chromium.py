"""Debian's Chromium, driven by Playwright: how every part of the project starts it.

Used to print the workshop PDFs, by the browser tests and by the budget benchmark. Never a
browser that Playwright downloads (`playwright install` cannot work offline).
"""

from __future__ import annotations

import shutil

# Headless, no sandbox (CI runs as root), and none of Chromium's own calls to other hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium() -> str | None:
    """The path of Debian's chromium, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
