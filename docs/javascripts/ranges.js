// For teachers: a range of paragraphs to assign. A click on a paragraph's ¶ number selects it (the link still
// copies and works as a link), a shift-click on another extends the selection, and a panel at the bottom of the
// screen (keyboard: its two lists; Escape clears) copies the range's link (#p2-3-4) or its citation, or prints
// just those paragraphs with their notes. A link to #p2-3-6 opens with that range selected.
// The citations' fixed parts come from the build (the JSON element #edition-range-citations, the data of the
// "Cite this" box); only the range, the address and today's date are filled in here.
// Every printed page names the article (the build's @page rules, overrides/main.html); this script adds the
// address being printed and the date.
(function () {
  "use strict";

  // The English site (lang="en") puts each label's English first; the Chinese site, its Chinese.
  var english = document.documentElement.lang === "en";
  function bi(zh, en, between) {
    // "）· " after Chinese brackets is " · " after English.
    return english ? en + (between === "· " ? " · " : between) + zh : zh + between + en;
  }

  var PARAGRAPH = /^p(\d+)-(\d+)$/;
  var RANGE = /^#p(\d+)-(\d+)-(\d+)$/;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];

  var paragraphs = Array.prototype.filter.call(document.querySelectorAll(".md-content p[id]"), function (p) {
    return PARAGRAPH.test(p.id);
  });
  if (!paragraphs.length) return;
  var chapter = PARAGRAPH.exec(paragraphs[0].id)[1];
  paragraphs = paragraphs.filter(function (p) { return PARAGRAPH.exec(p.id)[1] === chapter; });
  var numbers = paragraphs.map(function (p) { return +PARAGRAPH.exec(p.id)[2]; });
  var data = readData();
  var selection = null; // { from: n, to: n }, numbers of paragraphs on this page, from <= to
  var panel = null;

  function readData() {
    var element = document.getElementById("edition-range-citations");
    if (!element) return null;
    try {
      var value = JSON.parse(element.textContent);
      return value && Array.isArray(value.styles) ? value : null;
    } catch (e) {
      return null;
    }
  }

  function pad(n) { return ("0" + n).slice(-2); }

  function today() {
    var now = new Date();
    return {
      iso: now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()),
      en: MONTHS[now.getMonth()] + " " + now.getDate() + ", " + now.getFullYear()
    };
  }

  function pageAddress() {
    if (data && data.address) return data.address;
    return window.location.href.split("#")[0].split("?")[0].replace(/index\.html$/, "");
  }

  function anchor() {
    return "p" + chapter + "-" + selection.from + (selection.to !== selection.from ? "-" + selection.to : "");
  }

  function placeZh() { return data ? data.place_zh : "¶"; }
  function placeEn() { return data ? data.place_en : "¶"; }

  function rangeZh() {
    var span = selection.from === selection.to ? selection.from : selection.from + "—" + selection.to;
    return placeZh() + "第" + span + "段";
  }

  function rangeEn() {
    var span = selection.from === selection.to ? "para. " + selection.from : "paras. " + selection.from + "–" + selection.to;
    return placeEn() + ", " + span;
  }

  // The printed pages the range runs over (the build's, by paragraph: edition/text/print_pages.py), else the
  // article's; joined with a hyphen for GB/T 7714, an en dash for the English styles.
  function rangePages(dash) {
    var pages = (data && data.pages) || {};
    var first = pages["p" + chapter + "-" + selection.from];
    var last = pages["p" + chapter + "-" + selection.to];
    var span = first && last ? [first[0], last[1]] : (data && data.article_pages) || null;
    if (!span) return "";
    return span[0] === span[1] ? String(span[0]) : span[0] + dash + span[1];
  }

  function citation(style) {
    var date = today();
    var slots = { url: pageAddress() + "#" + anchor(), range_zh: rangeZh(), range_en: rangeEn(),
      accessed_iso: date.iso, accessed_en: date.en, pages_zh: rangePages("-"), pages_en: rangePages("–") };
    return style.parts.map(function (part) {
      return typeof part === "string" ? part : slots[part.slot] || "";
    }).join("");
  }

  // -- The selection and its marks ---------------------------------------------------------------------------

  function inSelection(number) {
    return selection !== null && number >= selection.from && number <= selection.to;
  }

  function mark() {
    paragraphs.forEach(function (p, i) {
      p.classList.toggle("edition-in-range", inSelection(numbers[i]));
    });
  }

  // Any two numbers, in either order and however large, become the paragraphs of this page between them.
  function select(from, to) {
    if (to < from) { var swap = from; from = to; to = swap; }
    from = Math.max(from, numbers[0]);
    to = Math.min(to, numbers[numbers.length - 1]);
    if (!(from <= to)) return false;
    selection = { from: from, to: to };
    mark();
    showPanel();
    return true;
  }

  function clear() {
    selection = null;
    mark();
    if (panel) panel.hidden = true;
    document.body.classList.remove("edition-range-open");
  }

  // -- The panel -------------------------------------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function numberList(name, label) {
    var wrap = element("label", "edition-range-field", label + " ");
    var box = element("select");
    box.name = name;
    numbers.forEach(function (n) {
      var option = element("option", "", "¶" + n);
      option.value = String(n);
      box.appendChild(option);
    });
    wrap.appendChild(box);
    return wrap;
  }

  function button(action, text, title) {
    var node = element("button", "md-button edition-range-button", text);
    node.type = "button";
    node.setAttribute("data-action", action);
    if (title) node.title = title;
    return node;
  }

  function buildPanel() {
    panel = element("div", "edition-range-panel");
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", bi("选段", "Selected paragraphs", " · "));
    panel.setAttribute("data-search-exclude", "");
    var label = element("p", "edition-range-label");
    label.setAttribute("aria-live", "polite");
    panel.appendChild(label);
    var fields = element("div", "edition-range-fields");
    fields.appendChild(numberList("from", bi("从", "From", " ")));
    fields.appendChild(numberList("to", bi("到", "To", " ")));
    panel.appendChild(fields);
    var actions = element("div", "edition-range-actions");
    actions.appendChild(button("link", bi("复制链接", "Copy link", " · "), bi("复制这几段的链接", "Copy the link to these paragraphs", " · ")));
    if (data) {
      var styles = element("label", "edition-range-field", bi("格式", "Style", " ") + " ");
      var box = element("select");
      box.name = "style";
      data.styles.forEach(function (style, i) {
        var option = element("option", "", style.label);
        option.value = String(i);
        box.appendChild(option);
      });
      styles.appendChild(box);
      actions.appendChild(styles);
      actions.appendChild(button("cite", bi("复制引用", "Copy citation", " · "),
        bi("复制这几段的引用（含段落与今天的日期）", "Copy a citation of these paragraphs, with today's date", "· ")));
    }
    actions.appendChild(button("print", bi("打印", "Print", " · "), bi("只打印这几段及其注释", "Print only these paragraphs and their notes", " · ")));
    var close = button("close", "×", bi("清除选段（Esc）", "Clear the selection (Esc)", "· "));
    close.setAttribute("aria-label", close.title);
    actions.appendChild(close);
    panel.appendChild(actions);
    var shown = element("p", "edition-range-text");
    shown.hidden = true;
    panel.appendChild(shown);
    panel.addEventListener("change", onChange);
    panel.addEventListener("click", onAction);
    document.body.appendChild(panel);
  }

  function showPanel() {
    if (!panel) buildPanel();
    panel.hidden = false;
    document.body.classList.add("edition-range-open");
    panel.querySelector('select[name="from"]').value = String(selection.from);
    panel.querySelector('select[name="to"]').value = String(selection.to);
    panel.querySelector(".edition-range-label").textContent = english ? "Selected 已选: " + rangeEn() + " · " + rangeZh() : "已选 Selected: " + rangeZh() + " · " + rangeEn();
    panel.querySelector(".edition-range-text").hidden = true;
  }

  function onChange(event) {
    var name = event.target.name;
    if (name !== "from" && name !== "to") return;
    var from = +panel.querySelector('select[name="from"]').value;
    var to = +panel.querySelector('select[name="to"]').value;
    // The list the reader moved wins: from past to moves to along, and the other way round.
    if (from > to) { if (name === "from") to = from; else from = to; }
    select(from, to);
  }

  function copy(text, done) {
    var shown = panel.querySelector(".edition-range-text");
    window.editionCopyText(text).then(function () {
      shown.hidden = true;
      window.editionAnnounce(done);
    }, function () {
      // No clipboard (plain http, or refused): show the text to be selected by hand.
      shown.textContent = text;
      shown.hidden = false;
      window.editionAnnounce(bi("无法复制，请手动选择", "Select the text to copy it", " · "));
    });
  }

  function onAction(event) {
    var target = event.target.closest("button[data-action]");
    if (!target || !selection) return;
    var action = target.getAttribute("data-action");
    if (action === "link") {
      copy(pageAddress() + "#" + anchor(), english ? "Link copied · 已复制链接: " + rangeEn() + " · " + rangeZh() : "已复制链接 · Link copied: " + rangeZh() + " · " + rangeEn());
    } else if (action === "cite" && data) {
      var style = data.styles[+panel.querySelector('select[name="style"]').value] || data.styles[0];
      copy(citation(style), bi("已复制引用", "Citation copied", " · ") + " (" + style.label + ")");
    } else if (action === "print") {
      printRange();
    } else if (action === "close") {
      clear();
    }
  }

  // -- Printing --------------------------------------------------------------------------------------------------

  // The CSS string of a text: what could end the string or the <style> element is written as an escape.
  function cssString(text) {
    return '"' + String(text).replace(/["'\\<>&\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, function (c) {
      return "\\" + c.charCodeAt(0).toString(16) + " ";
    }) + '"';
  }

  // The bottom of every printed page: the address printed (with the range's anchor) and the date.
  function setPrintFooter(address) {
    var style = document.getElementById("edition-print-reader");
    if (!style) {
      style = element("style");
      style.id = "edition-print-reader";
      style.media = "print";
      document.head.appendChild(style);
    }
    var date = today().iso;
    style.textContent = "@page { @bottom-left { content: " + cssString(address) + "; } " +
      "@bottom-right { content: " + cssString("打印于 Printed " + date + " · ") + " counter(page) \" / \" counter(pages); } }";
  }

  function keep(node) { if (node) node.classList.add("edition-print-keep"); }

  // The node and what holds it up to the article (the English site wraps the content in a lang="zh-Hans" div).
  function keepWithContainers(node) {
    for (var at = node; at && !at.classList.contains("md-content__inner"); at = at.parentElement) keep(at);
  }

  function printRange() {
    prepareRangePrint();
    window.print();
  }

  // Only the range's paragraphs and their notes print (print.css), with the range's address at the foot.
  function prepareRangePrint() {
    endPrintRange();
    // The translation's provenance ("英文为本版译文 …") prints with the range, as on the whole page.
    keepWithContainers(document.querySelector(".edition-views"));
    paragraphs.forEach(function (p, i) {
      if (!inSelection(numbers[i])) return;
      // A paragraph with its English (translation_views: a pair) prints as the reader sees it, in the chosen view.
      var unit = p.closest(".edition-pair") || p;
      keepWithContainers(unit);
      Array.prototype.forEach.call(unit.children, keep);
      // The paragraph's notes: the article's (footnotes) and the edition's (annotations, as endnotes).
      unit.querySelectorAll("a.footnote-ref").forEach(function (ref) {
        var id = decodeURIComponent(ref.getAttribute("href").slice(1));
        keep(document.getElementById(id));
      });
    });
    document.querySelectorAll(".edition-endnote").forEach(function (note) {
      var match = PARAGRAPH.exec(note.getAttribute("data-target") || "");
      if (match && match[1] === chapter && inSelection(+match[2])) keep(note);
    });
    document.body.classList.add("edition-printing-range");
    setPrintFooter(pageAddress() + "#" + anchor() + " (" + rangeZh() + " · " + rangeEn() + ")");
  }

  function endPrintRange() {
    document.body.classList.remove("edition-printing-range");
    document.querySelectorAll(".edition-print-keep").forEach(function (node) {
      node.classList.remove("edition-print-keep");
    });
  }

  // Footnotes keep their numbers when some are left out of a printed range: each item is told its own.
  function numberFootnotes() {
    document.querySelectorAll(".footnote > ol").forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (item, i) { item.value = i + 1; });
    });
  }

  // The browser's own print (Ctrl+P, the menu) while a range is selected prints the range, as the panel's
  // button does: the panel on the screen says what is selected; Escape clears it to print the whole page.
  window.addEventListener("beforeprint", function () {
    if (document.body.classList.contains("edition-printing-range")) return;
    if (selection) prepareRangePrint();
    else setPrintFooter(pageAddress());
  });
  window.addEventListener("afterprint", function () {
    endPrintRange();
    setPrintFooter(pageAddress());
  });

  // -- Clicks, keys and links ------------------------------------------------------------------------------------

  var start = null; // the paragraph a shift-click extends from

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.edition-para-number");
    if (!link) return;
    var match = PARAGRAPH.exec(link.getAttribute("data-edition-para") || "");
    if (!match || match[1] !== chapter) return;
    var number = +match[2];
    if (event.shiftKey && start !== null) {
      event.preventDefault(); // a shift-click on a link would open a new window
      select(start, number);
    } else {
      if (event.shiftKey) event.preventDefault();
      start = number; // a plain click also follows the link and copies it (javascripts/paragraphs.js)
      select(number, number);
    }
  });

  // A shift-press would also extend the text selection to the number, offering "Annotate" for the words between.
  document.addEventListener("mousedown", function (event) {
    if (event.shiftKey && event.target.closest && event.target.closest("a.edition-para-number")) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !selection) return;
    var active = document.activeElement;
    if (active && active.matches && active.matches("input, textarea")) return; // the search box's own Escape
    clear();
    start = null;
  });

  function fromAddress() {
    var match = RANGE.exec(window.location.hash);
    if (!match || match[1] !== chapter) return;
    var from = +match[2], to = +match[3];
    if (select(from, to)) {
      start = selection.from;
      var first = document.getElementById("p" + chapter + "-" + selection.from);
      if (first) first.scrollIntoView();
    }
  }

  numberFootnotes();
  setPrintFooter(pageAddress());
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
