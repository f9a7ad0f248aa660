"""Source policy: every cited source is its originator, or says why not; no aggregator, mirror,
forum or state media of a party to the war is ever a cited address (issue 11).

`sources.csv` classifies each document by `kind` (documented in datapackage.json and
data/README.md). A figure (any dataset row with a source id) must cite an originator kind, or
its source row must carry a `justification`. The copy that was actually read may be an
aggregator: that goes into `how_read`, never into `url`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from defence_course import data
from defence_course.paths import REPO_ROOT as ROOT

# Domains that are never a cited source: state media of a party to the war, aggregators and
# rewrite sites, mirrors of Wikipedia or of other sites, forums, and Wikipedia itself.
DISALLOWED_DOMAINS = (
    # state media of a party to the war (Russia; Ukraine's state agency Ukrinform)
    "tass.com",
    "tass.ru",
    "ria.ru",
    "rt.com",
    "sputniknews.com",
    "sputnikglobe.com",
    "ukrinform.net",
    "ukrinform.ua",
    # aggregators, rewrite and syndication sites
    "zerohedge.com",
    "menafn.com",
    "exbulletin.com",
    "dagens.com",
    "tradeworldnews.com",
    "capitalfm.co.ke",
    "econotimes.com",
    "devdiscourse.com",
    "voz.us",
    "boursorama.com",
    "eurasiareview.com",
    "urdupoint.com",
    "vietnam.vn",
    "1001infos.net",
    "vpk.name",
    "theworldnewstoday.com",
    "xiaomi-ai.com",
    "viralmag.fr",
    "progleton.com",
    "teakdoor.com",
    "masress.com",
    "timesnetwork.co.nz",
    "lccodebase.cn",
    "europesays.com",
    "particle.news",
    "steelcitydaily.com",
    "nbcconnecticut.com",
    "mycentraloregon.com",
    "weisradio.com",
    "fakti.bg",
    "gulftime.ae",
    "dnyuz.com",
    "militaryspot.com",
    "ovb-heimatzeitungen.de",
    "financialreports.eu",
    "mondaq.com",
    # mirrors and document-sharing copies
    "niu-learning.com",
    "lfwp.net",
    "politikinewsaaa.blogspot.com",
    "eu-info.jp",
    "openrijk.nl",
    "lexaris.ch",
    "liquisearch.com",
    "theinfolist.com",
    "wikipedia.org",
    "kiwix",
    "birch.quest",
    "studylib.es",
    "studylib.net",
    "5dok.net",
    "docslib.org",
    "policycommons.net",
    # forums
    "aseannow.com",
    "reddit.com",
    "boards.ie",
)
ORIGINATORS = {
    "official",
    "data publisher",
    "company",
    "academic",
    "think tank",
    "news agency",
    "newspaper of record",
}
NEEDS_JUSTIFICATION = {"news media", "trade press", "law firm", "reference work", "code repository"}
STATE_MEDIA = "state media (object of analysis only)"


def disallowed_domain(url: str) -> str | None:
    """The disallowed domain ``url`` belongs to, or None."""
    if not isinstance(url, str) or not url.strip():
        return None
    host = urlparse(url.strip()).netloc.lower() or url.lower()
    for domain in DISALLOWED_DOMAINS:
        if host == domain or host.endswith("." + domain) or domain in host:
            return domain
    return None


def cited_source_ids() -> dict[str, list[str]]:
    """Every source id a dataset row cites, with where (dataset:row) it is cited."""
    cited: dict[str, list[str]] = {}
    for name in data.dataset_names():
        if name == "sources":
            continue
        frame = data.load_dataset(name)
        for column in [c for c in frame.columns if c.endswith("source_id")]:
            for index, value in frame[column].dropna().items():
                cited.setdefault(str(value), []).append(f"{name}:{index + 2}")
        # bracketed source ids inside notes, e.g. "[h1-at-neutrality-law]"
        for column in [c for c in frame.columns if c.endswith("note")]:
            for index, value in frame[column].dropna().items():
                for group in re.findall(r"\[([^\]]+)\]", str(value)):
                    for sid in re.split(r";\s*", group):
                        cited.setdefault(sid.strip(), []).append(f"{name}:{index + 2} note")
    return cited


def chapter_citations() -> dict[str, list[str]]:
    """Source ids cited with {cite} in the book's pages."""
    cited: dict[str, list[str]] = {}
    pages = [
        *sorted((ROOT / "chapters").glob("*.md")),
        ROOT / "intro.md",
        ROOT / "glossary.md",
        ROOT / "timeline.md",
    ]
    for page in pages:
        for keys in re.findall(r"\{cite\}`([^`]+)`", page.read_text(encoding="utf-8")):
            for key in keys.split(","):
                cited.setdefault(key.strip(), []).append(Path(page).name)
    return cited


def policy_problems(sources: pd.DataFrame, cited: dict[str, list[str]]) -> list[str]:
    """Every breach of the source policy among the cited sources, as readable messages."""
    problems = []
    table = sources.set_index("source_id")
    for sid, where in sorted(cited.items()):
        if sid not in table.index:
            continue  # unknown ids are the loader's business (foreign keys)
        row = table.loc[sid]
        domain = disallowed_domain(row["url"])
        if domain:
            problems.append(
                f"{sid} (cited by {where[0]}) has a disallowed address ({domain}): "
                "cite the originator and put the copy in how_read"
            )
        kind = str(row["kind"])
        if kind == STATE_MEDIA:
            problems.append(
                f"{sid} is state media of a party to the war and is cited as evidence by {where[0]}"
            )
        elif kind not in ORIGINATORS:
            justification = row.get("justification")
            if kind not in NEEDS_JUSTIFICATION:
                problems.append(f"{sid} has an unknown kind {kind!r}")
            elif not isinstance(justification, str) or not justification.strip():
                problems.append(
                    f"{sid} ({kind}) is cited by {where[0]} but is not an "
                    "originator and has no justification"
                )
    return problems


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.load_dataset("sources")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://tass.com/world/2012443", "tass.com"),
        ("https://www.zerohedge.com/geopolitical/x", "zerohedge.com"),
        ("https://en.wikipedia.org/wiki/List", "wikipedia.org"),
        ("https://aseannow.com/profile/1/content", "aseannow.com"),
        ("https://www.nato.int/cps/en/natohq/news_112461.htm", None),
        ("https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng", None),
        ("", None),
    ],
)
def test_disallowed_domains_are_recognised(url, expected):
    assert disallowed_domain(url) == expected


def test_the_policy_catches_a_bad_row(sources):
    """The check itself must fail on a cited aggregator and on an unjustified secondary row."""
    bad = pd.DataFrame(
        [
            {
                "source_id": "x-tass",
                "url": "https://tass.com/world/1",
                "kind": "news media",
                "justification": "because",
            },
            {
                "source_id": "x-blog",
                "url": "https://example.org/post",
                "kind": "news media",
                "justification": None,
            },
            {"source_id": "x-state", "url": "", "kind": STATE_MEDIA, "justification": None},
            {
                "source_id": "x-ok",
                "url": "https://www.nato.int/x",
                "kind": "official",
                "justification": None,
            },
        ]
    )
    problems = policy_problems(bad, {sid: ["test:1"] for sid in bad["source_id"]})
    assert len(problems) == 3
    assert any("x-tass" in p and "tass.com" in p for p in problems)
    assert any("x-blog" in p and "no justification" in p for p in problems)
    assert any("x-state" in p and "state media" in p for p in problems)


def test_every_source_cited_by_a_figure_is_an_originator_or_justified(sources):
    problems = policy_problems(sources, cited_source_ids())
    assert not problems, "source policy broken:\n" + "\n".join(problems)


def test_every_source_cited_in_the_text_is_an_originator_or_justified(sources):
    problems = policy_problems(sources, chapter_citations())
    assert not problems, "source policy broken:\n" + "\n".join(problems)


def test_no_source_row_at_all_has_a_disallowed_address(sources):
    bad = [
        f"{r.source_id}: {disallowed_domain(r.url)}"
        for r in sources.itertuples()
        if disallowed_domain(r.url)
    ]
    assert not bad, "remove or replace these sources: " + ", ".join(bad)


def test_state_media_is_never_further_reading(sources):
    state = set(sources.loc[sources["kind"] == STATE_MEDIA, "source_id"])
    for sid, pages in chapter_citations().items():
        assert sid not in state, f"{sid} is state media and is cited in {pages}"
    for page in [*sorted((ROOT / "chapters").glob("*.md")), ROOT / "intro.md"]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\bTASS\b|tass\.com", text), f"{page.name} mentions TASS"
