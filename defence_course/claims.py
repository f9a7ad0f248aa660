"""'Check the claim' boxes: the source article's claims beside the primary evidence."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown

from defence_course import data
from defence_course.charts import on_website

VERDICT_TEXT = {
    "supported": "Supported by the evidence",
    "qualified": "True only with a qualification",
    "corrected": "Wrong as stated",
    "unverifiable": "Could not be checked",
}
ARTICLE = "the source article (2025-12-27)"


def claims_for(chapter: str) -> pd.DataFrame:
    """The article's claims that belong to ``chapter`` (e.g. "threat"), in article order."""
    claims = data.load_dataset("article_claims")
    known = list(claims["chapter"].cat.categories)
    if chapter not in known:
        raise ValueError(f"unknown chapter {chapter!r}; expected one of {known}")
    return claims[claims["chapter"] == chapter].reset_index(drop=True)


def claim_box_html(claim_id: str) -> str:
    """The HTML of one claim's box: quote, verdict, primary figure, explanation, source."""
    claims = data.load_dataset("article_claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise ValueError(f"no claim {claim_id!r} in article_claims.csv")
    claim = claims.loc[claim_id]
    verdict = str(claim["verdict"])
    parts = [
        f'<aside class="dc-claim dc-claim-{verdict}" role="note" data-claim="{claim_id}" '
        f'aria-label="Check the claim: {html.escape(VERDICT_TEXT[verdict])}">',
        '<p class="dc-claim-head"><span class="dc-claim-label">Check the claim</span> '
        f'<span class="dc-verdict">{html.escape(VERDICT_TEXT[verdict])}</span></p>',
        f"<blockquote><p>“{html.escape(claim['quote'])}”</p>"
        f"<footer>— {ARTICLE}</footer></blockquote>",
    ]
    if pd.notna(claim["primary_value"]):
        parts.append(
            f"<p><strong>What the source says:</strong> {html.escape(claim['primary_value'])}</p>"
        )
    parts.append(f"<p>{html.escape(claim['explanation'])}</p>")
    parts.append(_evidence_line(claim))
    parts.append("</aside>")
    return "".join(parts)


def _evidence_line(claim: pd.Series) -> str:
    bits = []
    if pd.notna(claim["dataset"]):
        key = f" ({html.escape(claim['dataset_key'])})" if pd.notna(claim["dataset_key"]) else ""
        bits.append(f"Checked against the course dataset <code>{claim['dataset']}</code>{key}.")
    if pd.notna(claim["source_id"]):
        sources = data.load_dataset("sources").set_index("source_id")
        source = sources.loc[claim["source_id"]]
        title = html.escape(source["title"])
        if pd.notna(source["url"]):
            title = f'<a href="{html.escape(source["url"])}">{title}</a>'
        bits.append(f"Source: {title}, {html.escape(source['publisher'])} ({source['kind']}).")
    return f'<p class="dc-claim-evidence">{" ".join(bits)}</p>' if bits else ""


def claim_box_markdown(claim_id: str) -> str:
    """The same box as Markdown, which every notebook front end renders without our CSS."""
    claims = data.load_dataset("article_claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise ValueError(f"no claim {claim_id!r} in article_claims.csv")
    claim = claims.loc[claim_id]
    lines = [
        f"**Check the claim: {VERDICT_TEXT[str(claim['verdict'])]}**",
        "",
        f"“{claim['quote']}” — {ARTICLE}",
        "",
    ]
    if pd.notna(claim["primary_value"]):
        lines += [f"**What the source says:** {claim['primary_value']}", ""]
    lines += [str(claim["explanation"]), ""]
    if pd.notna(claim["dataset"]):
        key = f" ({claim['dataset_key']})" if pd.notna(claim["dataset_key"]) else ""
        lines.append(f"Checked against the course dataset `{claim['dataset']}`{key}.")
    if pd.notna(claim["source_id"]):
        source = data.load_dataset("sources").set_index("source_id").loc[claim["source_id"]]
        title = (
            f"[{source['title']}]({source['url']})"
            if pd.notna(source["url"])
            else str(source["title"])
        )
        lines.append(f"Source: {title}, {source['publisher']} ({source['kind']}).")
    return "\n".join("> " + line if line else ">" for line in lines)


def claim_box(claim_id: str) -> Markdown | _WebsiteClaimBox:
    """Display one claim's box: styled HTML on the website, Markdown in a notebook."""
    if on_website():
        return _WebsiteClaimBox(claim_id)
    return Markdown(claim_box_markdown(claim_id))


class _WebsiteClaimBox:
    """The website shows the styled HTML; the notebook behind its download button the Markdown."""

    def __init__(self, claim_id: str) -> None:
        self.claim_id = claim_id

    def _repr_mimebundle_(self, **_: object) -> dict[str, str]:
        return {
            "text/html": claim_box_html(self.claim_id),
            "text/markdown": claim_box_markdown(self.claim_id),
        }
