"""The grader's journal of results, ``RESULTS_DIR/.cache``: resume after a crash, re-grade
only what changed.

Each submission's outcome is written here by the grader as soon as it is final, one file per
submission, named by a key made of the grader version, the assignment's tests, the limits and
the SHA-256 of the submitted bytes (:func:`entry_key`). Killing the grader mid-run loses
nothing that was finished: the next run takes those outcomes from here and grades the rest.

An entry is trusted only if no student process could have written it. With isolation the
results folder is not visible inside any sandbox, so only the grader writes here; each entry
also records the isolation it was graded under. A run without isolation (``--unsafe``) neither
reads nor keeps entries (student code could have written them): it empties the journal before
any notebook runs and again at the end, and isolated runs ignore any entry that says
``none``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from defence_course.teach.grader.results import RUN_FIELDS, STATUSES, Outcome

GRADER_VERSION = "2"
CACHE_DIR = ".cache"


def entry_key(sha256: str, manifest_hash: str, limits_key: str) -> str:
    text = "|".join([GRADER_VERSION, manifest_hash, limits_key, sha256])
    return hashlib.sha256(text.encode()).hexdigest()


def _valid(outcome: dict[str, Any], key: str, path: Path) -> bool:
    allowed = {f.name for f in fields(Outcome)} - set(RUN_FIELDS)
    return (
        set(outcome) <= allowed
        and outcome.get("status") in STATUSES
        and isinstance(outcome.get("points"), dict)
        and path.stem == key
    )


@dataclass
class Journal:
    """The cache folder of one results folder."""

    folder: Path

    def read(self) -> dict[str, dict[str, Any]]:
        """Valid entries written by an isolated run: ``{key: outcome fields}``."""
        entries: dict[str, dict[str, Any]] = {}
        if not self.folder.is_dir():
            return entries
        for path in self.folder.glob("*.json"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(record, dict) or record.get("grader_version") != GRADER_VERSION:
                continue
            outcome, isolation = record.get("outcome"), record.get("isolation")
            if (
                isinstance(outcome, dict)
                and isinstance(isolation, str)
                and isolation != "none"
                and _valid(outcome, str(record.get("key")), path)
            ):
                entries[path.stem] = outcome
        return entries

    def write(self, key: str, outcome: Outcome, isolation: str) -> None:
        """Record one final outcome (atomically: a crash leaves the old entry or the new)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {k: v for k, v in asdict(outcome).items() if k not in RUN_FIELDS}
        text = json.dumps(
            {
                "grader_version": GRADER_VERSION,
                "key": key,
                "isolation": isolation,
                "outcome": record,
            },
            sort_keys=True,
        )
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.folder / f"{key}.json")

    def prune(self, keep: set[str]) -> None:
        """Forget entries of files that are no longer in the folder (and stray temp files)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix != ".json" or path.stem not in keep:
                _remove(path)

    def clear(self) -> None:
        if self.folder.exists():
            _remove(self.folder)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass
