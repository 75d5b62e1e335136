/* Afterglow's service worker: the plan offline, and marks made offline sent later.
 *
 * - Plan pages (responses the server marks "X-Offline-Copy: allowed") are fetched from the
 *   network first and a copy is kept. Offline, the copy is shown with a notice saying when it was
 *   fetched, so nobody mistakes it for a live page.
 * - A done/skip mark (a form POST to …/mark) that cannot reach the server is kept in IndexedDB and
 *   the browser goes back to the page it came from. The queue is sent, oldest first, as soon as a
 *   page loads from the network again, when the page says the browser is online, or on a
 *   Background Sync event.
 * - Push messages (planner/push) become notifications; a tap opens the message's own link.
 * Static, same-origin, no inline script: it runs under a CSP without 'unsafe-inline'.
 */
"use strict";

const PAGES = "afterglow-pages-v1";
const DB_NAME = "afterglow-offline";
const STORE = "marks";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// -- the queue of marks ------------------------------------------------------------------------

function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function inStore(mode, work) {
  return openQueue().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  }));
}

const queued = () => inStore("readonly", (store) => store.getAll());
const enqueue = (item) => inStore("readwrite", (store) => store.add(item));
const dequeue = (id) => inStore("readwrite", (store) => store.delete(id));

let flushing = null;

/* Send every queued mark; stop at the first one the network cannot take (still offline). */
function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    for (const item of await queued()) {
      let response;
      try {
        response = await fetch(item.url, {
          method: "POST", body: item.body, credentials: "same-origin", redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
      } catch (offline) {
        return;
      }
      if (response.status >= 500) return;  // the server is struggling: try again later
      await dequeue(item.id);  // accepted (a redirect), or refused for good (4xx): never resend
    }
  })().finally(() => { flushing = null; });
  return flushing;
}

// -- pages -------------------------------------------------------------------------------------

function escapeText(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
}

async function offlineCopy(request) {
  const cache = await caches.open(PAGES);
  const copy = await cache.match(request, { ignoreSearch: false });
  const waiting = (await queued()).length;
  const saved = waiting ? ` ${waiting} mark${waiting === 1 ? "" : "s"} saved on this device, sent when you are back online.` : "";
  if (!copy) {
    const page = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Offline · Afterglow</title><main id="main"><h1>You are offline</h1>` +
      `<p class="offline-notice" role="status">This page was not saved on this device. Open your plan once while online to keep a copy.${escapeText(saved)}</p></main></html>`;
    return new Response(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  const fetchedAt = new Date(copy.headers.get("X-Fetched-At") || Date.now());
  const when = fetchedAt.toLocaleString([], { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  const notice = `<div class="notice warning offline-notice" role="status"><p><strong>Offline:</strong> ` +
    `your plan as last fetched on ${escapeText(when)}. It may have changed since.${escapeText(saved)}</p></div>`;
  const html = (await copy.text()).replace(/(<main\b[^>]*>)/, `$1${notice}`);
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "X-Offline-Copy": "shown" } });
}

async function page(request) {
  await flush();  // marks made offline first, so the fresh page shows them
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    return offlineCopy(request);
  }
  if (response.ok && response.headers.get("X-Offline-Copy") === "allowed") {
    const headers = new Headers(response.headers);
    headers.set("X-Fetched-At", new Date().toISOString());
    const copy = new Response(await response.clone().blob(), { status: 200, headers });
    await (await caches.open(PAGES)).put(request, copy);
  }
  return response;
}

async function mark(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (offline) {
    await enqueue({ url: request.url, body, at: new Date().toISOString() });
    if (self.registration.sync) self.registration.sync.register("afterglow-marks").catch(() => {});
    const next = new URLSearchParams(body).get("next");
    const back = next && next.startsWith("/") && !next.startsWith("//") ? next : (request.referrer || "/");
    return Response.redirect(new URL(back, self.location.origin).href, 303);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname.endsWith("/mark")) {
    event.respondWith(mark(request));
  } else if (request.method === "GET" && request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "afterglow-marks") event.waitUntil(flush());
});

self.addEventListener("message", (event) => {
  const what = event.data && event.data.type;
  if (what === "flush") event.waitUntil(flush());
  if (what === "forget") event.waitUntil(caches.delete(PAGES));  // logging out: no plan left behind
});

// -- push --------------------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (notJson) { data = {}; }
  const options = {
    body: data.body || "",
    tag: data.tag || "afterglow",
    renotify: true,  // a snooze replaces the morning's notification, and alerts again
    icon: "/static/icons/icon-192.png",
    data: { url: data.url || "/", links: data.links || {} },
    actions: (data.actions || []).map((a) => ({ action: a.action, title: a.title })),
  };
  event.waitUntil(self.registration.showNotification(data.title || "Afterglow", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const links = data.links || {};
  const target = { done: links.done, snooze: links.snooze_hour }[event.action] || data.url || "/";
  event.waitUntil(self.clients.openWindow(target));
});
