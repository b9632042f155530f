// Code blocks: a copy button on each (site.yaml markdown.copy_button), and diagrams
// drawn by the site's own mermaid.min.js when it has one. Without this script code
// stays readable and diagrams show their source.
(function () {
  "use strict";
  var script = document.currentScript;
  // The words of the page's language, from the script's element (English without them).
  var words = (script && script.dataset) || {};
  var say = function (key, english) { return words[key] || english; };
  if (script && script.hasAttribute("data-copy-button") && navigator.clipboard) {
    document.querySelectorAll("pre.code").forEach(function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = say("copy", "Copy");
      button.setAttribute("aria-label", say("copyLabel", "Copy code to clipboard"));
      button.addEventListener("click", function () {
        var code = pre.querySelector("code");
        navigator.clipboard.writeText(code ? code.textContent : pre.textContent).then(
          function () { button.textContent = say("copied", "Copied"); },
          function () { button.textContent = say("copyFailed", "Copy failed"); }
        );
        setTimeout(function () { button.textContent = say("copy", "Copy"); }, 2000);
      });
      var wrap = document.createElement("div");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(button);
      wrap.appendChild(pre);
    });
  }
  if (window.mermaid && document.querySelector("pre.mermaid")) {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    window.mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default", securityLevel: "strict" });
    window.mermaid.run({ querySelector: "pre.mermaid" });
  }
})();
