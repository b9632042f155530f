// muster link previews: hovering or focusing a link to another page of the site
// shows that page's title and summary. Without JavaScript links work as usual.
(function () {
  "use strict";
  var pages = new Map();
  var tip = null;
  var timer = null;

  function internal(a) {
    if (!a.href || a.target || a.hasAttribute("download")) return false;
    var url = new URL(a.href, location.href);
    return url.origin === location.origin && url.pathname !== location.pathname &&
      !/\.(xml|json|css|js|png|jpe?g|gif|svg|pdf|txt)$/i.test(url.pathname);
  }

  function load(href) {
    var url = new URL(href, location.href);
    url.hash = "";
    if (!pages.has(url.href)) {
      pages.set(url.href, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var h1 = doc.querySelector("main h1, h1");
        var meta = doc.querySelector('meta[name="description"]');
        return { title: h1 ? h1.textContent.trim() : doc.title, summary: meta ? meta.content : "" };
      }));
    }
    return pages.get(url.href);
  }

  function hide() {
    clearTimeout(timer);
    if (tip) {
      tip.remove();
      tip = null;
    }
  }

  function show(a) {
    load(a.href).then(function (page) {
      hide();
      tip = document.createElement("div");
      tip.className = "link-preview";
      tip.id = "link-preview";
      tip.setAttribute("role", "tooltip");
      var title = document.createElement("strong");
      title.textContent = page.title;
      tip.appendChild(title);
      if (page.summary) {
        var p = document.createElement("p");
        p.textContent = page.summary;
        tip.appendChild(p);
      }
      document.body.appendChild(tip);
      var box = a.getBoundingClientRect();
      tip.style.left = Math.max(8, Math.min(box.left + scrollX, scrollX + innerWidth - tip.offsetWidth - 8)) + "px";
      tip.style.top = (box.bottom + scrollY + 6) + "px";
      a.setAttribute("aria-describedby", tip.id);
    }).catch(hide);
  }

  function arm(e) {
    var a = e.target.closest && e.target.closest("main a[href]");
    if (!a || !internal(a)) return;
    clearTimeout(timer);
    timer = setTimeout(function () { show(a); }, 250);
  }

  function disarm(e) {
    var a = e.target.closest && e.target.closest("main a[href]");
    if (a) a.removeAttribute("aria-describedby");
    hide();
  }

  document.addEventListener("mouseover", arm);
  document.addEventListener("focusin", arm);
  document.addEventListener("mouseout", disarm);
  document.addEventListener("focusout", disarm);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
