// Dashboard charts from the page's JSON block (no inline script: the CSP forbids it).
// Each trend figure gets its own chart and so its own scale; every chart has a data table beside it.
(function () {
  var block = document.getElementById("chart-data");
  if (!block || typeof Chart === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var colours = ["#0d6efd", "#198754", "#d63384", "#fd7e14"];

  function canvas(name) { return document.querySelector('[data-chart="' + name + '"]'); }

  data.trend.series.forEach(function (series, index) {
    var el = canvas("trend-" + index);
    if (!el) { return; }
    new Chart(el, {
      type: "line",
      data: { labels: data.trend.months, datasets: [{ label: series.label, data: series.data,
        borderColor: colours[index % colours.length], backgroundColor: colours[index % colours.length], tension: 0.2 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });

  var parks = canvas("parks");
  if (parks) {
    new Chart(parks, {
      type: "bar",
      data: { labels: data.parks.labels, datasets: data.parks.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colours[i] };
      }) },
      options: { scales: { y: { beginAtZero: true } } },
    });
  }

  var budgets = canvas("budgets");
  if (budgets) {
    var left = data.budgets.budget.map(function (b, i) { return Math.max(b - data.budgets.spent[i], 0); });
    new Chart(budgets, {
      type: "bar",
      data: { labels: data.budgets.labels, datasets: [
        { label: "已用（万元）", data: data.budgets.spent, backgroundColor: colours[0] },
        { label: "剩余（万元）", data: left, backgroundColor: "#adb5bd" },
      ] },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
    });
  }
})();

// Per-policy funnel, budget burn-down and bank response times (each also a table on the page).
(function () {
  var block = document.getElementById("chart-data");
  if (!block || typeof Chart === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  function canvas(name) { return document.querySelector('[data-chart="' + name + '"]'); }

  var funnel = canvas("funnel");
  if (funnel && data.funnel) {
    new Chart(funnel, {
      type: "bar",
      data: { labels: data.funnel.labels, datasets: [{ label: "企业数", data: data.funnel.data,
        backgroundColor: ["#0d6efd", "#6610f2", "#fd7e14", "#198754"] }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  var burn = canvas("burn");
  if (burn && data.burn) {
    new Chart(burn, {
      type: "bar",
      data: { labels: data.burn.labels, datasets: [
        { type: "line", label: "月末剩余预算（万元）", data: data.burn.left, borderColor: "#0d6efd", backgroundColor: "#0d6efd", tension: 0.1, yAxisID: "left" },
        { type: "bar", label: "当月获批（万元）", data: data.burn.spent, backgroundColor: "#b02a37", yAxisID: "spent" },
      ] },
      options: { scales: {
        left: { position: "left", beginAtZero: true, suggestedMax: data.burn.budget, title: { display: true, text: "剩余（万元）" } },
        spent: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "当月（万元）" } },
      } },
    });
  }

  var banks = canvas("banks");
  if (banks && data.banks && data.banks.labels.length) {
    new Chart(banks, {
      type: "bar",
      data: { labels: data.banks.labels, datasets: [{ label: "首次报价用时中位数（小时）", data: data.banks.hours, backgroundColor: "#198754" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: "小时" } } } },
    });
  }
})();
