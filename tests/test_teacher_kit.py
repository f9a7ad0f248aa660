"""The teacher's kit (``teachers/``) keeps step with the chapters.

- **Every discussion question has a facilitation note.** Notes are matched on the question's
  text, not on a label: ``teachers/discussion_notes.md`` has one ``## `` section per chapter,
  which links the chapter with ``{doc}`../chapters/...```, and in it one ``### Question N.k``
  heading per question, followed by the question quoted as a Markdown blockquote. The quote must
  equal the chapter's question k after whitespace is normalised. Matching on text needs no markup
  in the chapters, and a question that is reworded, added or removed fails this test until its
  note is revised. Each note must also have its three parts (a strong answer, the evidence, the
  misconceptions).
- **The three schedules exist** (sections "One week", "Three weeks", "Six weeks" of
  ``teachers/schedules.md``) and each links every chapter at least once.
- **Timings add up.** In the lesson plans, the simulation and the debate, every table column
  headed "NN min" adds up to NN minutes (a dash counts as zero), and each lesson plan's
  "**Length:**" line states the lengths its table uses. There is a lesson plan for every chapter.
- **Quoted objectives are the chapters' own**: each "Chapter N, objective k: “…”" in the lesson
  plans is the chapter's objective k, word for word.

Each check is a function that returns the problems it finds; a companion test feeds it a broken
copy of the real input and sees it report the break.
"""

from __future__ import annotations

import re

import pytest

from defence_course.chapters import CHAPTERS as COURSE_CHAPTERS
from defence_course.paths import REPO_ROOT

CHAPTERS = {chapter.number: chapter.page for chapter in COURSE_CHAPTERS}
KIT = REPO_ROOT / "teachers"
SCHEDULES = ("One week", "Three weeks", "Six weeks")
TIMED_PAGES = ("lesson_plans", "simulation", "debate")
NOTE_PARTS = ("**A strong answer", "**Evidence from the course", "**Misconceptions to watch for")
# How the lesson plans name the page an objective comes from.
OBJECTIVE_PAGES = {
    "Introduction": "intro",
    "Conclusion": CHAPTERS[6],
    **{f"Chapter {n}": page for n, page in CHAPTERS.items()},
}
CHAPTER_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?\.\./(chapters/\d\d_\w+)>?`")


def read(page: str) -> str:
    return (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8")


def normalise(text: str) -> str:
    """Whitespace collapsed, glossary roles reduced to their text, end punctuation dropped."""
    text = re.sub(r"\{term\}`([^`<]+?)\s*<[^`]*>`", r"\1", text)
    text = re.sub(r"\{term\}`([^`]+)`", r"\1", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(".;")


def sections(text: str, level: int = 2) -> dict[str, str]:
    """Heading text -> body, for the headings of one level."""
    marks = "#" * level
    parts = re.split(rf"^{marks} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def numbered_items(block: str) -> list[str]:
    """The items of a numbered Markdown list, each normalised."""
    return [normalise(item) for item in re.split(r"^\d+\.\s", block, flags=re.M)[1:]]


# --- discussion questions ---------------------------------------------------------------------


def discussion_questions(chapter_text: str) -> list[str]:
    found = re.search(r"^## Discussion questions\n(.*?)(?=^## |\Z)", chapter_text, re.S | re.M)
    return numbered_items(found.group(1)) if found else []


def notes_by_chapter(notes_text: str) -> dict[str, dict[str, str]]:
    """Chapter page -> {"N.k": the note's text} for every section that links a chapter."""
    notes: dict[str, dict[str, str]] = {}
    for body in sections(notes_text).values():
        link = CHAPTER_LINK.search(body)
        if link:
            notes[link.group(1)] = {
                re.match(r"Question (\d+\.\d+)", head).group(1): note
                for head, note in sections(body, 3).items()
                if re.match(r"Question \d+\.\d+", head)
            }
    return notes


def quoted(note: str) -> str:
    """The note's first blockquote, normalised."""
    lines = re.search(r"((?:^>.*\n?)+)", note, re.M)
    return normalise(re.sub(r"^> ?", "", lines.group(1), flags=re.M)) if lines else ""


def missing_notes(chapter_texts: dict[int, str], notes_text: str) -> list[str]:
    problems = []
    notes = notes_by_chapter(notes_text)
    for n, text in chapter_texts.items():
        page = CHAPTERS[n]
        questions = discussion_questions(text)
        if not questions:
            problems.append(f"{page}: no discussion questions found")
        chapter_notes = notes.get(page)
        if chapter_notes is None:
            problems.append(f"{page}: no section of the notes links this chapter")
            continue
        expected = {f"{n}.{k}": q for k, q in enumerate(questions, start=1)}
        for key, question in expected.items():
            note = chapter_notes.get(key)
            if note is None:
                problems.append(f"{page}: no note 'Question {key}' for: {question}")
            elif quoted(note) != question:
                problems.append(
                    f"{page}: note {key} quotes {quoted(note)!r}, the chapter asks {question!r}"
                )
            else:
                problems += [
                    f"{page}: note {key} lacks {part}**" for part in NOTE_PARTS if part not in note
                ]
        problems += [
            f"{page}: note {key} has no question in the chapter"
            for key in chapter_notes
            if key not in expected
        ]
    return problems


def chapter_texts() -> dict[int, str]:
    return {n: read(page) for n, page in CHAPTERS.items()}


def test_every_discussion_question_has_a_note():
    problems = missing_notes(chapter_texts(), read("teachers/discussion_notes"))
    assert not problems, "\n".join(problems)
    assert sum(len(discussion_questions(t)) for t in chapter_texts().values()) >= 6 * 3


def test_a_reworded_or_new_question_is_caught():
    texts = chapter_texts()
    notes = read("teachers/discussion_notes")
    reworded = {**texts, 1: texts[1].replace("who is winning?", "who is ahead?")}
    assert any("note 1.2 quotes" in p for p in missing_notes(reworded, notes))
    added = {
        **texts,
        6: texts[6].replace("## Further reading", "5. A new question?\n\n## Further reading", 1),
    }
    assert any("no note 'Question 6.5'" in p for p in missing_notes(added, notes))
    without_part = notes.replace(
        '**Misconceptions to watch for.** Treating "unverifiable"', 'Treating "unverifiable"'
    )
    assert any("note 6.3 lacks" in p for p in missing_notes(texts, without_part))


# --- schedules --------------------------------------------------------------------------------


def schedule_problems(schedules_text: str) -> list[str]:
    problems = []
    found = sections(schedules_text)
    for name in SCHEDULES:
        body = next((b for head, b in found.items() if head.startswith(name)), None)
        if body is None:
            problems.append(f"no schedule '{name}'")
            continue
        linked = set(CHAPTER_LINK.findall(body))
        problems += [
            f"schedule '{name}' does not list {page}"
            for page in CHAPTERS.values()
            if page not in linked
        ]
    return problems


def test_three_schedules_each_list_every_chapter():
    problems = schedule_problems(read("teachers/schedules"))
    assert not problems, "\n".join(problems)


def test_a_schedule_without_a_chapter_is_caught():
    text = read("teachers/schedules")
    one_week = sections(text)[next(h for h in sections(text) if h.startswith("One week"))]
    broken = text.replace(
        one_week,
        one_week.replace("../chapters/03_capability_dependence", "../chapters/02_us_posture"),
    )
    assert schedule_problems(broken) == [
        "schedule 'One week' does not list chapters/03_capability_dependence"
    ]
    assert schedule_problems(text.replace("## Six weeks", "## Six sessions")) == [
        "no schedule 'Six weeks'"
    ]


# --- timings ----------------------------------------------------------------------------------


def tables(text: str) -> list[list[list[str]]]:
    """Markdown tables as lists of rows of cells (separator rows dropped)."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def minutes(cell: str) -> int:
    return 0 if cell in ("", "-", "–", "—") else int(cell)


def timing_problems(text: str, where: str) -> tuple[list[str], list[set[int]]]:
    """Problems of the timing tables in ``text``, and each timing table's set of lengths."""
    problems, lengths = [], []
    for table in tables(text):
        header, rows = table[0], table[1:]
        columns = {
            i: int(m.group(1)) for i, h in enumerate(header) if (m := re.fullmatch(r"(\d+) min", h))
        }
        if not columns:
            continue
        lengths.append(set(columns.values()))
        for i, length in columns.items():
            try:
                total = sum(minutes(row[i]) for row in rows)
            except (ValueError, IndexError):
                problems.append(
                    f"{where}: the '{header[i]}' column has a cell that is not a number of minutes"
                )
                continue
            if total != length:
                problems.append(f"{where}: the '{header[i]}' column adds up to {total} minutes")
    return problems, lengths


def lesson_plan_problems(text: str) -> list[str]:
    problems, covered = [], set()
    lessons = {h: b for h, b in sections(text).items() if h.startswith("Lesson ")}
    for head, body in lessons.items():
        found, lengths = timing_problems(body, head)
        problems += found
        stated = re.search(r"\*\*Length:\*\*([^\n]*)", body)
        if len(lengths) != 1:
            problems.append(f"{head}: expected one timing table, found {len(lengths)}")
        elif not stated:
            problems.append(f"{head}: no '**Length:**' line")
        elif set(map(int, re.findall(r"(\d+) minutes", stated.group(1)))) != lengths[0]:
            problems.append(
                f"{head}: the Length line states {stated.group(1).strip()!r}, the "
                f"table has columns for {sorted(lengths[0])} minutes"
            )
        covered |= set(CHAPTER_LINK.findall(body.split("**Length:**")[0]))
    problems += [f"no lesson plan for {page}" for page in CHAPTERS.values() if page not in covered]
    return problems


def test_lesson_plans_cover_every_chapter_and_their_timings_add_up():
    problems = lesson_plan_problems(read("teachers/lesson_plans"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", TIMED_PAGES)
def test_every_timing_table_adds_up(page):
    problems, lengths = timing_problems(read(f"teachers/{page}"), page)
    assert lengths, f"teachers/{page}.md has no timing table"
    assert not problems, "\n".join(problems)


def test_timings_that_do_not_add_up_are_caught():
    text = read("teachers/lesson_plans")
    row = "| Explorer: interceptors | 20 | 10 |"
    assert row in text
    broken = text.replace(row, "| Explorer: interceptors | 25 | 10 |")
    assert lesson_plan_problems(broken) == [
        "Lesson 1: The puzzle and the threat: the '90 min' column adds up to 95 minutes"
    ]
    wrong_length = text.replace(
        "**Length:** 90 minutes, or 50 minutes", "**Length:** 60 minutes", 1
    )
    assert any("the Length line states" in p for p in lesson_plan_problems(wrong_length))


# --- quoted objectives ------------------------------------------------------------------------


def objectives(page_text: str) -> list[str]:
    block = re.search(r"Learning objectives\n(.*?)^:::", page_text, re.S | re.M)
    return numbered_items(block.group(1)) if block else []


def objective_problems(plans_text: str, pages: dict[str, str]) -> list[str]:
    problems, quotes = (
        [],
        re.findall(r"(Introduction|Chapter \d|Conclusion), objective (\d+): “([^”]+)”", plans_text),
    )
    for where, number, quote in quotes:
        listed = objectives(pages[OBJECTIVE_PAGES[where]])
        k = int(number)
        if k > len(listed):
            problems.append(f"{where} has no objective {k}")
        elif normalise(quote) != listed[k - 1]:
            problems.append(
                f"{where}, objective {k}: the plans quote {normalise(quote)!r}, the "
                f"page says {listed[k - 1]!r}"
            )
    if not quotes:
        problems.append("the lesson plans quote no objective")
    return problems


def objective_pages() -> dict[str, str]:
    return {page: read(page) for page in set(OBJECTIVE_PAGES.values())}


def test_lesson_plans_quote_the_chapters_objectives():
    problems = objective_problems(read("teachers/lesson_plans"), objective_pages())
    assert not problems, "\n".join(problems)


def test_a_misquoted_objective_is_caught():
    text = read("teachers/lesson_plans").replace(
        "tell a\n  confirmed attribution from a suspicion",
        "tell a confirmed attribution from a rumour",
    )
    problems = objective_problems(text, objective_pages())
    assert len(problems) == 1 and problems[0].startswith("Chapter 1, objective 1:")
