"""Benchmark the website build: clean build, no-change rebuild, page sizes.

Run with `make bench`. The clean build starts from an empty output folder and an empty
execution cache, so it includes executing every notebook; the rebuild then runs the same
command again with nothing changed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from defence_course.build import build_book, write_config
from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages


def kib(size: int) -> str:
    return f"{size / 1024:8.1f} KiB"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp)
        config = write_config(REPO_ROOT, out / "_config.yml", execute_notebooks="cache")
        clean = build_book(REPO_ROOT, out, config=config)
        if clean.returncode != 0:
            print(clean.log[-4000:])
            return 1
        again = build_book(REPO_ROOT, out, config=config)
        site = clean.html_dir
        print(f"clean build (execution included): {clean.seconds:6.1f} s")
        print(f"no-change rebuild:                {again.seconds:6.1f} s")
        print("\npage HTML sizes:")
        for page in content_pages(site):
            print(f"  {str(page.relative_to(site)):45s} {kib(page.stat().st_size)}")
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"\ntotal site size: {kib(total)} ({total / 1024 / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
