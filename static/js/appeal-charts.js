/* The Appeal's charts, drawn in the browser with Chart.js (vendored) from the table beside each of them:
   <canvas data-appeal-chart="<table id>" data-limit="<bars>">. The table is the chart's data — the header
   cells marked data-series name the stacked series, each body cell of those columns carries its value in
   data-value — so the chart can never say something the table does not, and the table is what screen
   readers and keyboards use (the figure is hidden from them). Clicking a bar opens the link of its cell,
   the flows behind the figure. No inline script: the page's CSP allows our own files only.
   The Secretariat's statistics draw their monthly series the same way, as upright bars of counts:
   data-orientation="vertical" (one bar a month, oldest first, whole numbers rather than dollars).
   In a right-to-left page (Arabic) the figure is mirrored as its reader expects: the months run from right
   to left, horizontal bars grow leftwards from the labels on the right, and the legend and tooltips are
   laid out right to left; the numbers themselves stay in their usual digit order. */
(function () {
  "use strict";

  var COLOURS = {
    paid: "#1f4e79",
    committed: "#5b9bd5",
    pledged: "#c9a227",
    unfunded: "#d0d4d9",
    people: "#1f4e79",
    documents: "#2e7d32",
    visits: "#5b9bd5",
    meetings: "#8e5ea2",
    projects: "#c9a227",
    recommendations: "#b5543b",
  };

  function read(table, limit) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var series = [];
    headers.forEach(function (cell, index) {
      if (cell.dataset.series) {
        series.push({ index: index, name: cell.dataset.series, label: cell.textContent.trim() });
      }
    });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows, 0, limit).filter(function (row) {
      return row.cells.length === headers.length;
    });
    return {
      labels: rows.map(function (row) {
        return row.cells[0].textContent.trim();
      }),
      datasets: series.map(function (serie) {
        return {
          label: serie.label,
          backgroundColor: COLOURS[serie.name] || "#888",
          data: rows.map(function (row) {
            return Number(row.cells[serie.index].dataset.value || 0);
          }),
          links: rows.map(function (row) {
            var link = row.cells[serie.index].querySelector("a");
            return link ? link.href : null;
          }),
        };
      }),
    };
  }

  function dollars(value) {
    return "US$ " + Math.round(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function whole(value) {
    return Math.round(value).toLocaleString(document.documentElement.lang || undefined);
  }

  /* A label cut to ``room`` characters and an ellipsis, which a mark of the label's own direction keeps at
     the label's end: an English name in an Arabic page had it on the wrong side ("…Gender and huma"). */
  function shortened(label, room) {
    var rightToLeft = /^[^\p{L}]*[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u.test(label);
    return label.slice(0, room - 1) + "…" + (rightToLeft ? "\u200F" : "\u200E");
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") return;
    var table = document.getElementById(canvas.dataset.appealChart);
    if (!table) return;
    var data = read(table, Number(canvas.dataset.limit) || 20);
    if (!data.labels.length) return;
    canvas.dataset.drawn = "true";
    var vertical = canvas.dataset.orientation === "vertical";
    var rtl = document.documentElement.dir === "rtl";
    var direction = rtl ? "rtl" : "ltr";
    var format = vertical ? whole : dollars;
    canvas.parentNode.style.height = vertical ? "16rem" : 4 * 16 + data.labels.length * 28 + "px";
    // counts step by whole numbers (a month has no half meeting)
    var values = { stacked: true, ticks: vertical ? { callback: format, precision: 0 } : { callback: format } };
    var labels = {
      stacked: true,
      // the first month, or the bars' labels, on the side where the reader starts
      reverse: vertical && rtl,
      position: vertical ? "bottom" : rtl ? "right" : "left",
      ticks: {
        callback: function (value) {
          // a phone has room for a short label only (the table gives it whole)
          var room = this.chart.width < 560 ? 16 : 40;
          var label = this.getLabelForValue(value);
          return label.length > room ? shortened(label, room) : label;
        },
      },
    };
    if (vertical) values.position = rtl ? "right" : "left";
    else values.reverse = rtl;
    new Chart(canvas.getContext("2d"), {
      type: "bar",
      data: data,
      options: {
        indexAxis: vertical ? "x" : "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: document.documentElement.lang || undefined,
        // Chart.js leaves room for the slanted label of the first month only, on the side it expects it:
        // reversed, the last month's label needs that room on the left
        layout: { padding: { left: vertical && rtl ? 28 : 0 } },
        scales: vertical ? { x: labels, y: values } : { x: values, y: labels },
        plugins: {
          legend: {
            position: "bottom",
            display: !vertical || data.datasets.length > 1,
            rtl: rtl,
            textDirection: direction,
          },
          tooltip: {
            rtl: rtl,
            textDirection: direction,
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + format(item.raw);
              },
            },
          },
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          var hit = elements[0];
          var link = data.datasets[hit.datasetIndex].links[hit.index];
          if (link) window.location.href = link;
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-appeal-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
