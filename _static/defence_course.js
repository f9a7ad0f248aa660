// Draws the course's charts with the site's own copy of Vega-Embed (no third-party hosts).
// Each chart is a <script type="application/json" class="dc-chart-spec"> written by
// defence_course.charts.site_renderer; the Vega views are kept in window.dcViews so that
// tests (and curious readers in the console) can inspect them.
(function () {
  "use strict";
  window.dcViews = window.dcViews || {};

  function showError(container, error) {
    var message = document.createElement("p");
    message.className = "dc-chart-error";
    message.textContent = "This chart could not be drawn: " + error;
    container.appendChild(message);
  }

  // Break long titles into lines that fit the chart's container (about 8 px per character),
  // so that titles are not clipped on small screens.
  function wrapTitle(spec, width) {
    var owner = spec.title ? spec : (spec.layer || []).find(function (l) { return l.title; });
    if (!owner || typeof owner.title !== "string") {
      return;
    }
    var limit = Math.max(20, Math.floor(width / 10));
    var words = owner.title.split(" ");
    var lines = [""];
    words.forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && (line + " " + word).length > limit) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = line ? line + " " + word : word;
      }
    });
    owner.title = lines.length > 1 ? lines : lines[0];
  }

  // On a narrow container, long legend labels and axis titles end in an ellipsis instead of
  // running past the chart's edge.
  function fitSmallScreen(spec, width) {
    if (width >= 600) {
      return;
    }
    spec.config = spec.config || {};
    var legend = (spec.config.legend = spec.config.legend || {});
    legend.labelLimit = width - 90;
    var axis = (spec.config.axis = spec.config.axis || {});
    axis.titleLimit = Math.floor(width * 0.55);
    axis.labelLimit = Math.floor(width * 0.4);
    // x-axis titles end at the right edge; room is left there for value labels on bars.
    var axisX = (spec.config.axisX = spec.config.axisX || {});
    axisX.titleAnchor = "end";
    spec.padding = { left: 5, top: 5, bottom: 5, right: 28 };
  }

  function draw(specElement) {
    var chartId = specElement.getAttribute("data-chart-id");
    var container = document.getElementById(chartId);
    if (!container) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(specElement.textContent);
    } catch (error) {
      showError(container, error);
      return;
    }
    var titled = spec.title ? spec : (spec.layer || []).find(function (l) { return l.title; });
    var title = (titled && (titled.title.text || titled.title)) || "Chart";
    var width = container.clientWidth || 600;
    wrapTitle(spec, width);
    fitSmallScreen(spec, width);
    window
      .vegaEmbed(container, spec, { actions: false, renderer: "svg" })
      .then(function (result) {
        window.dcViews[chartId] = result.view;
        var svg = container.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", String(title));
          svg.setAttribute("aria-describedby", chartId + "-desc");
        }
        container.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        console.error(error);
        showError(container, error);
      });
  }

  function drawAll() {
    document.querySelectorAll("script.dc-chart-spec").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
