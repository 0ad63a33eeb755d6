// Search as you type on the participant list: the form marked data-live-search fetches its results
// (the fragment at data-results-url, same parameters) a moment after typing stops, and puts them in
// place of the list. Without this script the form still submits as before. A search box of one or two
// characters waits for more (or for the search button); links marked data-live-href follow the search
// so that an export is of the list on the screen, leaving out the parameters named in data-leave-out.
(function () {
  "use strict";
  var DELAY = 300;  // ms after the last key
  var form = document.querySelector("form[data-live-search]");
  if (!form || !window.fetch) { return; }
  var box = form.querySelector("input[name=q]");
  var target = document.getElementById(form.dataset.results);
  var timer = null;
  var running = null;

  function parameters() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) { params.append(name, value); }
    });
    return params;
  }

  function followLinks(params) {
    document.querySelectorAll("a[data-live-href]").forEach(function (link) {
      var url = new URL(link.dataset.liveHref, window.location.href);
      var leaveOut = (link.dataset.leaveOut || "").split(" ");
      params.forEach(function (value, name) {
        if (leaveOut.indexOf(name) < 0) { url.searchParams.append(name, value); }
      });
      link.href = url.pathname + url.search;
    });
  }

  function show(params) {
    if (running) { running.abort(); }
    running = new AbortController();
    var query = params.toString();
    fetch(form.dataset.resultsUrl + (query ? "?" + query : ""),
          {credentials: "same-origin", signal: running.signal, headers: {"Accept": "text/html"}})
      .then(function (response) {
        // A signed-out user is sent to the sign-in page: submit the form, which goes there as well.
        if (response.redirected || !response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        target.setAttribute("aria-busy", "false");
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
        followLinks(params);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") { form.submit(); }
      });
  }

  function later() {
    window.clearTimeout(timer);
    var length = box.value.trim().length;
    if (length > 0 && length < 3) { return; }
    target.setAttribute("aria-busy", "true");
    timer = window.setTimeout(function () { show(parameters()); }, DELAY);
  }

  box.addEventListener("input", later);
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { window.clearTimeout(timer); show(parameters()); });
  });
})();
