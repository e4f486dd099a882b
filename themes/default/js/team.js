/* Marks past deadlines and the next one in each campaign, by the reader's clock,
   so that the built page stays the same file every day. */
(function () {
  "use strict";
  var now = Date.now();
  document.querySelectorAll("table.deadlines").forEach(function (table) {
    var next = null;
    table.querySelectorAll("tr[data-due]").forEach(function (row) {
      var state = row.querySelector(".state");
      if (Date.parse(row.getAttribute("data-due")) < now) {
        row.classList.add("is-past");
        state.textContent = "past";
      } else if (next === null) {
        next = row;
        row.classList.add("is-next");
        state.textContent = "next";
      }
    });
  });
})();
