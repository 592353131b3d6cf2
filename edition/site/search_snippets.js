/* Short search results: each shows a piece of its text around the first match, not a whole paragraph.
 *
 * Added to the end of Material's search worker by hooks/search_query.py (edition/site/search_worker.py).
 * The worker answers a query with a message of type RESULT whose items carry each document's text,
 * the matches already wrapped in <mark> by Material; before the message leaves the worker, each text
 * is cut to about LENGTH characters around a <mark> (chosenMatch), with … where text was left out. The
 * text is HTML as Material's index writes it (<p>, <sup>, <li> …, character references such as
 * &lt;): a cut never falls inside a tag or a reference, and the tags open at a cut are reopened
 * and closed, so the piece is well-formed. The only other change: a page heading a group of results
 * gets the query terms of its best result, for its link to pass on (see shorten).
 */
var editionSearchSnippets = (function () {
  "use strict";

  var RESULT = 3; // Material's SearchMessageType.RESULT (worker/message)
  var BEFORE = 24; // characters shown before the first match
  var LENGTH = 80; // characters shown in all, the match included (a longer match is shown whole)
  var NUDGE = 8; // how far a cut may move to fall between two words
  var ELLIPSIS = "\u2026";
  var SEPARATOR = "\u200b"; // Material's search puts it between the words of Chinese text
  // A tag, a character reference, or one character (a whole code point).
  var TOKEN = /<(\/?)([a-z][a-z0-9]*)(?:\s[^<>]*)?>|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);|[\s\S]/giu;
  var WORD_END = /^[\s\u3000，。、；：！？,.;:!?）)」』”’》]$/u;

  function tokenize(html) {
    var list = [];
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(html)) !== null)
      list.push(match[2] ? { text: match[0], tag: match[2].toLowerCase(), close: match[1] === "/" } : { text: match[0] });
    return list;
  }

  // The match the piece is cut around: the first whose words are a term of the query as typed (a whole
  // glossary term such as 稀土全链条管控 is one word of the index, and matches 稀土 too), else the first.
  function chosenMatch(list, terms) {
    var first = null;
    for (var i = 0; i < list.length; i++) {
      if (list[i].tag !== "mark" || list[i].close) continue;
      var words = "";
      var j = i + 1;
      for (; j < list.length && !(list[j].tag === "mark" && list[j].close); j++)
        if (!list[j].tag && list[j].text !== SEPARATOR) words += list[j].text;
      var match = { open: i, close: j < list.length ? j : -1 };
      if (terms && Object.prototype.hasOwnProperty.call(terms, words.toLowerCase())) return match;
      if (!first) first = match;
      i = j;
    }
    return first || { open: -1, close: -1 };
  }

  function snippet(html, terms) {
    if (typeof html !== "string") return html;
    var list = tokenize(html);
    var shown = []; // the indexes of the tokens a reader sees as characters
    var i;
    for (i = 0; i < list.length; i++) if (!list[i].tag && list[i].text !== SEPARATOR) shown.push(i);
    if (shown.length <= LENGTH) return html;

    // The chosen match, as positions among the characters shown: [first, last).
    var chosen = chosenMatch(list, terms);
    var open = chosen.open;
    var close = chosen.close;
    var before = function (index) {
      var count = 0;
      while (count < shown.length && shown[count] < index) count++;
      return count;
    };
    var first = open < 0 ? 0 : before(open);
    var last = open < 0 ? 0 : before(close < 0 ? list.length : close);

    // Between two words: a separator or a tag between the characters, or a space or punctuation before.
    var between = function (k) {
      if (k <= 0 || k >= shown.length) return true;
      for (var j = shown[k - 1] + 1; j < shown[k]; j++) if (list[j].tag || list[j].text === SEPARATOR) return true;
      return WORD_END.test(list[shown[k - 1]].text);
    };
    var from = Math.max(0, first - BEFORE);
    var to = Math.min(shown.length, Math.max(from + LENGTH, last));
    from = Math.max(0, Math.min(from, to - LENGTH));
    for (var d = 0; d <= NUDGE; d++)
      if (from + d <= first && between(from + d)) {
        from += d;
        break;
      }
    for (d = 0; d <= NUDGE; d++)
      if (to - d >= Math.max(last, from + 1) && between(to - d)) {
        to -= d;
        break;
      }

    // The tokens from the first character shown to the last, with the tags open at the cut reopened and closed.
    var stack = [];
    var follow = function (token) {
      if (!token.tag) return;
      if (!token.close) stack.push(token.tag);
      else if (stack.lastIndexOf(token.tag) >= 0) stack.length = stack.lastIndexOf(token.tag);
    };
    var start = from > 0 ? shown[from] : 0;
    var end = to < shown.length ? shown[to - 1] + 1 : list.length;
    for (i = 0; i < start; i++) follow(list[i]);
    var out = stack.map(function (tag) { return "<" + tag + ">"; });
    if (from > 0) out.push(ELLIPSIS);
    for (i = start; i < end; i++) {
      out.push(list[i].text);
      follow(list[i]);
    }
    if (to < shown.length) out.push(ELLIPSIS);
    for (i = stack.length - 1; i >= 0; i--) out.push("</" + stack[i] + ">");
    return out.join("");
  }

  // A page's results come as a group, best first. When only parts of a page matched, Material adds the page
  // itself as the group's heading, with no query terms, so its link would open the page without the query
  // highlighted: it gets the terms of the page's best result.
  function shorten(group) {
    if (!Array.isArray(group)) return;
    var terms = group.length && group[0] && group[0].terms;
    group.forEach(function (item) {
      if (!item) return;
      if (typeof item.text === "string") item.text = snippet(item.text, item.terms);
      if (terms && item.terms && !Object.keys(item.terms).length) item.terms = Object.assign({}, terms);
    });
  }

  var post = self.postMessage;
  self.postMessage = function (message) {
    var data = message && message.type === RESULT ? message.data : null;
    if (data && Array.isArray(data.items)) data.items.forEach(shorten);
    return post.apply(self, arguments);
  };

  return { snippet: snippet, LENGTH: LENGTH };
})();
