// Behaviour every page shares; loaded in <head> so the "js" class is set before the first paint.
//
// The site menu: on a phone the links hide behind one "Menu" button whose aria-expanded says
// whether they show (app.css reads it); without JavaScript the links simply show.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-button");
  if (!button) return;
  function setOpen(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  button.addEventListener("click", function () { setOpen(button.getAttribute("aria-expanded") !== "true"); });
  // Escape closes the open menu and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
});

// Print buttons (data-print): the page's own print stylesheet does the rest.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
