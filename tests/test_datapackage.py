"""The Data Package is valid and every dataset is documented and sourced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from defence_course import data
from defence_course.paths import DATA_DIR


def test_frictionless_validates_the_package():
    frictionless = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        capture_output=True,
        text=True,
        cwd=DATA_DIR,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert '"valid": true' in done.stdout


def test_every_csv_is_a_described_resource():
    described = {f"{name}.csv" for name in data.dataset_names()}
    on_disk = {p.name for p in DATA_DIR.glob("*.csv")}
    assert on_disk == described


def test_every_dataset_has_title_description_sources_and_field_descriptions():
    package = data.read_package()
    assert package.get("licenses")
    for entry in package["resources"]:
        assert entry.get("title") and entry.get("description"), entry["name"]
        assert entry.get("sources"), f"{entry['name']} names no source"
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name in data.dataset_names():
        if name != "sources":
            assert f"`{name}`" in readme, f"data/README.md does not describe {name}"


def test_every_row_cites_a_known_source():
    known = set(data.load_dataset("sources")["source_id"])
    for name in data.dataset_names():
        frame = data.load_dataset(name)
        for column in [c for c in frame.columns if c.endswith("source_id")]:
            cited = set(frame[column].dropna())
            assert cited <= known, f"{name}.{column} cites unknown sources {cited - known}"


def test_article_claims_use_the_verdict_scale_and_name_their_evidence():
    claims = data.load_dataset("article_claims")
    assert set(claims["verdict"].dropna()) <= {
        "supported",
        "qualified",
        "corrected",
        "unverifiable",
    }
    checked = claims[claims["verdict"] != "unverifiable"]
    assert checked["source_id"].notna().all(), "a checked claim does not cite its source"
