/* A glossary term's gloss (the link's title: its English and a short definition) in a small box next to it:
   - with a mouse, while the pointer is on the term (or on the box); a click follows the link, as before;
   - with the keyboard, while the term has the focus; Enter follows the link;
   - on a touch screen, the first tap shows it, a second tap on the same term follows the link; a tap elsewhere
     (the box too) hides it.
   Escape hides it. The theme's own tooltips (content.tooltips) are off: they set up one component per titled
   element while the page loads, which blocked a phone's main thread for a few hundred ms on the glossary and the
   chapters (issue 16). Here three listeners on the document serve every term, and nothing runs per term until a
   reader points at one. Without JavaScript the browser shows the title itself.
   The gloss is set as text (textContent), never parsed as markup. */
(function () {
  "use strict";
  var TERMS = "a.edition-term";
  var BOX_ID = "edition-gloss";
  var MARGIN = 8; // px kept between the box and the screen's edges
  var lastPointer = "";
  var box = null;
  var shownFor = null;
  var shownBy = ""; // "hover", "focus" or "tap": what hides the box again

  // The title is the text a reader reads (edition/escape.py, title_attribute: the browser decoded it once).
  // It is lifted while the box shows it (the browser would show it a second time) and kept here.
  function gloss(term) {
    if (!term.hasAttribute("data-edition-gloss")) term.setAttribute("data-edition-gloss", term.title || "");
    return term.getAttribute("data-edition-gloss");
  }

  function touch(event) {
    if (event.pointerType) return event.pointerType === "touch";
    if (event.detail === 0) return false; // Enter on a focused term, even on a touch screen: follow it
    return lastPointer === "touch" || (lastPointer === "" && window.matchMedia("(hover: none)").matches);
  }

  function hide() {
    if (!box || !shownFor) return;
    box.hidden = true;
    shownFor.setAttribute("aria-expanded", "false");
    shownFor.removeAttribute("aria-describedby");
    shownFor.title = gloss(shownFor);
    shownFor = null;
    shownBy = "";
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

  function show(term, by) {
    if (term === shownFor) { shownBy = by; return; }
    var said = gloss(term);
    if (!said) return;
    if (!box) {
      box = document.createElement("div");
      box.id = BOX_ID;
      box.className = "edition-gloss";
      box.setAttribute("role", "tooltip");
      // A tap on the gloss puts it away too (it may cover the next term); on click, not pointerdown, so that the
      // click does not fall through to the text beneath.
      box.addEventListener("click", hide);
      document.body.appendChild(box);
    }
    hide();
    box.textContent = said;
    box.hidden = false;
    shownFor = term;
    shownBy = by;
    term.removeAttribute("title"); // kept as its gloss, which hide() puts back
    term.setAttribute("aria-describedby", BOX_ID);
    term.setAttribute("aria-expanded", "true");
    term.setAttribute("aria-controls", BOX_ID);
    place(term);
  }

  function termOf(event) {
    var target = event.target instanceof Element ? event.target : null;
    return target && target.closest(TERMS);
  }

  function setup() {
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "";
      var target = event.target instanceof Element ? event.target : null;
      if (shownFor && target && !target.closest("#" + BOX_ID) && target.closest(TERMS) !== shownFor) hide();
    }, true);
    document.addEventListener("click", function (event) {
      var term = termOf(event);
      if (!term || !touch(event)) return;
      if (term === shownFor && shownBy === "tap") { hide(); return; } // the second tap: follow the link
      if (!gloss(term)) return;
      event.preventDefault();
      show(term, "tap");
    }, true);
    // A mouse (or pen) on a term shows its gloss; moved off the term and off the box, the gloss goes, whatever
    // showed it (a gloss the keyboard's focus showed would otherwise cover what the mouse went to).
    document.addEventListener("pointerover", function (event) {
      if (event.pointerType === "touch") return;
      var term = termOf(event);
      if (term) { if (shownBy !== "tap" || term !== shownFor) show(term, "hover"); return; }
      var target = event.target instanceof Element ? event.target : null;
      if (shownFor && shownBy !== "tap" && !(target && target.closest("#" + BOX_ID))) hide();
    });
    // The keyboard's focus on a term shows its gloss (a click's focus does not: the pointer has shown it).
    document.addEventListener("focusin", function (event) {
      var term = termOf(event);
      if (term && term.matches(":focus-visible")) show(term, "focus");
    });
    document.addEventListener("focusout", function (event) {
      if (shownBy === "focus" && termOf(event) === shownFor) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shownFor) hide();
    });
    window.addEventListener("resize", function () { if (shownFor) place(shownFor); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
