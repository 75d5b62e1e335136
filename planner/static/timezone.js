// The browser's own time zone: preselected at sign-up, offered on the profile page.
(function () {
  var zone; try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) {}
  if (!zone) return;
  var hidden = document.getElementById("browser-timezone");
  if (hidden) hidden.value = zone;  // sign-up: the profile page lets the person change it
  var input = document.getElementById("timezone");
  var hint = document.getElementById("browser-zone-hint"), button = document.getElementById("use-browser-zone");
  if (!input || !hint || !button || input.value === zone) return;
  button.textContent = zone; hint.hidden = false;
  button.addEventListener("click", function () { input.value = zone; input.focus(); });
})();
