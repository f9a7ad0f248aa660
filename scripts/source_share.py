"""How many of the figures in data/ cite an originator (issue 11).

A *figure* is one source citation of one dataset row: a non-empty ``*source_id`` cell (the
countries table has two such columns, membership and population, so one of its rows can give
two figures). A figure cites an originator when its source's ``kind`` in ``sources.csv`` is one
of ``ORIGINATORS`` (the same list as ``tests/test_sources.py``); it was *read at the originator*
when that source also has an address (``url``) of its own and ``how_read`` does not say that a
copy was read instead.

Run from the repository root:

    .venv/bin/python scripts/source_share.py            # totals
    .venv/bin/python scripts/source_share.py --by-kind  # and the figures by kind of source
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

from defence_course import data

ORIGINATORS = {
    "official",
    "data publisher",
    "company",
    "academic",
    "think tank",
    "news agency",
    "newspaper of record",
}
# how_read wording that says the document was not read at its own address
COPY_WORDS = re.compile(
    r"\b(copy|copies|reproduc|not read|as reported|transcri|quoted by|"
    r"quoted in|read in|via)\w*",
    re.I,
)


def figures() -> list[tuple[str, int, str]]:
    """(dataset, CSV line, source_id) of every source citation in the datasets."""
    cited = []
    for name in data.dataset_names():
        if name == "sources":
            continue
        frame = data.load_dataset(name)
        for column in [c for c in frame.columns if c.endswith("source_id")]:
            for index, value in frame[column].dropna().items():
                cited.append((name, index + 2, str(value)))
    return cited


def share() -> dict[str, object]:
    sources = data.load_dataset("sources").set_index("source_id")
    cited = figures()
    kinds = Counter(str(sources.loc[sid, "kind"]) for _, _, sid in cited)
    originator = [c for c in cited if str(sources.loc[c[2], "kind"]) in ORIGINATORS]
    at_origin = [
        c
        for c in originator
        if isinstance(sources.loc[c[2], "url"], str)
        and sources.loc[c[2], "url"]
        and not COPY_WORDS.search(str(sources.loc[c[2], "how_read"]))
    ]
    return {
        "figures": len(cited),
        "originator": len(originator),
        "read_at_originator": len(at_origin),
        "by_kind": kinds,
        "sources_cited": len({sid for _, _, sid in cited}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--by-kind", action="store_true", help="list the figures by kind")
    args = parser.parse_args(argv)
    result = share()
    total = result["figures"]
    print(f"figures (dataset rows x source columns) with a source: {total}")
    print(f"citing an originator: {result['originator']} ({result['originator'] / total:.0%})")
    print(
        f"of which read at the originator's own address: {result['read_at_originator']} "
        f"({result['read_at_originator'] / total:.0%})"
    )
    if args.by_kind:
        for kind, count in result["by_kind"].most_common():
            print(f"  {kind}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
