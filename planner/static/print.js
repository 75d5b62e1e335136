// Print buttons (data-print): the plan pages print on one page each.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
