// Sending the queue of work done offline: one request per item, with the Idempotency-Key kept with it
// (docs/offline.md#sending). Pages use it on load and on the `online` event, and the service worker on its
// Background Sync event; both settle a sent item through offlineStore.settle(), so that whoever sends first
// leaves the one result a page shows, and a retry by the other writes nothing twice (the key).
//
//   offlineSend.routes[kind] = function (payload) -> URL or null   where an item of this kind is sent
//   offlineSend.post(item, token) -> {outcome: "sent" | "wait" | "refused", answer, error}
//   offlineSend.sendQueue(token, onRefused, kind) -> {sent: n}   send the signed-in user's items (of one kind,
//                                            or all), one at a time; n counts those this sender settled
//   offlineSend.registerSync()               ask the browser for a Background Sync when it has it
//   offlineSend.phoneTime(date), offlineSend.newKey(kind)   the phone's time and a new key of a queued item
//   offlineSend.queued(kind) -> [items]      the signed-in user's items of a kind (or all) that can be sent
(function (scope) {
  "use strict";
  var TAG = "registry-send-queue";
  var routes = {
    attendance: function (payload) {  // a session's marks as offline-attendance.js queues them
      return payload && payload.session && payload.key && typeof payload.body === "string"
        ? "/sessions/" + payload.session + "/sync" : null;
    },
    "follow-up": function (payload) {  // a follow-up call as offline-followups.js queues it
      return payload && /^\/follow-ups\/new\/[^/]+\/sync$/.test(payload.url || "") && payload.key &&
        typeof payload.body === "string" ? payload.url : null;
    }
  };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The phone's time as ISO 8601 with its own offset, as the server's rules want it (taken_at, recorded_at).
  function phoneTime(d) {
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  // A new Idempotency-Key for an item of this kind: a retry of the item sends the same one.
  function newKey(kind) {
    if (scope.crypto && scope.crypto.randomUUID) {
      return kind + "-" + scope.crypto.randomUUID();
    }
    return kind + "-" + Date.now() + "-" + Math.random().toString(36).slice(2);
  }

  function post(item, token) {
    var payload = item.payload;
    return fetch(routes[item.kind](payload), {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token,
                "Idempotency-Key": payload.key},
      body: payload.body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.status === 400 || response.status === 401 || response.status === 409 || response.status >= 500) {
        // The token expired or the session ended (after signing in, a page sends it with its own), the same key is
        // in flight, or the server is down: the next try sends it.
        return {outcome: "wait"};
      }
      if (!json) {
        // 403, 404: the record is no longer this user's, or is gone (the page's error): no retry will change it.
        // Otherwise signed out (the login page), an expired form: after signing in it is sent.
        return response.status === 403 || response.status === 404
          ? {outcome: "refused", status: response.status, error: null, answer: null} : {outcome: "wait"};
      }
      return response.json().then(function (answer) {
        // A 403 or 404 is said in the page's own words (the record is no longer the user's, or is gone); the
        // answer stays for a kind whose route words its refusals (a follow-up's person outside the provinces).
        var own = response.status === 403 || response.status === 404;
        return response.ok ? {outcome: "sent", status: response.status, answer: answer}
          : {outcome: "refused", status: response.status, error: own ? null : answer.error || null, answer: answer};
      });
    });
  }

  // What a page shows of a sent item: its words, not its body (the marks are on the server now).
  function result(item, answer) {
    var payload = item.payload;
    if (item.kind === "follow-up") {
      return {kind: item.kind, code: payload.code, name: payload.name, recorded_at: payload.recorded_at,
              answer: answer};
    }
    return {kind: item.kind, session: payload.session, cohort: payload.cohort, held_on: payload.held_on,
            names: payload.names || {}, answer: answer};
  }

  // The signed-in user's items of one kind (or of all) that this sender knows how to send, oldest first.
  function queued(kind) {
    return scope.offlineStore.list().then(function (items) {
      return items.filter(function (item) {
        return (!kind || item.kind === kind) && routes[item.kind] && routes[item.kind](item.payload);
      });
    });
  }

  function sendQueue(token, onRefused, kind) {
    var store = scope.offlineStore;
    var sent = 0;
    return queued(kind).then(function (items) {
      return items
        .reduce(function (chain, item) {
          return chain.then(function () { return post(item, token); }).then(function (reply) {
            if (reply.outcome === "sent") {  // counted when this sender settles it (not another, first)
              return store.settle(item.id, result(item, reply.answer)).then(function (mine) { sent += mine ? 1 : 0; });
            }
            if (reply.outcome === "refused" && onRefused) {
              onRefused(item, reply);  // it stays queued until the user discards it (or 7 days pass)
            }
          });
        }, Promise.resolve());
    }).then(function () { return {sent: sent}; });
  }

  function registerSync() {
    // Chromium has Background Sync; Firefox and Safari do not, and send on the next page or `online` instead.
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) {
      return Promise.resolve(false);
    }
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync ? registration.sync.register(TAG).then(function () { return true; }) : false;
    }).catch(function () { return false; });  // refused (e.g. the permission is off): the other triggers remain
  }

  scope.offlineSend = {TAG: TAG, routes: routes, post: post, sendQueue: sendQueue, registerSync: registerSync,
                       phoneTime: phoneTime, newKey: newKey, queued: queued};
})(self);
