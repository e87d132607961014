// guidekit handbook: filter the rows of a table with the search box above it.
(function () {
  function setup() {
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
