// Print buttons: any element marked data-print opens the browser's print dialog.
// Hidden until this script runs, so that a page without scripts shows no dead button.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
