"""The files grading depends on: a snapshot, and a check after every submission.

:class:`Guard` keeps the bytes of the files grading reads (the course package, ``data/``, the
master and the grading manifest) and checks them after every submission. It is the defence left
when grading without isolation (``--unsafe``): a change is found, the files are put back, and
the grader re-runs every submission that may have seen the changed files (see
:mod:`defence_course.teach.grader.grading`). Inside a sandbox these files are read-only, so isolated
runs do not watch them.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path


class Guard:
    """Snapshot of the files grading reads; finds, reports and undoes changes to them."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [Path(r) for r in roots if Path(r).exists()]
        self.snapshot = self._read()
        self.lock = threading.Lock()
        self.epoch = 0

    @staticmethod
    def _skip(path: Path) -> bool:
        return (
            "__pycache__" in path.parts
            or path.suffix == ".pyc"
            or (".ipynb_checkpoints" in path.parts)
        )

    def _files(self) -> list[Path]:
        found = []
        for root in self.roots:
            if root.is_file():
                found.append(root)
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink() and not self._skip(path):
                    found.append(path)
        return found

    def _read(self) -> dict[Path, bytes]:
        contents = {}
        for path in self._files():
            try:
                contents[path] = path.read_bytes()
            except OSError:
                continue
        return contents

    def changes(self) -> list[Path]:
        """Files added, removed or changed since the snapshot."""
        changed = []
        current = set()
        for path in self._files():
            current.add(path)
            try:
                data = path.read_bytes()
            except OSError:
                changed.append(path)
                continue
            old = self.snapshot.get(path)
            if old != data:
                changed.append(path)
        changed.extend(p for p in self.snapshot if p not in current)
        return sorted(set(changed))

    def check_and_restore(self, keep: Path | None = None) -> list[Path]:
        """Put changed files back; keep a copy of what was found under ``keep``."""
        with self.lock:
            changed = self.changes()
            if not changed:
                return []
            self.epoch += 1
            for path in changed:
                if keep is not None and path.exists() and path.is_file():
                    copy = keep / f"{self.epoch:03d}" / path.relative_to(path.anchor)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        shutil.copyfile(path, copy)
                    except OSError:
                        pass
                original = self.snapshot.get(path)
                try:
                    if original is None:
                        path.unlink()
                    else:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(original)
                except OSError:
                    pass
            return changed
