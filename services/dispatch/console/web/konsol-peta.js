// The board's small map, drawn as SVG from the incidents' own coordinates: no tiles from the
// internet (the console must work on a closed network). Incidents without coordinates are
// counted on kecamatan tiles instead.
(function () {
  "use strict";
  const TRC = window.TRC;
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 320;
  const HEIGHT = 240;
  TRC.words({
    id: { "map.title": "Peta", "map.empty": "Belum ada insiden untuk dipetakan.",
      "map.without": "{n} insiden tanpa koordinat, per kecamatan:", "map.unknown": "(tanpa kecamatan)" },
    en: { "map.title": "Map", "map.empty": "No incident to map yet.",
      "map.without": "{n} incident(s) without coordinates, by kecamatan:", "map.unknown": "(no kecamatan)" },
  });

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function points(rows, open, breached) {
    const lats = rows.map((r) => r.latitude);
    const lons = rows.map((r) => r.longitude);
    const [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
    // Keep the degrees square (near the equator they are) and leave a margin round the points.
    const span = Math.max(north - south, east - west, 0.01) * 1.15;
    const [midLat, midLon] = [(north + south) / 2, (east + west) / 2];
    const scale = Math.min(WIDTH, HEIGHT) / span;
    const x = (lon) => (WIDTH / 2 + (lon - midLon) * scale).toFixed(1);
    const y = (lat) => (HEIGHT / 2 - (lat - midLat) * scale).toFixed(1);
    return svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "map", role: "img",
      "aria-label": TRC.t("map.title") },
    svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "map-sea" }),
    rows.map((r) => svg("circle", {
      cx: x(r.longitude), cy: y(r.latitude), r: r.priority === "P1" ? 7 : 5,
      class: `dot ${r.priority}${breached(r) ? " breach" : ""}`, tabindex: 0,
      onclick: () => open(r), onkeydown: (event) => { if (event.key === "Enter") open(r); },
    }, svg("title", {}, `${r.number} · ${r.priority} · ${r.kelurahan || r.kecamatan || ""}`))));
  }

  function tiles(rows, pick, breached) {
    const groups = new Map();
    for (const r of rows) {
      const name = r.kecamatan || TRC.t("map.unknown");
      const group = groups.get(name) || { count: 0, breach: false, value: r.kecamatan || "" };
      group.count += 1;
      group.breach = group.breach || breached(r);
      groups.set(name, group);
    }
    const names = [...groups.keys()].sort((a, b) => a.localeCompare(b));
    const columns = 3;
    const [w, h] = [WIDTH / columns, 48];
    const height = Math.max(1, Math.ceil(names.length / columns)) * h;
    return svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "tiles", role: "img",
      "aria-label": TRC.t("map.title") },
    names.map((name, n) => {
      const group = groups.get(name);
      const [x, y] = [(n % columns) * w, Math.floor(n / columns) * h];
      return svg("g", { class: `tile${group.breach ? " breach" : ""}`, tabindex: 0,
        onclick: () => pick(group.value), onkeydown: (event) => { if (event.key === "Enter") pick(group.value); } },
      svg("rect", { x: x + 2, y: y + 2, width: w - 4, height: h - 4, rx: 4 }),
      svg("text", { x: x + w / 2, y: y + 20, class: "tile-count" }, String(group.count)),
      svg("text", { x: x + w / 2, y: y + 37, class: "tile-name" }, name.length > 16 ? `${name.slice(0, 15)}…` : name),
      svg("title", {}, `${name}: ${group.count}`));
    }));
  }

  /** Draw ``rows`` into ``box``: points where coordinates exist, kecamatan tiles for the rest. */
  function draw(box, note, rows, options) {
    const has = (r) => Number.isFinite(r.latitude) && Number.isFinite(r.longitude);
    const placed = rows.filter(has);
    const unplaced = rows.filter((r) => !has(r));
    const parts = [];
    if (placed.length) parts.push(points(placed, options.open, options.breached));
    if (placed.length && unplaced.length) parts.push(TRC.el("p", { class: "hint" }, TRC.t("map.without", { n: unplaced.length })));
    if (unplaced.length) parts.push(tiles(unplaced, options.pick, options.breached));
    box.replaceChildren(...parts);
    note.textContent = rows.length ? "" : TRC.t("map.empty");
  }

  window.KONSOL.map = draw;
})();
