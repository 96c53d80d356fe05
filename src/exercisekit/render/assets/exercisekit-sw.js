/* exercisekit offline worker: the course opens again without a network after one visit.
 * Written at the site's root by sphinx/offline.py, with the list of files to keep and a hash of
 * their bytes; a new build changes this file, so the browser installs the new version beside the
 * old one and the page offers it (« Nouvelle version disponible »): nothing switches under a
 * learner's feet. Learners' work lives in localStorage, which this worker never touches.
 *
 * Caches are named after this worker's scope (the course's own path): two courses on one origin
 * (<org>.github.io/<repo>/) keep, and clear, only their own. Only GET requests for this origin and
 * this scope are answered; everything else goes to the network untouched and is never cached. */
"use strict";
var VERSION = /*VERSION*/"dev"/*END*/;
var FILES = /*FILES*/[]/*END*/;
var SCOPE = self.registration.scope; // absolute, ends with "/"
var FAMILY = "exercisekit-offline " + SCOPE + " "; // every cache of this course, whatever the version
var CACHE = FAMILY + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // "no-cache": revalidate with the server, so an update never stores last version's copies
    // that the browser's HTTP cache still holds.
    return cache.addAll(FILES.map(function (f) { return new Request(new URL(f, SCOPE).href, { cache: "no-cache" }); }));
  }).then(function () {
    // The first install has nothing to replace: take over at once, so the page just visited is
    // already offline-ready. An update waits until the learner asks for it.
    if (!self.registration.active) return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(FAMILY) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "exercisekit-update") self.skipWaiting();
});

function cacheKey(url) {
  var path = url.origin + url.pathname; // a folder ("/<repo>/") is served by its index.html
  return path.slice(-1) === "/" ? path + "index.html" : path;
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.href.indexOf(SCOPE) !== 0) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    // The query strings Sphinx adds (?v=…) do not matter: the whole cache is one version.
    return cache.match(cacheKey(url), { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    });
  }));
});
