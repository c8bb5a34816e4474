// Draws every chart of a dashboard page with uPlot (served from this Worker's static assets) from
// the JSON the server put beside it, then marks the chart data-drawn="1".
(function () {
  "use strict";
  var COLORS = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

  function fmt(unit) {
    return function (u, v) {
      if (v == null) return "—";
      if (unit === "share") return (v * 100).toFixed(1) + "%";
      if (unit === "USD") return (v < 0 ? "-$" : "$") + (Math.abs(v) < 1 ? String(Number(Math.abs(v).toPrecision(3))) : Math.abs(v).toFixed(2));
      return String(Math.round(v * 10) / 10);
    };
  }

  // Every y-axis starts at 0 (a tier mix or a cost line read against a floor that moved misleads);
  // shares end at 100%.
  function yRange(unit) {
    return function (u, min, max) {
      if (unit === "share") return [0, 1];
      return [0, max > 0 ? max * 1.05 : 1];
    };
  }

  function draw(section) {
    var spec = JSON.parse(section.querySelector("script[type='application/json']").textContent);
    var el = section.querySelector(".plot");
    var data = [spec.x];
    var series = [{}];
    if (spec.kind === "stacked") {
      // Stack by drawing cumulative sums, the last series on top, each filled down to the one below.
      var acc = spec.x.map(function () { return 0; });
      var stacked = spec.series.map(function (s) {
        acc = acc.map(function (a, i) { return a + (s.values[i] || 0); });
        return acc.slice();
      });
      for (var i = stacked.length - 1; i >= 0; i--) {
        data.push(stacked[i]);
        var c = COLORS[i % COLORS.length];
        series.push({ label: spec.series[i].label, stroke: c, fill: c + "55", value: fmt(spec.unit) });
      }
    } else {
      spec.series.forEach(function (s, i) {
        data.push(s.values);
        series.push({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, value: fmt(spec.unit), spanGaps: true });
      });
    }
    var width = Math.max(320, el.clientWidth || 600);
    // After each draw, the y-scale's floor as drawn (the browser test checks it is 0).
    var hooks = { draw: [function (u) { section.setAttribute("data-y-min", String(u.scales.y.min)); }] };
    new uPlot({ hooks: hooks, width: width, height: 240, series: series, axes: [{}, { values: function (u, vs) { return vs.map(function (v) { return fmt(spec.unit)(u, v); }); }, size: 70 }], scales: { x: { time: true }, y: { range: yRange(spec.unit) } } }, data, el);
    section.setAttribute("data-drawn", "1");
  }

  document.querySelectorAll("section[data-chart]").forEach(function (s) {
    try { draw(s); } catch (e) { s.setAttribute("data-drawn", "error"); s.setAttribute("data-error", String(e)); }
  });
})();
