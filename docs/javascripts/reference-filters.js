// Filters for the glossary (a search box) and the timeline (categories). Without this script both
// pages show everything; the controls stay hidden.
(function () {
  "use strict";

  function setupGlossary(root) {
    var box = root.querySelector(".edition-filter");
    var input = box && box.querySelector("input");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    box.hidden = false;
    var entries = Array.prototype.slice.call(root.querySelectorAll("[data-search]"));
    var count = box.querySelector(".edition-filter-count");
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      entries.forEach(function (entry) {
        var hit = !query || entry.dataset.search.indexOf(query) !== -1 || entry.textContent.toLowerCase().indexOf(query) !== -1;
        entry.hidden = !hit;
        if (hit) shown += 1;
      });
      root.querySelectorAll(".edition-glossary-category").forEach(function (section) {
        section.hidden = !section.querySelector(".edition-glossary-entry:not([hidden])");
      });
      count.textContent = query ? shown + " / " + entries.length : "";
    });
  }

  function setupTimeline(root) {
    var box = root.querySelector("fieldset.edition-filter");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    box.hidden = false;
    var boxes = Array.prototype.slice.call(box.querySelectorAll("input[type=checkbox]"));
    var events = Array.prototype.slice.call(root.querySelectorAll(".edition-event"));
    var count = box.querySelector(".edition-filter-count");
    function apply() {
      var wanted = {};
      boxes.forEach(function (b) { wanted[b.value] = b.checked; });
      var shown = 0;
      events.forEach(function (event) {
        event.hidden = !wanted[event.dataset.category];
        if (!event.hidden) shown += 1;
      });
      root.querySelectorAll(".edition-timeline-events").forEach(function (list) {
        var empty = !list.querySelector(".edition-event:not([hidden])");
        list.hidden = empty;
        var heading = list.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = empty;
      });
      root.querySelectorAll(".edition-timeline-year").forEach(function (year) {
        year.hidden = !year.querySelector(".edition-event:not([hidden])");
      });
      count.textContent = shown === events.length ? "" : shown + " / " + events.length;
    }
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
  }

  function setup() {
    document.querySelectorAll(".edition-glossary").forEach(setupGlossary);
    document.querySelectorAll(".edition-timeline").forEach(setupTimeline);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
