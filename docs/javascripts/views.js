/* The reading view (原文 · 译文 · 对照) chosen on one page is the view of every page: remembered in this browser.
   The switch itself works without this script (radio buttons and CSS, hooks/translation_views.py); ?view=en in an
   address opens that view, for a link a teacher hands out. */
(function () {
  "use strict";
  var KEY = "edition-view";
  var VIEWS = ["zh", "en", "both"];

  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }

  function choose(view) {
    var button = VIEWS.indexOf(view) >= 0 && document.getElementById("edition-view-" + view);
    if (!button || button.checked) return false;
    button.checked = true;
    return true;
  }

  function setup() {
    var buttons = document.querySelectorAll('input[name="edition-view"]');
    if (!buttons.length) return;
    var asked = new URLSearchParams(window.location.search).get("view");
    var changed = choose(VIEWS.indexOf(asked) >= 0 ? asked : remembered());
    // The browser scrolled to #p2-4 before the view changed the page's height: scroll there again.
    var target = null;
    try {
      target = changed && window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    } catch (error) { /* a malformed #… names no paragraph */ }
    if (target) target.scrollIntoView();
    buttons.forEach(function (button) {
      button.addEventListener("change", function () {
        try { window.localStorage.setItem(KEY, button.value); } catch (error) { /* storage off: this page only */ }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
