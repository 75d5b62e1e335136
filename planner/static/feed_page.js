// Copy buttons beside the private feed links.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var input = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentElement.querySelector(".copy-status");
  function done(text) { if (status) status.textContent = text; }
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(function () { done("Copied"); }, function () { done("Press Ctrl+C to copy"); });
  } else {
    try { done(document.execCommand("copy") ? "Copied" : "Press Ctrl+C to copy"); } catch (e) { done("Press Ctrl+C to copy"); }
  }
});
