/* The projects' world map: a choropleth of the number of projects per beneficiary country, drawn in the
   browser with Chart.js and chartjs-chart-geo (vendored) over Natural Earth's countries (world-atlas,
   vendored): no tile server, nothing from outside, no inline script (the page's CSP allows our own files
   only).

   A <canvas data-projects-map> names the figures (data-source: the projects' map.json with the list's
   filters) and the shapes (data-atlas). Shapes carry ISO 3166-1 numeric ids, the figures say each country's
   numeric code. The same figures are in the table beside the map, which is what screen readers and
   keyboards use; clicking a country opens the list filtered by it, as the table's links do. The canvas is
   drawn when the page loads and when htmx puts the figures into the project list.
   The world is never mirrored; in a right-to-left page (Arabic) its legend sits in the corner where the
   reader starts (bottom right) and the tooltips are laid out right to left. */
(function () {
  "use strict";

  var atlasCache = {};

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      }
    );
  }

  function atlas(url) {
    if (!atlasCache[url]) atlasCache[url] = loadJSON(url);
    return atlasCache[url];
  }

  function formatDollars(value) {
    return "US$ " + Math.round(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined" || typeof ChartGeo === "undefined") return;
    canvas.dataset.drawn = "pending";
    Promise.all([atlas(canvas.dataset.atlas), loadJSON(canvas.dataset.source)])
      .then(function (loaded) {
        var world = loaded[0];
        var figures = {};
        loaded[1].countries.forEach(function (country) {
          if (country.numeric) figures[country.numeric] = country;
        });
        var shapes = ChartGeo.topojson
          .feature(world, world.objects.countries)
          .features.filter(function (shape) {
            return shape.id !== "010"; // Antarctica: room for the inhabited world
          });
        var projectsLabel = canvas.dataset.projectsLabel || "projects";
        var rtl = document.documentElement.dir === "rtl";
        var chart = new Chart(canvas.getContext("2d"), {
          type: "choropleth",
          data: {
            labels: shapes.map(function (shape) {
              var figure = figures[shape.id];
              return figure ? figure.name : shape.properties.name;
            }),
            datasets: [
              {
                label: canvas.dataset.label || "Projects",
                outline: shapes,
                data: shapes.map(function (shape) {
                  var figure = figures[shape.id];
                  return { feature: shape, value: figure ? figure.projects : null, figure: figure || null };
                }),
                borderColor: "#adb5bd",
                borderWidth: 0.5,
              },
            ],
          },
          options: {
            maintainAspectRatio: false,
            animation: false,
            locale: document.documentElement.lang || undefined,
            showOutline: false,
            showGraticule: false,
            plugins: {
              legend: { display: false },
              tooltip: {
                rtl: rtl,
                textDirection: rtl ? "rtl" : "ltr",
                callbacks: {
                  label: function (item) {
                    var figure = item.raw.figure;
                    if (!figure) return item.chart.data.labels[item.dataIndex] + ": 0 " + projectsLabel;
                    return (
                      figure.name + ": " + figure.projects + " " + projectsLabel + ", " +
                      formatDollars(parseFloat(figure.usd))
                    );
                  },
                },
              },
            },
            scales: {
              projection: { axis: "x", projection: "equalEarth" },
              color: {
                axis: "x",
                interpolate: "blues",
                missing: "#f1f3f5",
                legend: { position: rtl ? "bottom-right" : "bottom-left", align: "bottom" },
              },
            },
            onClick: function (event, elements) {
              if (!elements.length) return;
              var raw = chart.data.datasets[0].data[elements[0].index];
              if (raw.figure && raw.figure.link) window.location.href = canvas.dataset.list + raw.figure.link;
            },
          },
        });
        canvas.dataset.drawn = "yes";
      })
      .catch(function () {
        canvas.dataset.drawn = "failed"; // the table beside it still holds every figure
        canvas.closest("[data-projects-map-frame]").hidden = true;
      });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-projects-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
  });
})();
