// A form sent back with errors: its error summary (templates/_form.html) takes the focus, so that the
// reader starts there rather than at the top of a long page, and each link in it moves the focus to its
// field (the field itself, or the first box of a group of checkboxes), scrolled into view with its label.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-error-link]");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    var field = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    event.preventDefault();
    var group = target.closest(".mb-3, fieldset") || target;
    group.scrollIntoView({block: "start"});
    (field || target).focus({preventScroll: true});
    if (window.history && history.replaceState) {
      history.replaceState(null, "", link.hash);
    }
  });
})();
