// Trainer attendance offline (docs/offline.md#trainer-attendance-offline).
//
// On a page signed in (online): keeps the trainer's sessions of the next 14 days in IndexedDB when the page asks
// for it (<body data-offline-bundle>: the home page and the session page), and sends the waiting sessions, each
// as one POST /sessions/<id>/sync carrying the Idempotency-Key kept with it, on load and on the `online` event;
// the answer (applied, kept out, refused with the reasons) is shown on the page and the item leaves the queue.
// On the offline page (<section data-offline-attendance>): lists the sessions kept, and takes a session's marks
// from that copy, each with the phone's time; "Save" queues one item per session. Nothing goes to Cache Storage.
(function () {
  "use strict";
  var store = window.offlineStore;
  var offlineSend = window.offlineSend;
  if (!store || !offlineSend || !window.indexedDB) {
    return;
  }
  var KIND = "attendance";
  var BUNDLE = "attendance-sessions";
  var body = document.body;
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

  // ---- Online pages: keep the copy, send the queue, show the answers ----

  function keepBundle() {
    var url = body.dataset.offlineBundle;
    if (!url || !navigator.onLine) {
      return Promise.resolve();
    }
    return fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return response.ok && json ? response.json().then(function (bundle) { return store.keep(BUNDLE, bundle); })
          : null;
      })
      .catch(function () { /* no connection after all: the copy kept before stays */ });
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function resultsBox() {
    return document.getElementById("offline-sync-results");
  }

  // What the server did with a sent session: applied, kept out and refused, each mark with its reason.
  function showSent(result) {
    var box = resultsBox();
    if (!box || result.kind !== KIND) {
      return;
    }
    var answer = result.answer;
    var alert = element("div", "alert " + (answer.kept_out.length || answer.refused.length
      ? "alert-warning" : "alert-success"));
    alert.setAttribute("role", "status");
    alert.appendChild(element("p", "mb-1", fill(box.dataset.sent, {
      cohort: result.cohort, day: result.held_on, applied: answer.applied.length, kept: answer.kept_out.length,
      refused: answer.refused.length})));
    var list = element("ul", "mb-0 small");
    answer.kept_out.concat(answer.refused).forEach(function (mark) {
      var name = result.names[mark.beneficiary] || "";
      list.appendChild(element("li", "", mark.beneficiary + (name ? " " + name : "") + ": " + mark.reason));
    });
    if (list.children.length) { alert.appendChild(list); }
    if (answer.applied.length && result.session) {
      // A page drawn before the marks arrived (the session's own page) does not show them yet.
      var link = element("a", "alert-link d-inline-block mt-2", box.dataset.see);
      link.href = "/sessions/" + result.session;
      alert.appendChild(link);
    }
    box.appendChild(alert);
    box.hidden = false;
  }

  // A session the server refused as a whole (no longer the trainer's, a 422): it stays queued, and the trainer
  // may discard it, after a confirmation naming the session.
  function showRefused(item, reply) {
    var box = resultsBox();
    if (!box) {
      return;
    }
    var words = box.dataset;
    var title = {cohort: item.payload.cohort, day: item.payload.held_on};
    var alert = element("div", "alert alert-danger");
    alert.setAttribute("role", "status");
    alert.dataset.refusedItem = String(item.id);
    var why = reply.error || (reply.status === 404 ? words.gone : words.notYours);
    alert.appendChild(element("p", "mb-2", fill(words.notSent, title) + " " + why));
    var discard = element("button", "btn btn-outline-danger btn-sm", words.discard);
    discard.type = "button";
    discard.addEventListener("click", function () {
      if (!window.confirm(fill(words.confirmDiscard, title))) {
        return;
      }
      store.remove(item.id).then(function () {
        alert.className = "alert alert-secondary";
        alert.textContent = fill(words.discarded, title);
      });
    });
    alert.appendChild(discard);
    box.querySelectorAll('[data-refused-item="' + item.id + '"]').forEach(function (old) { old.remove(); });
    box.appendChild(alert);
    box.hidden = false;
  }

  // The results left by whoever sent (this page, another tab, or the service worker's Background Sync).
  function showResults() {
    return store.takeResults(KIND).then(function (results) { results.forEach(showSent); });
  }

  function sendQueue() {
    if (syncing || !navigator.onLine || !csrfToken()) {
      return showResults();
    }
    syncing = true;
    return offlineSend.sendQueue(csrfToken(), showRefused, KIND)
      .catch(function () { /* the connection dropped again: the rest waits */ })
      .then(function () { syncing = false; return showResults(); });
  }

  // ---- The offline page: take a session's marks from the copy ----

  function queueMarks(session, marks, names) {
    // One item per session: marks taken again replace those of the same people; a new key, as the request changes.
    return queued().then(function (items) {
      var before = items.filter(function (item) { return item.payload.session === session.id; })[0];
      var all = {};
      if (before) {
        JSON.parse(before.payload.body).marks.forEach(function (mark) { all[mark.beneficiary] = mark; });
      }
      Object.keys(marks).forEach(function (code) { all[code] = marks[code]; });
      var list = Object.keys(all).sort().map(function (code) { return all[code]; });
      var payload = {session: session.id, held_on: session.held_on, cohort: session.cohort, names: names,
                     key: offlineSend.newKey(KIND), body: JSON.stringify({held_on: session.held_on, marks: list})};
      return (before ? store.remove(before.id) : Promise.resolve()).then(function () {
        return store.add(KIND, payload);
      });
    });
  }

  function queuedMarks(sessionId) {
    return queued().then(function (items) {
      var item = items.filter(function (i) { return i.payload.session === sessionId; })[0];
      var marks = {};
      if (item) {
        JSON.parse(item.payload.body).marks.forEach(function (mark) { marks[mark.beneficiary] = mark.status; });
      }
      return marks;
    });
  }

  function renderSession(section, session) {
    var words = wordsOf(section);
    var marks = JSON.parse(words.marks);  // [[value, label], ...] in the page's language
    var taken = {};
    var names = {};
    var holder = section.querySelector("[data-offline-sessions]");
    holder.textContent = "";
    holder.appendChild(element("h2", "h5 mb-1", session.cohort));
    holder.appendChild(element("p", "mb-2", session.held_on));
    var now = new Date();
    if (session.held_on > phoneTime(now).slice(0, 10)) {
      holder.appendChild(element("p", "alert alert-info", words.future));  // the server would refuse its marks
      return Promise.resolve();
    }
    var form = element("form", "attendance");
    form.id = "offline-attendance-form";
    var list = element("ul", "list-unstyled");
    return queuedMarks(session.id).then(function (before) {
      session.roster.forEach(function (person, index) {
        names[person.code] = person.name;
        var item = element("li", "border-bottom py-2");
        var fieldset = element("fieldset");
        var legend = element("legend", "fs-6 mb-1");
        legend.appendChild(element("span", "fw-semibold", person.name));
        legend.appendChild(document.createTextNode(" "));
        legend.appendChild(element("span", "text-body-secondary small", person.code));
        fieldset.appendChild(legend);
        var group = element("div", "btn-group w-100");
        group.setAttribute("role", "group");
        marks.forEach(function (pair) {
          var id = "offline-mark-" + index + "-" + pair[0];
          var radio = element("input", "btn-check");
          radio.type = "radio";
          radio.name = "offline-mark-" + index;
          radio.id = id;
          radio.value = pair[0];
          radio.dataset.code = person.code;
          radio.checked = before[person.code] === pair[0];
          radio.addEventListener("change", function () {
            taken[person.code] = {beneficiary: person.code, status: pair[0], taken_at: phoneTime(new Date())};
            section.dataset.unsaved = "1";  // the offline page does not reload on the connection's return
          });
          var label = element("label", "btn btn-outline-secondary", pair[1]);
          label.htmlFor = id;
          group.appendChild(radio);
          group.appendChild(label);
        });
        fieldset.appendChild(group);
        item.appendChild(fieldset);
        list.appendChild(item);
      });
      var allPresent = element("button", "btn btn-outline-success mb-2", words.allPresent);
      allPresent.type = "button";
      allPresent.addEventListener("click", function () {
        var now = phoneTime(new Date());
        form.querySelectorAll('input[type="radio"][value="present"]').forEach(function (radio) {
          radio.checked = true;
          taken[radio.dataset.code] = {beneficiary: radio.dataset.code, status: "present", taken_at: now};
        });
        section.dataset.unsaved = "1";
      });
      var save = element("button", "btn btn-primary btn-lg w-100", words.save);
      save.type = "submit";
      var said = element("p", "alert alert-info mt-3");
      said.setAttribute("role", "status");
      said.hidden = true;
      form.appendChild(allPresent);
      form.appendChild(list);
      form.appendChild(save);
      form.appendChild(said);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!Object.keys(taken).length) {
          said.textContent = words.nothing;
          said.hidden = false;
          return;
        }
        queueMarks(session, taken, names).then(function () {
          taken = {};
          delete section.dataset.unsaved;
          said.textContent = words.kept;
          said.hidden = false;
          offlineSend.registerSync();  // Chromium sends it when the connection returns, even with no page open
        });
      });
      holder.appendChild(form);
    });
  }

  function renderList(section, sessions) {
    var holder = section.querySelector("[data-offline-sessions]");
    var words = wordsOf(section);
    holder.textContent = "";
    if (!sessions.length) {
      holder.appendChild(element("p", "", words.none));
      return;
    }
    var list = element("ul", "list-unstyled");
    sessions.forEach(function (session) {
      var item = element("li", "mb-2");
      var button = element("button", "btn btn-outline-primary w-100 text-start",
                           words.take + ": " + session.cohort + " · " + session.held_on);
      button.type = "button";
      button.addEventListener("click", function () { renderSession(section, session); });
      item.appendChild(button);
      list.appendChild(item);
    });
    holder.appendChild(list);
  }

  // The words in the language the offline page shows first (offline-page.js chose it: the user's latest).
  function wordsOf(section) {
    var all = section.querySelectorAll("[data-offline-words]");
    var own = section.querySelector('[data-offline-words][lang="' + document.documentElement.lang + '"]');
    return (own || all[0]).dataset;
  }

  // The offline page's own badge: how many sessions of the phone's last user wait.
  function showCount(section) {
    var badge = document.getElementById("offline-badge");
    if (!badge) {
      return;
    }
    store.pendingCount().then(function (count) {
      badge.querySelector("[data-count]").textContent = String(count);
      badge.querySelector("[data-waiting]").textContent = wordsOf(section).waiting;
      badge.hidden = count === 0;
    });
  }

  function offlinePage(section) {
    section.querySelector("h2").textContent = wordsOf(section).heading;
    store.resume().then(function (owner) {
      if (owner) {
        showCount(section);
        document.addEventListener("offline-store:change", function () { showCount(section); });
      }
      return owner ? store.kept(BUNDLE) : null;
    }).then(function (bundle) {
      var sessions = bundle ? bundle.sessions : [];
      section.hidden = false;
      var asked = /^\/sessions\/(\d+)\/?$/.exec(window.location.pathname);
      var wanted = asked && sessions.filter(function (s) { return s.id === Number(asked[1]); })[0];
      return wanted ? renderSession(section, wanted) : renderList(section, sessions);
    }).catch(function () { section.hidden = true; });
  }

  var section = document.querySelector("[data-offline-attendance]");
  if (section) {
    offlinePage(section);
    return;
  }
  if (body.dataset.userId) {
    var start = function () {
      keepBundle();
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
          showResults();
        }
      });
    }
  }
  window.offlineAttendance = {sendQueue: sendQueue, phoneTime: phoneTime};
})();
