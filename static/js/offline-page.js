// The offline page: "Try again" reloads the page the user asked for, and so does the connection's return
// (unless attendance taken offline waits to be saved); after a sign-out tapped offline, it opens the home page.
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
    document.title = own.querySelector("h1, h2").textContent;
  }
  // "Sign out" tapped with no connection: app-shell.js erased the phone's store before posting it, and the post
  // landed here. The home page ends the session on the server once the connection returns (app-shell.js).
  var signedOut = main && window.location.pathname === main.dataset.signOutPath;
  if (signedOut) {
    main.querySelectorAll("section[lang] > p:not([data-signed-out])").forEach(function (p) { p.hidden = true; });
    main.querySelectorAll("[data-signed-out]").forEach(function (p) { p.hidden = false; });
  }

  function again() {
    if (signedOut) {
      window.location.assign(main.dataset.home);  // never post the sign-out again from the browser's history
    } else {
      window.location.reload();
    }
  }

  document.querySelectorAll("[data-reload]").forEach(function (button) {
    button.addEventListener("click", again);
  });
  window.addEventListener("online", function () {
    // Not while marks taken offline are not saved yet (offline-attendance.js): "Try again" reloads then.
    if (!document.querySelector("[data-offline-attendance][data-unsaved]")) {
      again();
    }
  });
})();
