// Every page: registers the service worker, gives the offline store to the signed-in user, keeps the navbar's
// "waiting" badge up to date, and erases the store on sign-out. The page says who is signed in on <body>
// (data-user-id), and the login page says when it follows a sign-out (data-erase-offline).
(function () {
  "use strict";
  var body = document.body;
  var store = window.offlineStore;
  var badge = document.getElementById("offline-badge");
  var SIGN_OUT_WAIT_MS = 3000;  // never keep someone from signing out because the browser is slow

  try {  // the offline page, kept from whenever the worker installed, shows this language first
    window.localStorage.setItem("registry-language", document.documentElement.lang);
  } catch (error) { /* storage off: the offline page keeps its own order */ }

  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    navigator.serviceWorker.register(body.dataset.serviceWorker, {scope: "/"}).catch(function (error) {
      console.warn("The service worker did not register:", error);
    });
  }
  if (!store || !window.indexedDB) {
    return;
  }

  function showCount() {
    if (!badge || !body.dataset.userId) {
      return;
    }
    store.pendingCount().then(function (count) {
      badge.querySelector("[data-count]").textContent = String(count);
      badge.hidden = count === 0;
    });
  }

  function warnErased(count) {
    var notice = document.getElementById("offline-erased");
    if (count > 0 && notice) {
      notice.hidden = false;
    }
  }

  if (body.dataset.userId) {
    store.claim(body.dataset.userId).then(function (result) {
      warnErased(result.erased);
      showCount();
      document.dispatchEvent(new CustomEvent("offline-store:ready"));
    });
    document.addEventListener("offline-store:change", showCount);
  } else if ("eraseOffline" in body.dataset) {
    store.eraseAll();
  }

  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.erased) {
        return;
      }
      event.preventDefault();
      var timeout = new Promise(function (resolve) { setTimeout(resolve, SIGN_OUT_WAIT_MS); });
      Promise.race([store.eraseAll(), timeout]).catch(function () {}).then(function () {
        form.dataset.erased = "1";
        form.submit();
      });
    });
  });
})();
