// muster search: queries the sharded index in search/ without any server.
// The header box suggests pages as you type (arrows to move, Enter to open,
// Escape to close, "/" to focus); the search page lists every match for ?q=.
(function () {
  "use strict";
  var cache = {};

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return cache[url];
  }

  // Lower-case and transliterate exactly as the index was built (the table comes with it).
  function fold(text, translit) {
    var out = "";
    for (var ch of text) {
      if (ch.codePointAt(0) < 128) out += ch.toLowerCase();
      else if (Object.prototype.hasOwnProperty.call(translit, ch)) out += translit[ch];
      else out += ch.toLowerCase();
    }
    return out;
  }

  function terms(text, translit) {
    return fold(text, translit).split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return Array.from(w).length >= 2;
    });
  }

  function hex(s) {
    return Array.from(new TextEncoder().encode(s), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  // Every query word must match the start of a term of the page; whole words weigh double.
  async function search(root, query, limit) {
    var meta = await fetchJSON(root + "meta.json");
    var words = terms(query, meta.translit);
    if (!words.length) return [];
    var scores = null;
    for (var word of words) {
      var prefix = Array.from(word).slice(0, meta.prefix_chars).join("");
      var found = new Map();
      if (meta.shards.indexOf(prefix) >= 0) {
        var shard = await fetchJSON(root + "shard-" + hex(prefix) + ".json");
        for (var term in shard) {
          if (!term.startsWith(word)) continue;
          var factor = term === word ? 2 : 1;
          var postings = shard[term];
          for (var i = 0; i < postings.length; i += 2) {
            found.set(postings[i], (found.get(postings[i]) || 0) + postings[i + 1] * factor);
          }
        }
      }
      if (scores === null) {
        scores = found;
      } else {
        var both = new Map();
        found.forEach(function (s, doc) {
          if (scores.has(doc)) both.set(doc, scores.get(doc) + s);
        });
        scores = both;
      }
    }
    var ranked = Array.from(scores).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    var total = ranked.length;
    var rows = await Promise.all(ranked.slice(0, limit).map(function (entry) {
      var doc = entry[0];
      return fetchJSON(root + "docs-" + Math.floor(doc / meta.docs_per_chunk) + ".json")
        .then(function (chunk) { return chunk[doc % meta.docs_per_chunk]; });
    }));
    return {
      total: total,
      results: rows.map(function (r) { return { title: r[0], url: r[1], kind: r[2], excerpt: r[3] }; }),
    };
  }

  function resultItem(r, withExcerpt) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.title;
    li.appendChild(a);
    if (r.kind) {
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + r.kind;
      li.appendChild(kind);
    }
    if (withExcerpt && r.excerpt) {
      var p = document.createElement("p");
      p.textContent = r.excerpt;
      li.appendChild(p);
    }
    return li;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // The box in every page's header: suggestions as you type.
  function enhanceBox(input) {
    var root = input.getAttribute("data-index");
    var list = document.createElement("ul");
    list.className = "search-suggestions";
    list.id = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search suggestions");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(list);
    var active = -1;

    function links() { return list.querySelectorAll("a"); }
    function mark(i) {
      var all = links();
      all.forEach(function (a, j) { a.parentNode.classList.toggle("active", j === i); });
      active = i;
      if (all[i]) input.setAttribute("aria-activedescendant", all[i].parentNode.id);
    }
    function close() { list.hidden = true; active = -1; }

    var update = debounce(async function () {
      var q = input.value.trim();
      if (!q) return close();
      try {
        var found = await search(root, q, 8);
        if (input.value.trim() !== q) return;
        list.textContent = "";
        (found.results || []).forEach(function (r, i) {
          var li = resultItem(r, false);
          li.id = "search-suggestion-" + i;
          li.setAttribute("role", "option");
          list.appendChild(li);
        });
        if (!list.children.length) {
          var none = document.createElement("li");
          none.className = "none";
          none.textContent = "No pages match.";
          list.appendChild(none);
        }
        list.hidden = false;
        mark(-1);
      } catch (e) {
        close();
      }
    }, 120);

    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      var all = links();
      if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        mark((active + 1) % all.length);
      } else if (e.key === "ArrowUp" && all.length) {
        e.preventDefault();
        mark((active - 1 + all.length) % all.length);
      } else if (e.key === "Enter" && active >= 0 && all[active]) {
        e.preventDefault();
        location.href = all[active].href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  // The search page: every match for ?q=, kept in the address as you type.
  function enhancePage(input) {
    var root = input.getAttribute("data-index");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    async function run() {
      var q = input.value.trim();
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      results.textContent = "";
      if (!q) { status.textContent = ""; return; }
      try {
        var found = await search(root, q, 50);
        if (input.value.trim() !== q) return;
        results.textContent = "";
        (found.results || []).forEach(function (r) { results.appendChild(resultItem(r, true)); });
        var n = found.total || 0;
        status.textContent = n + (n === 1 ? " page matches" : " pages match") + " “" + q + "”" +
          (n > 50 ? "; the best 50 are shown" : "");
      } catch (e) {
        status.textContent = "The search index could not be loaded.";
      }
    }
    input.value = new URL(location.href).searchParams.get("q") || "";
    input.addEventListener("input", debounce(run, 120));
    run();
  }

  function start() {
    var page = document.getElementById("search-page-q");
    if (page) enhancePage(page);
    var box = document.getElementById("search-q");
    if (box && !page) enhanceBox(box);
    document.addEventListener("keydown", function (e) {
      var target = page || box;
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) ||
        document.activeElement.isContentEditable;
      if (e.key === "/" && target && !typing) {
        e.preventDefault();
        target.focus();
      }
    });
  }

  window.musterSearch = search;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
