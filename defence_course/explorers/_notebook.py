"""Building blocks of the notebook explorers: the website's chart, driven by notebook controls.

Each notebook explorer shows the same Vega-Lite chart as the website's kernel-free explorer,
drawn once by a small widget of the course (:class:`SignalChart`) with Vega from
``vl-convert-python`` (no CDN). The chart's HTML inputs are replaced by ipywidgets controls,
each linked to one of the chart's Vega signals *in the browser* (``ipywidgets.jslink``): a
control change reaches the drawn chart without a round trip to the kernel, and Vega updates
the view in place. The kernel hears the change too and updates the text computed by the
explorer's model in Python.
"""

from __future__ import annotations

import copy
import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import altair as alt
import anywidget
import ipywidgets as widgets
import traitlets

from defence_course.charts import caption_html
from defence_course.explorers._common import Range
from defence_course.offline import vega_bundle

# The browser side of SignalChart: draw the spec once, then pass each signal trait's changes
# to the Vega view (bundled with Vega by vl-convert, so nothing is fetched).
SIGNAL_CHART_JS = """
async function render({ model, el }) {
  const result = await vegaEmbed(el, model.get("spec"), { actions: false });
  const view = result.view;
  for (const name of model.get("signal_names")) {
    model.on("change:" + name, () => {
      view.signal(name, model.get(name));
      view.runAsync();
    });
  }
  return () => view.finalize();
}

export default { render };
"""


# A drop-down's value does not travel between widgets in the browser, its index does: a signal
# set by a drop-down is driven through an index signal and the list of its options.
INDEX_SUFFIX = "__index"


def options_of(control: widgets.Widget) -> list[Any] | None:
    """The values a selection control (drop-down, toggle buttons) offers; None for others."""
    if not isinstance(control, widgets.widget_selection._Selection):
        return None
    return [option[1] if isinstance(option, tuple) else option for option in control.options]


def unbound_spec(
    chart: alt.TopLevelMixin, values: dict[str, Any], selections: dict[str, list[Any]] | None = None
) -> dict[str, Any]:
    """The chart's spec without its HTML inputs, its signals starting at ``values``.

    A signal in ``selections`` is computed from an index signal into its list of options.
    """
    selections = selections or {}
    spec = copy.deepcopy(chart.to_dict())
    names = {param["name"] for param in spec.get("params", [])}
    unknown = set(values) - names
    if unknown:
        raise ValueError(
            f"the chart has no signal {', '.join(sorted(unknown))}; "
            f"its signals are {', '.join(sorted(names))}"
        )
    for param in list(spec.get("params", [])):
        param.pop("bind", None)
        name = param["name"]
        if name in selections:
            param.pop("value", None)
            param["expr"] = f"{json.dumps(selections[name])}[{name}{INDEX_SUFFIX}]"
            spec["params"].append(
                {"name": name + INDEX_SUFFIX, "value": selections[name].index(values[name])}
            )
        elif name in values:
            param["value"] = values[name]
    return spec


class SignalChart(anywidget.AnyWidget):
    """A Vega-Lite chart whose named signals are traits (see :func:`signal_chart`)."""

    spec = traitlets.Dict().tag(sync=True)
    signal_names = traitlets.List(traitlets.Unicode()).tag(sync=True)


def signal_chart(spec: dict[str, Any], values: dict[str, Any]) -> SignalChart:
    """A chart widget with one synced trait per signal in ``values``, starting there."""
    traits = {name: traitlets.Any().tag(sync=True) for name in values}
    # Widgets sync the traits their class declares, so each explorer gets its own subclass.
    kind = type("SignalChart", (SignalChart,), {"_esm": vega_bundle(SIGNAL_CHART_JS), **traits})
    return kind(spec=spec, signal_names=list(values), **values)


class ChartView:
    """A website explorer's chart in a notebook, moved by the controls linked to its signals.

    ``controls`` maps a signal of the chart to the notebook control that sets it; ``fixed``
    holds signals no control sets.
    """

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        controls: dict[str, widgets.Widget],
        fixed: dict[str, Any] | None = None,
    ) -> None:
        self.controls = controls
        values = {**(fixed or {}), **{name: c.value for name, c in controls.items()}}
        self.selections = {
            name: options for name, c in controls.items() if (options := options_of(c)) is not None
        }
        self.spec = unbound_spec(chart, values, self.selections)
        traits = {
            self._trait(name): self._trait_value(name, value) for name, value in values.items()
        }
        self.view = signal_chart(self.spec, traits)
        self.links = {
            name: widgets.jslink(
                (control, "index" if name in self.selections else "value"),
                (self.view, self._trait(name)),
            )
            for name, control in controls.items()
        }
        self.widget = widgets.VBox([self.view, widgets.HTML(caption_html(self.spec))])

    def _trait(self, signal: str) -> str:
        return signal + INDEX_SUFFIX if signal in self.selections else signal

    def _trait_value(self, signal: str, value: Any) -> Any:
        return self.selections[signal].index(value) if signal in self.selections else value

    @property
    def signals(self) -> dict[str, Any]:
        """The chart's signal values as the kernel knows them."""
        found = {}
        for trait in self.view.signal_names:
            name = trait.removesuffix(INDEX_SUFFIX)
            value = getattr(self.view, trait)
            found[name] = self.selections[name][value] if name in self.selections else value
        return found

    def set(self, values: dict[str, Any]) -> None:
        """Set signals from the kernel (linked controls have set them in the browser already)."""
        with self.view.hold_sync():
            for name, value in values.items():
                trait, new = self._trait(name), self._trait_value(name, value)
                if getattr(self.view, trait) != new:
                    setattr(self.view, trait, new)


def float_slider(
    setting: Range, label_width: str, width: str, readout: str = ".0f", label: str | None = None
) -> widgets.FloatSlider:
    """The notebook's slider for ``setting``, which moves the chart when released.

    It has the setting's start and range, and its label on the website unless ``label`` is given.
    """
    return widgets.FloatSlider(
        value=setting.value,
        min=setting.low,
        max=setting.high,
        step=setting.step,
        description=setting.label if label is None else label,
        readout_format=readout,
        continuous_update=False,
        style={"description_width": label_width},
        layout=widgets.Layout(width=width),
    )


class Explorer(ABC):
    """Base class: ``widget`` is what the notebook shows; displaying the object shows it.

    ``reset_label`` and ``preset_labels`` are the buttons the notebook version has beyond the
    website's inputs; the website's tip names them (:func:`defence_course.explorers.tip`), and
    ``tests/test_widget_views.py`` checks them against the buttons the explorer really draws.
    """

    # The reset button's label (made by :meth:`make_reset_button`); None: the explorer has none.
    reset_label: ClassVar[str | None] = "Reset"
    # Buttons that set several controls at once, by label.
    preset_labels: ClassVar[tuple[str, ...]] = ()

    widget: widgets.Widget
    view: ChartView

    def make_reset_button(self) -> widgets.Button:
        """A button that puts every control back where it started."""
        if self.reset_label is None:
            raise TypeError(f"{type(self).__name__} has no reset button (reset_label is None)")
        button = widgets.Button(description=self.reset_label, icon="undo")
        button.on_click(self.reset)
        return button

    @abstractmethod
    def reset(self, _: object = None) -> None:
        """Put every control back where it started (the reset button's action)."""

    def apply(self, settings: dict[str, Any]) -> None:
        """Set the controls to ``settings``: checked values of the chart's signals, by name.

        They are set in the controls' order, so that a question is chosen before its country.
        """
        for name, control in self.view.controls.items():
            if name in settings:
                control.value = settings[name]

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)
