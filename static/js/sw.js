// The service worker (served as /sw.js by core/offline.py): producer pages keep working without signal.
//
// - Static files: the kept copy at once, refreshed in the background for the next visit.
// - A producer's pages (lots, plots, first steps, shipments and the step, split and harvest forms): from the
//   network when it answers, kept in the cache each time, and from the cache when it does not; a page never
//   opened shows the offline page. Pages that answered with a redirect (to sign in) are never kept.
// - Other pages: the network, or the offline page.
// Form posts are not touched here: static/js/offline.js queues them. The kept pages are one person's: signing
// out, or another person's page, forgets them.
"use strict";
var SHELL = "nongsan-shell-v1";
var PAGES = "nongsan-pages";
var OFFLINE = "/offline";
var PRODUCER = /^\/(batches|plots|start|shipments)(\/|$)/;

function keep(cacheName, request, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function fetchAndKeep(url) {
  // Resolves once the page is in the cache (or was not worth keeping), so that a serial step ends with it.
  return fetch(url, {credentials: "same-origin"}).then(function (r) {
    if (!(r.ok && !r.redirected && r.type === "basic")) return null;
    return caches.open(PAGES).then(function (cache) { return cache.put(url, r); });
  }, function () {});
}

// Messages change the kept pages one after another: a page's "forget unless owned by" and its "keep these"
// arrive together, and run at once they race (a page kept, then the cache deleted under it).
var pending = Promise.resolve();
function serially(step) {
  pending = pending.then(step, step).catch(function () {});
  return pending;
}

self.addEventListener("install", function (event) {
  // A producer's own pages are kept by the page's "warm" message once signed in, not here: whoever the
  // worker is installed for is not known yet.
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.add(OFFLINE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("nongsan-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(request) {
  return caches.match(request, {ignoreVary: true}).then(function (hit) {
    return hit || caches.match(OFFLINE);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Stale while revalidate: the kept copy at once, a fresh one kept for next time.
    event.respondWith(caches.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (r) { return keep(SHELL, request, r); });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    }));
  } else if (request.mode === "navigate" && PRODUCER.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (r) { return keep(PAGES, request, r); }, function () {
      return fromCache(request);
    }));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
  }
});

// The kept pages belong to one person, named in an entry of the cache itself (the worker keeps no state):
// a page read by anyone else (or by nobody, once signed out) forgets them first.
var OWNER = "/__owner__";

function forgetUnlessOwnedBy(owner) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(OWNER).then(function (hit) { return hit ? hit.text() : null; }).then(function (kept) {
      if (kept === owner) return null;
      return caches.delete(PAGES).then(function () {
        return owner ? caches.open(PAGES).then(function (c) { return c.put(OWNER, new Response(owner)); }) : null;
      });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (typeof data.owner === "string") {
    event.waitUntil(serially(function () { return forgetUnlessOwnedBy(data.owner); }));
  }
  if (data.warm) {
    event.waitUntil(serially(function () {
      return caches.open(PAGES).then(function (cache) {
        return Promise.all(data.warm.filter(function (u) { return PRODUCER.test(u); }).map(function (u) {
          return cache.match(u, {ignoreVary: true}).then(function (hit) { return hit || fetchAndKeep(u); });
        }));
      });
    }));
  }
});
