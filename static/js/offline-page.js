// The offline page: "Try again" reloads the page the user asked for, and so does the connection's return
// (unless attendance taken offline waits to be saved).
// It says so in each language; the one the user last read the registry in (app-shell.js keeps it) comes first.
(function () {
  "use strict";
  var language = null;
  try { language = window.localStorage.getItem("registry-language"); } catch (error) { /* storage off */ }
  var main = document.querySelector("[data-offline-page]");
  var own = language && main && main.querySelector('section[lang="' + language + '"]');
  if (own) {
    main.insertBefore(own, main.firstElementChild);
    main.querySelectorAll("section").forEach(function (section, index) {
      section.querySelector("h1, h2").setAttribute("aria-level", index === 0 ? "1" : "2");
    });
    document.documentElement.lang = language;
  }
  document.querySelectorAll("[data-reload]").forEach(function (button) {
    button.addEventListener("click", function () { window.location.reload(); });
  });
  window.addEventListener("online", function () {
    // Not while marks taken offline are not saved yet (offline-attendance.js): "Try again" reloads then.
    if (!document.querySelector("[data-unsaved]")) {  // attendance or a follow-up (offline-followups.js)
      window.location.reload();
    }
  });
})();
