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

  // The stem of a folded word by the index's own rules (meta.stem, from the generator's
  // stem.rs): without the longest ending that leaves `min` characters. A stem is a
  // prefix of every form of its word, so it finds them all.
  function stem(word, rules) {
    if (!rules) return word;
    var n = Array.from(word).length;
    for (var s of rules.suffixes) {
      if (word.endsWith(s) && n - Array.from(s).length >= rules.min) {
        return word.slice(0, word.length - s.length);
      }
    }
    return word;
  }

  // How well an indexed term answers a query word: the word itself, another form of it,
  // or (as it is being typed) a longer word it begins. Whole words rank above prefixes.
  function fit(term, word, wordStem, rules) {
    if (term === word) return 4;
    if (stem(term, rules) === wordStem) return 3;
    if (term.startsWith(word)) return 1;
    return 0;
  }

  function hex(s) {
    return Array.from(new TextEncoder().encode(s), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  // Every query word must match a term of the page (itself, another form, or a word it
  // begins); the index's weights rank title above fields above text.
  async function search(root, query, limit) {
    var meta = await fetchJSON(root + "meta.json");
    var words = terms(query, meta.translit);
    if (!words.length) return [];
    var scores = null;
    var stems = [];
    for (var word of words) {
      var wordStem = stem(word, meta.stem);
      stems.push([word, wordStem]);
      var prefix = Array.from(wordStem).slice(0, meta.prefix_chars).join("");
      var found = new Map();
      if (meta.shards.indexOf(prefix) >= 0) {
        var shard = await fetchJSON(root + "shard-" + hex(prefix) + ".json");
        for (var term in shard) {
          if (!term.startsWith(wordStem)) continue;
          var factor = fit(term, word, wordStem, meta.stem);
          if (!factor) continue;
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
      results: rows.map(function (r) {
        return {
          title: r[0], url: r[1], kind: r[2], excerpt: r[3],
          passage: passage(r[4] || "", stems, meta),
        };
      }),
    };
  }

  // The part of `text` where the query matched: whole words around the first match,
  // from the start of its sentence where that is near, every matching word marked.
  // Returns [[text, marked], …], or null when the text does not hold the query.
  function passage(text, stems, meta) {
    var spans = [];
    for (var m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      var folded = fold(m[0], meta.translit);
      var hit = stems.some(function (q) { return fit(folded, q[0], q[1], meta.stem) > 0; });
      if (hit) spans.push([m.index, m.index + m[0].length]);
    }
    if (!spans.length) return null;
    var first = spans[0][0];
    var start = Math.max(0, first - 80);
    var sentence = text.lastIndexOf(". ", first);
    if (sentence >= start) start = sentence + 2;
    else if (start > 0) start = text.indexOf(" ", start) + 1;
    var end = Math.min(text.length, first + 200);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), spans[0][1]);
    var parts = [];
    if (start > 0) parts.push(["… ", false]);
    var at = start;
    for (var span of spans) {
      if (span[0] < start || span[1] > end) continue;
      if (span[0] > at) parts.push([text.slice(at, span[0]), false]);
      parts.push([text.slice(span[0], span[1]), true]);
      at = span[1];
    }
    if (end > at) parts.push([text.slice(at, end), false]);
    if (end < text.length) parts.push([" …", false]);
    return parts;
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
    if (withExcerpt && (r.passage || r.excerpt)) {
      var p = document.createElement("p");
      if (r.passage) {
        r.passage.forEach(function (part) {
          if (part[1]) {
            var mark = document.createElement("mark");
            mark.textContent = part[0];
            p.appendChild(mark);
          } else {
            p.appendChild(document.createTextNode(part[0]));
          }
        });
      } else {
        p.textContent = r.excerpt;
      }
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
    // The theme's words in the page's language, written into the box by the template.
    list.setAttribute("aria-label", input.dataset.suggestions || "Search suggestions");
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
          none.textContent = input.dataset.none || "No pages match.";
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
        // The form of "N pages match" the page's language takes for n (one, few, many…).
        var lang = document.documentElement.lang || "en";
        var form = new Intl.PluralRules(lang).select(n);
        var matches = input.dataset[form] || input.dataset.other || "{count} pages match “{query}”";
        var said = matches.replace("{count}", n.toLocaleString(lang));
        // The query goes where the language puts it, in its own quotation marks (a site's
        // older words without {query} get it after them); a function, so that `$&` in a
        // query is not read as a replacement pattern.
        said = said.indexOf("{query}") >= 0
          ? said.replace("{query}", function () { return q; })
          : said + " “" + q + "”";
        status.textContent = said +
          (n > 50 ? (input.dataset.best || "; the best {shown} are shown").replace("{shown}", 50) : "");
      } catch (e) {
        status.textContent = input.dataset.failed || "The search index could not be loaded.";
      }
    }
    input.value = new URL(location.href).searchParams.get("q") || "";
    input.addEventListener("input", debounce(run, 120));
    run();
  }

  // Tables marked data-sortable: each column heading becomes a button that sorts the rows
  // by that column's text (numbers and ISO dates in order), and says so with aria-sort.
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var key = function (row) {
          var cell = row.children[col];
          // Dates and numbers by their values: "1 234" is written for readers.
          var time = cell.querySelector("time");
          var number = cell.querySelector("data.number");
          if (time) return time.getAttribute("datetime");
          return number ? number.getAttribute("value") : cell.textContent.trim();
        };
        var rows = Array.from(body.rows).sort(function (a, b) {
          var order = key(a).localeCompare(key(b), undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function start() {
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
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
  // The stem of a word as queries take it (for tests and other scripts).
  window.musterStem = async function (root, word) {
    var meta = await fetchJSON(root + "meta.json");
    return stem(fold(word, meta.translit), meta.stem);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
