"""The self-checks measure understanding: no answer position or true/false value gives itself away,
and every chapter asks the reader to apply or analyse, not only to recall.

The convention (also in README.md, "Writing a page"): a question that asks the reader to use what
they learnt, not to recall it, starts with a visible italic tag, ``*Apply:*`` (use an idea or an
explorer setting on a case), ``*Analyse:*`` (read a chart or table, compare, infer) or
``*Evaluate:*`` (judge a claim or an argument). Untagged questions count as recall.

Run ``python -m tests.test_selfchecks`` for the numbers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

import pytest

from defence_course.chapters import CHAPTERS as COURSE_CHAPTERS
from defence_course.paths import REPO_ROOT

PAGES = ["intro", *(chapter.page for chapter in COURSE_CHAPTERS), "chapters/python_for_this_course"]
CHAPTERS = [page for page in PAGES if re.match(r"chapters/\d", page)]
TAGS = ("Apply", "Analyse", "Evaluate")
TAG = re.compile(r"^\*(?P<tag>[A-Z][a-z]+):\*\s")
ROLE = re.compile(r"\{quiz\}`(\{.*?\})`", re.S)
MAX_POSITION_SHARE = 0.40
# The right option may be strictly the longest in at most a third of the single-choice
# questions (by chance, about a quarter with four options): more and a test-wise reader can
# guess by length.
MAX_LONGEST_SHARE = 1 / 3
TRUE_SHARE = (0.30, 0.70)
MIN_HIGHER_ORDER = 2


@dataclass(frozen=True)
class Item:
    """One self-check question as written in a page."""

    page: str
    number: int
    kind: str
    answer: str
    options: tuple[str, ...]
    tag: str | None
    text: str = ""  # the question's wording, without its tag and its answer

    @property
    def position(self) -> int | None:
        """1-based position of the right option of a single-choice question."""
        return self.options.index(self.answer) + 1 if self.kind == "SC" else None

    @property
    def answer_is_longest(self) -> bool:
        """Whether the right option of a single-choice question is strictly the longest."""
        return self.kind == "SC" and all(
            len(self.answer) > len(option) for option in self.options if option != self.answer
        )


def quiz_items(text: str, page: str) -> list[Item]:
    """Every question of every ``{quiz}`` block in ``text`` (a clear error on a malformed one)."""
    items: list[Item] = []
    for block in re.findall(r"^::::\{quiz\}.*?\n(.*?)^::::\s*$", text, re.S | re.M):
        questions = re.split(r"^(?=\d+\.\s)", block, flags=re.M)[1:]
        for number, question in enumerate(questions, start=1):
            prompt = re.sub(r"^\d+\.\s+", "", question).split(":::{spoiler}")[0]
            role = ROLE.search(prompt)
            if not role:
                raise ValueError(f"{page}: self-check question {number} has no {{quiz}} answer")
            try:
                spec = json.loads(role[1])
                kind, answer = spec["type"], str(spec["answer"])
            except (ValueError, KeyError) as error:
                raise ValueError(
                    f"{page}: self-check question {number}: unreadable answer {role[1]!r} ({error})"
                ) from None
            options = tuple(v.strip() for v in spec.get("values", "").split(",") if v.strip())
            if kind == "SC" and answer not in options:
                raise ValueError(
                    f"{page}: self-check question {number}: the answer {answer!r} "
                    f"is not one of the options {options}"
                )
            tag = TAG.match(prompt)
            if tag and tag["tag"] not in TAGS:
                raise ValueError(
                    f"{page}: self-check question {number}: unknown tag "
                    f"*{tag['tag']}:*; use one of {', '.join(TAGS)}"
                )
            text = " ".join(ROLE.sub("", TAG.sub("", prompt)).split())
            items.append(
                Item(page, number, kind, answer, options, tag["tag"] if tag else None, text)
            )
    return items


def course_items(pages: list[str] = PAGES) -> list[Item]:
    items: list[Item] = []
    for page in pages:
        items += quiz_items((REPO_ROOT / f"{page}.md").read_text(encoding="utf-8"), page)
    return items


def balance(items: list[Item]) -> dict:
    """Where the right options fall, how many true/false answers are true, and the tags."""
    positions = Counter(item.position for item in items if item.kind == "SC")
    single = sum(positions.values())
    tf = [item.answer for item in items if item.kind == "TF"]
    return {
        "questions": len(items),
        "kinds": dict(Counter(item.kind for item in items)),
        "single_choice": single,
        "positions": {p: positions[p] for p in sorted(positions)},
        "largest_position_share": max(positions.values()) / single if single else 0.0,
        "true_false": len(tf),
        "true_share": tf.count("T") / len(tf) if tf else 0.0,
        "tags": dict(Counter(item.tag or "recall" for item in items)),
        "higher_order_by_page": {
            page: sum(1 for i in items if i.page == page and i.tag)
            for page in dict.fromkeys(item.page for item in items)
        },
    }


def problems(items: list[Item], chapters: list[str] = CHAPTERS) -> list[str]:
    """What breaks the balance rules, in words (empty when all hold)."""
    found = []
    numbers = balance(items)
    if numbers["single_choice"] and numbers["largest_position_share"] > MAX_POSITION_SHARE:
        found.append(
            f"right options by position {numbers['positions']}: one position holds "
            f"{numbers['largest_position_share']:.0%}, above "
            f"{MAX_POSITION_SHARE:.0%}"
        )
    low, high = TRUE_SHARE
    if numbers["true_false"] and not low <= numbers["true_share"] <= high:
        found.append(
            f"{numbers['true_share']:.0%} of true/false answers are true, outside "
            f"{low:.0%}-{high:.0%}"
        )
    for page in chapters:
        count = numbers["higher_order_by_page"].get(page, 0)
        if count < MIN_HIGHER_ORDER:
            found.append(
                f"{page}: {count} application/analysis items, fewer than {MIN_HIGHER_ORDER}"
            )
    return found


def length_cues(items: list[Item]) -> list[str]:
    """The questions whose right option gives itself away by length, when there are too many of
    them (empty when at most ``MAX_LONGEST_SHARE`` of the single-choice questions have it)."""
    single = [item for item in items if item.kind == "SC"]
    longest = [item for item in single if item.answer_is_longest]
    if not single or len(longest) / len(single) <= MAX_LONGEST_SHARE:
        return []
    return [
        f"the right option is strictly the longest in {len(longest)} of {len(single)} "
        f"single-choice questions ({len(longest) / len(single):.0%}), above "
        f"{MAX_LONGEST_SHARE:.0%}; make the distractors as long and specific as the answer "
        f"or tighten the answer in some of:"
    ] + [f"  {item.page} question {item.number}: {item.text[:60]}" for item in longest]


def test_the_course_self_checks_are_balanced():
    items = course_items()
    assert len(items) >= 40
    assert not problems(items), "\n".join(problems(items))


def test_the_right_option_is_not_given_away_by_its_length():
    found = length_cues(course_items())
    assert not found, "\n".join(found)


def test_every_single_choice_question_offers_real_alternatives():
    for item in course_items():
        if item.kind == "SC":
            assert len(item.options) >= 3, f"{item.page} question {item.number}: few options"
            assert len(set(item.options)) == len(item.options), f"{item.page} {item.number}"


# --- the checks themselves fail on unbalanced input ------------------------------------------


def _quiz(*questions: str) -> str:
    body = "\n".join(
        f"{n}. {q}\n\n   :::{{spoiler}} Why?\n   Because.\n   :::\n"
        for n, q in enumerate(questions, start=1)
    )
    return f"::::{{quiz}} test\n:title: Test\n\n{body}::::\n"


def _sc(answer: str, tag: str = "", values: str = "a,b,c,d") -> str:
    return f'{tag}Pick. {{quiz}}`{{"type":"SC","values":"{values}","answer":"{answer}"}}`'


def _tf(answer: str, tag: str = "") -> str:
    return f'{tag}Say. {{quiz}}`{{"type":"TF","answer":"{answer}"}}`'


def test_answers_always_first_are_caught():
    items = quiz_items(
        _quiz(_sc("a", "*Apply:* "), _sc("a", "*Analyse:* "), _sc("b"), _tf("T"), _tf("F")),
        "chapters/x",
    )
    assert [i.position for i in items[:3]] == [1, 1, 2]
    found = problems(items, ["chapters/x"])
    assert len(found) == 1 and "one position holds 67%" in found[0]


def test_answers_always_longest_are_caught():
    items = quiz_items(
        _quiz(
            _sc("the answer", "*Apply:* ", "b,the answer,d"),
            _sc("the answer", values="the answer,b,c"),
            _sc("the answer", values="a,b,c,the answer"),
            _tf("T"),
        ),
        "chapters/x",
    )
    assert [i.answer_is_longest for i in items] == [True, True, True, False]
    found = length_cues(items)
    assert "strictly the longest in 3 of 3 single-choice questions (100%)" in found[0]
    assert found[1:] == [f"  chapters/x question {n}: Pick." for n in (1, 2, 3)]
    # A tie is no cue, and one question in three is within the limit.
    items = quiz_items(
        _quiz(
            _sc("the answer", values="the answer,the others,c"),
            _sc("the answer", values="the answer,b,c"),
            _sc("a", values="a,bb,c"),
        ),
        "chapters/x",
    )
    assert [i.answer_is_longest for i in items] == [False, True, False]
    assert length_cues(items) == []


def test_mostly_false_answers_are_caught():
    items = quiz_items(
        _quiz(
            _sc("a", "*Apply:* "),
            _sc("b", "*Evaluate:* "),
            _sc("c"),
            _tf("F"),
            _tf("F"),
            _tf("F"),
            _tf("T"),
        ),
        "chapters/x",
    )
    found = problems(items, ["chapters/x"])
    assert found == ["25% of true/false answers are true, outside 30%-70%"]


def test_a_chapter_without_application_items_is_caught():
    items = quiz_items(
        _quiz(_sc("a", "*Apply:* "), _sc("b"), _sc("c"), _tf("T"), _tf("F")), "chapters/x"
    )
    assert problems(items, ["chapters/x"]) == [
        "chapters/x: 1 application/analysis items, fewer than 2"
    ]
    assert "chapters/y: 0" in problems(items, ["chapters/x", "chapters/y"])[-1]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ('*Analyze:* Pick. {quiz}`{"type":"SC","values":"a,b","answer":"a"}`', "unknown tag"),
        ("Pick one of a or b.", "has no {quiz} answer"),
        ('Pick. {quiz}`{"type":"SC","values":"a,b","answer":"c"}`', "not one of the options"),
        ('Pick. {quiz}`{"type":"SC","values":"a,b"}`', "unreadable answer"),
    ],
)
def test_malformed_questions_are_refused(question, message):
    with pytest.raises(ValueError, match=message):
        quiz_items(_quiz(question), "chapters/x")


if __name__ == "__main__":
    print(json.dumps(balance(course_items()), indent=1))
    print("\n".join(problems(course_items())) or "all balance rules hold")
    print("\n".join(length_cues(course_items())) or "no right option gives itself away by length")
