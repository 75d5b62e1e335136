// Arrow keys move between the days of the month grid; Home/End jump to the week's ends.
(function () {
  var grid = document.getElementById("month-grid");
  if (!grid) return;
  var links = Array.prototype.slice.call(grid.querySelectorAll("a.cell-link"));
  grid.addEventListener("keydown", function (event) {
    var index = links.indexOf(document.activeElement);
    if (index < 0) return;
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    var target = null;
    if (event.key in moves) target = index + moves[event.key];
    else if (event.key === "Home") target = index - (index % 7);
    else if (event.key === "End") target = index - (index % 7) + 6;
    if (target === null || target < 0 || target >= links.length) return;
    event.preventDefault();
    links[target].focus();
  });
})();
