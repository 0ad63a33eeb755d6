// Polls an import job's state and moves the progress bar; reloads the page when the job ends.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var bar = box.querySelector("[data-progress-bar]");
  function show(state) {
    bar.style.width = state.percent + "%";
    bar.textContent = state.processed + " / " + (state.total || "?");
    bar.parentNode.setAttribute("aria-valuenow", state.percent);
  }
  function poll() {
    fetch(box.dataset.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (["queued", "checking", "importing"].indexOf(state.status) === -1) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  bar.style.width = (bar.dataset.percent || 0) + "%";
  window.setTimeout(poll, 500);
})();
