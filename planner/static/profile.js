// Offer the browser's own time zone when the profile holds another one.
(function () {
  var zone; try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) {}
  var input = document.getElementById("timezone");
  if (!zone || !input || input.value === zone) return;
  var hint = document.getElementById("browser-zone-hint"), button = document.getElementById("use-browser-zone");
  button.textContent = zone; hint.hidden = false;
  button.addEventListener("click", function () { input.value = zone; input.focus(); });
})();
