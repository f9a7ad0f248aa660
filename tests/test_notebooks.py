"""The reader's notebooks: every page as a notebook that reads well outside the website."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from defence_course import notebook_cells, notebooks, selfcheck
from defence_course.notebooks import PAGES, PageContext, convert_inline, convert_markdown
from defence_course.paths import REPO_ROOT

# What a reader must never see as raw text in a notebook: website markup and quiz answers.
RAW_MARKUP = re.compile(
    r"\{glue|\{term\}|\{cite|\{doc\}|\{ref\}|\{quiz\}|:::|\(\w[\w-]*\)=|"
    r'"answer"'
)


@pytest.fixture(scope="module")
def reader_notebooks() -> dict[str, nbformat.NotebookNode]:
    return {docname: notebooks.page_notebook(docname) for docname in PAGES}


def page(facts=None) -> PageContext:
    return PageContext(
        "chapters/99_test", facts or {"n": 17, "share": 0.4567}, lambda key: f"[Pub, 2025]({key})"
    )


def test_committed_notebooks_are_up_to_date():
    stale = notebooks.stale_notebooks()
    assert not stale, f"out of date: {stale}; run: python -m defence_course notebooks"


def test_no_raw_markup_or_answer_reaches_the_reader(reader_notebooks):
    for docname, nb in reader_notebooks.items():
        for cell in nb.cells:
            found = RAW_MARKUP.search(cell.source)
            assert not found, f"{docname}: {found[0]!r} in a {cell.cell_type} cell"


def test_each_notebook_installs_what_it_needs_then_sets_up(reader_notebooks):
    for docname, nb in reader_notebooks.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].metadata["tags"] == ["install"], docname
        assert notebook_cells.install_source() in code[0].source
        assert code[1].metadata["tags"] == ["setup"]
        # a chapter's setup is start_chapter, which calls setup_notebook (and glues nothing)
        assert re.search(r"setup_notebook\(\)|= start_chapter\(", code[1].source), docname
        assert "glue" not in code[1].source, f"{docname}: the website's glue call is left"
        assert not any("remove-cell" in c.metadata.get("tags", []) for c in code), docname


def test_every_self_check_is_kept_with_its_answers_hidden(reader_notebooks):
    for docname, nb in reader_notebooks.items():
        page_text = (REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8")
        expected = page_text.count("{quiz}`")
        cells = [c for c in nb.cells if "self-check" in c.metadata.get("tags", [])]
        assert len(cells) == (1 if expected else 0), docname
        if cells:
            assert cells[0].metadata["jupyter"]["source_hidden"]
            payload = re.search(r'self_check\("([^"]+)"\)', cells[0].source)[1]
            _, questions = selfcheck.decode(payload)
            assert len(questions) == expected, docname
            assert all(q.explanation_html for q in questions)


def test_glued_numbers_are_the_facts_of_the_data():
    from defence_course.figures import threat

    nb = notebooks.page_notebook("chapters/01_threat")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    facts = threat.facts()
    assert f"records {facts['threat_incident_count']} drone and airspace" in text
    assert str(facts["threat_drones_2025"]) in text


def test_website_only_blocks_are_left_out_and_admonitions_become_quotes():
    cells = convert_markdown(
        ":::{tip}\n:class: dc-website-only\nThe website's explorer.\n:::\n"
        "\n:::{admonition} Learning objectives\n:class: tip\nYou can "
        "count {glue:text}`n` things.\n:::",
        page(),
    )
    text = cells[0].source
    assert "website" not in text
    assert text.startswith("> **Learning objectives**") and "> You can count 17 things." in text


def test_roles_become_plain_markdown():
    assert (
        convert_inline("{term}`QMV <qualified majority voting>` and {term}`SAFE`", page())
        == "QMV and SAFE"
    )
    assert convert_inline("{glue:text}`share:.1%`", page()) == "45.7%"
    assert (
        convert_inline("a claim {cite}`x1, x2`", page())
        == "a claim ([Pub, 2025](x1); [Pub, 2025](x2))"
    )
    assert convert_inline("{doc}`Chapter 1 <01_threat>`", page()) == "[Chapter 1](01_threat.ipynb)"
    assert (
        convert_inline("{doc}`the glossary <../glossary>`", page())
        == "[the glossary](../glossary.md)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{math}`x^2`", "the role {math} has no notebook form"),
        ("{glue:text}`missing`", "names no fact of the page"),
        ("{doc}`../nowhere`", "names no page of the course"),
    ],
)
def test_markup_without_a_notebook_form_is_an_error_naming_the_page(text, message):
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        convert_inline(text, page())
    assert "chapters/99_test.md" in str(error.value)


def test_an_unclosed_or_unknown_directive_is_an_error():
    with pytest.raises(ValueError, match="is not closed"):
        convert_markdown(":::{note}\ntext", page())
    with pytest.raises(ValueError, match=r"directive \{figure\} has no notebook form"):
        convert_markdown(":::{figure} x.png\n:::", page())


def test_reader_outputs_turn_website_charts_into_vega_lite_and_svg():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": "T",
        "description": "D",
        "usermeta": {"defence_course": {"source": "S"}},
        "data": {"values": [{"a": 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a"}},
    }
    site = {
        "output_type": "display_data",
        "metadata": {"defence_course": {"vegalite": spec}},
        "data": {"text/html": "<figure>…</figure>", "text/plain": "Chart: T"},
    }
    claim = {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": "<aside>", "text/markdown": "> claim"},
    }
    chart, caption, box = notebook_cells.reader_outputs([site, claim])
    assert set(chart["data"]) == {notebook_cells.VEGALITE_MIME, "image/svg+xml", "text/plain"}
    assert "<svg" in chart["data"]["image/svg+xml"]
    assert caption["data"]["text/markdown"].startswith("*Source: S*")
    assert box["data"] == {"text/markdown": "> claim"}


def test_self_check_marks_answers_and_explains():
    questions = [
        selfcheck.Question(
            "SC", "<p>Where?</p>", "Poland", "<p>Because.</p>", ("Estonia", "Poland")
        ),
        selfcheck.Question("TF", "<p>True?</p>", "F", "<p>No.</p>"),
        selfcheck.Question("FB", "<p>How many?</p>", "1,100", "<p>About.</p>"),
    ]
    form = selfcheck.self_check(selfcheck.encode("Test", questions))
    assert "Poland" not in selfcheck.encode("Test", questions)  # not readable at a glance
    assert not form.check(0) and "first" in form.feedback[0].value
    form.controls[0].value = "Estonia"
    assert not form.check(0) and "Not quite" in form.feedback[0].value
    form.controls[0].value = "Poland"
    assert form.check(0) and "Because." in form.feedback[0].value
    form.controls[1].value = False
    assert form.check(1)
    form.controls[2].value = " 1100 "
    assert form.check(2)
    form.reveal(1)
    assert "<b>Answer:</b> False" in form.feedback[1].value


def test_a_damaged_self_check_says_so():
    with pytest.raises(ValueError, match="could not be read"):
        selfcheck.decode("not base64!")
    with pytest.raises(ValueError, match="not one of the options"):
        selfcheck.Question("SC", "", "Malta", "", ("Estonia",))


@pytest.mark.slow
def test_the_threat_notebook_runs_and_draws_offline(tmp_path):
    """Run the chapter notebook in a kernel: every chart is an offline chart widget."""
    from nbclient import NotebookClient

    nb = notebooks.page_notebook("chapters/01_threat")
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    charts = [c for c in nb.cells if c.cell_type == "code" and "threat." in c.source]
    assert len(widgets) >= len(charts) + 2  # every chart, the explorer and the self-check
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert "cdn.jsdelivr" not in state and "esm.sh" not in state


def test_the_download_button_gives_the_reader_s_notebook_with_drawn_charts(site_dir):
    """The .ipynb behind a chapter's download button: charts as Vega-Lite plus a static SVG."""
    html = (site_dir / "chapters" / "01_threat.html").read_text(encoding="utf-8")
    assert 'href="../_sources/chapters/01_threat.ipynb"' in html
    nb = nbformat.read(site_dir / "_sources" / "chapters" / "01_threat.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["install"]
    outputs = [o for c in code for o in c.outputs]
    charts = [o for o in outputs if notebook_cells.VEGALITE_MIME in o.get("data", {})]
    expected = sum(1 for c in code if "threat." in c.source or "explorers.show" in c.source)
    assert len(charts) == expected
    for output in charts:
        assert output.data["image/svg+xml"].lstrip().startswith("<svg")
        assert "text/html" not in output.data  # never the website's empty <figure>
    assert not any("dc-chart" in str(o.get("data", {}).get("text/html", "")) for o in outputs)
    claims = [o for o in outputs if "Check the claim" in o.get("data", {}).get("text/markdown", "")]
    assert len(claims) == sum(c.source.count("claim_box(") for c in code)
    assert not RAW_MARKUP.search("\n".join(c.source for c in nb.cells))


def test_no_page_offers_live_code_or_carries_its_cdn_address(site_dir):
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in html and "initThebe" not in html, page.relative_to(site_dir)
