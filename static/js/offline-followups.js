// Officer follow-up calls offline (docs/offline.md#officer-follow-up-calls-offline).
//
// On the due page (online): "Take the due list offline" keeps the people due in the next 7 days in IndexedDB
// (<div data-take-due-offline>: the URL of the copy). On every page signed in: sends the waiting follow-ups, each as
// one POST /follow-ups/new/<code>/sync with the Idempotency-Key kept with it (offlineSend, the one sender: the
// service worker's Background Sync sends them too), on load and on the `online` event, and shows each answer; a refusal that a retry cannot fix is shown with "Discard".
// On the offline page (<section data-offline-followups>): lists the people kept, and records a follow-up with the
// page's form and its checks, with the phone's time; "Save" queues one item per follow-up. The server judges at
// sync. Nothing goes to Cache Storage.
(function () {
  "use strict";
  var store = window.offlineStore;
  var offlineSend = window.offlineSend;
  if (!store || !offlineSend || !window.indexedDB) {
    return;
  }
  var KIND = "follow-up";
  var COPY = "follow-ups-due";
  var syncing = false;

  var phoneTime = offlineSend.phoneTime;  // each mark or follow-up carries the phone's time, with its offset

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function queued() {  // this kind's items, as the sender sees them (a malformed one is not shown)
    return offlineSend.queued(KIND);
  }

  // ---- The due page: take the due list offline ----

  function offerCopy(holder) {
    var button = holder.querySelector("button");
    var said = holder.querySelector("[data-said]");
    holder.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(holder.dataset.takeDueOffline, {credentials: "same-origin", cache: "no-store",
                                             headers: {"Accept": "application/json"}})
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!response.ok || !json) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (copy) {
          return store.keep(COPY, copy).then(function () {
            said.textContent = fill(holder.dataset.done, {count: copy.due.length, until: copy.until});
          });
        })
        .catch(function () { said.textContent = holder.dataset.failed; })
        .then(function () { button.disabled = false; });
    });
  }

  // ---- Online pages: send the queue, show the answers ----

  // What the server said of a follow-up: saved, or refused with why (then "Discard", the item stays queued until
  // the officer discards it or the 7 days erase it). `shown` is what the queue kept of it: code, name, recorded_at.
  function showAnswer(shown, result, box, item) {
    var words = box.dataset;
    var title = {person: shown.code + " " + shown.name, when: shown.recorded_at.replace("T", " ").slice(0, 16)};
    var ok = result.status >= 200 && result.status < 300;
    var alert = element("div", "alert " + (ok ? "alert-success" : "alert-danger"));
    alert.setAttribute("role", "status");
    alert.dataset.followUp = shown.code;
    if (ok) {
      alert.appendChild(element("p", "mb-0", fill(words.sent, title)));
    } else {
      var answer = result.answer || {};
      alert.appendChild(element("p", "mb-1", fill(words.notSent, title) + " " + (answer.error || result.status)));
      var fields = answer.fields || {};
      var list = element("ul", "small");
      Object.keys(fields).forEach(function (name) {
        if (fields[name] !== answer.error) { list.appendChild(element("li", "", name + ": " + fields[name])); }
      });
      if (list.children.length) { alert.appendChild(list); }
      var discard = element("button", "btn btn-sm btn-outline-danger", words.discard);
      discard.type = "button";
      discard.addEventListener("click", function () {
        if (!window.confirm(words.confirm)) {
          return;
        }
        store.remove(item.id).then(function () {
          alert.className = "alert alert-secondary";
          alert.textContent = fill(words.discarded, title);
        });
      });
      alert.appendChild(discard);
      alert.dataset.refusedItem = String(item.id);  // shown once, however many times the queue is sent again
      box.querySelectorAll('[data-refused-item="' + item.id + '"]').forEach(function (old) { old.remove(); });
    }
    box.appendChild(alert);
    box.hidden = false;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // The follow-ups sent by whoever sent them (this page, another tab, or the service worker's Background Sync).
  function showResults(box) {
    return store.takeResults(KIND).then(function (results) {
      results.forEach(function (sent) { showAnswer(sent, {status: 201, answer: sent.answer}, box); });
    });
  }

  function sendQueue() {
    var box = document.getElementById("offline-followup-results");
    if (!box) {
      return Promise.resolve();
    }
    if (syncing || !navigator.onLine || !csrfToken()) {
      return showResults(box);
    }
    syncing = true;  // the box keeps what it showed: a second send (the `online` event) must not wipe the results
    return offlineSend.sendQueue(csrfToken(), function (item, reply) {
      showAnswer(item.payload, reply, box, item);
    }, KIND).catch(function () { /* the connection dropped again: the rest waits */ })
      .then(function () { syncing = false; return showResults(box); });
  }

  // ---- The offline page: the people kept, and the form (offline-followup-form.js: its checks and body) ----

  var checks = window.offlineFollowUpForm;
  var field = checks ? checks.field : null;

  function queueFollowUp(due, body) {
    var now = phoneTime(new Date());
    body.recorded_at = now;
    return store.add(KIND, {code: due.code, name: due.name, url: "/follow-ups/new/" + encodeURIComponent(due.code) +
                            "/sync", key: offlineSend.newKey(KIND), recorded_at: now, body: JSON.stringify(body)})
      .then(function (id) {
        offlineSend.registerSync();  // Chromium sends it when the connection returns, even with no page open
        return id;
      });
  }

  function contact(due, words) {
    var line = element("span");
    line.appendChild(document.createTextNode(words.phone + ": "));
    if (due.phone) {
      var call = element("a", "", due.phone_shown || due.phone);
      call.href = "tel:" + due.phone;
      line.appendChild(call);
    } else {
      line.appendChild(document.createTextNode(words.noPhone));
    }
    return line;
  }

  function aboutDue(due, words) {
    var text = due.cohort + " · " + fill(words.due, {day: due.due_on});
    if (due.latest) {
      text += " · " + fill(words.latest, {day: due.latest.on}) + " (" + (due.latest.reached ? words.reached
        : words.notReached) + ")";
    }
    return text;
  }

  function renderForm(section, copy, due) {
    var words = section.dataset;
    var holder = section.querySelector("[data-offline-due]");
    holder.textContent = "";
    var form = section.querySelector("template[data-follow-up-form]").content.firstElementChild.cloneNode(true);
    form.id = "offline-follow-up";
    form.querySelector("[data-person]").textContent = due.code + " " + due.name;
    var about = form.querySelector("[data-contact]");
    about.appendChild(contact(due, words));
    about.appendChild(element("span", "d-block small text-body-secondary", aboutDue(due, words)));
    var trainings = field(form, "enrollment");
    due.completed.forEach(function (e) {
      var option = element("option", "", e.label);
      option.value = String(e.id);
      trainings.appendChild(option);
    });
    trainings.value = String(due.enrollment);
    field(form, "window").value = String(due.window);
    field(form, "followed_on").value = checks.today();  // the page was kept when the worker installed: not its day
    form.addEventListener("input", function () { section.dataset.unsaved = "1"; });
    form.addEventListener("change", function (event) {  // a field corrected loses its message until Save again
      var input = event.target;
      input.classList.remove("is-invalid");
      form.querySelectorAll('[data-offline-check="' + input.name + '"]').forEach(function (note) { note.remove(); });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelectorAll("[data-offline-check]").forEach(function (note) { note.remove(); });
      form.querySelectorAll(".is-invalid").forEach(function (input) { input.classList.remove("is-invalid"); });
      var error = form.querySelector("[data-form-error]");
      var found = checks.problems(form, due, words);
      var names = Object.keys(found);
      names.forEach(function (name) { checks.markWrong(field(form, name), found[name]); });
      error.hidden = !names.length;
      error.textContent = names.length ? words.check : "";
      if (names.length) {
        field(form, names[0]).focus();
        return;
      }
      var save = form.querySelector('[type="submit"]');
      save.disabled = true;
      queueFollowUp(due, checks.bodyOf(form)).then(function () {
        delete section.dataset.unsaved;
        var said = form.querySelector("[data-said]");
        said.textContent = words.saved;
        said.hidden = false;
      });
    });
    form.querySelector("[data-back]").addEventListener("click", function () {
      delete section.dataset.unsaved;
      window.history.replaceState(null, "", "/follow-ups/");
      renderList(section, copy);
    });
    holder.appendChild(form);
    field(form, "reached").focus();
    // The connection's return reloads the page asked for: this person's online form, then the due list.
    window.history.replaceState(null, "", "/follow-ups/new/" + encodeURIComponent(due.code));
  }

  function renderList(section, copy) {
    var words = section.dataset;
    var holder = section.querySelector("[data-offline-due]");
    holder.textContent = "";
    return queued().then(function (items) {
      var waiting = {};
      items.forEach(function (item) { waiting[item.payload.code] = (waiting[item.payload.code] || 0) + 1; });
      holder.appendChild(element("p", "small", fill(words.kept, {day: copy.taken_on, until: copy.until})));
      if (items.length) {
        holder.appendChild(element("p", "alert alert-warning", fill(words.count, {count: items.length})));
      }
      var list = element("ul", "list-unstyled");
      copy.due.forEach(function (due) {
        var item = element("li", "border-bottom py-2");
        var open = element("button", "btn btn-outline-primary w-100 text-start", due.code + " " + due.name);
        open.type = "button";
        open.addEventListener("click", function () { renderForm(section, copy, due); });
        item.appendChild(open);
        var about = element("p", "small mb-0 mt-1");
        about.appendChild(contact(due, words));
        about.appendChild(element("span", "d-block text-body-secondary", aboutDue(due, words)));
        if (waiting[due.code]) {
          about.appendChild(element("span", "badge text-bg-warning", words.waiting));
        }
        item.appendChild(about);
        list.appendChild(item);
      });
      holder.appendChild(list);
    });
  }

  function offlinePage(section) {
    store.resume().then(function (owner) {
      return owner ? store.kept(COPY) : null;
    }).then(function (copy) {
      if (!copy) {
        return;  // nothing kept: the section stays hidden
      }
      section.hidden = false;
      var path = window.location.pathname;
      var asked = /^\/follow-ups\/new\/([^/]+)\/?$/.exec(path);
      var code = asked && decodeURIComponent(asked[1]);
      var wanted = code && copy.due.filter(function (due) { return due.code === code; })[0];
      if (wanted) {
        renderForm(section, copy, wanted);
        section.scrollIntoView();
        return;
      }
      return renderList(section, copy).then(function () {
        if (/^\/follow-ups\/?$/.test(path)) {
          section.scrollIntoView();  // the due list was asked for: it opens here
        }
      });
    }).catch(function () { section.hidden = true; });
  }

  // The offline page holds the section in each language: the one of the language shown first (offline-page.js
  // puts the user's last language first) is kept, the others go.
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-offline-followups]"));
  var section = sections.filter(function (s) { return s.lang === document.documentElement.lang; })[0] || sections[0];
  sections.forEach(function (other) { if (other !== section) { other.remove(); } });
  if (section) {
    if (checks) { offlinePage(section); }
    return;
  }
  if (document.body.dataset.userId) {
    var start = function () {
      var holder = document.querySelector("[data-take-due-offline]");
      if (holder) { offerCopy(holder); }
      sendQueue();
    };
    if (store.ready) {
      start();  // the store was claimed before this script arrived
    } else {
      document.addEventListener("offline-store:ready", start);
    }
    window.addEventListener("online", sendQueue);
    if ("serviceWorker" in navigator) {  // the worker sent the queue on a Background Sync: show its results
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "offline-sent") {
          var box = document.getElementById("offline-followup-results");
          if (box) { showResults(box); }
        }
      });
    }
  }
  window.offlineFollowUps = {sendQueue: sendQueue};
})();
