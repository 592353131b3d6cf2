// The glossary's search box. Without this script the page shows every entry; the box stays hidden.
(function () {
  "use strict";

  // What the glossary's box searches besides an entry's text: its Chinese, aliases, English and pinyin (with tones
  // and without) as one string, so that a query across them (拜登 joe) finds it too. Read from the entry's
  // markup, which holds each of them once; the aliases alone come in an attribute.
  function searchText(entry) {
    function text(selector) {
      var element = entry.querySelector(selector);
      return element ? element.textContent : "";
    }
    var parts = [text(".edition-glossary-zh")];
    if (entry.dataset.aliases) parts.push(entry.dataset.aliases);
    parts.push(text(".edition-glossary-en"), text(".edition-glossary-pinyin"));
    var typed = text(".edition-glossary-search-pinyin").trim();
    if (typed) parts.push(typed);
    return parts.join(" ").toLowerCase();
  }

  function setupGlossary(root) {
    var box = root.querySelector(".edition-filter");
    var input = box && box.querySelector("input");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    box.hidden = false;
    var entries = null;
    var searched = null;
    var count = box.querySelector(".edition-filter-count");
    input.addEventListener("input", function () {
      // Read at the first query, not as the page loads: the page's load is a phone's busiest moment (issue 16).
      if (!entries) {
        entries = Array.prototype.slice.call(root.querySelectorAll(".edition-glossary-entry"));
        searched = entries.map(searchText);
      }
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      entries.forEach(function (entry, index) {
        var hit = !query || searched[index].indexOf(query) !== -1 || entry.textContent.toLowerCase().indexOf(query) !== -1;
        entry.hidden = !hit;
        if (hit) shown += 1;
      });
      root.querySelectorAll(".edition-glossary-category").forEach(function (section) {
        section.hidden = !section.querySelector(".edition-glossary-entry:not([hidden])");
      });
      count.textContent = query ? shown + " / " + entries.length : "";
    });
  }

  function setup() {
    document.querySelectorAll(".edition-glossary").forEach(setupGlossary);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
