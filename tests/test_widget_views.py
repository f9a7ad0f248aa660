"""Every notebook explorer draws the website explorer's chart and moves it by its signals, and
has the buttons the website's tip says it has."""

from __future__ import annotations

import json

import pytest

from defence_course import explorers
from defence_course.explorers._notebook import (
    INDEX_SUFFIX,
    SIGNAL_CHART_JS,
    ChartView,
    options_of,
    unbound_spec,
)


@pytest.fixture(scope="module", params=list(explorers.EXPLORERS))
def ui(request):
    return explorers.notebook_version(request.param)


def test_the_chart_is_the_website_explorer_without_its_html_inputs(ui):
    website = ui.chart.to_dict()
    assert any("bind" in param for param in website["params"])  # the website's own inputs
    drawn = ui.view.spec
    assert not any("bind" in param for param in drawn["params"])  # replaced by ipywidgets
    assert {p["name"] for p in website["params"]} <= {p["name"] for p in drawn["params"]}
    assert drawn["vconcat"] == website["vconcat"]  # same views, same data


def test_the_chart_starts_where_the_controls_are(ui):
    params = {p["name"]: p for p in ui.view.spec["params"]}
    for name, value in ui.view.signals.items():
        if name in ui.view.selections:  # a drop-down: an index into its options
            index = params[name + INDEX_SUFFIX]["value"]
            assert ui.view.selections[name][index] == value, name
            assert params[name]["expr"] == (
                f"{json.dumps(ui.view.selections[name])}[{name}{INDEX_SUFFIX}]"
            )
        else:
            assert params[name]["value"] == value, name
    assert ui.view.view.spec == ui.view.spec  # what the page draws


def test_every_control_is_linked_to_its_signal_in_the_browser(ui):
    """Controls move the chart through jslink, so a change needs no round trip to the kernel."""
    assert ui.view.links, "no control is linked to the chart"
    for signal, link in ui.view.links.items():
        control, control_trait = link.source
        chart, chart_trait = link.target
        assert chart is ui.view.view
        if signal in ui.view.selections:
            assert (control_trait, chart_trait) == ("index", signal + INDEX_SUFFIX)
        else:
            assert (control_trait, chart_trait) == ("value", signal)
        assert getattr(chart, chart_trait) == getattr(control, control_trait), signal


def test_the_chart_widget_draws_offline():
    import ipywidgets as widgets

    slider = widgets.FloatSlider(value=201, min=0, max=1000)
    view = ChartView(explorers.website_version("attrition"), {"drones": slider})
    assert "esm.sh" not in view.view._esm and "cdn.jsdelivr" not in view.view._esm
    assert "vegaEmbed" in SIGNAL_CHART_JS
    view.set({"drones": 250.0})
    assert view.signals == {"drones": 250.0}


def test_a_drop_down_drives_its_signal_through_an_index():
    import ipywidgets as widgets

    choice = widgets.Dropdown(options=[("Poland", "PL"), ("Germany", "DE")], value="DE")
    view = ChartView(explorers.website_version("obligations"), {"country": choice})
    params = {p["name"]: p for p in view.spec["params"]}
    assert params["country"]["expr"] == '["PL", "DE"][country__index]'
    assert params["country__index"]["value"] == 1 and view.signals["country"] == "DE"
    view.set({"country": "PL"})
    assert view.view.country__index == 0 and view.signals["country"] == "PL"


def test_a_signal_the_chart_lacks_is_an_error():
    with pytest.raises(ValueError, match="no signal nights_left"):
        unbound_spec(explorers.website_version("attrition"), {"nights_left": 3})


def drawn_widgets(widget):
    """``widget`` and everything inside it, as the notebook draws it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from drawn_widgets(child)


def moved(control):
    """A value of ``control`` other than its current one."""
    options = options_of(control)
    if options is not None:
        return next(option for option in options if option != control.value)
    if isinstance(control.value, bool):
        return not control.value
    return control.max if control.value != control.max else control.min


def starting_signals(view):
    """The signals the chart was drawn with, when the explorer was made."""
    params = {p["name"]: p for p in view.spec["params"]}
    return {
        name: view.selections[name][params[name + INDEX_SUFFIX]["value"]]
        if name in view.selections
        else params[name]["value"]
        for name in view.signals
    }


def test_the_website_tip_names_the_buttons_the_notebook_explorer_draws(ui):
    import ipywidgets as widgets

    name = next(n for n, (_, cls) in explorers.EXPLORERS.items() if cls == type(ui).__name__)
    tip = explorers.tip(name)
    drawn = list(drawn_widgets(ui.widget))
    buttons = {w.description: w for w in drawn if isinstance(w, widgets.Button)}
    reset_label = type(ui).reset_label
    assert ("a reset button" in tip) == (reset_label is not None), tip
    if reset_label is not None:
        assert reset_label in buttons, f"{name}: the tip promises a reset button, none is drawn"
        signal, control = next(iter(ui.view.controls.items()))
        control.value = moved(control)
        assert ui.view.signals != starting_signals(ui.view), signal
        buttons[reset_label].click()
        assert ui.view.signals == starting_signals(ui.view)
    presets = set(buttons) - {reset_label}
    assert presets == set(type(ui).preset_labels), f"{name}: buttons {sorted(presets)}"
    assert ("preset buttons" in tip) == bool(presets), tip
    assert "the model's results in Python" in tip and ui.result in drawn


def test_the_tip_follows_the_notebook_class(monkeypatch):
    """An explorer that lost its reset button loses it in the tip too."""
    from defence_course.explorers.fleet.notebook import FleetExplorer

    assert "a reset button" in explorers.tip("fleet")
    assert "preset buttons" not in explorers.tip("fleet")
    monkeypatch.setattr(FleetExplorer, "reset_label", None)
    monkeypatch.setattr(FleetExplorer, "preset_labels", ("Everything",))
    tip = explorers.tip("fleet")
    assert "a reset button" not in tip and "with notebook controls, preset buttons and" in tip
    assert explorers.tip_facts("fleet")["explorer_tip"].data == tip
