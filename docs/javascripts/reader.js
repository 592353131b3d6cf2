// Copy buttons for "Cite this", the page's address in the citations, and the annotation
// filters. Without JavaScript the citations and every annotation are shown as they are.
(function () {
  "use strict";

  // The English site (lang="en") puts each label's English first; the Chinese site, its Chinese.
  var english = document.documentElement.lang === "en";
  function bi(zh, en, between) {
    return english ? en + between + zh : zh + between + en;
  }

  function here() {
    return window.location.href.split("#")[0].split("?")[0].replace(/index\.html$/, "");
  }

  function fillAddresses() {
    var placeholder = "〈本页网址 URL of this page〉";
    document.querySelectorAll(".edition-cite-text code").forEach(function (code) {
      if (code.textContent.indexOf(placeholder) >= 0) {
        code.textContent = code.textContent.split(placeholder).join(here());
      }
    });
  }

  function enableCopyButtons() {
    document.querySelectorAll("button.edition-copy[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source || !window.editionCopyText) return;
        window.editionCopyText(source.textContent.trim()).then(function () {
          window.editionAnnounce(bi("已复制", "Copied", " · "));
        }, function () {
          window.editionAnnounce(bi("无法复制，请手动选择", "Select the text to copy it", " · "));
        });
      });
    });
  }

  function select(label, name, values) {
    var wrap = document.createElement("label");
    wrap.className = "edition-annotation-filter";
    wrap.textContent = label + " ";
    var box = document.createElement("select");
    box.name = name;
    var all = document.createElement("option");
    all.value = "";
    all.textContent = bi("全部", "All", " ");
    box.appendChild(all);
    values.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      box.appendChild(option);
    });
    wrap.appendChild(box);
    return wrap;
  }

  function enableFilters() {
    var list = document.querySelector("[data-edition-filter]");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll(".edition-annotation-item"));
    function distinct(attribute, label) {
      var seen = {};
      var pairs = [];
      items.forEach(function (item) {
        var value = item.getAttribute(attribute);
        if (!seen[value]) { seen[value] = true; pairs.push([value, label(value, item)]); }
      });
      return pairs;
    }
    var bar = document.createElement("div");
    bar.className = "edition-filters";
    bar.appendChild(select(bi("章", "Chapter", " "), "chapter", distinct("data-chapter", function (v, item) {
      return item.querySelector(".edition-annotation-where a").textContent.replace(/\s*¶.*$/, "");
    })));
    bar.appendChild(select(bi("类型", "Type", " "), "type", distinct("data-type", function (v, item) {
      return item.querySelector(".edition-annotation-kind").textContent;
    })));
    bar.appendChild(select(bi("作者", "Author", " "), "author", distinct("data-author", function (v) { return v; })));
    var count = list.querySelector(".edition-annotations-count");
    list.insertBefore(bar, count);
    bar.addEventListener("change", function () {
      var wanted = {};
      bar.querySelectorAll("select").forEach(function (box) { wanted[box.name] = box.value; });
      var shown = 0;
      items.forEach(function (item) {
        var ok = ["chapter", "type", "author"].every(function (name) {
          return !wanted[name] || item.getAttribute("data-" + name) === wanted[name];
        });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = bi("显示 " + shown + " / " + items.length + " 条", "Showing " + shown + " of " + items.length, " · ");
    });
  }

  // A link to an annotation opens its note.
  function openTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(decodeURIComponent(id));
    var details = target && target.matches("aside.edition-annotation") && target.querySelector("details");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);

  function start() {
    openTarget();
    fillAddresses();
    enableCopyButtons();
    enableFilters();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
