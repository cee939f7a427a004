// What-if charts of the policy sandbox, from the page's JSON block (no inline script: the CSP forbids it).
// Reach (firms) and cost (万元) are different figures, so each has its own axis; the tables carry the same data.
(function () {
  var block = document.getElementById("whatif-data");
  if (!block || typeof Chart === "undefined") { return; }
  var data = JSON.parse(block.textContent);

  var sweep = document.querySelector('[data-chart="sweep"]');
  if (sweep && data.sweep) {
    new Chart(sweep, {
      type: "line",
      data: { labels: data.sweep.labels, datasets: [
        { label: "符合条件企业（家）", data: data.sweep.reach, borderColor: "#0d6efd", backgroundColor: "#0d6efd", yAxisID: "y", tension: 0.1 },
        { label: "所需资金（万元）", data: data.sweep.cost, borderColor: "#b02a37", backgroundColor: "#b02a37", borderDash: [6, 3], yAxisID: "cost", tension: 0.1 },
      ] },
      options: { scales: {
        x: { title: { display: true, text: data.sweep.label + "门槛" } },
        y: { position: "left", beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "企业（家）" } },
        cost: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "万元" } },
      } },
    });
  }

  var near = document.querySelector('[data-chart="near"]');
  if (near && data.near && data.near.labels.length) {
    new Chart(near, {
      type: "bar",
      data: { labels: data.near.labels.map(function (t) { return t.length > 24 ? t.slice(0, 23) + "…" : t; }),
        datasets: [{ label: "仅差此项的企业（家）", data: data.near.counts, backgroundColor: "#fd7e14" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
})();
