// Registers the service worker (static/sw.js, served from the root so it controls the plan pages),
// asks it to send marks saved offline once the browser is online again, and makes it forget its
// copies of the plan when the user logs out. Loaded by every page; no inline script.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript || document.querySelector("script[data-worker]");
  var worker = script && script.getAttribute("data-worker");
  if (!worker) return;
  function tell(message) {
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage(message);
  }
  navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
  window.addEventListener("online", function () { tell({ type: "flush" }); });
  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("logout")) tell({ type: "forget" });
  });
})();
