"""Ralph's LRS application (`ralph.api:app`), with one default changed for the file-system
backend: write statements by appending to the cohort's file.

Measured with ralph-malph 5.1: its file-system LRS backend writes every request with the data
backend's default mode, `create`, which refuses to write to a file that exists; the first
statement of a cohort is stored and every later one fails (HTTP 500, « already exists and
overwrite is not allowed »). `append` is one of that backend's own modes. Nothing else of Ralph
changes: its settings come from the environment that `cohorts.server_command` sets.
"""

from __future__ import annotations

from ralph.api import app
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

__all__ = ["app"]
