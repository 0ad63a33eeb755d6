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
  if (!store || !window.indexedDB) {
    return;
  }
  var KIND = "attendance";
  var BUNDLE = "attendance-sessions";
  var body = document.body;
  var syncing = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The phone's time as ISO 8601 with its own offset, as the server's merge rule wants it.
  function phoneTime(d) {
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return "attendance-" + window.crypto.randomUUID();
    }
    return "attendance-" + Date.now() + "-" + Math.random().toString(36).slice(2);
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function queued() {
    return store.list().then(function (items) {
      return items.filter(function (item) {  // a session's marks as queueMarks() keeps them, nothing else
        return item.kind === KIND && item.payload && item.payload.key && typeof item.payload.body === "string";
      });
    });
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

  function showAnswer(item, answer, error) {
    var box = document.getElementById("offline-sync-results");
    if (!box) {
      return;
    }
    var words = box.dataset;
    var payload = item.payload;
    var alert = element("div", "alert " + (error ? "alert-danger" : answer.kept_out.length || answer.refused.length
      ? "alert-warning" : "alert-success"));
    alert.setAttribute("role", "status");
    var title = {cohort: payload.cohort, day: payload.held_on};
    if (error) {
      alert.appendChild(element("p", "mb-0", fill(words.notSent, title) + " " + error));
    } else {
      title.applied = answer.applied.length;
      title.kept = answer.kept_out.length;
      title.refused = answer.refused.length;
      alert.appendChild(element("p", "mb-1", fill(words.sent, title)));
      var list = element("ul", "mb-0 small");
      answer.kept_out.concat(answer.refused).forEach(function (mark) {
        var name = (payload.names || {})[mark.beneficiary] || "";
        list.appendChild(element("li", "", mark.beneficiary + (name ? " " + name : "") + ": " + mark.reason));
      });
      if (list.children.length) { alert.appendChild(list); }
    }
    box.appendChild(alert);
    box.hidden = false;
  }

  function send(item) {
    var payload = item.payload;
    return fetch("/sessions/" + payload.session + "/sync", {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(),
                "Idempotency-Key": payload.key},
      body: payload.body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json || response.status === 409 || response.status >= 500) {
        return;  // signed out, an expired form, busy or down: it stays in the queue for the next try
      }
      return response.json().then(function (answer) {
        if (response.ok) {
          showAnswer(item, answer);
          return store.remove(item.id);
        }
        showAnswer(item, null, answer.error || String(response.status));  // stays queued: the trainer sees why
      });
    });
  }

  function sendQueue() {
    if (syncing || !navigator.onLine || !csrfToken()) {
      return Promise.resolve();
    }
    syncing = true;
    return queued().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () { return send(item); });
      }, Promise.resolve());
    }).catch(function () { /* the connection dropped again: the rest waits */ })
      .then(function () { syncing = false; });
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
                     key: newKey(), body: JSON.stringify({held_on: session.held_on, marks: list})};
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
    var words = section.dataset;
    var marks = JSON.parse(words.marks);  // [[value, label], ...] in the page's language
    var taken = {};
    var names = {};
    var holder = section.querySelector("[data-offline-sessions]");
    holder.textContent = "";
    holder.appendChild(element("h2", "h5 mb-1", session.cohort));
    holder.appendChild(element("p", "mb-2", session.held_on));
    var now = new Date();
    if (session.held_on > now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate())) {
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
        });
      });
      holder.appendChild(form);
    });
  }

  function renderList(section, sessions) {
    var holder = section.querySelector("[data-offline-sessions]");
    holder.textContent = "";
    if (!sessions.length) {
      holder.appendChild(element("p", "", section.dataset.none));
      return;
    }
    var list = element("ul", "list-unstyled");
    sessions.forEach(function (session) {
      var item = element("li", "mb-2");
      var button = element("button", "btn btn-outline-primary w-100 text-start",
                           section.dataset.take + ": " + session.cohort + " · " + session.held_on);
      button.type = "button";
      button.addEventListener("click", function () { renderSession(section, session); });
      item.appendChild(button);
      list.appendChild(item);
    });
    holder.appendChild(list);
  }

  function offlinePage(section) {
    store.resume().then(function (owner) {
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
    document.addEventListener("offline-store:ready", function () {
      keepBundle();
      sendQueue();
    });
    window.addEventListener("online", sendQueue);
  }
  window.offlineAttendance = {sendQueue: sendQueue, phoneTime: phoneTime};
})();
