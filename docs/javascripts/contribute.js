// From a paragraph to a pull request: "注释此段 · Annotate" opens GitHub's new-file form in annotations/
// with a complete annotation prefilled (the paragraph, the passage the reader selected, today's date), and
// "报告文字错误 · Report an error" opens the text-error issue form with the paragraph and the passage.
// Only when the site knows its repository (repo_url: the <meta name="edition-repository"> of each page).
(function () {
  "use strict";

  // The English site (lang="en") puts each label's English first; the Chinese site, its Chinese.
  var english = document.documentElement.lang === "en";
  function bi(zh, en) {
    return english ? en + " · " + zh : zh + " · " + en;
  }

  var repository = meta("edition-repository");
  var branch = meta("edition-branch");
  var GITHUB = /^https:\/\/github\.com\/[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
  if (!GITHUB.test(repository) || !branch) return;

  var PARAGRAPH = /^p\d+-\d+$/;
  var CONTEXT = 8; // characters of prefix/suffix added at a time until the passage is unique
  var OPENING = 12; // a paragraph annotated without a selection quotes its first words
  var LONGEST = 300; // characters quoted at most: GitHub refuses addresses of more than about 8 KB
  // What a paragraph shows that is not its words: its number, note calls, annotation marks, these actions.
  var NOT_TEXT = ".edition-para-number, sup, .edition-contribute, .edition-contribute-toggle";

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") || "" : "";
  }

  // The paragraph's words as the checks read them: without its number, note calls and annotation marks.
  function paragraphText(paragraph) {
    var copy = paragraph.cloneNode(true);
    copy.querySelectorAll(NOT_TEXT).forEach(function (node) {
      node.remove();
    });
    return copy.textContent;
  }

  // Offset of a point (node, offset) in paragraphText(paragraph): the words from the paragraph's start to the
  // point, measured as the checks read them. A point outside the paragraph counts as its end.
  function textOffset(paragraph, node, offset) {
    if (!paragraph.contains(node)) return paragraphText(paragraph).length;
    var before = document.createRange();
    before.setStart(paragraph, 0);
    before.setEnd(node, offset);
    var part = document.createElement("div");
    part.appendChild(before.cloneContents());
    part.querySelectorAll(NOT_TEXT).forEach(function (skipped) { skipped.remove(); });
    return part.textContent.length;
  }

  // exact, and the shortest prefix/suffix that make it occur once in the paragraph (a TextQuoteSelector).
  function selector(text, start, end) {
    var exact = text.slice(start, end);
    var prefix = "", suffix = "";
    function count() {
      var n = 0;
      for (var at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
        if (text.slice(0, at).endsWith(prefix) && text.slice(at + exact.length).startsWith(suffix)) n += 1;
      }
      return n;
    }
    while (count() > 1 && (prefix.length < start || suffix.length < text.length - end)) {
      prefix = text.slice(whole(text, Math.max(0, start - prefix.length - CONTEXT)), start);
      suffix = text.slice(end, whole(text, Math.min(text.length, end + suffix.length + CONTEXT)));
    }
    return { exact: exact, prefix: prefix, suffix: suffix };
  }

  // An offset moved off the middle of a character written as two UTF-16 units (a rare Han character).
  function whole(text, at) {
    var code = text.charCodeAt(at);
    return code >= 0xdc00 && code <= 0xdfff && at > 0 ? at - 1 : at;
  }

  // A double-quoted YAML string: JSON's escapes are YAML's, and the characters YAML will not take raw
  // (DEL, C1 controls, line and paragraph separators) are escaped too, so any passage is one safe value.
  function yamlString(value) {
    return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  // The checks refuse an annotation dated after the day they run: CI's day is UTC's, a contributor's own
  // `make check` uses the local day; the earlier of the two passes both.
  function utcDate() {
    var now = new Date();
    var local = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(function (n, i) {
      return i ? ("0" + n).slice(-2) : String(n);
    }).join("-");
    var utc = now.toISOString().slice(0, 10);
    return local < utc ? local : utc;
  }

  function annotationFile(target, quote) {
    var lines = [
      "---",
      "target: " + target,
      "exact: " + yamlString(quote.exact)
    ];
    if (quote.prefix) lines.push("prefix: " + yamlString(quote.prefix));
    if (quote.suffix) lines.push("suffix: " + yamlString(quote.suffix));
    lines.push(
      "# type: context | later-development | correction | translation",
      "type: context",
      "author: " + yamlString("你的名字 · Your name"),
      "date: " + utcDate(),
      "# language of the text below: zh-Hans, en, or zh-Hans for both",
      "language: zh-Hans",
      "---",
      // The body is checked like any annotation: no citation syntax here until the contributor writes one.
      "在此写注释；引用文献的写法见 CONTRIBUTING.md。Write the annotation here; CONTRIBUTING.md says how to cite.",
      ""
    );
    return lines.join("\n");
  }

  function annotateUrl(target, quote) {
    var stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15).replace("T", "-"); // to the second
    var name = target + "-note-" + stamp + ".md";
    // GitHub's new-file form: the folder is part of the file name it shows ("annotations/…").
    return repository + "/new/" + encodeURI(branch) + "?filename=" + encodeURIComponent("annotations/" + name) +
      "&value=" + encodeURIComponent(annotationFile(target, quote));
  }

  function reportUrl(target, quote) {
    var heading = document.querySelector(".md-content h1");
    if (heading) {
      heading = heading.cloneNode(true);
      heading.querySelectorAll(".headerlink").forEach(function (anchor) { anchor.remove(); });
    }
    var params = [
      ["template", "text-error.yml"],
      ["title", "[正文 / Text] " + target + " " + quote.exact.slice(0, 30)],
      ["chapter", heading ? heading.textContent.trim() : ""],
      ["paragraph", target],
      ["passage", quote.prefix + quote.exact + quote.suffix]
    ];
    return repository + "/issues/new?" + params.map(function (pair) {
      return pair[0] + "=" + encodeURIComponent(pair[1]);
    }).join("&");
  }

  function link(className, label, title, href) {
    var a = document.createElement("a");
    a.className = className;
    a.textContent = label;
    a.title = title;
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  // The actions for a passage of one paragraph, placed after the paragraph (or at the selection).
  function actions(paragraph, quote) {
    var box = document.createElement("span");
    box.className = "edition-contribute";
    box.setAttribute("data-search-exclude", "");
    box.appendChild(link("edition-annotate", bi("注释此段", "Annotate"),
      bi("在 GitHub 上为这段文字写注释", "Write an annotation on GitHub"), annotateUrl(paragraph.id, quote)));
    box.appendChild(link("edition-report", bi("报告文字错误", "Report an error"),
      bi("报告本版与印本不一致之处", "Report where this edition differs from the print"), reportUrl(paragraph.id, quote)));
    return box;
  }

  function openingQuote(paragraph) {
    var text = paragraphText(paragraph);
    var start = text.length - text.replace(/^\s+/, "").length;
    return selector(text, start, Math.min(text.length, start + OPENING));
  }

  // Each paragraph's ¶ number gets a small button that shows the actions for the paragraph.
  function addParagraphButtons() {
    document.querySelectorAll(".md-content p[id]").forEach(function (paragraph) {
      if (!PARAGRAPH.test(paragraph.id)) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "edition-contribute-toggle";
      button.textContent = "✎";
      button.title = bi("注释此段或报告文字错误", "Annotate, or report an error");
      button.setAttribute("aria-label", button.title);
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("data-search-exclude", "");
      button.addEventListener("click", function () {
        var open = paragraph.querySelector(":scope > .edition-contribute");
        if (open) {
          open.remove();
          button.setAttribute("aria-expanded", "false");
          return;
        }
        paragraph.appendChild(actions(paragraph, openingQuote(paragraph)));
        button.setAttribute("aria-expanded", "true");
      });
      var number = paragraph.querySelector(".edition-para-number");
      paragraph.insertBefore(button, number ? number.nextSibling : paragraph.firstChild);
    });
  }

  var floating = null;

  function clearFloating() {
    if (floating) floating.remove();
    floating = null;
  }

  // A selection inside one paragraph offers the same actions for exactly the selected words.
  function onSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount !== 1) return clearFloating();
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === Node.TEXT_NODE ? range.startContainer.parentElement : range.startContainer;
    var paragraph = start && start.closest("p[id]");
    if (!paragraph || !PARAGRAPH.test(paragraph.id)) return clearFloating();
    if (floating && floating.contains(range.startContainer)) return;
    var text = paragraphText(paragraph);
    var from = textOffset(paragraph, range.startContainer, range.startOffset);
    var to = textOffset(paragraph, range.endContainer, range.endOffset);
    if (from === null || to === null) return clearFloating();
    // Spaces at the ends of a selection are not part of the passage.
    while (from < to && /\s/.test(text.charAt(from))) from += 1;
    while (to > from && /\s/.test(text.charAt(to - 1))) to -= 1;
    if (to <= from) return clearFloating();
    to = whole(text, Math.min(to, from + LONGEST));
    clearFloating();
    floating = actions(paragraph, selector(text, from, to));
    floating.classList.add("edition-contribute--selection");
    paragraph.appendChild(floating);
  }

  var pending = 0;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(onSelection, 250); // once the reader has stopped dragging
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addParagraphButtons);
  } else {
    addParagraphButtons();
  }
})();
