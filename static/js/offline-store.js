// What a phone keeps for work done without a connection: one IndexedDB database, "registry-offline".
//
// Every item carries its owner (the signed-in user's id) and the time it was taken. The database belongs to one
// user at a time: when another user signs in on the same browser, everything in it is erased; it is erased on
// sign-out, and an item older than 7 days is erased whenever a page opens. See docs/offline.md.
//
//   offlineStore.claim(userId)  -> {erased: n}   the page's user takes the database (erasing another's items)
//   offlineStore.add(kind, payload) -> id        queue an item for the signed-in user
//   offlineStore.list() -> [items]               the signed-in user's items, oldest first
//   offlineStore.remove(id)
//   offlineStore.pendingCount() -> n             how many items wait (the navbar's badge)
//   offlineStore.eraseExpired() -> n             erase items taken more than 7 days ago
//   offlineStore.eraseAll()                      delete the whole database
//   offlineStore.keep(key, value)                keep a copy taken while online (e.g. a trainer's sessions)
//   offlineStore.kept(key) -> value or null      that copy, if it is the signed-in user's and under 7 days old
//   offlineStore.resume() -> owner or null       the offline page (which knows no user) takes the last owner
//   offlineStore.send(url, key, body) -> {status, answer, retry}   post one queued item (see send below)
(function () {
  "use strict";
  var NAME = "registry-offline";
  var VERSION = 1;
  var MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  var opened = null;
  var owner = null;

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (!opened) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("queue", {keyPath: "id", autoIncrement: true}).createIndex("owner", "owner");
        db.createObjectStore("meta", {keyPath: "key"});
      };
      opened = done(request).then(function (db) {
        // Another tab deleting the database (a sign-out) must not wait for this one.
        db.onversionchange = function () { db.close(); opened = null; };
        return db;
      });
    }
    return opened;
  }

  function transaction(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(tx)).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function changed() {
    document.dispatchEvent(new CustomEvent("offline-store:change"));
  }

  function requireOwner() {
    if (!owner) {
      throw new Error("offlineStore: no signed-in user has claimed the store");
    }
    return owner;
  }

  function claim(userId) {
    owner = String(userId);
    return transaction(["queue", "meta"], "readwrite", function (tx) {
      var queue = tx.objectStore("queue");
      var meta = tx.objectStore("meta");
      return done(meta.get("owner")).then(function (row) {
        if (row && row.value === owner) {
          return {erased: 0};
        }
        meta.clear();  // the kept copies of the other user go with their queue
        meta.put({key: "owner", value: owner});
        return done(queue.count()).then(function (count) {
          queue.clear();
          return {erased: count};
        });
      });
    }).then(function (result) {
      return eraseExpired().then(function (expired) {
        result.expired = expired;
        return result;
      });
    });
  }

  function add(kind, payload) {
    var item = {owner: requireOwner(), kind: kind, payload: payload, takenAt: Date.now()};
    return transaction(["queue"], "readwrite", function (tx) {
      return done(tx.objectStore("queue").add(item));
    }).then(function (id) { changed(); return id; });
  }

  function list() {
    var me = requireOwner();
    return transaction(["queue"], "readonly", function (tx) {
      return done(tx.objectStore("queue").index("owner").getAll(me));
    });
  }

  function remove(id) {
    return transaction(["queue"], "readwrite", function (tx) {
      tx.objectStore("queue").delete(id);
    }).then(changed);
  }

  function pendingCount() {
    var me = requireOwner();
    return transaction(["queue"], "readonly", function (tx) {
      return done(tx.objectStore("queue").index("owner").count(me));
    });
  }

  function keep(key, value) {
    var row = {key: "kept:" + key, owner: requireOwner(), value: value, takenAt: Date.now()};
    return transaction(["meta"], "readwrite", function (tx) {
      tx.objectStore("meta").put(row);
    });
  }

  function kept(key) {
    var me = requireOwner();
    return transaction(["meta"], "readonly", function (tx) {
      return done(tx.objectStore("meta").get("kept:" + key));
    }).then(function (row) {
      return row && row.owner === me && row.takenAt >= Date.now() - MAX_AGE_MS ? row.value : null;
    });
  }

  function resume() {
    return transaction(["meta"], "readonly", function (tx) {
      return done(tx.objectStore("meta").get("owner"));
    }).then(function (row) {
      owner = row ? row.value : null;
      return owner ? eraseExpired().then(function () { return owner; }) : null;
    });
  }

  function eraseExpiredCopies(tx, oldest) {
    var cursor = tx.objectStore("meta").openCursor();
    cursor.onsuccess = function () {
      var at = cursor.result;
      if (!at) {
        return;
      }
      if (at.value.key !== "owner" && !(at.value.takenAt >= oldest)) {
        at.delete();
      }
      at.continue();
    };
  }

  function eraseExpired() {
    var oldest = Date.now() - MAX_AGE_MS;
    var erased = 0;
    return transaction(["queue", "meta"], "readwrite", function (tx) {
      eraseExpiredCopies(tx, oldest);
      return new Promise(function (resolve) {
        var cursor = tx.objectStore("queue").openCursor();
        cursor.onsuccess = function () {
          var at = cursor.result;
          if (!at) {
            resolve(erased);
            return;
          }
          if (!(at.value.takenAt >= oldest)) {
            at.delete();
            erased += 1;
          }
          at.continue();
        };
      });
    }).then(function (count) { if (count) { changed(); } return count; });
  }

  function eraseAll() {
    var closing = opened ? opened.then(function (db) { db.close(); }, function () {}) : Promise.resolve();
    opened = null;
    return closing.then(function () {
      return new Promise(function (resolve, reject) {
        var request = indexedDB.deleteDatabase(NAME);
        request.onsuccess = function () { resolve(); };
        request.onerror = function () { reject(request.error); };
        // Blocked: another tab holds a connection; its onversionchange closes it, and the deletion goes on.
      });
    }).then(changed);
  }

  // The one way a page posts an item of the queue: JSON, signed in by the cookie with the page's CSRF token in
  // X-CSRFToken, and the Idempotency-Key kept with the item, so that a retry never writes twice. `retry` says the
  // item stays queued for the next try: a 409 (the same key still running), a 5xx, or an answer that is not JSON
  // (the sign-in page after an ended session, an expired form). No connection rejects the promise.
  function send(url, key, body) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return fetch(url, {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": meta ? meta.content : "", "Idempotency-Key": key},
      body: body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json || response.status === 409 || response.status >= 500) {
        return {status: response.status, answer: null, retry: true};
      }
      return response.json().then(function (answer) {
        return {status: response.status, answer: answer, retry: false};
      });
    });
  }

  window.offlineStore = {
    NAME: NAME, MAX_AGE_MS: MAX_AGE_MS, claim: claim, add: add, list: list, remove: remove,
    pendingCount: pendingCount, eraseExpired: eraseExpired, eraseAll: eraseAll, keep: keep, kept: kept,
    resume: resume, send: send
  };
})();
