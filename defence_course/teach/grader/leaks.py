"""Find solutions and hidden tests of the masters where students can see them.

:func:`secret_snippets` reads a master notebook and lists what must never reach a student:

- solution code: lines inside ``# BEGIN SOLUTION`` … ``# END SOLUTION`` blocks, and whole lines
  marked ``# SOLUTION``;
- model answers: the Markdown solution cells of the written questions, line by line;
- hidden tests: every line of each hidden test function, as written and as otter rewrites it
  (``ast.unparse``).

Snippets shorter than :data:`MIN_LENGTH` characters, and lines that also appear in what students
legitimately see (prompts, setup code, public tests), are left out: they would match innocently.

:func:`scan` then looks for the snippets in every file under a folder: notebooks (every string
in the JSON: sources, outputs, metadata), HTML pages (their text, tags removed, entities
decoded), zip files (each member) and other text files. Text is normalised first (whitespace
collapsed, typographic quotes straightened, Markdown emphasis and back-ticks dropped) so that a
snippet is found however a page renders it. Matches must start and end on word boundaries.
"""

from __future__ import annotations

import ast
import html
import html.parser
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

MIN_LENGTH = 16
TEXT_SUFFIXES = {
    ".md",
    ".txt",
    ".py",
    ".js",
    ".json",
    ".csv",
    ".yml",
    ".yaml",
    ".rst",
    ".tex",
    ".xml",
    ".svg",
    ".css",
    ".map",
}


@dataclass(frozen=True)
class Snippet:
    assignment: str
    kind: str  # "solution", "model answer", "hidden test"
    text: str


@dataclass(frozen=True)
class Leak:
    path: Path
    snippet: Snippet

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.snippet.kind} of {self.snippet.assignment}: "
            f"{self.snippet.text[:80]!r}"
        )


_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)


def normalise(text: str) -> str:
    """Collapse whitespace, straighten quotes, drop Markdown emphasis and back-ticks."""
    text = text.translate(_QUOTES).replace("*", "").replace("`", "")
    return " ".join(text.split())


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _lines(text: str) -> list[str]:
    return [normalise(line) for line in text.splitlines() if normalise(line)]


def secret_snippets(master: Path) -> list[Snippet]:
    """What of ``master`` must not appear in anything students see.

    A course assignment's master is read with its public parameters filled in, as the website
    and the committed student notebook show it."""
    from defence_course.teach import assignments

    known = [
        a
        for a in assignments.ASSIGNMENTS.values()
        if Path(a.master).resolve() == Path(master).resolve()
    ]
    nb = assignments.rendered_master(known[0]) if known else nbformat.read(master, as_version=4)
    name = master.stem
    secret: list[tuple[str, str]] = []
    public: set[str] = set()
    in_solution = in_tests = False
    for cell in nb.cells:
        text = _source(cell)
        first = text.strip().split("\n", 1)[0].strip().upper() if text.strip() else ""
        if cell.cell_type == "raw":
            if first == "# BEGIN SOLUTION":
                in_solution = True
            elif first == "# END SOLUTION":
                in_solution = False
            elif first == "# BEGIN TESTS":
                in_tests = True
            elif first == "# END TESTS":
                in_tests = False
            continue
        if in_solution and cell.cell_type == "markdown":
            secret.extend(("model answer", line) for line in _lines(text))
        elif cell.cell_type == "code" and in_tests:
            hidden, body = _test_cell(text)
            target = secret if hidden else None
            for line in _test_lines(body):
                if target is None:
                    public.add(line)
                else:
                    target.append(("hidden test", line))
        elif cell.cell_type == "code":
            solution, shown = _split_solution(text)
            secret.extend(("solution", line) for line in solution)
            public.update(shown)
        else:
            public.update(_lines(text))
    snippets, seen = [], set()
    for kind, line in secret:
        if len(line) < MIN_LENGTH or line in public or line in seen:
            continue
        if any(line in p for p in public):
            continue
        seen.add(line)
        snippets.append(Snippet(name, kind, line))
    return snippets


def _test_cell(text: str) -> tuple[bool, str]:
    """Whether a test cell is hidden, and its code without the config block."""
    lines = text.split("\n")
    hidden = bool(
        lines
        and lines[0].lstrip().startswith("#")
        and re.search(r"\bhidden\b", lines[0], re.IGNORECASE)
    )
    if lines and re.match(
        r'(?:.\s*=\s*)?""?"?\s*#\s*BEGIN\s*TEST\s*CONFIG', lines[0], re.IGNORECASE
    ):
        for index, line in enumerate(lines):
            if re.match(r'""?"?\s*#\s*END\s*TEST\s*CONFIG', line, re.IGNORECASE):
                config = yaml.safe_load("\n".join(lines[1:index])) or {}
                hidden = bool(config.get("hidden", hidden))
                lines = lines[index + 1 :]
                break
    return hidden, "\n".join(lines)


def _test_lines(code: str) -> list[str]:
    """The lines of a test function, as written and as ``ast.unparse`` rewrites them."""
    found = _lines(code)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return found
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found.extend(_lines(ast.unparse(node)))
    return found


_SOLUTION_LINE = re.compile(r"\s*#\s*SOLUTION\s*$")


def _split_solution(text: str) -> tuple[list[str], list[str]]:
    """(secret lines, shown lines) of a code cell, following otter's solution markers."""
    secret, shown = [], []
    in_block = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if re.match(r"#\s*BEGIN SOLUTION", stripped):
            in_block = True
            continue
        if re.match(r"#\s*END SOLUTION", stripped):
            in_block = False
            continue
        if stripped.endswith(("# BEGIN PROMPT", "# END PROMPT")):
            continue
        line = normalise(raw)
        if not line:
            continue
        if in_block:
            secret.append(line)
        elif _SOLUTION_LINE.search(raw):
            secret.append(normalise(_SOLUTION_LINE.sub("", raw)))
        else:
            shown.append(line)
    return secret, shown


# ---------------------------------------------------------------------------------------------
# Scanning


class _TextExtractor(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            return ["".join(value)]
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def texts_of(name: str, data: bytes) -> list[str]:
    """The texts to search in one file (by its name's suffix)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".zip":
        found = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    if not member.endswith("/"):
                        found.extend(texts_of(member, archive.read(member)))
        except zipfile.BadZipFile:
            pass
        return found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if suffix == ".ipynb":
        try:
            return _strings(json.loads(text))
        except ValueError:
            return [text]
    if suffix in {".html", ".htm"}:
        return [html_text(text), html.unescape(text)]
    if suffix in TEXT_SUFFIXES or not suffix:
        return [text]
    return []


def _pattern(snippet: str) -> re.Pattern[str]:
    start = r"(?<![\w.])" if re.match(r"\w", snippet) else ""
    end = r"(?!\w)" if re.search(r"\w$", snippet) else ""
    return re.compile(start + re.escape(snippet) + end)


def scan(folder: Path, snippets: list[Snippet], *, exclude: Iterable[Path] = ()) -> list[Leak]:
    """Every file under ``folder`` (recursively) that contains one of ``snippets``.

    Files in ``exclude`` (the masters themselves, say) are skipped.
    """
    folder = Path(folder)
    skip = {Path(p).resolve() for p in exclude}
    paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    paths = [p for p in paths if p.resolve() not in skip]
    patterns = [(s, _pattern(s.text)) for s in snippets]
    leaks = []
    for path in paths:
        texts = [normalise(t) for t in texts_of(path.name, path.read_bytes())]
        if not texts:
            continue
        for snippet, pattern in patterns:
            if any(snippet.text in t and pattern.search(t) for t in texts):
                leaks.append(Leak(path, snippet))
    return leaks


def public_text(paths: list[Path] | None = None) -> str:
    """What the course publishes anyway (package code, chapters), normalised.

    A solution line that also appears there (``.mark_line(point=True)``, say) is ordinary
    course code, not a secret, and would only produce false alarms.
    """
    if paths is None:
        from defence_course.paths import REPO_ROOT

        paths = [REPO_ROOT / "defence_course", REPO_ROOT / "chapters", REPO_ROOT / "intro.md"]
    texts: list[str] = []
    for path in paths:
        files = (
            [path]
            if path.is_file()
            else sorted(p for p in path.rglob("*") if p.suffix in {".py", ".md"} and p.is_file())
        )
        texts.extend(normalise(f.read_text(encoding="utf-8", errors="replace")) for f in files)
    return "\n".join(texts)


def all_snippets(masters: list[Path] | None = None, public: str | None = None) -> list[Snippet]:
    """The secret snippets of every master (default: every assignment).

    Snippets that occur in ``public`` (default: :func:`public_text`) are left out.
    """
    if masters is None:
        from defence_course.teach.assignments import ASSIGNMENTS

        masters = [a.master for a in ASSIGNMENTS.values()]
    public = public_text() if public is None else public
    return [s for m in masters for s in secret_snippets(m) if s.text not in public]
