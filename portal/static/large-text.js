// 适老化: the 大字模式 button enlarges all text by a quarter and remembers the choice in this browser.
(function () {
  var root = document.documentElement;
  var button = document.querySelector("[data-large-text]");
  function apply(on) {
    root.classList.toggle("large-text", on);
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var stored = false;
  try { stored = window.localStorage.getItem("portal-large-text") === "1"; } catch (e) { /* storage off */ }
  apply(stored);
  if (button) {
    button.addEventListener("click", function () {
      var on = !root.classList.contains("large-text");
      apply(on);
      try { window.localStorage.setItem("portal-large-text", on ? "1" : "0"); } catch (e) { /* storage off */ }
    });
  }
})();
