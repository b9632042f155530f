// muster serve: live reload and the error overlay. Injected only by `muster serve`.
(function () {
  "use strict";
  var instance = null;
  // Sent with requests to open a file in the editor; only this server's pages get it.
  var openToken = "";
  var here = location.pathname;

  function same(path) {
    return decodeURI(path) === decodeURI(here) ||
      decodeURI(path + "index.html") === decodeURI(here);
  }

  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (paths.indexOf(url.pathname) < 0) continue;
      url.searchParams.set("muster", Date.now().toString(36));
      var fresh = links[i].cloneNode();
      fresh.href = url.toString();
      var old = links[i];
      fresh.onload = function () { old.remove(); };
      old.after(fresh);
    }
  }

  function overlay(errors) {
    var box = document.getElementById("muster-errors");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "muster-errors";
      box.setAttribute("role", "alert");
      // Opaque, and every colour set here: the page's own styles (a light `pre`) must not
      // show through or apply.
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:#141418;color:#eee;font:14px/1.5 ui-monospace,monospace;" +
        "padding:clamp(1rem,4vw,2rem);text-align:left";
      document.body.appendChild(box);
    }
    box.hidden = false;
    box.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "muster-errors-close";
    close.setAttribute("aria-label", "Close the error list (Escape)");
    close.textContent = "×";
    close.style.cssText = "float:right;margin:0 0 .5rem .5rem;background:#2a2a32;color:#eee;" +
      "border:1px solid #777;border-radius:4px;font:1.4rem/1 sans-serif;padding:.2rem .6rem;cursor:pointer";
    close.onclick = function () { box.hidden = true; };
    box.appendChild(close);
    var head = document.createElement("h2");
    head.style.cssText = "color:#ff8080;margin:0 0 1rem;font-size:1.2rem;line-height:1.3";
    head.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      " — the last good version stays served until this is fixed";
    box.appendChild(head);
    errors.forEach(function (e) {
      var item = document.createElement("section");
      item.className = "muster-error";
      item.style.cssText = "margin:0 0 1.5rem;border-left:3px solid #ff6b6b;padding-left:1rem";
      var where = location_of(e);
      var message = document.createElement("div");
      message.className = "muster-error-message";
      message.style.fontWeight = "bold";
      message.textContent = "error[" + e.code + "]: " + e.message;
      item.appendChild(message);
      item.appendChild(where);
      if (e.source_line != null) {
        var pre = document.createElement("pre");
        pre.style.cssText = "margin:.3rem 0;padding:.4rem .6rem;background:#23232b;color:#f0f0f0;" +
          "border:0;border-radius:3px;font:inherit;white-space:pre;overflow:auto";
        var caret = e.location ? " ".repeat(Math.max(0, e.location.column - (e.source_column || 1))) + "^" : "";
        pre.textContent = e.source_line + "\n" + caret;
        item.appendChild(pre);
      }
      if (e.hint) {
        var hint = document.createElement("div");
        hint.style.color = "#b5cea8";
        hint.textContent = "help: " + e.hint;
        item.appendChild(hint);
      }
      if (e.caused_by) {
        // A consequence: its cause is listed before it.
        var note = document.createElement("div");
        note.style.color = "#b0b0b8";
        note.textContent = "note: this follows from the error in " + e.caused_by + ": fix that one first";
        item.appendChild(note);
      }
      box.appendChild(item);
    });
  }

  // The error's file:line:col; a button that opens it in the writer's editor (an action,
  // so a button, drawn as a link).
  function location_of(e) {
    var where = document.createElement("div");
    where.className = "muster-error-location";
    where.style.color = "#9cdcfe";
    if (!e.location) {
      where.textContent = "(site)";
      return where;
    }
    var text = e.location.file + ":" + e.location.line + ":" + e.location.column;
    var open = document.createElement("button");
    open.type = "button";
    open.className = "muster-error-open";
    open.title = "Open in your editor";
    open.textContent = text;
    // Not `all:unset`: the browser's focus ring stays for keyboard users.
    open.style.cssText = "background:none;border:0;padding:0;margin:0;font:inherit;" +
      "color:#9cdcfe;text-decoration:underline;cursor:pointer";
    var status = document.createElement("span");
    status.className = "muster-error-open-status";
    status.setAttribute("role", "status");
    status.style.cssText = "margin-left:1em;color:#d0d0d8";
    open.onclick = function () {
      status.textContent = "opening…";
      var query = "?file=" + encodeURIComponent(e.location.file) +
        "&line=" + e.location.line + "&column=" + e.location.column;
      fetch("/__muster/open" + query, { method: "POST", headers: { "X-Muster-Token": openToken } })
        .then(function (response) {
          if (response.ok) {
            status.textContent = "opened in your editor";
            return;
          }
          return response.text().then(function (why) {
            status.textContent = why.trim();
            status.style.color = "#ffb4b4";
          });
        })
        .catch(function () { status.textContent = "muster serve is not answering"; });
    };
    where.appendChild(open);
    where.appendChild(status);
    return where;
  }

  // Escape closes the error list; the next change shows it again.
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("muster-errors");
    if (event.key === "Escape" && box && !box.hidden) box.hidden = true;
  });

  function connect() {
    // The page is named so that the server renders it first after a large change.
    var source = new EventSource("/__muster/events?page=" + encodeURIComponent(here));
    source.onmessage = function (event) {
      var msg = JSON.parse(event.data);
      if (msg.type === "hello") {
        // A new server instance may show other files: reload once.
        if (instance !== null && instance !== msg.instance) {
          location.reload();
          return;
        }
        instance = msg.instance;
        openToken = msg.open_token || "";
        overlay(msg.errors);
      } else if (msg.type === "errors") {
        overlay(msg.errors);
      } else if (msg.type === "css") {
        swapStyles(msg.paths);
      } else if (msg.type === "reload") {
        if (msg.all || msg.paths.some(same)) location.reload();
      }
    };
    // EventSource retries by itself while the server is away.
    window.__muster = { source: source };
  }

  if (document.body) connect();
  else document.addEventListener("DOMContentLoaded", connect);
})();
