// The timeline's categories. Without this script the page shows every event; the boxes stay hidden.
(function () {
  "use strict";

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
