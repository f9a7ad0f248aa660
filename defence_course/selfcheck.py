"""Self-check questions in a notebook: the website's quizzes as an ipywidgets form.

The chapter notebooks (:mod:`defence_course.notebooks`) turn each page's ``{quiz}`` block into
one call, ``self_check("…")``, whose argument is the questions encoded in base64, so that the
answers are not shown before the reader has tried. A reader picks or types an answer and
presses "Check"; the explanation appears after a right answer or on request.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

KINDS = {"SC": "single choice", "TF": "true or false", "FB": "fill in the blank"}


@dataclass(frozen=True)
class Question:
    """One self-check question, its answer and the explanation shown after answering."""

    kind: str
    prompt_html: str
    answer: str
    explanation_html: str
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"question kind {self.kind!r}: expected one of {', '.join(KINDS)}")
        if self.kind == "SC" and self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of the options {self.options}")
        if self.kind == "TF" and self.answer not in ("T", "F"):
            raise ValueError(f"a true/false answer must be 'T' or 'F', not {self.answer!r}")

    def is_right(self, response: Any) -> bool:
        """Whether ``response`` (an option, True/False or typed text) is the answer."""
        if self.kind == "TF":
            return response == (self.answer == "T")
        if self.kind == "FB":
            return _normalised(str(response or "")) == _normalised(self.answer)
        return response == self.answer


def _normalised(text: str) -> str:
    return " ".join(text.replace(",", "").split()).casefold()


def encode(title: str, questions: list[Question]) -> str:
    """The argument of ``self_check``: title and questions as base64-encoded JSON."""
    payload = {
        "title": title,
        "questions": [q.__dict__ | {"options": list(q.options)} for q in questions],
    }
    return base64.b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")


def decode(payload: str) -> tuple[str, list[Question]]:
    """Title and questions from ``encode``'s output (a clear error on anything else)."""
    try:
        content = json.loads(base64.b64decode(payload.encode("ascii"), validate=True))
        questions = [
            Question(**{**q, "options": tuple(q.get("options", ()))}) for q in content["questions"]
        ]
        return str(content["title"]), questions
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"self_check(): the questions could not be read ({error}); the "
            "cell may have been edited. Download the notebook again."
        ) from None


class SelfCheck:
    """The form: one block per question, with a Check button and feedback."""

    def __init__(self, title: str, questions: list[Question]) -> None:
        import ipywidgets as widgets

        self.questions = questions
        self.controls: list[Any] = []
        self.feedback: list[Any] = []
        blocks = [widgets.HTML(f"<h3>Check your understanding: {title}</h3>")]
        for number, question in enumerate(questions, start=1):
            control = self._control(question, number)
            check = widgets.Button(description="Check", tooltip=f"Check answer {number}")
            reveal = widgets.Button(
                description="Show the explanation",
                tooltip=f"Show the explanation of question {number}",
            )
            feedback = widgets.HTML()
            check.on_click(lambda _, i=number - 1: self.check(i))
            reveal.on_click(lambda _, i=number - 1: self.reveal(i))
            self.controls.append(control)
            self.feedback.append(feedback)
            blocks.append(
                widgets.VBox(
                    [
                        widgets.HTML(f"<b>{number}.</b> {question.prompt_html}"),
                        control,
                        widgets.HBox([check, reveal]),
                        feedback,
                    ]
                )
            )
        self.widget = widgets.VBox(blocks)

    @staticmethod
    def _control(question: Question, number: int) -> Any:
        import ipywidgets as widgets

        label = f"Answer {number}"
        if question.kind == "SC":
            return widgets.RadioButtons(
                options=list(question.options),
                value=None,
                description=label,
                layout={"width": "auto"},
            )
        if question.kind == "TF":
            return widgets.RadioButtons(
                options=[("True", True), ("False", False)], value=None, description=label
            )
        return widgets.Text(placeholder="Type your answer", description=label)

    def check(self, index: int) -> bool:
        """Mark question ``index``; show the explanation when the answer is right."""
        question, response = self.questions[index], self.controls[index].value
        if response is None or response == "":
            self.feedback[index].value = "<p>Choose or type an answer first.</p>"
            return False
        if question.is_right(response):
            self.feedback[index].value = "<p><b>Right.</b></p>" + question.explanation_html
            return True
        retry = "<p><b>Not quite.</b> Think again, or show the explanation.</p>"
        self.feedback[index].value = retry
        return False

    def reveal(self, index: int) -> None:
        """Show the answer and the explanation of question ``index``."""
        question = self.questions[index]
        answer = (
            {"T": "True", "F": "False"}.get(question.answer, question.answer)
            if question.kind == "TF"
            else question.answer
        )
        self.feedback[index].value = f"<p><b>Answer:</b> {answer}</p>" + question.explanation_html

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def self_check(payload: str) -> SelfCheck:
    """The self-check form for ``payload`` (written by the chapter notebooks' generator)."""
    return SelfCheck(*decode(payload))
