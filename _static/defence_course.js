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
    var title = (spec.title && (spec.title.text || spec.title)) || "Chart";
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
