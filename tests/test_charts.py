"""Every course chart has a title, a source line and a text description; the renderer works."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import typing

import altair as alt
import pandas as pd
import pytest

from defence_course import charts, data, explorers, figures, website_charts


def figure_functions():
    """Every figure of the course: the functions marked ``@figure`` (figures.FIGURES)."""
    return [
        pytest.param(function, id=key) for key, function in sorted(figures.all_figures().items())
    ]


def _required(function) -> list[str]:
    return [
        name
        for name, p in inspect.signature(function).parameters.items()
        if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _public_functions():
    """(key, function) for each public function defined in a public module of figures/."""
    for info in pkgutil.iter_modules(figures.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"defence_course.figures.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{info.name}.{name}", function


FIGURE_TYPES = (alt.TopLevelMixin, pd.DataFrame)  # any Altair chart, or a table


def _makes_a_figure(function) -> bool:
    """Whether ``function`` returns a chart or a table: by its return type when annotated,
    else by calling it."""
    returns = typing.get_type_hints(function).get("return")
    if returns is None:
        return isinstance(function(), FIGURE_TYPES)
    returns = typing.get_origin(returns) or returns
    return isinstance(returns, type) and issubclass(returns, FIGURE_TYPES)


def test_every_figure_function_is_registered():
    """A public function of figures/ that takes no required argument and returns a chart or
    a table is a figure: a forgotten ``@figure`` would leave it out of every chart test."""
    unregistered = [
        key
        for key, function in _public_functions()
        if not _required(function)
        and _makes_a_figure(function)
        and figures.FIGURES.get(key) is not function
    ]
    assert unregistered == [], f"mark these @figure: {unregistered}"


def test_registered_figures_are_public_and_take_no_required_argument():
    assert len(figures.all_figures()) >= 27
    public = dict(_public_functions())
    for key, function in figures.all_figures().items():
        module, name = key.split(".")
        assert key == figures.figure_key(function) and function.__name__ == name
        assert not module.startswith("_") and not name.startswith("_"), key
        assert public.get(key) is function, f"{key} is not the module's public function"
        assert _required(function) == [], f"{key} needs arguments: {_required(function)}"


@pytest.mark.parametrize("make_figure", figure_functions())
def test_figure_is_annotated(make_figure):
    figure = make_figure()
    if isinstance(figure, pd.DataFrame):
        assert not figure.empty
        return
    assert isinstance(figure, alt.TopLevelMixin)
    notes = charts.chart_annotations(figure.to_dict())
    assert notes["title"], "chart has no title"
    assert notes["source"], "chart has no source line"
    assert notes["description"] and len(notes["description"]) > 20, "no text description"


# Charts computed from a formula alone, with no dataset behind them.
NO_DATASET = {"constitution.unanimity_collapse"}


def _dataset_link_problems(key: str, spec: dict) -> list[str]:
    """Why a chart's dataset links are wrong: none named, or one its source line does not credit."""
    meta = spec.get("usermeta", {}).get(charts.USERMETA_KEY, {})
    names = [dataset["name"] for dataset in meta.get("datasets", [])]
    if not names:
        return [] if key in NO_DATASET else [f"{key}: names no dataset (annotate(datasets=...))"]
    return [
        f"{key}: its source line credits none of the sources of dataset {name!r}"
        for name in names
        if not any(source["title"] in meta["source"] for source in data.resource(name).sources)
    ]


def test_every_chart_names_the_datasets_its_source_line_credits():
    problems = []
    for key, make_figure in sorted(figures.all_figures().items()):
        figure = make_figure()
        if isinstance(figure, alt.TopLevelMixin):
            problems += _dataset_link_problems(key, figure.to_dict())
    for name in explorers.EXPLORERS:
        problems += _dataset_link_problems(
            f"explorer {name}", explorers.website_version(name).to_dict()
        )
    assert not problems, "\n".join(problems)
    # The check fails on a chart linked to a dataset it does not draw from.
    wrong = {
        "usermeta": {
            charts.USERMETA_KEY: {
                "source": data.source_line("countries"),
                "datasets": [{"name": "opinion"}],
            }
        }
    }
    assert _dataset_link_problems("x", wrong) == [
        "x: its source line credits none of the sources of dataset 'opinion'"
    ]
    with pytest.raises(ValueError, match="unknown: \\['nonsense'\\]"):
        charts.annotate(alt.Chart(), source="s", description="d", datasets=["nonsense"])


def test_charts_have_titled_axes_and_tooltips():
    for key, make_figure in sorted(figures.all_figures().items()):
        figure = make_figure()
        if not isinstance(figure, alt.TopLevelMixin):
            continue
        spec = figure.to_dict()
        layers = [layer for layer in spec.get("layer", [spec]) if "encoding" in layer]
        main = [layer for layer in layers if "tooltip" in layer["encoding"]]
        assert main, f"{key}: no layer has a tooltip"
        for channel in ("x", "y"):
            encoding = main[0]["encoding"].get(channel, {})
            if encoding.get("type") == "quantitative":
                assert encoding.get("title"), f"{key}: {channel} axis untitled"


def test_annotate_refuses_a_chart_without_source_or_description():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    with pytest.raises(ValueError, match="source"):
        charts.annotate(chart, source=" ", description="A point.")
    with pytest.raises(ValueError, match="description"):
        charts.annotate(chart, source="NATO", description="")


def test_site_renderer_writes_a_self_contained_figure():
    frame = pd.DataFrame({"state": ["a", "b"], "value": [1.5, 2.0]})
    chart = charts.annotate(
        alt.Chart(frame, title="T").mark_bar().encode(x="state", y="value"),
        source="NATO </script> table",
        description="Two bars.",
    )
    bundle, metadata = website_charts.site_renderer(chart.to_dict())
    html = bundle["text/html"]
    assert metadata["defence_course"]["vegalite"]["title"] == "T"  # for the notebook download
    assert "Source: NATO &lt;/script&gt; table" in html
    assert "Two bars." in html
    assert '<th scope="col">state</th>' in html and "<td>1.5</td>" in html
    spec_text = html.split('data-chart-id="')[1].split('">', 1)[1].rsplit("</script>", 1)[0]
    assert "</script>" not in spec_text
    # The page gets the chart compiled to Vega (the page loads no Vega-Lite).
    page_spec = json.loads(spec_text.replace("<\\/", "</"))
    assert page_spec["$schema"].startswith("https://vega.github.io/schema/vega/v")
    assert page_spec["title"]["text"] == "T"
    assert page_spec["usermeta"]["defence_course"]["title"] == "T"
    assert page_spec["usermeta"]["defence_course"]["source"] == "NATO </script> table"
    assert "http" not in html.replace("https://vega.github.io/schema", "")


def test_setup_notebook_picks_the_renderer_for_where_it_runs(monkeypatch):
    monkeypatch.delenv(charts.SITE_ENV, raising=False)
    charts.setup_notebook()
    assert alt.renderers.active == "default"  # no kernel (the grader, a terminal): no widget
    monkeypatch.setattr(charts, "in_kernel", lambda: True)
    charts.setup_notebook()
    assert alt.renderers.active == charts.NOTEBOOK_RENDERER_NAME
    assert alt.theme.active == charts.THEME_NAME
    monkeypatch.setenv(charts.SITE_ENV, "1")
    charts.setup_notebook()
    assert alt.renderers.active == charts.RENDERER_NAME
    alt.renderers.enable("default")


def test_notebook_renderer_draws_an_offline_chart_widget_with_its_source():
    """In a kernel a chart is a JupyterChart whose JavaScript is local (no CDN)."""
    import altair as alt

    frame = pd.DataFrame({"state": ["a", "b"], "value": [1.5, 2.0]})
    chart = charts.annotate(
        alt.Chart(frame, title="T").mark_bar().encode(x="state", y="value"),
        source="NATO table",
        description="Two bars.",
    )
    bundle = charts.notebook_renderer(chart.to_dict())
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "Chart: T"
    assert alt.JupyterChart._is_offline
    assert "esm.sh" not in alt.JupyterChart._esm and "cdn.jsdelivr" not in alt.JupyterChart._esm
    assert "NATO table" in charts.caption_html(chart.to_dict())


def _bar_marks(node, found):
    if isinstance(node, dict):
        if node.get("marktype") == "rect" and node.get("role") == "mark":
            found.append(node)
        for value in node.values():
            _bar_marks(value, found)
    elif isinstance(node, list):
        for value in node:
            _bar_marks(value, found)
    return found


@pytest.mark.parametrize("make_figure", figure_functions())
def test_bars_are_drawn_with_a_size(make_figure):
    """Bars that Vega lays out with no width or height (a log scale from zero) show nothing."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    figure = make_figure()
    if isinstance(figure, pd.DataFrame):
        return
    scene = vl_convert.vegalite_to_scenegraph(
        figure.to_dict(), vl_version=vl_version_for_vl_convert()
    )
    for mark in _bar_marks(scene, []):
        items = mark.get("items", [])
        assert not items or any(
            (item.get("width") or 0) > 0 and (item.get("height") or 0) > 0 for item in items
        ), f"every bar of {mark.get('name')} is empty"
