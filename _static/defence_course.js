// Draws the course's charts with the site's own Vega runtime (no third-party hosts):
// window.dcVega, from _static/vega/vega-runtime.js (tools/vega-runtime). Each chart is a
// <script type="application/json" class="dc-chart-spec"> written by
// defence_course.charts.site_renderer: a Vega spec, compiled from the chart's Vega-Lite when the
// book was built (defence_course.charts.website_vega), in the light variant of the theme. The
// Vega views are kept in window.dcViews so that tests (and curious readers in the console) can
// inspect them.
//
// Charts follow the site's light/dark toggle: window.dcChartThemes (written into the page from
// defence_course.charts.site_themes) maps the light variant's named colours to each variant's,
// and each chart is drawn again, keeping its explorer settings, when the theme changes.
//
// Under each chart a small toolbar downloads it as a PNG or SVG image (in the light theme, with
// its title and source line) and its data as CSV (the rows the chart is drawn from, after a
// header naming the chart, its source and the licence in window.dcChartLicence).
//
// An explorer keeps its settings in the page's URL, so that a link reproduces its view (see
// "Shareable settings" below); its toolbar has a button that copies that link.
(function () {
  "use strict";
  // The class names of a chart's HTML, the parts written with the page and the parts this
  // script adds: defence_course.charts.CHART_CLASSES (tests/test_sphinxext.py checks that the
  // two tables agree; the tests find a chart's parts by these names).
  var CLASSES = { figure: "dc-chart", view: "dc-chart-view", spec: "dc-chart-spec",
    error: "dc-chart-error", source: "dc-chart-source", description: "dc-chart-description",
    data: "dc-chart-data", toolbar: "dc-chart-toolbar", toolbarLabel: "dc-chart-toolbar-label",
    download: "dc-chart-download", dataset: "dc-chart-dataset", share: "dc-chart-share",
    copyLink: "dc-chart-copy-link", link: "dc-chart-link", status: "dc-chart-status",
    list: "dc-chart-list", listItems: "dc-chart-list-items", sourceLine: "dc-source-line" };
  window.dcViews = window.dcViews || {};
  var charts = {}; // chart id -> {spec: the spec as written, view: its Vega view}

  function showError(container, error) {
    var message = document.createElement("p");
    message.className = CLASSES.error;
    message.textContent = "This chart could not be drawn: " + error;
    container.appendChild(message);
  }

  // The site's colour theme: pydata-sphinx-theme sets data-theme="light" or "dark" on <html>.
  function siteMode() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  // Colours named outside the config (value labels, outlines), in the variant's colours.
  function recolour(value, swap) {
    if (typeof value === "string") {
      var swapped = swap[value.toLowerCase()];
      return swapped === undefined ? value : swapped;
    }
    if (Array.isArray(value)) {
      return value.map(function (v) { return recolour(v, swap); });
    }
    if (value && typeof value === "object") {
      var copy = {};
      Object.keys(value).forEach(function (key) {
        // Data and the usermeta (source line) are not colours.
        copy[key] = key === "values" || key === "usermeta" ? value[key] : recolour(value[key], swap);
      });
      return copy;
    }
    return value;
  }

  // The spec was compiled in the light variant; recolouring it with the variant's swap map gives
  // the spec that compiling with that variant's config gives (tests/test_chart_themes.py).
  function applyTheme(spec, mode) {
    var themes = window.dcChartThemes;
    if (!themes || !themes.swap[mode]) {
      return spec;
    }
    return recolour(spec, themes.swap[mode]);
  }

  function meta(spec) {
    return (spec.usermeta || {}).defence_course || {};
  }

  // Break long titles into lines that fit the chart's container (about 8 px per character),
  // so that titles are not clipped on small screens. (Vega-Lite lifted a layer's title to the
  // top: a title is a Vega title object.)
  function wrapTitle(owner, width) {
    var title = owner && owner.title;
    var text = title && typeof title === "object" ? title.text : title;
    if (typeof text !== "string") {
      return;
    }
    var limit = Math.max(20, Math.floor(width / 10));
    var words = text.split(" ");
    var lines = [""];
    words.forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && (line + " " + word).length > limit) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = line ? line + " " + word : word;
      }
    });
    var wrapped = lines.length > 1 ? lines : lines[0];
    if (typeof title === "object") {
      title.text = wrapped;
    } else {
      owner.title = wrapped;
    }
  }

  // The views of a chart of stacked views (Vega's groups, in order) whose titles are wrapped
  // too: those that had a plain title (usermeta.defence_course.wrap_views).
  function viewGroups(spec) {
    var groups = (spec.marks || []).filter(function (mark) { return mark.type === "group"; });
    return (meta(spec).wrap_views || []).map(function (index) { return groups[index]; });
  }

  // On a narrow container, long legend labels and axis titles end in an ellipsis instead of
  // running past the chart's edge (Vega's config, which Vega-Lite's config passed into).
  function fitSmallScreen(spec, width) {
    if (width >= 600) {
      return;
    }
    spec.config = spec.config || {};
    var legend = (spec.config.legend = spec.config.legend || {});
    legend.labelLimit = width - 90;
    // Two legends below the chart (colour and shape of different fields), one above the other.
    legend.layout = { bottom: { direction: "vertical", anchor: "start" } };
    var axis = (spec.config.axis = spec.config.axis || {});
    axis.titleLimit = Math.floor(width * 0.55);
    axis.labelLimit = Math.floor(width * 0.4);
    // x-axis titles end at the right edge; room is left there for value labels on bars.
    var axisX = (spec.config.axisX = spec.config.axisX || {});
    axisX.titleAnchor = "end";
    spec.padding = { left: 5, top: 5, bottom: 5, right: 28 };
  }

  // An explorer is several views of fixed width (Vega-Lite cannot fit concatenated views to
  // a container). When it was drawn wider than its container, its views are narrowed by the
  // overflow (down to 120 px), so that no axis label or legend is cut off at the edge. In the
  // Vega spec a view's width is the spec's or group's "width", or a "…width" signal; views side
  // by side (a layout of several columns) share the overflow.
  function narrowViews(spec, overflow) {
    var changed = false;
    function narrow(holder, key, share) {
      if (typeof holder[key] === "number" && holder[key] > 120) {
        var width = Math.max(120, Math.floor(holder[key] - share));
        changed = changed || width !== holder[key];
        holder[key] = width;
      }
    }
    (function walk(node, share) {
      narrow(node, "width", share);
      (node.signals || []).forEach(function (signal) {
        if (/(^|_)width$/.test(signal.name) && !signal.update && !signal.init) {
          narrow(signal, "value", share);
        }
      });
      var columns = (node.layout && node.layout.columns) || 1;
      (node.marks || []).forEach(function (mark) {
        if (mark.type === "group") {
          walk(mark, columns > 1 ? Math.ceil(share / columns) : share);
        }
      });
    })(spec, overflow);
    return changed;
  }

  // What Vega-Embed did with {actions: false, renderer: "svg"}: a View in the container (its
  // inputs in .vega-bindings), the class "vega-embed" (and "fit-x" while the chart fits the
  // container's width), warnings in the console and vega-tooltip's tooltips.
  var WARN = 2; // vega-util's Warn log level
  function embed(container, spec) {
    var vega = window.dcVega;
    container.classList.add("vega-embed");
    container.innerHTML = "";
    var view;
    try {
      view = new vega.View(vega.parse(spec), { renderer: "svg", logLevel: WARN });
    } catch (error) {
      return Promise.reject(error);
    }
    view.addSignalListener("autosize", function (name, autosize) {
      var type = autosize.type;
      container.classList.toggle("fit-x", type === "fit-x" || type === "fit");
      container.classList.toggle("fit-y", type === "fit-y" || type === "fit");
    });
    view.tooltip(new vega.Handler({}).call);
    return view.initialize(container).runAsync().then(function () { return { view: view }; });
  }

  // A single view that fits its container (Vega-Lite's width "container") drawn at a given
  // width: on the page it starts at the width measured for it and still follows the window's
  // resizing (Vega would otherwise read the container's width itself, a layout of the whole page
  // for each chart); in a downloaded image it keeps that width.
  function fixWidth(spec, width, followResize) {
    (spec.signals || []).forEach(function (signal) {
      if (signal.name === "width" && signal.init && /containerSize/.test(signal.init)) {
        delete signal.init;
        if (!followResize) {
          delete signal.on;
        }
        signal.value = width;
      }
    });
  }

  // Draws a chart at ``width`` (its container's, measured by the caller) with the explorer
  // settings ``state``.
  function draw(chartId, state, width) {
    var chart = charts[chartId];
    var container = document.getElementById(chartId);
    if (chart.view) { // drawn before, in the other colour theme
      chart.view.finalize();
      chart.view = null;
      container.replaceChildren();
    }
    width = width || 600;
    // (A single view made without a width took its container's when it was compiled.)
    var spec = applyTheme(JSON.parse(JSON.stringify(chart.spec)), siteMode());
    if (meta(spec).wrap_title) {
      wrapTitle(spec, width);
    }
    viewGroups(spec).forEach(function (view) { wrapTitle(view, width); });
    fitSmallScreen(spec, width);
    fixWidth(spec, width, true);
    var title = meta(chart.spec).title || "Chart";
    return embed(container, spec)
      .then(function (result) {
        var svg = container.querySelector("svg");
        // The SVG's own width attribute: reading its drawn size would lay out the page again.
        var overflow = svg ? parseFloat(svg.getAttribute("width")) - width : 0;
        if (overflow > 1 && narrowViews(spec, overflow + 2)) {
          result.view.finalize();
          return embed(container, spec);
        }
        return result;
      })
      .then(function (result) {
        chart.view = result.view;
        window.dcViews[chartId] = result.view;
        if (state) {
          Object.keys(state).forEach(function (name) {
            try {
              result.view.signal(name, state[name]);
            } catch (error) {
              console.warn("explorer setting not kept: " + name, error);
            }
          });
          return result.view.runAsync().then(function () { return result; });
        }
        return result;
      })
      .then(function (result) {
        followSettings(chartId); // after the state is set, so that drawing records nothing
        makeClickable(chartId);
        var svg = container.querySelector("svg");
        if (svg) {
          // A chart with clickable bars is a group of controls, not a picture (whose parts
          // screen readers would not reach).
          svg.setAttribute("role", clickable(chartId) ? "group" : "img");
          svg.setAttribute("aria-label", String(title));
          svg.setAttribute("aria-describedby", chartId + "-desc");
        }
        addToolbar(chartId, String(title));
        container.setAttribute("data-theme", siteMode());
        container.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        console.error(error);
        showError(container, error);
      });
  }

  function drawAll() {
    var todo = [];
    document.querySelectorAll("script." + CLASSES.spec).forEach(function (element) {
      var chartId = element.getAttribute("data-chart-id");
      if (!document.getElementById(chartId)) {
        return;
      }
      try {
        charts[chartId] = { spec: JSON.parse(element.textContent), view: null };
      } catch (error) {
        showError(document.getElementById(chartId), error);
        return;
      }
      var chart = charts[chartId];
      chart.params = boundParams(chart.spec);
      chart.key = settingsKey(chart.spec);
      todo.push(chartId);
    });
    // Every width first, in one layout of the page, then every chart.
    var widths = todo.map(function (chartId) { return document.getElementById(chartId).clientWidth; });
    todo.forEach(function (chartId, index) {
      var chart = charts[chartId];
      draw(chartId, chart.key ? urlSettings(chart) : undefined, widths[index]);
    });
  }

  // ---- The toolbar: downloads of the chart and of its data ----

  function chartSource(chartId) {
    return meta(charts[chartId].spec).source || "";
  }

  function fileName(title, extension) {
    var slug = String(title).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
    return (slug || "chart") + "." + extension;
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // The rows the chart is drawn from: its first table (a map's outlines are not a table), as
  // in the table under the chart (usermeta.defence_course.table names it).
  function chartRows(spec) {
    var table = (spec.data || []).find(function (data) { return data.name === meta(spec).table; });
    return table && Array.isArray(table.values) ? table.values : [];
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function chartCsv(chartId, title) {
    var rows = chartRows(charts[chartId].spec);
    var columns = [];
    rows.forEach(function (row) {
      Object.keys(row).forEach(function (key) {
        if (columns.indexOf(key) < 0) {
          columns.push(key);
        }
      });
    });
    var licence = window.dcChartLicence || {};
    var header = [
      "# " + title,
      "# Source: " + chartSource(chartId),
      "# Licence: " + (licence.title || "") + (licence.path ? " <" + licence.path + ">" : ""),
      "# From: " + window.location.href.split("#")[0],
    ];
    var lines = header.concat([columns.map(csvCell).join(",")]).concat(rows.map(function (row) {
      return columns.map(function (key) { return csvCell(row[key]); }).join(",");
    }));
    return lines.join("\r\n") + "\r\n";
  }

  // The chart as SVG in the light theme, with the explorer's current settings, and its source
  // line under it (Vega draws the title).
  function chartSvg(chartId) {
    var chart = charts[chartId];
    var container = document.getElementById(chartId);
    var width = Math.max(560, container.clientWidth);
    var spec = applyTheme(JSON.parse(JSON.stringify(chart.spec)), "light");
    fixWidth(spec, width);
    if (meta(spec).wrap_title) {
      wrapTitle(spec, width);
    }
    var holder = document.createElement("div"); // drawn off the page
    var view;
    return embed(holder, spec).then(function (result) {
      view = result.view;
      chart.params.forEach(function (param) {
        try {
          view.signal(param.name, chart.view.signal(param.name));
        } catch (error) {
          // not a signal of this view
        }
      });
      return view.runAsync();
    }).then(function () { return view.toSVG(); }).then(function (svg) {
      view.finalize();
      return withSourceLine(svg, "Source: " + chartSource(chartId));
    });
  }

  function withSourceLine(svgText, line) {
    var ns = "http://www.w3.org/2000/svg";
    var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    var svg = doc.documentElement;
    var width = parseFloat(svg.getAttribute("width"));
    var height = parseFloat(svg.getAttribute("height"));
    var perLine = Math.max(30, Math.floor((width - 10) / 6.2));
    var words = line.split(" ");
    var lines = [""];
    words.forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + word).length > perLine) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = last ? last + " " + word : word;
      }
    });
    var extra = 10 + lines.length * 14;
    svg.setAttribute("height", height + extra);
    svg.setAttribute("viewBox", "0 0 " + width + " " + (height + extra));
    var strip = doc.createElementNS(ns, "rect");
    strip.setAttribute("x", 0);
    strip.setAttribute("y", height);
    strip.setAttribute("width", width);
    strip.setAttribute("height", extra);
    strip.setAttribute("fill", window.dcChartThemes.config.light.background);
    svg.appendChild(strip);
    var text = doc.createElementNS(ns, "text");
    text.setAttribute("class", CLASSES.sourceLine);
    text.setAttribute("font-family", window.dcChartThemes.config.light.font);
    text.setAttribute("font-size", "11");
    text.setAttribute("fill", window.dcChartThemes.config.light.title.color);
    lines.forEach(function (content, index) {
      var span = doc.createElementNS(ns, "tspan");
      span.setAttribute("x", 5);
      span.setAttribute("y", height + 14 + index * 14);
      span.textContent = content;
      text.appendChild(span);
    });
    svg.appendChild(text);
    return new XMLSerializer().serializeToString(svg);
  }

  function svgToPng(svgText) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var scale = 2;
        var canvas = document.createElement("canvas");
        canvas.width = Math.ceil(image.width * scale);
        canvas.height = Math.ceil(image.height * scale);
        var context = canvas.getContext("2d");
        context.scale(scale, scale);
        context.drawImage(image, 0, 0);
        canvas.toBlob(function (blob) {
          return blob ? resolve(blob) : reject(new Error("no PNG"));
        }, "image/png");
      };
      image.onerror = function () { reject(new Error("the chart image could not be drawn")); };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText);
    });
  }

  // Each button's accessible name starts with its visible text (WCAG 2.5.3).
  var DOWNLOADS = [
    { kind: "png", text: "PNG", label: "PNG: download the chart “%” as an image" },
    { kind: "svg", text: "SVG", label: "SVG: download the chart “%” as a scalable image" },
    { kind: "csv", text: "Data (CSV)", label: "Data (CSV): download the data behind “%”" },
  ];

  function download(chartId, title, kind, button) {
    button.setAttribute("aria-busy", "true");
    var done = function () { button.removeAttribute("aria-busy"); };
    var job;
    if (kind === "csv") {
      save(new Blob([chartCsv(chartId, title)], { type: "text/csv;charset=utf-8" }),
           fileName(title, "csv"));
      job = Promise.resolve();
    } else {
      job = chartSvg(chartId).then(function (svg) {
        if (kind === "svg") {
          save(new Blob([svg], { type: "image/svg+xml" }), fileName(title, "svg"));
          return undefined;
        }
        return svgToPng(svg).then(function (png) { save(png, fileName(title, "png")); });
      });
    }
    return job.then(done, function (error) {
      done();
      console.error(error);
      window.alert("The download failed: " + error);
    });
  }

  // Links to the chart's datasets on the data page (datasets.md, written by
  // defence_course.sphinx_datasets), where they can be read about and downloaded.
  function datasetLinks(chartId) {
    var meta = (charts[chartId].spec.usermeta || {}).defence_course || {};
    var root = document.documentElement.dataset.content_root;
    if (!meta.datasets || root === undefined || !window.dcDatasetLink) { // not the website
      return [];
    }
    return meta.datasets.map(function (dataset, index) {
      var item = document.createElement("a");
      item.className = CLASSES.dataset;
      item.href = root + window.dcDatasetLink + dataset.name;
      item.textContent = (index === 0 ? "Dataset: " : "") + dataset.title;
      item.setAttribute("aria-label", "Dataset: " + dataset.title + ", on the data page");
      return item;
    });
  }

  // A labelled group of controls under a chart.
  function toolbarGroup(className, label) {
    var bar = document.createElement("div");
    bar.className = className;
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", label);
    return bar;
  }

  function addToolbar(chartId, title) {
    var container = document.getElementById(chartId);
    var figure = container.closest("figure") || container.parentElement;
    if (figure.querySelector("." + CLASSES.toolbar)) {
      return;
    }
    var bar = toolbarGroup(CLASSES.toolbar, "Download “" + title + "”");
    var lead = document.createElement("span");
    lead.className = CLASSES.toolbarLabel;
    lead.setAttribute("aria-hidden", "true");
    lead.textContent = "Download:";
    bar.appendChild(lead);
    DOWNLOADS.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = CLASSES.download;
      button.setAttribute("data-kind", item.kind);
      var name = item.label.replace("%", function () { return title; });
      button.setAttribute("aria-label", name);
      button.textContent = item.text;
      button.addEventListener("click", function () {
        download(chartId, title, item.kind, button);
      });
      bar.appendChild(button);
    });
    datasetLinks(chartId).forEach(function (item) { bar.appendChild(item); });
    container.insertAdjacentElement("afterend", bar);
    if (charts[chartId].key) {
      bar.insertAdjacentElement("afterend", shareBar(chartId, title));
    }
  }

  // The link to an explorer's current settings, ending at the heading above it.
  function settingsLink(chartId) {
    var section = document.getElementById(chartId).closest("section[id]");
    return window.location.href.split("#")[0] +
      (section ? "#" + section.id : window.location.hash);
  }

  function announce(status, text) {
    status.textContent = ""; // emptied first, so that copying again is announced again
    setTimeout(function () { status.textContent = text; }, 100);
  }

  function shareBar(chartId, title) {
    var bar = toolbarGroup(CLASSES.toolbar + " " + CLASSES.share,
      "Share the settings of “" + title + "”");
    var button = document.createElement("button");
    button.type = "button";
    button.className = CLASSES.copyLink;
    button.textContent = "Copy link to these settings";
    button.setAttribute("aria-label", "Copy link to these settings of “" + title + "”");
    // Where the clipboard cannot be written (a page not served over https, a refused
    // permission), the link is shown selected, for the reader to copy.
    var field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.hidden = true;
    field.className = CLASSES.link;
    field.setAttribute("aria-label", "Link to these settings of “" + title + "”");
    var status = document.createElement("span");
    status.className = CLASSES.status;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      var link = settingsLink(chartId);
      field.value = link;
      var copied = navigator.clipboard ? navigator.clipboard.writeText(link)
        : Promise.reject(new Error("no clipboard"));
      copied.then(function () {
        field.hidden = true;
        announce(status, "Link copied");
      }, function () {
        field.hidden = false;
        field.focus();
        field.select();
        announce(status, "Link selected: press Ctrl+C (⌘C on a Mac) to copy it");
      });
    });
    bar.append(button, field, status);
    return bar;
  }

  // The parameters bound to inputs (the settings of an explorer): Vega signals with a "bind"
  // (Vega-Lite's selections bound to inputs would name theirs "…_tuple…"; the course has none).
  function boundParams(spec) {
    var params = [];
    (function walk(node) {
      (node.signals || []).forEach(function (signal) {
        if (signal.bind && signal.name && signal.bind.input) {
          params.push(signal);
        }
      });
      (node.marks || []).forEach(function (mark) {
        if (mark.type === "group") {
          walk(mark);
        }
      });
    })(spec);
    return params;
  }

  // ---- Shareable settings: each explorer's inputs in the page's query string ----
  //
  // ?council.preset=eastern+flank&council.p=0.7#constitution-explorer: in the query, not the
  // hash, so that a link still leads to the explorer's heading; each name is prefixed with the
  // explorer's (usermeta.defence_course.explorer, from defence_course.explorers), so that the
  // explorers of one page share the URL. Only settings that differ from the chart's starting
  // values are written. A change pushes a history entry, and the changes of the same input that
  // follow it within SETTLE_MS (a slider dragged, a key held down) replace it, so that Back and
  // Forward step from one settled setting to the next.
  var SETTLE_MS = 600;
  var settling = null; // {key: the input changing, timer}
  var usedKeys = {};

  function settingsKey(spec) {
    var name = meta(spec).explorer;
    if (!name) {
      return null;
    }
    usedKeys[name] = (usedKeys[name] || 0) + 1; // the same explorer again: "council-2"
    return usedKeys[name] > 1 ? name + "-" + usedKeys[name] : name;
  }

  // The value that a setting's text in the URL stands for; undefined if its input cannot take it.
  function parseSetting(param, text) {
    var bind = param.bind;
    if (bind.input === "checkbox") {
      return text === "true" ? true : text === "false" ? false : undefined;
    }
    if (bind.input === "range") {
      var number = text.trim() === "" ? NaN : Number(text);
      var steps = (number - bind.min) / bind.step;
      // A starting value may lie between steps (a sourced figure), as in the Python check.
      var fits = number >= bind.min && number <= bind.max &&
        (Math.abs(steps - Math.round(steps)) < 1e-6 || number === param.value);
      return fits ? number : undefined;
    }
    return (bind.options || []).find(function (option) { return String(option) === text; });
  }

  // An explorer's settings as the URL gives them, its starting values where it gives none.
  function urlSettings(chart) {
    var state = {};
    chart.params.forEach(function (param) { state[param.name] = param.value; });
    new URLSearchParams(window.location.search).forEach(function (text, key) {
      if (key.indexOf(chart.key + ".") !== 0) {
        return;
      }
      var name = key.slice(chart.key.length + 1);
      var param = chart.params.find(function (p) { return p.name === name; });
      var value = param ? parseSetting(param, text) : undefined;
      if (value === undefined) {
        console.warn("explorer setting ignored: " + key + "=" + text +
                     (param ? " is not a value its input takes" : " is no setting of it"));
      } else {
        state[name] = value;
      }
    });
    return state;
  }

  function settingsUrl() {
    var query = new URLSearchParams(window.location.search);
    Object.keys(charts).forEach(function (chartId) {
      var chart = charts[chartId];
      if (!chart.key || !chart.view) {
        return;
      }
      Array.from(query.keys()).forEach(function (key) {
        if (key.indexOf(chart.key + ".") === 0) {
          query.delete(key);
        }
      });
      chart.params.forEach(function (param) {
        var value = chart.view.signal(param.name);
        if (value !== param.value) {
          query.set(chart.key + "." + param.name, String(value));
        }
      });
    });
    var search = query.toString();
    return window.location.pathname + (search ? "?" + search : "") + window.location.hash;
  }

  function recordSettings(key) {
    var url = settingsUrl();
    if (url === window.location.pathname + window.location.search + window.location.hash) {
      return;
    }
    if (settling && settling.key === key) {
      clearTimeout(settling.timer);
      window.history.replaceState(window.history.state, "", url);
    } else {
      window.history.pushState(window.history.state, "", url);
    }
    settling = { key: key, timer: setTimeout(function () { settling = null; }, SETTLE_MS) };
  }

  function followSettings(chartId) {
    var chart = charts[chartId];
    if (!chart.key) {
      return;
    }
    chart.params.forEach(function (param) {
      chart.view.addSignalListener(param.name, function () {
        if (!chart.restoring) {
          recordSettings(chart.key + "." + param.name);
        }
      });
    });
  }

  // ---- Clickable marks: a click on a bar, or Enter or Space on it, changes a setting ----
  //
  // usermeta.defence_course.clickable (see defence_course.explorers.council) names the mark
  // whose items are clickable, the field naming each item's setting (param_prefix + its key),
  // the field holding its current value and the values in the order a click cycles through;
  // changing the setting reset_by (a preset) sets them all back to reset_to. The bars are one
  // stop of the Tab key: the arrow keys, Home and End move between them. The settings' inputs
  // stay available in a collapsed list under the chart.
  function markItems(view, markName) {
    var found = [];
    (function walk(node) {
      if (!node || found.length) {
        return;
      }
      if (node.marktype && node.name === markName) {
        found = node.items || [];
        return;
      }
      (node.items || []).forEach(walk);
    })(view.scenegraph().root);
    return found;
  }

  function clickable(chartId) {
    return meta(charts[chartId].spec).clickable;
  }

  function makeClickable(chartId) {
    var chart = charts[chartId];
    var meta = clickable(chartId);
    if (!meta) {
      return;
    }
    var view = chart.view;
    var container = document.getElementById(chartId);
    var markName = meta.mark + "_marks";
    var active = chart.activeBar || 0; // the bar the Tab key reaches

    function bars() {
      var group = container.querySelector("g." + markName);
      return group ? Array.from(group.children) : [];
    }

    // The setting itself when set (a key pressed twice before the chart is drawn again),
    // the vote the chart shows otherwise.
    function cycle(datum) {
      var name = meta.param_prefix + datum[meta.key];
      var values = meta.values;
      var now = view.signal(name) === meta.reset_to ? datum[meta.current] : view.signal(name);
      view.signal(name, values[(values.indexOf(now) + 1) % values.length]);
      return view.runAsync();
    }

    // Vega sets each bar's role and label when it draws it; the bar stays a button.
    function decorate() {
      bars().forEach(function (bar, index) {
        var tabindex = index === active ? "0" : "-1";
        if (bar.getAttribute("tabindex") !== tabindex) {
          bar.setAttribute("tabindex", tabindex);
        }
        if (bar.getAttribute("role") !== "button") {
          bar.setAttribute("role", "button");
        }
      });
    }

    view.addEventListener("click", function (event, item) {
      if (item && item.mark && item.mark.name === markName && item.datum) {
        active = chart.activeBar = markItems(view, markName).indexOf(item);
        cycle(item.datum);
      }
    });
    container.addEventListener("keydown", function (event) {
      var all = bars();
      var index = all.indexOf(event.target);
      if (index < 0) {
        return;
      }
      var move = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      var to = event.key === "Home" ? 0 : event.key === "End" ? all.length - 1
        : move ? Math.min(all.length - 1, Math.max(0, index + move)) : null;
      if (to !== null) {
        event.preventDefault();
        active = chart.activeBar = to;
        decorate();
        all[to].focus();
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        var item = markItems(view, markName)[index];
        if (item && item.datum) {
          cycle(item.datum);
        }
      }
    });
    var group = container.querySelector("g." + markName);
    if (group) {
      new MutationObserver(decorate).observe(group, {
        subtree: true, childList: true, attributes: true, attributeFilter: ["role", "tabindex"],
      });
    }
    decorate();

    // Another preset: every state votes as the preset says again.
    view.addSignalListener(meta.reset_by, function () {
      if (chart.restoring) {
        return;
      }
      chart.restoring = true;
      chart.params.forEach(function (param) {
        if (param.name.indexOf(meta.param_prefix) === 0) {
          view.signal(param.name, meta.reset_to);
        }
      });
      view.runAsync().then(function () {
        chart.restoring = false;
        recordSettings(chart.key + "." + meta.reset_by);
      });
    });

    // The settings' own inputs, in a list that opens on demand.
    var bindings = container.querySelector(".vega-bindings");
    var inputs = bindings ? Array.from(bindings.querySelectorAll(".vega-bind")).filter(
      function (bind) {
        var input = bind.querySelector("[name]");
        return input && input.getAttribute("name").indexOf(meta.param_prefix) === 0;
      }) : [];
    if (inputs.length) {
      var list = document.createElement("details");
      list.className = CLASSES.list;
      var summary = document.createElement("summary");
      summary.textContent = meta.list_label;
      var items = document.createElement("div");
      items.className = CLASSES.listItems;
      bindings.insertBefore(list, inputs[0]); // where the inputs were, in Tab order
      inputs.forEach(function (bind) { items.appendChild(bind); });
      list.append(summary, items);
    }
  }

  // Back and Forward: each explorer takes the settings of the URL the reader returns to.
  window.addEventListener("popstate", function () {
    clearTimeout(settling && settling.timer);
    settling = null;
    Object.keys(charts).forEach(function (chartId) {
      var chart = charts[chartId];
      if (!chart.key || !chart.view) {
        return;
      }
      var view = chart.view;
      var state = urlSettings(chart);
      chart.restoring = true;
      Object.keys(state).forEach(function (name) { view.signal(name, state[name]); });
      view.runAsync().then(function () { chart.restoring = false; });
    });
  });

  // Draw every chart again in the new colours, keeping the settings of the explorers.
  function redrawAll() {
    Object.keys(charts).forEach(function (chartId) {
      var chart = charts[chartId];
      var container = document.getElementById(chartId);
      if (!chart.view || container.getAttribute("data-theme") === siteMode()) {
        return;
      }
      var state = {};
      chart.params.forEach(function (param) {
        try {
          state[param.name] = chart.view.signal(param.name);
        } catch (error) {
          // a parameter of a sub-view that this view does not expose
        }
      });
      container.setAttribute("data-rendered", "false");
      draw(chartId, state, container.clientWidth);
    });
  }

  new MutationObserver(redrawAll).observe(document.documentElement, {
    attributes: true, attributeFilter: ["data-theme"],
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
