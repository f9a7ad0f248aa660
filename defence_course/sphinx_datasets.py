"""The data page: every dataset of the course, its sources, its columns and a download.

The ``dataset-catalogue`` directive writes one section per dataset of ``data/datapackage.json``
(anchor ``dataset-<name>``, which each chart's toolbar links to), and the build copies the
data files into the site's ``data/`` folder, so that the downloads work without the internet.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from defence_course import data
from defence_course.paths import DATA_DIR

SITE_FOLDER = "data"  # the data files' folder in the built site
PAGE = "datasets"  # the page holding the catalogue (datasets.md)
ANCHOR_PREFIX = "dataset-"  # a dataset's section on that page
SECTION_CLASS = "dc-dataset"


def dataset_link(name: str) -> str:
    """A dataset's section on the data page, relative to the site's root.

    The page script is given the link without the name (sphinxext.chart_settings).
    """
    return f"{PAGE}.html#{ANCHOR_PREFIX}{name}"


def paragraph(*parts: nodes.Node | str) -> nodes.paragraph:
    node = nodes.paragraph()
    for part in parts:
        node += nodes.Text(part) if isinstance(part, str) else part
    return node


def with_code(text: str) -> list[nodes.Node]:
    """``text`` with its `backticked` names set as code."""
    return [
        nodes.literal(text=part) if index % 2 else nodes.Text(part)
        for index, part in enumerate(text.split("`"))
        if part
    ]


def link(text: str, uri: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=uri)


def dataset_section(entry: dict[str, Any], root: str) -> nodes.section:
    """One dataset: title, description, size, sources, columns and its file."""
    name = entry["name"]
    section = nodes.section(
        ids=[ANCHOR_PREFIX + name], names=[ANCHOR_PREFIX + name], classes=[SECTION_CLASS]
    )
    section += nodes.title(text=f"{entry.get('title', name)} ({name})")
    if entry.get("description"):
        section += paragraph(*with_code(entry["description"]))
    frame = data.load_dataset(name)
    size = (DATA_DIR / entry["path"]).stat().st_size
    section += paragraph(
        "Download: ",
        link(entry["path"], f"{root}{SITE_FOLDER}/{entry['path']}"),
        f" ({len(frame):,} rows, {size / 1024:,.0f} KB, CSV in UTF-8).",
    )
    sources = nodes.bullet_list()
    for source in entry.get("sources", []):
        title = source.get("title", "")
        item = nodes.list_item()
        item += paragraph(link(title, source["path"]) if source.get("path") else title)
        sources += item
    if len(sources):
        section += paragraph(
            "Sources (each row's ",
            nodes.literal(text="source_id"),
            " names its own in the sources dataset):",
        )
        section += sources
    columns = nodes.bullet_list()
    for field in entry.get("schema", {}).get("fields", []):
        item = nodes.list_item()
        item += paragraph(
            nodes.literal(text=field["name"]),
            f" ({field.get('type', 'string')})",
            *([": ", *with_code(field["description"])] if field.get("description") else []),
        )
        columns += item
    section += paragraph("Columns:")
    section += columns
    return section


class DatasetCatalogue(SphinxDirective):
    """``{dataset-catalogue}``: a section for each dataset of the course's Data Package."""

    def run(self) -> list[nodes.Node]:
        root = "../" * self.env.docname.count("/")
        package = data.read_package()
        licences = package.get("licenses", [])
        intro = paragraph(
            "The whole package: ",
            link(data.PACKAGE_FILE, f"{root}{SITE_FOLDER}/{data.PACKAGE_FILE}"),
            " (a Frictionless Data Package describing every file below). Licence: ",
            *[link(licence.get("title", licence["name"]), licence["path"]) for licence in licences],
            ".",
        )
        self.env.note_dependency(str(DATA_DIR / data.PACKAGE_FILE))
        return [intro, *(dataset_section(entry, root) for entry in package["resources"])]


def copy_data_files(app: Any, exception: Exception | None) -> None:
    """Put the Data Package and its files into the built site (HTML builds only)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SITE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    files = [data.PACKAGE_FILE, *(entry["path"] for entry in data.read_package()["resources"])]
    for name in files:
        shutil.copy2(DATA_DIR / name, target / name)


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("dataset-catalogue", DatasetCatalogue)
    app.connect("build-finished", copy_data_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
