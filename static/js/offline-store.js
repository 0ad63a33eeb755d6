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
//   offlineStore.settle(id, result) -> bool      an item was sent: it leaves the queue and its result is kept
//                                                for a page to show; false when another sender settled it first
//   offlineStore.takeResults() -> [results]      the results kept, oldest first, removed as they are taken
// The service worker loads this file too (importScripts, for Background Sync): no `document` there.
(function (scope) {
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
    if (typeof document === "undefined") {
      return;  // the service worker: the pages learn of its sending by a message
    }
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

  function settle(id, result) {
    var me = requireOwner();
    return transaction(["queue", "meta"], "readwrite", function (tx) {
      return done(tx.objectStore("queue").get(id)).then(function (item) {
        if (!item || item.owner !== me) {
          return false;
        }
        tx.objectStore("queue").delete(id);
        tx.objectStore("meta").put({key: "result:" + id, owner: me, value: result, takenAt: Date.now()});
        return true;
      });
    }).then(function (settled) { changed(); return settled; });
  }

  function takeResults() {
    var me = requireOwner();
    var range = IDBKeyRange.bound("result:", "result:\uffff");
    return transaction(["meta"], "readwrite", function (tx) {
      var meta = tx.objectStore("meta");
      return done(meta.getAll(range)).then(function (rows) {
        rows.forEach(function (row) { meta.delete(row.key); });
        return rows.filter(function (row) { return row.owner === me; })
          .sort(function (a, b) { return a.takenAt - b.takenAt; })
          .map(function (row) { return row.value; });
      });
    }).then(function (results) {
      if (results.length) {
        changed();  // another sender (the worker) settled these: the badge counts again
      }
      return results;
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

  scope.offlineStore = {
    NAME: NAME, MAX_AGE_MS: MAX_AGE_MS, claim: claim, add: add, list: list, remove: remove,
    pendingCount: pendingCount, eraseExpired: eraseExpired, eraseAll: eraseAll, keep: keep, kept: kept,
    resume: resume, settle: settle, takeResults: takeResults
  };
})(self);
