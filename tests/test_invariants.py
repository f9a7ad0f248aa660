"""Invariants a computer can check across the whole course (issue 11).

1. **The same figure agrees wherever it is stated.** A number written out on one page (the
   glossary, a quiz explanation, the conclusion) that is glued from the data on another must equal
   the value the chapter's ``facts()`` function computes.
2. **Claim boxes agree with the data.** For each claim of ``article_claims`` that names a
   dataset, the figures its box states ("What the source says") are the figures the course's
   datasets give today; quotations of treaty text are in ``treaty_articles``.
3. **Every treaty article cited exists.** Each "Art. 42(7) TEU", "TFEU Article 238(2)",
   "Article 4 of the North Atlantic Treaty" on a page, in the glossary or in a claim box has a
   row in ``treaty_articles``.

Each check is a function that returns the list of problems, each naming what is wrong and where;
the ``*_catches_*`` tests feed it a broken input to show that it can fail.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pytest

from defence_course import data
from defence_course.chapters import CHAPTERS
from defence_course.figures import capability
from defence_course.paths import REPO_ROOT

# --------------------------------------------------------------------------------------------
# Pages


PAGES = [
    "intro.md",
    "glossary.md",
    "timeline.md",
    *sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "chapters").glob("*.md")),
]


def page_texts() -> dict[str, str]:
    return {page: (REPO_ROOT / page).read_text(encoding="utf-8") for page in PAGES}


def all_facts() -> dict[str, object]:
    """Every glued fact of every chapter, by name (the names are unique across chapters)."""
    merged: dict[str, object] = {}
    for chapter in CHAPTERS:
        module = chapter.figures()
        facts = module.facts()
        clash = set(facts) & set(merged)
        assert not clash, f"{module.__name__}.facts() reuses the names {sorted(clash)}"
        merged.update(facts)
    return merged


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


# --------------------------------------------------------------------------------------------
# 1. The same figure on two pages

# (page, pattern, facts): each group the pattern captures must read as the named fact.
# Whitespace in a pattern matches any run of whitespace, so a reflowed line still matches.
WRITTEN_OUT: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "intro.md",
        r"(\d+) of the (\d+) participants, according to President Macron",
        ("coalition_committed", "coalition_participants"),
    ),
    (
        "glossary.md",
        r"by numbers, (\d+) of the (\d+) states",
        ("const_blocking_states", "const_members"),
    ),
    ("glossary.md", r"fall short of the (\d+) a qualified majority needs", ("const_state_quota",)),
    (
        "glossary.md",
        r"55 % of the member states \((\d+) of (\d+)\)",
        ("const_state_quota", "const_members"),
    ),
    (
        "glossary.md",
        r"72 % of the states \((\d+) of (\d+)\)",
        ("const_reinforced_quota", "const_members"),
    ),
    ("glossary.md", r"lends member states up to EUR (\d+) billion", ("safe_total",)),
    (
        "chapters/02_us_posture.md",
        r"most striking figures, (\d+) and (\d+) per cent",
        ("posture_less_safe", "posture_enemy"),
    ),
    (
        "chapters/02_us_posture.md",
        r"rise to (\d+) per cent, not a first",
        ("posture_support_2025",),
    ),
    (
        "chapters/03_capability_dependence.md",
        r"(\d+) per cent, up from (\d+) per cent in 2015–19\. SIPRI's 2026 report puts 2021–25 at "
        r"(\d+) per cent",
        ("cap_us_share_2024", "cap_us_share_1519", "cap_us_share_2125"),
    ),
    (
        "chapters/03_capability_dependence.md",
        r"you compute (\d+) % with Türkiye's fleet and (\d+) %",
        ("cap_us_fleet_share", "cap_us_fleet_share_no_tr"),
    ),
    (
        "chapters/03_capability_dependence.md",
        r"without them the share is (\d+) %, about two in",
        ("cap_us_fleet_share_no_tr",),
    ),
    (
        "chapters/04_eu_nato_overlap.md",
        r"joined NATO, (\d+) of the (\d+) EU members are allies",
        ("overlap_both", "overlap_eu"),
    ),
    (
        "chapters/06_conclusion.md",
        r"The (\d+) and (\d+) per cent come from one poll",
        ("posture_less_safe", "posture_enemy"),
    ),
    ("chapters/06_conclusion.md", r"(\d+) states are in both clubs", ("overlap_both",)),
    ("chapters/06_conclusion.md", r"adopted SAFE, EUR (\d+) billion", ("safe_total",)),
    (
        "chapters/06_conclusion.md",
        r"(\d+) took part, in person or by video; (\d+) formally "
        r"committed",
        ("coalition_participants", "coalition_committed"),
    ),
    (
        "chapters/06_conclusion.md",
        r"(Poland), with about EUR ([\d.]+) billion of the (\d+) billion",
        ("safe_largest", "safe_largest", "safe_total"),
    ),
]


def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ", r"\s+"))


def _reads_as(written: str, fact: object) -> bool:
    """A written-out number agrees with a fact: the same number, or (for a text fact such as
    'Poland (EUR 43.7 billion)') a part of it."""
    if isinstance(fact, str) and not re.fullmatch(r"[\d,.]+%?", fact):
        return written in fact
    return written.replace(",", "") == str(fact).replace(",", "").rstrip("%")


def written_out_errors(
    texts: Mapping[str, str], facts: Mapping[str, object], statements=WRITTEN_OUT
) -> list[str]:
    """Figures written out on a page that disagree with the fact glued elsewhere."""
    errors = []
    for page, pattern, names in statements:
        text = texts[page]
        match = _pattern(pattern).search(text)
        if match is None:
            errors.append(
                f"{page}: the statement /{pattern}/ is no longer on the page; update "
                "WRITTEN_OUT in tests/test_invariants.py to the new wording"
            )
            continue
        for group, name in enumerate(names, start=1):
            written = match.group(group)
            if name not in facts:
                errors.append(f"{page}: no fact {name!r} in any chapter's facts()")
            elif not _reads_as(written, facts[name]):
                errors.append(
                    f"{page}:{line_of(text, match.start(group))}: writes {written!r} "
                    f"where the data give {name} = {facts[name]!r}"
                )
    return errors


def test_figures_written_out_agree_with_the_glued_facts():
    assert written_out_errors(page_texts(), all_facts()) == []


def test_written_out_check_catches_a_changed_figure():
    texts = page_texts()
    texts["glossary.md"] = texts["glossary.md"].replace(
        "by numbers, 13 of the 27", "by numbers, 12 of the 27"
    )
    errors = written_out_errors(texts, all_facts())
    assert len(errors) == 1
    assert errors[0].startswith("glossary.md:")
    assert "writes '12' where the data give const_blocking_states = 13" in errors[0]


def test_written_out_check_catches_a_changed_fact_and_a_lost_statement():
    facts = {**all_facts(), "coalition_participants": 36}
    errors = written_out_errors(page_texts(), facts)
    assert any(e.startswith("intro.md:") and "coalition_participants = 36" in e for e in errors)
    assert any(e.startswith("chapters/06_conclusion.md:") for e in errors)
    texts = {**page_texts(), "intro.md": "no such sentence"}
    assert any("is no longer on the page" in e for e in written_out_errors(texts, all_facts()))


# --------------------------------------------------------------------------------------------
# 2. Claim boxes against the data


def _eu27(question_id: str) -> str:
    opinion = data.load_dataset("opinion")
    row = opinion[opinion["question_id"].eq(question_id) & opinion["country"].isna()]
    assert len(row) == 1, f"opinion: expected one all-country row for {question_id!r}"
    return f"{row['value_pct'].iloc[0]:.0f}"


def _fleet_sum(**where: str) -> int:
    fleets = data.load_dataset("fighter_fleets")
    for column, value in where.items():
        fleets = fleets[fleets[column].astype(str).eq(value)]
    return int(fleets["in_service"].sum())


def _patriot_states() -> str:
    air = data.load_dataset("air_defence")
    return str(air.loc[air["system"].eq("Patriot"), "country"].nunique())


def _us_import_shares() -> list[str]:
    imports = data.load_dataset("arms_imports")
    rows = imports[
        imports["period"].eq("2020-24")
        & imports["supplier"].eq("United States")
        & imports["country"].isin(["NO", "SE", "IT", "NL", "GB", "DE"])
    ]
    return [f"{v:.0f}%" for v in sorted(set(rows["value"]))]


def _troop_positions() -> list[str]:
    """c03: the five states' positions on ground troops on 4 Sept 2025, as the box words them."""
    coalition = data.load_dataset("coalition_of_the_willing")
    stated = coalition[
        coalition["item"].eq("stated position") & coalition["date"].astype(str).eq("2025-09-04")
    ]
    position = stated.set_index("country")["contributes_ground_troops"].astype(str)
    words = {"yes": "open to troops", "undecided": "undecided", "no": "ruled out troops"}
    groups: dict[str, list[str]] = {}
    for country in ("FR", "GB", "DE", "IT", "PL"):
        groups.setdefault(words.get(position.get(country, ""), "?"), []).append(country)
    return [" and ".join(states) + " " + wording for wording, states in groups.items()]


def _incident_counts() -> list[str]:
    """c04: aircraft counted in the Polish (9-10 Sept) and Estonian (19 Sept) incidents."""
    incidents = data.load_dataset("incidents")
    count = incidents.set_index(
        incidents["date"].astype(str) + " " + incidents["country"].astype(str)
    )["aircraft_count"]
    return [
        f"({count['2025-09-09 PL']} airspace violations",
        f"EE: {count['2025-09-19 EE']} MiG-31",
    ]


def _monthly_drones() -> list[str]:
    """c05: the range of the AFP monthly counts of June-December 2025, to the nearest hundred."""
    drones = data.load_dataset("drone_attacks_ukraine")
    monthly = drones[
        drones["counted_by"].astype(str).str.endswith("compiled by AFP")
        & (drones["period_start"].astype(str) >= "2025-06-01")
    ]
    low, high = monthly["drones_launched"].min(), monthly["drones_launched"].max()
    return [f"about {round(low, -2):,.0f}-{round(high, -2):,.0f} long-range drones a month"]


def _targets() -> list[str]:
    targets = data.load_dataset("spending_targets").set_index("target_id")["value_pct_gdp"]
    return [
        f"{targets[t]:g}%"
        for t in ("hague-total-2035", "hague-core-2035", "hague-related-2035", "nato-2pct-2006")
    ]


def _orders_by_family() -> pd.Series:
    orders = capability.counted_orders()
    return orders.groupby("family")["ordered"].sum()


def _claim_figures() -> dict[str, Callable[[], list[str]]]:
    """For each claim box that states figures from a course dataset: the figures, computed
    from the data and written as the box writes them. Each must appear in the box."""
    facts = all_facts()
    fleet_total = _fleet_sum()
    us_total = _fleet_sum(origin="US")
    return {
        "c01": lambda: [f"{facts['coalition_participants']} participants"],
        "c02": lambda: [f"{facts['coalition_committed']} formally committed"],
        "c03": _troop_positions,
        "c04": _incident_counts,
        "c05": _monthly_drones,
        "c07": lambda: [f"EUR {facts['safe_total']} bn", f"among {facts['safe_states']} states"],
        "c09": lambda: [_eu27("lgc-2025-03-trump-election-world-less-safe")],
        "c10": lambda: [_eu27("lgc-2025-03-trump-enemy-of-europe")],
        "c13": lambda: [
            _eu27("eb96-2022-common-defence-security-policy"),
            _eu27("eb100-2023-common-defence-security-policy"),
            _eu27("eb101-2024-common-defence-security-policy"),
            f"{_eu27('eb103-2025-common-defence-security-policy')} in spring 2025",
        ],
        "c14": lambda: [
            f"{_eu27('eb100-2023-more-eu-defence-cooperation')} (2023)",
            f"{_eu27('eb102-2024-more-defence-cooperation')} (autumn 2024)",
        ],
        "c18": lambda: [
            f"{us_total:,} of {fleet_total:,} = {facts['cap_us_fleet_share']}",
            f"= {facts['cap_us_fleet_share_no_tr']} without",
        ],
        "c19": lambda: [f"Patriot in {_patriot_states()} European states"],
        "c20": _us_import_shares,
        "c21": lambda: [
            f"{facts['cap_f35_sipri']} F-35s",
            f"F-35 {facts['cap_f35_ordered']}",
            f"{facts['cap_f35_announced']} announced",
            f"European types {facts['cap_european_ordered']}",
            f"Eurofighter {_orders_by_family()['Eurofighter']}",
            f"Rafale {_orders_by_family()['Rafale']}",
            f"Gripen {_orders_by_family()['Gripen']}",
        ],
        "c22": lambda: [
            f"Eurofighter {_fleet_sum(aircraft_type='Eurofighter Typhoon')} "
            f"({_fleet_sum(aircraft_type='Eurofighter Typhoon') / fleet_total:.0%})",
            f"Rafale {_fleet_sum(aircraft_type='Rafale')} "
            f"({_fleet_sum(aircraft_type='Rafale') / fleet_total:.0%})",
            f"of {fleet_total:,}",
            f"all US types {us_total} ({us_total / fleet_total:.0%})",
        ],
        "c23": _targets,
        "c26": lambda: [str(facts["overlap_both"])],
        "c33": lambda: [
            f"{facts['coalition_participants']} participants",
            f"EUR {facts['safe_total']} bn",
            f"to {facts['safe_states']} states",
        ],
    }


def _mentions(box: str, figure: str) -> bool:
    """``figure`` appears in ``box`` as a whole (not as part of a longer number)."""
    return (
        re.search(r"(?<![\d.,])" + re.escape(figure).replace(r"\ ", r"\s+") + r"(?![\d])", box)
        is not None
    )


def claim_figure_errors(
    claims: pd.DataFrame, figures: Mapping[str, Callable[[], list[str]]]
) -> list[str]:
    """Claim boxes whose stated figures are not those the datasets give."""
    errors = []
    by_id = claims.set_index("claim_id")
    for claim_id, compute in figures.items():
        if claim_id not in by_id.index:
            errors.append(f"article_claims.csv: no claim {claim_id!r}")
            continue
        box = str(by_id.loc[claim_id, "primary_value"])
        for figure in compute():
            if not _mentions(box, figure):
                errors.append(
                    f"article_claims.csv, claim {claim_id} (dataset "
                    f"{by_id.loc[claim_id, 'dataset']}): the data give {figure!r}, "
                    f"which the box does not state: {box!r}"
                )
    return errors


def test_claim_boxes_state_the_figures_of_the_data():
    assert claim_figure_errors(data.load_dataset("article_claims"), _claim_figures()) == []


def test_every_claim_with_a_numeric_dataset_is_checked():
    """A new claim against a dataset gets a figure check (treaty quotations are checked below)."""
    claims = data.load_dataset("article_claims")
    with_data = claims[
        claims["dataset"].notna()
        & ~claims["dataset"].isin(["treaty_articles", "threat_assessments", "timeline"])
    ]
    unchecked = sorted(set(with_data["claim_id"]) - set(_claim_figures()))
    assert unchecked == [], f"claims against a dataset without a figure check: {unchecked}"


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of data/ that a test may break; the loader reads it instead of data/."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    data.clear_cache()
    yield copy
    data.clear_cache()


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_claim_check_catches_data_that_changed(broken_data):
    _replace_in(
        broken_data / "coalition_of_the_willing.csv",
        ",2025-09-04,participants,35,",
        ",2025-09-04,participants,36,",
    )
    _replace_in(
        broken_data / "opinion.csv",
        "lgc-2025-03-trump-enemy-of-europe,,9-country average,51.0",
        "lgc-2025-03-trump-enemy-of-europe,,9-country average,52.0",
    )
    errors = claim_figure_errors(data.load_dataset("article_claims"), _claim_figures())
    assert {e.split(" (dataset")[0] for e in errors} == {
        "article_claims.csv, claim c01",
        "article_claims.csv, claim c10",
        "article_claims.csv, claim c33",
    }
    assert "the data give '36 participants'" in errors[0]


# Quotations of treaty text in claim boxes.


def _provision_ids(key: str) -> list[str]:
    match = re.search(r"provision_id=(.*)", key)
    return [p.strip() for p in match.group(1).split(";")] if match else []


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def treaty_claim_errors(claims: pd.DataFrame, treaty: pd.DataFrame) -> list[str]:
    """Claims checked against ``treaty_articles``: the provisions they name exist, and each
    passage the box quotes ('...') is in the text of one of them."""
    errors = []
    texts = treaty.set_index("provision_id")["text"]
    for claim in claims[claims["dataset"].eq("treaty_articles")].itertuples():
        ids = _provision_ids(str(claim.dataset_key))
        if not ids:
            errors.append(
                f"article_claims.csv, claim {claim.claim_id}: dataset_key "
                f"{claim.dataset_key!r} names no provision_id"
            )
        missing = [p for p in ids if p not in texts.index]
        if missing:
            errors.append(
                f"article_claims.csv, claim {claim.claim_id}: provisions {missing} are "
                "not in treaty_articles.csv"
            )
        wording = " ".join(
            _normalise(str(texts[p])) for p in ids if p in texts.index and pd.notna(texts[p])
        )
        for quoted in re.findall(r"'([^']{12,})'", _normalise(str(claim.primary_value))):
            for part in (p.strip() for p in quoted.split("...")):
                if part and part not in wording:
                    errors.append(
                        f"article_claims.csv, claim {claim.claim_id}: the box quotes "
                        f"{part!r}, which is not in the text of {ids}"
                    )
    return errors


def test_treaty_quotations_in_claim_boxes_are_in_the_treaty_text():
    assert (
        treaty_claim_errors(
            data.load_dataset("article_claims"), data.load_dataset("treaty_articles")
        )
        == []
    )


def test_treaty_quotation_check_catches_a_misquote_and_a_missing_provision():
    claims = data.load_dataset("article_claims")
    treaty = data.load_dataset("treaty_articles")
    row = claims.index[claims["claim_id"].eq("c28")][0]
    claims.loc[row, "primary_value"] = (
        "'In particular, national security remains a shared responsibility.'"
    )
    claims.loc[claims["claim_id"].eq("c25"), "dataset_key"] = "provision_id=NAT-5; NAT-6"
    errors = treaty_claim_errors(claims, treaty)
    assert len(errors) == 2
    assert "claim c25: provisions ['NAT-6'] are not in treaty_articles.csv" in errors[0]
    assert (
        "claim c28: the box quotes 'In particular, national security remains a shared" in errors[1]
    )


# --------------------------------------------------------------------------------------------
# 3. Every treaty article cited exists in treaty_articles

TREATIES = {"TEU": "TEU", "TFEU": "TFEU", "North Atlantic Treaty": "North Atlantic Treaty"}
_REF = r"\d+(?:\(\d+\))?(?:\([a-z]\))?"
_LIST = rf"{_REF}(?:(?:,\s*|\s+(?:and|or|to)\s+){_REF})*"
_ART = r"(?:Art\.|Arts\.?|Articles?)"
# "TEU Article 16(4)", "TEU Articles 31(4) and 42(4)", "TFEU Art. 238(2)"
_BEFORE = re.compile(rf"\b(TEU|TFEU)\s+{_ART}\s+({_LIST})")
# "Article 42(7) TEU", "Art. 238(3) TFEU", "Articles 31 and 42(4) TEU", "Article 4 of the North
# Atlantic Treaty", "Article 5 (North Atlantic Treaty)"
_AFTER = re.compile(
    rf"\b{_ART}\s+({_LIST})\s+(?:of\s+the\s+|\()?(TEU|TFEU|North\s+Atlantic\s+"
    r"Treaty)\b"
)

# Citations that are meant not to exist: the source article's own wrong reference, which the
# course names in order to correct it, and the values article it is confused with.
NOT_IN_THE_DATASET = {
    ("TEU", 2, 4): "the source article's mistaken 'Article 2(4) TEU' (the text is TFEU 2(4))",
    ("TEU", 2, None): "TEU Article 2, the values article, named to show it has no paragraph 4",
}


def cited_articles(text: str) -> list[tuple[str, int, int | None, int]]:
    """(treaty, article, paragraph, offset) of every treaty article the text cites."""
    found = []
    for match in _BEFORE.finditer(text):
        found += _expand(match.group(1), match.group(2), match.start())
    for match in _AFTER.finditer(text):
        found += _expand(re.sub(r"\s+", " ", match.group(2)), match.group(1), match.start())
    return found


def _expand(treaty: str, refs: str, offset: int) -> list[tuple[str, int, int | None, int]]:
    out = []
    for ref in re.finditer(r"(\d+)(?:\((\d+)\))?", refs):
        paragraph = int(ref.group(2)) if ref.group(2) else None
        out.append((TREATIES[treaty], int(ref.group(1)), paragraph, offset))
    return out


def citation_errors(texts: Mapping[str, str], treaty: pd.DataFrame) -> list[str]:
    """Treaty articles cited on a page that have no row in ``treaty_articles``."""
    articles = {(str(r.treaty), int(r.article)) for r in treaty.itertuples()}
    paragraphs = {
        (str(r.treaty), int(r.article), int(r.paragraph))
        for r in treaty.itertuples()
        if pd.notna(r.paragraph)
    }
    errors = []
    for page, text in texts.items():
        for name, article, paragraph, offset in cited_articles(text):
            if (name, article, paragraph) in NOT_IN_THE_DATASET:
                continue
            known = (
                (name, article, paragraph) in paragraphs
                if paragraph is not None
                else (name, article) in articles
            )
            if not known:
                cited = f"{name} Article {article}" + (f"({paragraph})" if paragraph else "")
                errors.append(
                    f"{page}:{line_of(text, offset)}: cites {cited}, which has no row "
                    "in treaty_articles.csv"
                )
    return errors


def claim_texts() -> dict[str, str]:
    """The text of every claim box, as a page of its own ('article_claims.csv, claim c29')."""
    claims = data.load_dataset("article_claims")
    return {
        f"article_claims.csv, claim {c.claim_id}": " ".join(
            str(v) for v in (c.primary_value, c.explanation) if pd.notna(v)
        )
        for c in claims.itertuples()
    }


def test_citation_parser_reads_the_forms_the_course_uses():
    text = (
        "Art. 42(7) TEU; TEU Articles 31(4) and 42(4); Article 238(2) TFEU; TEU Art. 16(4); "
        "Articles 31 and 42(4) TEU; Article 4 of the North Atlantic Treaty; "
        "Article 5 (North Atlantic Treaty); TEU Articles 42 to 46"
    )
    assert [c[:3] for c in cited_articles(text)] == [
        ("TEU", 31, 4),
        ("TEU", 42, 4),
        ("TEU", 16, 4),
        ("TEU", 42, None),
        ("TEU", 46, None),
        ("TEU", 42, 7),
        ("TFEU", 238, 2),
        ("TEU", 31, None),
        ("TEU", 42, 4),
        ("North Atlantic Treaty", 4, None),
        ("North Atlantic Treaty", 5, None),
    ]


def test_every_treaty_article_cited_is_in_treaty_articles():
    assert (
        citation_errors({**page_texts(), **claim_texts()}, data.load_dataset("treaty_articles"))
        == []
    )


def test_citation_check_catches_an_unknown_article():
    texts = {
        "chapters/05_constitutional_limits.md": "Line one.\nAs Art. 99(9) TEU says, and "
        "TFEU Article 122 too."
    }
    assert citation_errors(texts, data.load_dataset("treaty_articles")) == [
        "chapters/05_constitutional_limits.md:2: cites TEU Article 99(9), which has no row in "
        "treaty_articles.csv"
    ]
