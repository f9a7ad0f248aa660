"""A broken reference, a missing image or a failing cell fails the build, naming the file.

Each case builds a one-page book with the course's own _config.yml (as sphinx-exercise's
tests build real mini-books), so the checks exercise the real build settings.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from defence_course.build import build_book, write_config
from defence_course.paths import REPO_ROOT

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""
GOOD_PAGE = (
    HEADER
    + """# A page

Some text.

```{code-cell} ipython3
1 + 1
```
"""
)


def make_book(root: Path, page: str) -> Path:
    book = root / "book"
    book.mkdir()
    shutil.copytree(REPO_ROOT / "_static", book / "_static", ignore=shutil.ignore_patterns("vega"))
    shutil.copy(REPO_ROOT / "references.bib", book / "references.bib")
    (book / "_toc.yml").write_text("format: jb-book\nroot: lesson\n", encoding="utf-8")
    (book / "lesson.md").write_text(page, encoding="utf-8")
    write_config(REPO_ROOT, book / "_config.yml", execute_notebooks="force")
    return book


def test_a_good_page_builds(tmp_path):
    result = build_book(make_book(tmp_path, GOOD_PAGE))
    assert result.returncode == 0, result.log[-3000:]
    assert result.warnings == []
    assert (result.html_dir / "lesson.html").exists()


@pytest.mark.parametrize(
    ("name", "broken_page", "expected"),
    [
        ("broken cross-reference", GOOD_PAGE + "\nSee {ref}`no-such-label`.\n", "no-such-label"),
        ("missing image", GOOD_PAGE + "\n![A chart](no_such_image.png)\n", "no_such_image.png"),
        ("cell error", GOOD_PAGE + "\n```{code-cell} ipython3\n1 / 0\n```\n", "ZeroDivisionError"),
        (
            "unknown link target",
            GOOD_PAGE + "\nRead [the data](missing_page.md).\n",
            "missing_page",
        ),
    ],
)
def test_a_broken_page_fails_the_build(tmp_path, name, broken_page, expected):
    result = build_book(make_book(tmp_path, broken_page))
    assert result.returncode != 0, f"a {name} did not fail the build"
    problems = "\n".join(result.warnings) or result.log
    assert "lesson" in problems, f"the failure message does not name the file:\n{problems}"
    assert expected in result.log
