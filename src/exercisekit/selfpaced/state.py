"""The learner's state in a kernel: one local JSON file, written atomically, never sent anywhere.

Same entries as the browser (`answer`, `scenario`, `journal`, `self`), each stamped with `at`. An unreadable or
old-format file is kept aside (renamed, never overwritten) and reported, then a fresh one starts.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ENV_FILE = "EXERCISEKIT_STATE"
VERSION = 1
# The same kinds of entry as the browser keeps (acp1:answer:…, acp1:scenario:…, …); `first` is
# the first checked status of a graded item (the mastery rule reads it).
KINDS = ("answer", "scenario", "journal", "self", "first")


def default_path() -> Path:
    return Path(os.environ.get(ENV_FILE, Path.home() / ".accompagner-un-collectif" / "etat.json"))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class State:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.problem: str | None = None
        self.data = self._load()

    def _load(self) -> dict[str, Any]:
        empty = {"version": VERSION, **{k: {} for k in KINDS}}
        if not self.path.exists():
            return empty
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if (
                not isinstance(data, dict)
                or data.get("version") != VERSION
                or not all(isinstance(data.get(k, {}), dict) for k in KINDS)
            ):
                raise ValueError("format inattendu ou ancienne version")
            for kind in KINDS:  # a file written before a kind existed simply has none yet
                data.setdefault(kind, {})
            return data
        except (ValueError, UnicodeDecodeError) as err:
            aside = self.path.with_name(f"{self.path.name}.mis-de-cote-{int(time.time() * 1000)}")
            self.path.rename(aside)
            self.problem = f"Fichier d'état illisible ({err}) : mis de côté sous {aside.name}, rien n'a été effacé."
            warnings.warn(self.problem, stacklevel=3)
            return empty

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.data[kind].get(key)

    def set(self, kind: str, key: str, value: dict[str, Any]) -> None:
        self._merge_from_disk()
        self.data[kind][key] = {**value, "at": now()}
        self.save()

    def remove(self, kind: str, key: str) -> None:
        self._merge_from_disk()
        if self.data[kind].pop(key, None) is not None:
            self.save()

    def _merge_from_disk(self) -> None:
        """Take in what another kernel saved since we read the file (the newer `at` wins per
        entry), so that saving one entry never drops another notebook's."""
        try:
            current = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return  # nothing readable to merge: what we hold is written as is
        if not isinstance(current, dict) or current.get("version") != VERSION:
            return
        for kind in KINDS:
            theirs = current.get(kind)
            if not isinstance(theirs, dict):
                continue
            ours = self.data[kind]
            for key, entry in theirs.items():
                mine = ours.get(key)
                if mine is None or str(entry.get("at", "")) > str(mine.get("at", "")):
                    ours[key] = entry

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


_shared: dict[Path, State] = {}


def shared(path: Path | str | None = None) -> State:
    """One State per file in this kernel, so that every widget saves into the same data."""
    target = (Path(path) if path else default_path()).resolve()
    if target not in _shared:
        _shared[target] = State(target)
    return _shared[target]
