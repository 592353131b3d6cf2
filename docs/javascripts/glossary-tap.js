/* Glossary terms on a touch screen: the first tap on a term shows its gloss (the link's title) in a small box next to
   it; a second tap on the same term follows the link to the glossary. A tap elsewhere (the box too) or Escape hides it.
   A mouse or the keyboard follows the link at once, as before (the theme shows the title as a tooltip on hover).
   The gloss is set as text (textContent), never parsed as markup. */
(function () {
  "use strict";
  var TERMS = "a.edition-term";
  var BOX_ID = "edition-gloss";
  var MARGIN = 8; // px kept between the box and the screen's edges
  var lastPointer = "";
  var box = null;
  var shownFor = null;

  // A term's title is written for the theme's tooltip, which decodes it once more (innerHTML): & < > come
  // escaped (edition/escape.py, tooltip_html). Undo just that, in one pass, to get the text a reader reads.
  var ESCAPED = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
  function text(title) {
    return title.replace(/&(?:amp|lt|gt);/g, function (entity) { return ESCAPED[entity]; });
  }

  // The theme takes a term's title away while its tooltip is up: keep each gloss as it was written.
  function gloss(term) {
    if (!term.hasAttribute("data-edition-gloss")) term.setAttribute("data-edition-gloss", text(term.title || ""));
    return term.getAttribute("data-edition-gloss");
  }

  function touch(event) {
    if (event.pointerType) return event.pointerType === "touch";
    if (event.detail === 0) return false; // Enter on a focused term, even on a touch screen: follow it
    return lastPointer === "touch" || (lastPointer === "" && window.matchMedia("(hover: none)").matches);
  }

  function hide() {
    if (!box) return;
    box.hidden = true;
    if (shownFor) shownFor.setAttribute("aria-expanded", "false");
    shownFor = null;
  }

  function place(term) {
    var rects = term.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : term.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var height = document.documentElement.clientHeight;
    box.style.maxWidth = Math.max(0, Math.min(320, width - 2 * MARGIN)) + "px";
    box.style.left = "0px";
    box.style.top = "0px";
    var own = box.getBoundingClientRect();
    var left = Math.min(Math.max(MARGIN, rect.left), Math.max(MARGIN, width - own.width - MARGIN));
    var top = rect.bottom + 6;
    if (top + own.height > height - MARGIN && rect.top - 6 - own.height >= MARGIN) top = rect.top - 6 - own.height;
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function show(term) {
    if (!box) {
      box = document.createElement("div");
      box.id = BOX_ID;
      box.className = "edition-gloss";
      box.setAttribute("role", "tooltip");
      box.setAttribute("aria-live", "polite");
      // A tap on the gloss puts it away too (it may cover the next term); on click, not pointerdown, so that the
      // click does not fall through to the text beneath.
      box.addEventListener("click", hide);
      document.body.appendChild(box);
    }
    hide();
    box.textContent = gloss(term);
    box.hidden = false;
    shownFor = term;
    // (aria-describedby is the theme's: it points it at its own tooltip, hidden while this box is up)
    term.setAttribute("aria-expanded", "true");
    term.setAttribute("aria-controls", BOX_ID);
    place(term);
  }

  function setup() {
    document.querySelectorAll(TERMS).forEach(gloss);
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "";
      var target = event.target instanceof Element ? event.target : null;
      if (shownFor && target && !target.closest("#" + BOX_ID) && target.closest(TERMS) !== shownFor) hide();
    }, true);
    document.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      var term = target && target.closest(TERMS);
      if (!term || !touch(event) || !gloss(term)) return;
      if (term === shownFor) { hide(); return; } // the second tap: follow the link
      event.preventDefault();
      show(term);
    }, true);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shownFor) hide();
    });
    window.addEventListener("resize", function () { if (shownFor) place(shownFor); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
