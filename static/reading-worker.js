// The reading room's service worker: the pages a member opened and the documents they read stay readable offline.
// Pages: network first, the last copy when offline. Documents: the stored copy first (a document does not change:
// a replacement is a new document with a new address). Nothing the server marks no-store (confidential documents)
// is ever kept.
"use strict";
var CACHE = "paragraf-reading-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function storable(response) {
  return response && response.ok && response.type === "basic" &&
    !/no-store/.test(response.headers.get("Cache-Control") || "");
}

function keep(request, response) {
  if (storable(response)) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/las/") !== 0) return;
  if (/^\/las\/handling\/\d+\.pdf$/.test(url.pathname)) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return keep(request, response); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) { return keep(request, response); })
      .catch(function () { return caches.match(request); }));
  }
});
