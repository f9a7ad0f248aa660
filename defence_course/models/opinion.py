"""Opinion explorer: one survey question, chosen countries and the survey's aggregate.

Takes the ``opinion``, ``survey_questions``, ``sources`` and ``countries`` datasets (from
``data.load_dataset``). Each question has one aggregate row (``country`` empty): the EU
average for Eurobarometer (EU25/EU27/EU28), the average of the surveyed countries for the Le
Grand Continent polls. Countries are given by their two-letter codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from defence_course.models import _checks


def _question_ids(opinion: pd.DataFrame, questions: pd.DataFrame) -> list[str]:
    for frame, label in ((opinion, "opinion"), (questions, "survey_questions")):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{label} must be the DataFrame from data.load_dataset({label!r})")
    measured = set(opinion["question_id"].astype(str))
    return [q for q in questions["question_id"].astype(str) if q in measured]


def _check_question(question_id: str, known: list[str]) -> str:
    if not isinstance(question_id, str):
        raise TypeError(f"question_id must be a string, got {type(question_id).__name__}")
    if question_id not in known:
        raise ValueError(
            f"question_id: unknown question {question_id!r}; expected one of " + ", ".join(known)
        )
    return question_id


def question_choices(opinion: pd.DataFrame, questions: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, question_id) pairs for a dropdown, newest survey first."""
    ids = _question_ids(opinion, questions)
    table = questions.set_index("question_id").loc[ids]
    table = table.assign(order=range(len(table))).sort_values(
        ["year", "order"], ascending=[False, True]
    )
    labels = [
        f"{r.year}: {r.short_label} ({survey_short_name(r.survey)})" for r in table.itertuples()
    ]
    return list(zip(labels, table.index.astype(str), strict=True))


def survey_short_name(survey: str) -> str:
    """'Standard Eurobarometer 96 (winter 2021-2022)' stays; long notes in brackets go."""
    survey = str(survey)
    dated = re.search(
        r"\(((?:[^()]*?)(?:spring|autumn|winter|January|March|September|"
        r"December|\d{4})[^()]*)\)",
        survey,
    )
    name = re.sub(r"\s*\(.*?\)", "", survey).split('"')[0].strip().rstrip(",")
    if dated and not re.search(r"presumably|latest|wave", dated.group(1)):
        return f"{name}, {dated.group(1)}"
    return name or survey


def aggregates(opinion: pd.DataFrame) -> pd.DataFrame:
    """Each question's aggregate row (index: question_id): the EU row (EU25/27/28) if there
    is one, else the N-country average, else the first row without a country."""
    rows = opinion[opinion["country"].isna()]
    area = rows["area"].astype(str)
    priority = np.where(
        area.str.fullmatch(r"EU\d+"), 0, np.where(area.str.contains("average"), 1, 2)
    )
    ranked = rows.assign(_priority=priority).sort_values("_priority", kind="stable")
    first = ranked.drop_duplicates("question_id").drop(columns="_priority")
    return first.set_index(first["question_id"].astype(str))


def aggregate_row(opinion: pd.DataFrame, question_id: str) -> pd.Series:
    """The survey's aggregate for a question: the EU row (EU25/27/28) or the N-country average."""
    table = aggregates(opinion)
    if question_id not in table.index:
        raise ValueError(f"question_id {question_id!r} has no aggregate row in opinion")
    return table.loc[question_id]


def countries_with_figures(opinion: pd.DataFrame, question_id: str) -> list[str]:
    """Codes of the countries with a published figure for the question, highest first."""
    rows = opinion[opinion["question_id"].eq(question_id) & opinion["country"].notna()]
    return [str(c) for c in rows.sort_values("value_pct", ascending=False)["country"]]


def compare_with_aggregate(
    opinion: pd.DataFrame,
    questions: pd.DataFrame,
    countries: pd.DataFrame,
    question_id: str,
    selected: Iterable[str],
) -> pd.DataFrame:
    """The aggregate and each selected country: share (%) and gap to the aggregate (points).

    A country without a published figure for the question gets an empty value, never a guess.
    """
    question_id = _check_question(question_id, _question_ids(opinion, questions))
    names = countries.set_index("country")["name"].astype(str)
    chosen = _checks.codes("selected", selected, names.index)
    aggregate = aggregate_row(opinion, question_id)
    figures = opinion[opinion["question_id"].eq(question_id) & opinion["country"].notna()]
    figures = figures.set_index("country")
    rows = [
        {
            "code": "",
            "area": str(aggregate["area"]),
            "is_aggregate": True,
            "value_pct": float(aggregate["value_pct"]),
            "gap_points": 0.0,
            "source_id": str(aggregate["source_id"]),
        }
    ]
    for code in chosen:
        found = code in figures.index
        value = float(figures.loc[code, "value_pct"]) if found else np.nan
        rows.append(
            {
                "code": code,
                "area": names[code],
                "is_aggregate": False,
                "value_pct": value,
                "gap_points": value - float(aggregate["value_pct"]),
                "source_id": str(figures.loc[code, "source_id"]) if found else "",
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class QuestionDetails:
    """A survey question as the explorer shows it: its wording, survey and source, as text."""

    question_id: str
    short_label: str
    survey: str
    year: str
    fieldwork: str  # "start to end", or "dates not found"
    wording: str
    answer: str  # the answer whose share is shown
    population: str  # who was asked
    note: str
    source_id: str
    source: str  # title (publisher, date)
    url: str  # empty if the source has none


def question_details(
    questions: pd.DataFrame,
    sources: pd.DataFrame,
    question_id: str,
    opinion: pd.DataFrame | None = None,
) -> QuestionDetails:
    """Exact wording, survey, answer, population and source of a question."""
    known = questions["question_id"].astype(str).tolist()
    if opinion is not None:
        known = _question_ids(opinion, questions)
    question_id = _check_question(question_id, known)
    q = questions.set_index("question_id").loc[question_id]
    source = sources.set_index("source_id").loc[q["source_id"]]
    fieldwork = " to ".join(
        str(d) for d in (q["fieldwork_start"], q["fieldwork_end"]) if pd.notna(d)
    )
    return QuestionDetails(
        question_id=question_id,
        short_label=str(q["short_label"]),
        survey=str(q["survey"]),
        year=str(q["year"]),
        fieldwork=fieldwork or "dates not found",
        wording=str(q["question_wording"]),
        answer=str(q["answer"]),
        population=str(q["population"]),
        note="" if pd.isna(q["note"]) else str(q["note"]),
        source_id=str(q["source_id"]),
        source=f"{source['title']} ({source['publisher']}, {source['published']})",
        url="" if pd.isna(source["url"]) else str(source["url"]),
    )


def item_history(opinion: pd.DataFrame, questions: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """The aggregate in every wave that asked the same item (same ``short_label``), by year."""
    ids = _question_ids(opinion, questions)
    question_id = _check_question(question_id, ids)
    table = questions.set_index("question_id")
    label = table.loc[question_id, "short_label"]
    same = [q for q in ids if table.loc[q, "short_label"] == label]
    found = aggregates(opinion)
    rows = []
    for q in same:
        aggregate = found.loc[q]
        rows.append(
            {
                "question_id": q,
                "survey": str(table.loc[q, "survey"]),
                "year": int(table.loc[q, "year"]),
                "area": str(aggregate["area"]),
                "value_pct": float(aggregate["value_pct"]),
                "chosen": q == question_id,
            }
        )
    return pd.DataFrame(rows).sort_values(["year", "question_id"]).reset_index(drop=True)
