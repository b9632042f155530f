// The knowledge graph, enhanced: zoom (buttons, the + − 0 keys, Ctrl + wheel or a
// pinch on a touchpad), pan by dragging once zoomed in, and the neighbours of the page
// under the pointer or focus highlighted with their labels. Labels are drawn smaller as the graph zooms
// in, and the labels muster placed for that zoom (classes l2, l4, l8) appear.
// Without this script the graph is a drawing of links with the first level's labels.
(() => {
  const svg = document.querySelector("svg.graph");
  if (!svg) return;
  const [x0, y0, width, height] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
  const LEVELS = [1, 2, 4, 8];
  const MAX_ZOOM = 16;
  const view = { x: x0, y: y0, zoom: 1 };
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
  // The words of the page's language, from the figure (English without them).
  const words = (svg.closest("figure") || svg).dataset;
  const say = (key, english) => words[key] || english;

  const tools = document.createElement("div");
  tools.className = "graph-tools";
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", say("zoomTools", "Zoom the graph"));
  const button = (text, label, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", action);
    tools.append(b);
    return b;
  };
  const centre = () => [view.x + width / view.zoom / 2, view.y + height / view.zoom / 2];
  button("+", say("zoomIn", "Zoom in"), () => zoomAt(2, ...centre()));
  button("−", say("zoomOut", "Zoom out"), () => zoomAt(0.5, ...centre()));
  const reset = button(say("reset", "Reset"), say("resetLabel", "Reset zoom"), () => zoomAt(1 / view.zoom, x0, y0));
  const hint = document.createElement("span");
  hint.className = "graph-hint";
  hint.textContent = say("hint", "Ctrl + wheel zooms; drag to move");
  tools.append(hint);
  (svg.closest("figure") || svg).before(tools);

  function apply() {
    const w = width / view.zoom, h = height / view.zoom;
    view.x = clamp(view.x, x0, x0 + width - w);
    view.y = clamp(view.y, y0, y0 + height - h);
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${w} ${h}`);
    svg.style.setProperty("--zoom", view.zoom);
    const level = LEVELS.filter((l) => l <= view.zoom + 1e-9).pop();
    for (const l of LEVELS.slice(1)) svg.classList.toggle(`z${l}`, l === level);
    svg.classList.toggle("zoomed", view.zoom > 1);
    svg.dataset.zoom = String(view.zoom);
    reset.disabled = view.zoom === 1;
  }

  // Zooms by `factor` keeping the point (cx, cy) of the drawing where it is.
  function zoomAt(factor, cx, cy) {
    const zoom = clamp(view.zoom * factor, 1, MAX_ZOOM);
    view.x = cx - (cx - view.x) * (view.zoom / zoom);
    view.y = cy - (cy - view.y) * (view.zoom / zoom);
    view.zoom = zoom;
    apply();
  }

  const toDrawing = (event) =>
    new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());

  svg.addEventListener(
    "wheel",
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const p = toDrawing(event);
      zoomAt(Math.exp(-event.deltaY / 300), p.x, p.y);
    },
    { passive: false },
  );

  svg.addEventListener("keydown", (event) => {
    const zoom = { "+": 2, "=": 2, "-": 0.5, 0: 1 / view.zoom }[event.key];
    if (zoom === undefined) return;
    event.preventDefault();
    zoomAt(zoom, ...centre());
  });

  // Dragging moves the view; a drag that began on a page's mark does not open it.
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || view.zoom === 1) return;
    drag = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture(drag.id);
    drag.moved = true;
    const unit = width / view.zoom / svg.getBoundingClientRect().width;
    view.x -= dx * unit;
    view.y -= dy * unit;
    drag.x = event.clientX;
    drag.y = event.clientY;
    apply();
  });
  const endDrag = (event) => {
    if (drag && event.pointerId === drag.id && drag.moved) {
      // The click that ends a drag is not a choice of page.
      svg.addEventListener("click", (e) => e.preventDefault(), { capture: true, once: true });
    }
    drag = null;
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  // Highlighting: the page under the pointer or focus, its lines and its neighbours.
  const nodes = [...svg.querySelectorAll("g.nodes > a.node")];
  const lines = [...svg.querySelectorAll("g.edges > line")];
  const labels = [...svg.querySelectorAll("g.labels > text")];
  const touching = nodes.map(() => []);
  lines.forEach((line, n) => {
    touching[Number(line.dataset.a)]?.push(n);
    touching[Number(line.dataset.b)]?.push(n);
  });
  const near = [];
  const clear = () => {
    for (const el of near.splice(0)) el.classList.remove("near");
    svg.classList.remove("focusing");
  };
  const highlight = (i) => {
    clear();
    const mark = (el) => {
      el.classList.add("near");
      near.push(el);
    };
    const page = (k) => {
      mark(nodes[k]);
      if (labels[k]) mark(labels[k]);
    };
    page(i);
    for (const n of touching[i]) {
      const line = lines[n];
      mark(line);
      page(Number(line.dataset.a));
      page(Number(line.dataset.b));
    }
    svg.classList.add("focusing");
  };
  nodes.forEach((node, i) => {
    node.addEventListener("pointerenter", () => drag?.moved || highlight(i));
    node.addEventListener("focus", () => highlight(i));
    node.addEventListener("pointerleave", clear);
    node.addEventListener("blur", clear);
  });

  svg.setAttribute("tabindex", "0");
  svg.classList.add("enhanced");
  apply();
})();
