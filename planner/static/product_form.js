// Show the cadence details that apply; without JavaScript every field stays visible.
(function () {
  var kind = document.getElementById("cadence_kind");
  var everyN = document.querySelector(".cadence-every-n");
  var weekdays = document.querySelector(".cadence-weekdays");
  function sync() {
    if (everyN) everyN.hidden = kind.value !== "every_n_days";
    if (weekdays) weekdays.hidden = kind.value !== "weekdays";
  }
  kind.addEventListener("change", sync); sync();
})();
