// The profile's "Notifications on this device": subscribe this browser to Web Push with the app's
// VAPID key and hand the subscription to the server, or remove it. Every step reports what
// happened in the status line, including a browser that has no push service to reach.
(function () {
  var box = document.getElementById("push-settings");
  if (!box) return;
  var status = document.getElementById("push-status");
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var csrf = box.getAttribute("data-csrf");

  function say(text) { status.textContent = text; box.setAttribute("data-state", text); }

  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "The server refused the subscription.");
        return data;
      });
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot show notifications from websites.");
    on.disabled = off.disabled = true;
    return;
  }

  on.addEventListener("click", function () {
    say("Asking for permission…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("Notifications are blocked for this site in your browser's settings.");
      say("Registering this device…");
      return navigator.serviceWorker.register(box.getAttribute("data-worker-url"), { scope: "/" });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return fetch(box.getAttribute("data-key-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          say("Subscribing with your browser's push service…");
          return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(data.key) });
        });
    }).then(function (subscription) {
      return post(box.getAttribute("data-subscribe-url"), subscription.toJSON());
    }).then(function (data) {
      say(data.message);
    }).catch(function (error) {
      var reason = error && error.name === "AbortError"
        ? "Your browser could not reach its push service, so notifications cannot be turned on here."
        : (error && error.message) || "Notifications could not be turned on.";
      say(reason);
    });
  });

  off.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return post(box.getAttribute("data-unsubscribe-url"), {});
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(box.getAttribute("data-unsubscribe-url"), { endpoint: endpoint });
      });
    }).then(function (data) {
      say(data.push_enabled ? "Notifications are off on this device." : "Notifications are off.");
    }).catch(function (error) { say((error && error.message) || "Could not turn notifications off."); });
  });
})();
