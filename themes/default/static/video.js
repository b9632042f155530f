// The `youtube` shortcode: a link to the video until the reader clicks it; only then
// is the player loaded (from youtube-nocookie.com), so a page makes no request to
// YouTube that its reader did not ask for. Without this script the link opens YouTube.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var start = event.target.closest && event.target.closest("a[data-youtube]");
    if (!start || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var id = start.getAttribute("data-youtube");
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      return;
    }
    event.preventDefault();
    var frame = document.createElement("iframe");
    var at = parseInt(start.getAttribute("data-start") || "0", 10);
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1" + (at > 0 ? "&start=" + at : "");
    frame.title = start.querySelector(".video-embed-title").textContent;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    start.replaceWith(frame);
    frame.focus();
  });
})();
