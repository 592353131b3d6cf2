// Paragraph numbers: a click copies the paragraph's full address (the link still works
// without this script). Ranges such as #p2-3-6 (paragraphs 3 to 6 of chapter 2): javascripts/ranges.js.
(function () {
  "use strict";

  var english = document.documentElement.lang === "en";  // the English site: its English first

  function announce(text) {
    var status = document.getElementById("edition-status");
    if (!status) {
      status = document.createElement("div");
      status.id = "edition-status";
      status.className = "edition-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = text;
    status.classList.add("edition-status--shown");
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () {
      status.classList.remove("edition-status--shown");
    }, 2000);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
    }
    return copyBySelection(text);
  }

  // Pages over plain http have no Clipboard API, and a browser may refuse it.
  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  window.editionCopyText = copyText;
  window.editionAnnounce = announce;

  function pageAddress() {
    return window.location.href.split("#")[0];
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.edition-para-number");
    if (!link || event.shiftKey) return; // a shift-click extends a selection (javascripts/ranges.js)
    var address = pageAddress() + "#" + link.getAttribute("data-edition-para");
    copyText(address).then(function () {
      announce((english ? "Link copied · 已复制本段链接: " : "已复制本段链接 · Link copied: ") + address);
    }, function () {
      announce((english ? "Link · 本段链接: " : "本段链接 · Link: ") + address);
    });
  });
})();
