// vanban report: filters the page's tasks and documents as one types, ignoring case and
// diacritics ("so y te" finds "Sở Y tế"). No dependencies; the same folding as the
// `data-search` text the pages carry (lower case, no marks, đ as d, one space per run).
(function () {
  "use strict";
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase()
      .replace(/[\s\-\u2013\u2014_]+/g, " ")
      .trim();
  }
  function start() {
    var box = document.getElementById("search");
    if (!box) {
      return;
    }
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-search-group]"));
    var count = document.getElementById("search-count");
    function apply() {
      var query = fold(box.value);
      var shown = 0;
      items.forEach(function (item) {
        var hit = query === "" || item.getAttribute("data-search").indexOf(query) !== -1;
        item.hidden = !hit;
        if (hit) {
          shown += 1;
        }
      });
      groups.forEach(function (group) {
        group.hidden = query !== "" && group.querySelector("[data-search]:not([hidden])") === null;
      });
      if (count) {
        count.textContent = query === "" ? "" : shown + " / " + items.length;
      }
    }
    box.addEventListener("input", apply);
    // The clear button of a search box.
    box.addEventListener("search", apply);
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
