"""Figures of chapter 5, constitutional limits."""

from __future__ import annotations

import pandas as pd

from defence_course import data


def provisions_table() -> pd.DataFrame:
    """The treaty provisions the course discusses, with how decisions under them are taken."""
    articles = data.load_dataset("treaty_articles")
    label = articles["treaty"].astype(str) + " Art. " + articles["article"].astype(str)
    with_paragraph = articles["paragraph"].notna()
    label[with_paragraph] += "(" + articles.loc[with_paragraph, "paragraph"].astype(str) + ")"
    table = pd.DataFrame({
        "provision": label,
        "decisions taken by": articles["decision_rule"].astype("string").fillna("—"),
        "in plain words": articles["summary"],
    })
    return table.set_index("provision")
