"""The learner's state in a kernel: one local JSON file, written atomically, never sent anywhere.

Same entries as the browser (`answer`, `scenario`, `journal`, `self`), each stamped with `at`. An unreadable or
old-format file is kept aside (renamed, never overwritten) and reported, then a fresh one starts.

Several kernels (two notebooks open at once) share the file: each read-merge-write happens under
an exclusive lock on a side file (`etat.json.lock`), and `refresh()` takes in what the others
saved, so a view shown or refreshed is the file as it is now and no kernel's save is lost.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

ENV_FILE = "EXERCISEKIT_STATE"
VERSION = 1
# The same kinds of entry as the browser keeps (acp1:answer:…, acp1:scenario:…, …); `first` is
# the first checked status of a graded item (the mastery rule reads it).
KINDS = ("answer", "scenario", "journal", "self", "first")


def default_path() -> Path:
    """$EXERCISEKIT_STATE, else `etat.json` in the course's own folder (`course_folder.py`)."""
    from exercisekit.course_folder import local_folder

    return Path(os.environ.get(ENV_FILE) or local_folder() / "etat.json")


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

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the file's lock: one kernel at a time reads, merges and writes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            else:  # pragma: no cover - Windows
                lock.seek(0)
                msvcrt.locking(lock.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(lock, fcntl.LOCK_UN)
                else:  # pragma: no cover - Windows
                    lock.seek(0)
                    msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)

    def refresh(self) -> State:
        """Take in what other kernels saved since this one last read the file (newer wins)."""
        with self._locked():
            self._merge_from_disk()
        return self

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.data[kind].get(key)

    def set(self, kind: str, key: str, value: dict[str, Any]) -> None:
        with self._locked():
            self._merge_from_disk()
            self.data[kind][key] = {**value, "at": now()}
            self._write()

    def remove(self, kind: str, key: str) -> None:
        with self._locked():
            self._merge_from_disk()
            if self.data[kind].pop(key, None) is not None:
                self._write()

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
        """Write what this kernel holds, with what others saved meanwhile merged in."""
        with self._locked():
            self._merge_from_disk()
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One temporary name per process: two kernels never write into each other's file.
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


_shared: dict[Path, State] = {}


def shared(path: Path | str | None = None) -> State:
    """One State per file in this kernel, so that every widget saves into the same data; read
    again from the file at each call (a view being shown), with other kernels' saves."""
    target = (Path(path) if path else default_path()).resolve()
    if target not in _shared:
        _shared[target] = State(target)
    else:
        _shared[target].refresh()
    return _shared[target]
