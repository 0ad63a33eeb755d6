// Every page: registers the service worker, gives the offline store to the signed-in user, keeps the navbar's
// "waiting" badge up to date, and erases the store on sign-out. The page says who is signed in on <body>
// (data-user-id), and the login page says when it follows a sign-out (data-erase-offline).
(function () {
  "use strict";
  var body = document.body;
  var store = window.offlineStore;
  var badge = document.getElementById("offline-badge");
  var SIGN_OUT_WAIT_MS = 3000;  // never keep someone from signing out because the browser is slow
  var SIGNING_OUT = "registry-signing-out";  // a sign-out the server has not seen yet (tapped offline)

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

  function signingOut(userId) {
    try {
      if (userId) {
        window.localStorage.setItem(SIGNING_OUT, userId);
        return true;
      }
      var who = window.localStorage.getItem(SIGNING_OUT);
      window.localStorage.removeItem(SIGNING_OUT);
      return who;
    } catch (error) {
      return null;
    }
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  var signOut = document.querySelector("form[data-sign-out]");
  var unfinished = signingOut();
  if (body.dataset.userId && unfinished === body.dataset.userId && signOut) {
    // This user tapped "Sign out" with no connection: the phone was erased then; the server ends the session now.
    signOut.dataset.erased = "1";
    signOut.submit();
    return;
  }
  if (body.dataset.userId) {
    store.claim(body.dataset.userId).then(function (result) {
      warnErased(result.erased);
      showCount();
      // The service worker sends the queue on a Background Sync with the token of this user's latest page.
      return store.keep("csrf", csrfToken());
    }).catch(function () { /* the page still works; only this token is not kept */ }).then(function () {
      // A script loaded after this point (a slow download) finds the flag instead of having missed the event.
      store.ready = true;
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
      signingOut(body.dataset.userId);  // the login page that follows forgets it; the offline page does not
      var timeout = new Promise(function (resolve) { setTimeout(resolve, SIGN_OUT_WAIT_MS); });
      Promise.race([store.eraseAll(), timeout]).catch(function () {}).then(function () {
        form.dataset.erased = "1";
        form.submit();
      });
    });
  });
})();
