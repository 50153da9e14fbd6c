/* The phone's service worker (served at /offline-sw.js, so that its scope is the whole site):
   a page of a fair the phone has opened can be opened again — reloaded — while the hall's Wi-Fi
   is down, so that the actions kept on the phone (static/js/offline.js) are still seen there,
   waiting, and sent from there when the connection returns.

   Network first: every page and static file is fetched as usual, and a copy of what came (an
   HTML page of a fair, /f/..., or a static file; never an answer marked no-store, never a
   redirect or an error) is kept. Only when the fetch fails is the kept copy answered. Nothing
   else is touched: posts, the API, Socket.IO, downloads. Logging out forgets the kept pages. */
"use strict";
var CACHE = "gielda-pages-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request, url) {
  if (request.method !== "GET") { return false; }
  if (url.pathname.indexOf("/static/") === 0) { return true; }
  return request.mode === "navigate" && url.pathname.indexOf("/f/") === 0;
}

function worthKeeping(response) {
  var type = response.headers.get("Content-Type") || "";
  return response.ok && response.type === "basic" && !response.redirected &&
    (response.headers.get("Cache-Control") || "").indexOf("no-store") < 0 &&
    (type.indexOf("text/html") === 0 || type.indexOf("text/css") === 0 || type.indexOf("javascript") >= 0);
}

self.addEventListener("fetch", function (e) {
  var request = e.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && /\/logout$/.test(url.pathname)) {
    e.waitUntil(caches.delete(CACHE));
    return;
  }
  if (!kept(request, url)) { return; }
  e.respondWith(fetch(request).then(function (response) {
    if (worthKeeping(response)) {
      var copy = response.clone();
      e.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
    }
    return response;
  }, function (failure) {
    return caches.match(request, { ignoreVary: true }).then(function (hit) {
      if (hit) { return hit; }
      throw failure;
    });
  }));
});
