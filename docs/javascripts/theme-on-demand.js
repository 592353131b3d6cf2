// The theme's work when it is wanted: its bundle once the text is on screen, its search once the reader turns to
// search. main.html runs this first of the page's scripts.

// The theme after the text. A deferred script runs as soon as the page is parsed, before the browser draws a
// frame of it, so the theme's bundle (with the layout of the whole page it asks for, about 100 ms of a phone's
// time on a chapter) ran between the text arriving and the text being drawn. The build writes the bundle's element
// as a data block (edition/site/page_scripts.py); it is started here once a frame with the text has been drawn.
// The theme waits to be told that the document is ready (DOMContentLoaded, once). That has usually happened by
// then: it is told again as its bundle has run, unless it already knows. Only the theme's own bundle, from this
// site, is started.
(function () {
  "use strict";

  // The theme's element is the page's last: a page's own HTML comes before it (and the build refuses a second).
  var helds = document.querySelectorAll('script[type="text/edition-theme"][data-src]');
  var held = helds[helds.length - 1];
  // This script is deferred, so the browser says the document is ready after it has run (and the others).
  var ready = false;
  document.addEventListener("DOMContentLoaded", function () { ready = true; });
  var BUNDLE = /\/assets\/javascripts\/bundle\.[0-9a-f]+\.min\.js$/;
  if (!held) return;
  var address = new URL(held.getAttribute("data-src"), location.href);
  if (address.origin !== location.origin || !BUNDLE.test(address.pathname) || address.search || address.hash) return;

  function told() {
    var seen = false;
    if (window.document$) window.document$.subscribe(function () { seen = true; }).unsubscribe();
    return seen;
  }
  // The body is given the palette's switching attribute as it begins (transitions off), which only the palette
  // takes away, in a task it queues as the bundle runs. A bundle lost on the way, or one an old browser cannot
  // run, never would: every transition of the page would stay off. After that task, whatever became of the
  // bundle, it goes (a no-op when the palette has taken it).
  function release() {
    window.setTimeout(function () { document.body.removeAttribute("data-md-color-switching"); }, 0);
  }
  var started = false;
  function start() {
    if (started) return;
    started = true;
    var bundle = document.createElement("script");
    bundle.src = address.href;
    bundle.addEventListener("load", function () {
      release();
      // Parsed, but a deferred script of the page is still on its way: the browser's event will tell the theme,
      // after the page's scripts have run.
      if (!ready) return;
      // At once, not in a later task: the theme's palette has queued one that re-styles the whole page, and the
      // theme, once told, measures the page; told first, it measures a page whose styles are still current.
      if (!told()) document.dispatchEvent(new Event("DOMContentLoaded"));
    });
    bundle.addEventListener("error", release);
    // In the head: the browser re-styled all of the body for a script added to it (the theme's rules match the
    // body's children by their siblings, `~`); nothing in the head is styled.
    document.head.appendChild(bundle);
  }
  // The frame that follows is the first with the whole parsed page in it; the bundle starts when it has been drawn.
  requestAnimationFrame(function () { window.setTimeout(start, 0); });
  // A tab opened in the background draws no frame until it is shown; its theme starts all the same.
  if (document.hidden) window.setTimeout(start, 1000);
})();

// Search on demand. The theme fetches the search index and starts its search worker (which then loads lunr's
// Chinese support) as every page loads: about 75 KiB gzip, most of a first visit, for the few readers who search.
// This runs before the theme's bundle is started (above) and holds exactly those two requests
// back until the reader turns to search: a pointer over or on the search button or box, a focus of the box (a
// click, a tap, the keys s, f or /), or an address asking for a search (?q=) or a highlight (?h=). The theme
// itself is untouched: it sends the request and starts the worker as always, and when the worker is ready it
// searches what is in the box by then. Once loaded, the index lives in the worker, so search keeps working
// offline on that page. An old browser without EventTarget gets the theme's search at once.
(function () {
  "use strict";

  var configElement = document.getElementById("__config");
  var search = document.querySelector("form[name=search]");
  if (!configElement || !search || typeof window.EventTarget !== "function") return;
  var config = JSON.parse(configElement.textContent);
  if (!config.search) return;
  var base = new URL(config.base, location.href);
  // The two addresses, as the theme forms them (bundle.ts, fetchSearchIndex; integrations/search/worker).
  var indexUrl = new URL("search/search_index.json", base).href;
  var workerUrl = new URL(config.search, location.href).href;

  var wanted = false;
  var waiting = [];
  function want() {
    if (wanted) return;
    wanted = true;
    var run = waiting;
    waiting = [];
    run.forEach(function (start) { start(); });
  }
  function whenWanted(start) {
    if (wanted) start();
    else waiting.push(start);
  }

  // The index: the theme asks for it with XMLHttpRequest; its send waits.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.editionSearchIndex = new URL(String(url), location.href).href === indexUrl;
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.editionSearchIndex) return send.apply(request, args);
    whenWanted(function () { send.apply(request, args); });
  };

  // The worker: the theme gets a stand-in that keeps its messages until the real worker starts, then passes
  // messages both ways. Any other worker is made as usual.
  var RealWorker = window.Worker;
  function SearchOnDemandWorker(url, options) {
    if (new URL(String(url), location.href).href !== workerUrl) return new RealWorker(url, options);
    var standIn = new EventTarget();
    var queued = [];
    var worker = null;
    standIn.postMessage = function (message) {
      if (worker) worker.postMessage(message);
      else queued.push(message);
    };
    standIn.terminate = function () {
      queued = [];
      if (worker) worker.terminate();
    };
    whenWanted(function () {
      worker = new RealWorker(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          standIn.dispatchEvent(type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data }));
        });
      });
      queued.forEach(function (message) { worker.postMessage(message); });
      queued = [];
    });
    return standIn;
  }
  SearchOnDemandWorker.prototype = RealWorker.prototype;
  window.Worker = SearchOnDemandWorker;

  // What counts as turning to search.
  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) want();
  var toggle = document.getElementById("__search");
  if (toggle) {
    if (toggle.checked) want();
    toggle.addEventListener("change", function () { if (toggle.checked) want(); });
  }
  document.addEventListener("focusin", function (event) {
    if (search.contains(event.target)) want();
  });
  [search].concat(Array.prototype.slice.call(document.querySelectorAll("label[for=__search]"))).forEach(function (element) {
    ["pointerover", "pointerdown", "touchstart"].forEach(function (type) {
      element.addEventListener(type, want, { passive: true });
    });
  });
})();

// A query pasted or dropped with the mouse sends no key event, and the theme's search reads the box on key-up:
// tell it the box changed, so that a pasted 稀土 is searched like a typed one. Here, with the other help for the
// theme's search, as every page has the search box.
(function () {
  "use strict";

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[data-md-component="search-query"]')) return;
    if (event.inputType && event.inputType.indexOf("insertFrom") !== 0) return; // typing sends its own key-ups
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  });
})();
