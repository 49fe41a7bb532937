// Horizontal bar charts as SVG, drawn here: no chart library, nothing from the internet.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 320;
  const ROW = 24;
  const LABEL = 130;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** ``rows``: [[label, value], …] → an <svg> with one labelled bar per row, longest first. */
  function bars(rows, title) {
    const sorted = [...rows].sort((a, b) => b[1] - a[1]);
    const top = Math.max(1, ...sorted.map((r) => r[1]));
    const room = WIDTH - LABEL - 40;
    const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${Math.max(1, sorted.length) * ROW}`, class: "bars", role: "img", "aria-label": title });
    sorted.forEach(([label, value], n) => {
      const y = n * ROW;
      const short = label.length > 20 ? `${label.slice(0, 19)}…` : label;
      chart.append(
        svg("text", { x: LABEL - 6, y: y + 16, "text-anchor": "end", class: "label" }, short),
        svg("rect", { x: LABEL, y: y + 4, width: Math.max(1, (value / top) * room).toFixed(1), height: ROW - 8, class: "bar" }),
        svg("text", { x: LABEL + (value / top) * room + 6, y: y + 16, class: "value" }, String(value)),
      );
      chart.lastChild.previousSibling.append(svg("title", {}, `${label}: ${value}`));
    });
    return chart;
  }

  window.KONSOL.bars = bars;
})();
