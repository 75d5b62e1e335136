// Behaviour every page shares. The site menu is a <details> disclosure so it works without JavaScript. On a wide screen
// there is room for every link: keep it open there (its button is hidden by app.css), and
// closed again when the window narrows to a phone's width.
(function () {
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function fit() { menu.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  // Escape closes the open menu on a phone and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
// Print buttons (data-print): the page's own print stylesheet does the rest.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
