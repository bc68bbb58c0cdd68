// The collect page's service worker: a tablet at a lunch club may reload the page, or the
// browser may drop it from memory, while there is no signal. The collect page, its script,
// the widget and the survey's definition then come from this cache, so collecting goes on
// and what waits on the device is sent once the signal returns.
//
// Network first, always: a page or a survey published anew is used as soon as it can be
// fetched; the cache only answers when the network does not. Nothing people answer passes
// through here to be kept: only GETs of what the page is made of are cached.
"use strict";

const CACHE = "voices-collect-v1";
// How long the network has before the kept copy is used.
const PATIENCE_MS = 4000;

// What a collect page is made of, and nothing else: the page itself, its script and
// stylesheet, the widget's files, and the survey's definition and updates.
function cacheable(url) {
  if (url.origin !== self.location.origin) return false;
  const path = url.pathname;
  return (
    /^\/admin\/collect\/[^/]+$/.test(path) ||
    path === "/collect.js" ||
    path === "/admin.css" ||
    path === "/embed.js" ||
    /^\/voices-widget-[^/]+$/.test(path) ||
    /^\/api\/surveys\/[^/]+(\/outcomes)?$/.test(path)
  );
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // The page is kept under its path alone: opened again with other parameters, it is
      // still the same survey's page.
      const key = url.pathname.startsWith("/admin/collect/") ? url.origin + url.pathname : request;
      const fresh = fetch(request).then(async (response) => {
        if (response.ok) await cache.put(key, response.clone());
        return response;
      });
      // A signal that is there but too weak to load anything is no better than none: after
      // a few seconds the kept copy is used (the fresh one still replaces it when it comes).
      const slow = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS, null));
      try {
        const first = await Promise.race([fresh, slow]);
        if (first) return first;
        const kept = await cache.match(key, { ignoreVary: true });
        return kept || (await fresh);
      } catch (error) {
        const kept = await cache.match(key, { ignoreVary: true });
        if (kept) return kept;
        throw error;
      }
    })(),
  );
});
