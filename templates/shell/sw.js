// The registry's service worker: keeps the app shell, never a page with people's data (docs/offline.md).
//
// It caches exactly the files listed below (styles, scripts, the Khmer font, the icons and the offline page)
// when it installs, and nothing it sees later. A page that cannot be fetched is answered with the offline page;
// every other request goes to the network as if there were no worker. A new version (the name below changes
// with any file of the shell) replaces the old cache when it activates. It never deletes IndexedDB, where the
// work waiting to be sent lives, so an update loses none of it.
// Where the browser has Background Sync (Chromium), the page that queues work asks for a sync, and the worker's
// `sync` event sends the queue itself: the signed-in user's items, with the CSRF token the last page of that user
// kept beside them and each item's Idempotency-Key; it keeps the results for the next page, and tells open pages.
"use strict";

importScripts.apply(self, {{ scripts|tojson }});

const PREFIX = "registry-shell-";
const CACHE = PREFIX + {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const OFFLINE = {{ offline|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(SHELL.map(function (url) { return new Request(url, {cache: "reload"}); })); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) { return name.startsWith(PREFIX) && name !== CACHE; })
          .map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function isShell(url) {
  return url.origin === self.location.origin && SHELL.indexOf(url.pathname + url.search) !== -1;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.mode === "navigate") {
    // The network always; the offline page only when it cannot answer. Pages are never stored. A form posted
    // with no connection gets the offline page too ("Sign out" tapped offline: the page says what happened).
    event.respondWith(fetch(request).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE); });
    }));
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (isShell(url)) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request, {ignoreVary: true}).then(function (kept) { return kept || fetch(request); });
    }));
  }
});

// Send the waiting work of the store's owner with the token their last page kept; a failed connection rejects,
// so that the browser tries the sync again later.
function sendQueue() {
  const store = self.offlineStore;
  return store.resume()
    .then(function (owner) { return owner ? store.kept("csrf") : null; })
    .then(function (token) { return token ? self.offlineSend.sendQueue(token) : {sent: 0}; })
    .then(function (done) {
      if (!done.sent) {
        return done;
      }
      return self.clients.matchAll({type: "window"}).then(function (pages) {
        pages.forEach(function (page) { page.postMessage({type: "offline-sent"}); });
        return done;
      });
    });
}
self.sendQueue = sendQueue;  // the browser tests call it as the sync event does

self.addEventListener("sync", function (event) {
  if (event.tag === self.offlineSend.TAG) {
    event.waitUntil(sendQueue());
  }
});
