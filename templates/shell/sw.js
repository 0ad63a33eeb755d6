// The registry's service worker: keeps the app shell, never a page with people's data (docs/offline.md).
//
// It caches exactly the files listed below (styles, scripts, the Khmer font, the icons and the offline page)
// when it installs, and nothing it sees later. A page that cannot be fetched is answered with the offline page;
// every other request goes to the network as if there were no worker. A new version (the name below changes
// with any file of the shell) replaces the old cache when it activates. It never opens or deletes IndexedDB,
// where the work waiting to be sent lives, so an update loses none of it.
"use strict";

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
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    // The network always; the offline page only when it cannot answer. Pages are never stored.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE); });
    }));
    return;
  }
  const url = new URL(request.url);
  if (isShell(url)) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request, {ignoreVary: true}).then(function (kept) { return kept || fetch(request); });
    }));
  }
});
