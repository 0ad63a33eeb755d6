// The offline page: "Try again" reloads the page the user asked for, and so does the connection's return.
(function () {
  "use strict";
  document.querySelectorAll("[data-reload]").forEach(function (button) {
    button.addEventListener("click", function () { window.location.reload(); });
  });
  window.addEventListener("online", function () { window.location.reload(); });
})();
