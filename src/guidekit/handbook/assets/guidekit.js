// guidekit handbook: filter the rows of a table with the search box above it; label the
// cells of every table with their column, so that narrow screens can stack them (CSS).
(function () {
  function reflow() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          cell.setAttribute("data-label", names[i] || "");
          if (!cell.textContent.trim() && !cell.querySelector("img,svg")) cell.classList.add("gk-blank");
        });
      });
      table.classList.add("gk-reflow");
    });
  }
  function setup() {
    reflow();
    document.querySelectorAll("input.gk-filter").forEach(function (input) {
      var box = (input.closest(".gk-filter-box") || input).nextElementSibling;
      while (box && !box.classList.contains("gk-filterable")) box = box.nextElementSibling;
      if (!box) return;
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        box.querySelectorAll("tbody tr").forEach(function (row) {
          var text = row.textContent.toLowerCase();
          var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.style.display = hit ? "" : "none";
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
