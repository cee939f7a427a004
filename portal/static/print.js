// Buttons marked data-print open the browser's print dialog (a static file: the CSP forbids inline script).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
