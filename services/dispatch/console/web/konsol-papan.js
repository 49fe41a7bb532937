// The live incident board: open incidents by priority and age, kept current by the server's event
// stream (no manual refresh), with clocks that tick every second and rows that turn red the moment
// a deadline passes, without waiting for the server to say so.
(function () {
  "use strict";
  const TRC = window.TRC;
  const KONSOL = window.KONSOL;
  TRC.words({
    id: {
      search: "Cari nomor", "search.hint": "mis. 0012", kecamatan: "Kecamatan", category: "Kategori",
      priority: "Prioritas", team: "Tim", state: "Status", all: "Semua", "team.none": "(belum ada tim)",
      "col.number": "Nomor", "col.priority": "Prio", "col.state": "Status", "col.what": "Kategori / lokasi",
      "col.description": "Uraian", "col.team": "Tim", "col.since_report": "Sejak laporan",
      "col.since_assigned": "Sejak ditugaskan", "col.since_ack": "Sejak diterima", "col.duplicates": "Duplikat",
      "live.connecting": "Menghubungkan…", "live.on": "● Langsung", "live.off": "Terputus, menyambung ulang…",
      counts: "{open} terbuka · {breach} melewati batas · P1 {p1} · P2 {p2} · P3 {p3} · P4 {p4}",
      empty: "Tidak ada insiden terbuka yang cocok.", "ack.left": "batas terima {t}",
      "ack.over": "lewat {t}", people: "{n} orang", escalations: "eskalasi {n}×",
      "no_team.mark": "✔ tanpa tim TRC: {what}",
      "col.region": "Kab/Kota", kabkota: "Kab/Kota", "kabkota.all": "Semua kab/kota",
      teamless: "Wilayah tanpa tim: {regions}. Laporan dari sini menunggu tanpa ada yang dikirim; tambahkan tim (Tim & sif) dan grup Telegram supervisor.",
    },
    en: {
      search: "Find number", "search.hint": "e.g. 0012", kecamatan: "Kecamatan", category: "Category",
      priority: "Priority", team: "Team", state: "State", all: "All", "team.none": "(no team yet)",
      "col.number": "Number", "col.priority": "Prio", "col.state": "State", "col.what": "Category / place",
      "col.description": "Description", "col.team": "Team", "col.since_report": "Since report",
      "col.since_assigned": "Since assigned", "col.since_ack": "Since accepted", "col.duplicates": "Duplicates",
      "live.connecting": "Connecting…", "live.on": "● Live", "live.off": "Disconnected, reconnecting…",
      counts: "{open} open · {breach} past a deadline · P1 {p1} · P2 {p2} · P3 {p3} · P4 {p4}",
      empty: "No open incident matches.", "ack.left": "accept within {t}",
      "ack.over": "overdue {t}", people: "{n} people", escalations: "escalated {n}×",
      "no_team.mark": "✔ no TRC team: {what}",
      "col.region": "Regency/city", kabkota: "Regency/city", "kabkota.all": "All regencies/cities",
      teamless: "Region with no team: {regions}. Reports from here wait with nobody to send; add a team (Teams & shifts) and the supervisors' Telegram group.",
    },
  });

  const $ = (id) => document.getElementById(id);
  const ENDED = new Set(["closed", "cancelled"]);
  const WAITING_ARRIVAL = new Set(["acknowledged", "en_route"]);
  const FILTERS = { region_code: "f-region", kecamatan: "f-kecamatan", category: "f-category", priority: "f-priority", team_id: "f-team", state: "f-state" };
  const state = {
    region: "", zone: "WIB", target: 45, rows: new Map(), order: [], trs: new Map(), alarms: new Map(),
    buffer: null, lost: false, pending: 0, source: null,
    // The benchmark's hook: when to the millisecond each streamed change reached the page.
    log: new URLSearchParams(window.location.search).has("rekam") ? (window.konsolRekam = []) : null,
  };

  // ------------------------------------------------------------------ deadlines, on the client too
  function breaches(row, now) {
    const found = new Set(row.breaches || []);
    if (row.ack_deadline && !row.acknowledged_at && row.state === "assigned" && now > row._deadline) found.add("ack_overdue");
    if (WAITING_ARRIVAL.has(row.state) && !row.on_scene_at && row._accepted && now > row._accepted + state.target * 60000) found.add("no_arrival");
    return found;
  }

  function before(a, b) {
    return a.priority !== b.priority ? a.priority < b.priority
      : a._received !== b._received ? a._received < b._received : a.incident_id < b.incident_id;
  }

  function place(row) {
    let [low, high] = [0, state.order.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before(state.rows.get(state.order[mid]), row)) low = mid + 1; else high = mid;
    }
    return low;
  }

  // ------------------------------------------------------------------ one row
  function cells(row) {
    const where = [row.kelurahan, row.kecamatan].filter(Boolean).join(", ");
    const flags = (row.danger_flags || []).map((f) => KONSOL.word("flag", f)).join(", ");
    const link = TRC.el("a", { href: `/konsol/insiden/${encodeURIComponent(row.incident_id)}?region=${state.region}` }, row.number);
    return [
      TRC.el("td", { class: "number" }, link),
      TRC.el("td", {}, TRC.el("span", { class: `badge ${row.priority}` }, row.priority)),
      TRC.el("td", {}, KONSOL.word("state", row.state), TRC.el("div", { class: "breach-note" }),
        row.escalations ? TRC.el("div", { class: "hint" }, TRC.t("escalations", { n: row.escalations })) : null),
      // A province's board: whose row it is (hidden by the stylesheet on a kab/kota's board).
      TRC.el("td", { class: "col-region", title: row.region_code }, row.region_name || row.region_code),
      TRC.el("td", {}, TRC.el("strong", {}, KONSOL.category(row.category)), TRC.el("div", {}, where),
        TRC.el("div", { class: "hint" }, TRC.t("people", { n: row.people_count }), flags ? ` · ${flags}` : "")),
      TRC.el("td", { class: "col-description" }, row.description === null || row.description === undefined ? ""
        : row.description.length > 140 ? `${row.description.slice(0, 139)}…` : row.description),
      TRC.el("td", {}, row.team_name || TRC.t("none")),
      TRC.el("td", { class: "since", title: KONSOL.time(row.received_at, state.zone) }),
      TRC.el("td", { class: "since", title: row.assigned_at ? KONSOL.time(row.assigned_at, state.zone) : null }),
      TRC.el("td", { class: "since" }),
      TRC.el("td", { class: "dups" }, row.duplicates ? String(row.duplicates) : ""),
    ];
  }

  function tick(row, tr, now) {
    const found = breaches(row, now);
    tr.classList.toggle("breach", found.size > 0);
    const [, , stateCell, , , , , sinceReport, sinceAssigned, sinceAck] = tr.children;
    const note = stateCell.children[0];
    const marks = [...found].map((b) => `⚠ ${KONSOL.word("breach", b)}`);
    if (row.no_team_alternative) marks.push(TRC.t("no_team.mark", { what: KONSOL.word("alternative", row.no_team_alternative) }));
    const text = marks.join(" ");
    if (note.textContent !== text) note.textContent = text;
    sinceReport.textContent = KONSOL.since(row.received_at, now);
    sinceAssigned.textContent = KONSOL.since(row.assigned_at, now);
    if (row.acknowledged_at) sinceAck.textContent = KONSOL.since(row.acknowledged_at, now);
    else if (row.ack_deadline && row.state === "assigned") {
      const left = row._deadline - now;
      sinceAck.textContent = left > 0 ? TRC.t("ack.left", { t: KONSOL.duration(Math.ceil(left / 1000)) })
        : TRC.t("ack.over", { t: KONSOL.duration(Math.floor(-left / 1000)) });
    } else sinceAck.textContent = "";
    return found.size > 0;
  }

  function matches(row) {
    const search = $("f-search").value.trim().toLowerCase();
    if (search && !row.number.toLowerCase().includes(search) && !row.incident_id.toLowerCase().includes(search)) return false;
    return Object.entries(FILTERS).every(([field, id]) => {
      const wanted = $(id).value;
      return !wanted || (field === "team_id" && wanted === "-" ? !row.team_id : String(row[field] || "") === wanted);
    });
  }

  // ------------------------------------------------------------------ changes
  function upsert(row) {
    if (ENDED.has(row.state)) return remove(row.incident_id);
    row._received = Date.parse(row.received_at);
    row._deadline = row.ack_deadline ? Date.parse(row.ack_deadline) : Infinity;
    row._accepted = row.acknowledged_at ? Date.parse(row.acknowledged_at) : null;
    const known = state.rows.has(row.incident_id);
    if (known) state.order.splice(state.order.indexOf(row.incident_id), 1);
    const at = place(row);
    state.order.splice(at, 0, row.incident_id);
    state.rows.set(row.incident_id, row);
    const tr = TRC.el("tr", { dataset: { id: row.incident_id, priority: row.priority } }, cells(row));
    tr.hidden = !matches(row);
    tick(row, tr, Date.now());
    const old = state.trs.get(row.incident_id);
    if (old) old.remove();
    state.trs.set(row.incident_id, tr);
    const next = state.order[at + 1];
    $("rows").insertBefore(tr, next ? state.trs.get(next) : null);
    // Red on the deadline itself, not at the next second's tick.
    clearTimeout(state.alarms.get(row.incident_id));
    const wait = row._deadline - Date.now();
    if (wait > 0 && wait < 2 ** 31) state.alarms.set(row.incident_id, setTimeout(() => {
      if (state.trs.get(row.incident_id) === tr) refresh(); // the row, the summary and the map at once
    }, wait + 5));
  }

  function remove(incidentId) {
    if (!state.rows.has(incidentId)) return;
    state.rows.delete(incidentId);
    state.order.splice(state.order.indexOf(incidentId), 1);
    state.trs.get(incidentId).remove();
    state.trs.delete(incidentId);
    clearTimeout(state.alarms.get(incidentId));
    state.alarms.delete(incidentId);
  }

  function streamed(kind, data) {
    if (state.buffer) { state.buffer.push([kind, data]); return; }
    if (kind === "incident") upsert(data); else remove(data.incident_id);
    if (state.log) state.log.push({ id: data.incident_id, priority: data.priority || null, at: performance.timeOrigin + performance.now() });
    later();
  }

  // Summary, filter choices and map follow the rows, at most a few times a second.
  function later() {
    if (state.pending) return;
    state.pending = setTimeout(() => { state.pending = 0; refresh(); }, 300);
  }

  function refresh() {
    fillFilters();
    const now = Date.now();
    const shown = [];
    let breached = 0;
    const counts = { P1: 0, P2: 0, P3: 0, P4: 0 };
    for (const id of state.order) {
      const row = state.rows.get(id);
      const tr = state.trs.get(id);
      tr.hidden = !matches(row);
      row._counted = tick(row, tr, now); // red or not as the summary and the map last said
      if (row._counted) breached += 1;
      counts[row.priority] = (counts[row.priority] || 0) + 1;
      if (!tr.hidden) shown.push(row);
    }
    $("counts").textContent = TRC.t("counts", { open: state.order.length, breach: breached,
      p1: counts.P1, p2: counts.P2, p3: counts.P3, p4: counts.P4 });
    $("empty").hidden = shown.length > 0;
    const anyText = shown.some((r) => r.description !== null && r.description !== undefined);
    $("board").classList.toggle("no-text", !anyText);
    KONSOL.map($("map"), $("map-note"), shown, {
      open: (r) => window.location.assign(`/konsol/insiden/${encodeURIComponent(r.incident_id)}?region=${state.region}`),
      pick: (kecamatan) => { $("f-kecamatan").value = kecamatan; refresh(); },
      breached: (r) => breaches(r, now).size > 0,
    });
  }

  function fillFilters() {
    const rows = [...state.rows.values()];
    const distinct = (pick) => [...new Map(rows.map(pick).filter(([v]) => v)).entries()].sort((a, b) => a[1].localeCompare(b[1]));
    const choices = {
      "f-region": distinct((r) => [r.region_code, r.region_name || r.region_code]),
      "f-kecamatan": distinct((r) => [r.kecamatan, r.kecamatan]),
      "f-category": distinct((r) => [r.category, KONSOL.category(r.category)]),
      "f-priority": ["P1", "P2", "P3", "P4"].map((p) => [p, p]),
      "f-team": [["-", TRC.t("team.none")], ...distinct((r) => [r.team_id, r.team_name || r.team_id])],
      "f-state": ["received", "queued", "assigned", "acknowledged", "en_route", "on_scene", "secured",
        "not_found", "resolved_on_site", "refused", "referred"].map((s) => [s, KONSOL.word("state", s)]),
    };
    for (const [id, list] of Object.entries(choices)) {
      const select = $(id);
      const chosen = select.value;
      const signature = JSON.stringify(list) + TRC.lang;
      if (select.dataset.signature === signature) continue;
      select.dataset.signature = signature;
      select.replaceChildren(TRC.el("option", { value: "" }, TRC.t(id === "f-region" ? "kabkota.all" : "all")),
        ...list.map(([value, label]) => TRC.el("option", { value, selected: value === chosen || null }, label)));
    }
  }

  // ------------------------------------------------------------------ loading and the stream
  async function snapshot() {
    const answer = await TRC.api(`/api/v1/console/board?region=${encodeURIComponent(state.region)}`);
    if (!answer.ok) {
      $("counts").textContent = TRC.t("load.failed", { why: answer.data.detail || answer.status });
      return false;
    }
    state.zone = answer.data.zone || KONSOL.zoneOf(state.region);
    state.target = answer.data.arrival_target_minutes || state.target;
    const teamless = answer.data.regions_without_team || [];
    $("teamless").hidden = !teamless.length;
    const names = answer.data.region_names || {};
    $("teamless").textContent = teamless.length
      ? TRC.t("teamless", { regions: teamless.map((code) => names[code] || code).join(", ") }) : "";
    const fresh = new Set(answer.data.incidents.map((r) => r.incident_id));
    for (const id of [...state.rows.keys()]) if (!fresh.has(id)) remove(id);
    for (const row of answer.data.incidents) upsert(row);
    const waiting = state.buffer || [];
    state.buffer = null;
    for (const [kind, data] of waiting) streamed(kind, data);
    refresh();
    return true;
  }

  function live(key, on) {
    $("live").textContent = TRC.t(key);
    $("live").classList.toggle("off", !on);
  }

  // The stream first, then the snapshot: what happens in between is buffered, not lost.
  function connect() {
    const source = new EventSource(`/api/v1/console/stream?region=${encodeURIComponent(state.region)}`);
    state.source = source;
    const read = (kind) => (event) => { try { streamed(kind, JSON.parse(event.data)); } catch (err) { /* a torn event: the next snapshot repairs it */ } };
    source.addEventListener("incident", read("incident"));
    source.addEventListener("removed", read("removed"));
    source.addEventListener("open", () => {
      live("live.on", true);
      if (state.lost) { state.lost = false; state.buffer = []; snapshot(); }
    });
    source.addEventListener("error", () => {
      live("live.off", false);
      state.lost = true;
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        TRC.api("/api/v1/auth/me"); // a lapsed session reloads the page (→ sign-in)
        setTimeout(connect, 3000);
      }
    });
  }

  async function start() {
    const { region } = await KONSOL.start();
    state.region = region;
    state.zone = KONSOL.zoneOf(region);
    // A province (no dot in its code) over its kab/kota: their column and filter.
    const province = !region.includes(".");
    $("board").classList.toggle("province", province);
    $("f-region-box").hidden = !province;
    state.buffer = [];
    connect();
    await snapshot();
    window.konsolSiap = performance.now(); // navigation start → rows drawn (the benchmark reads it)
    document.body.dataset.ready = "1";
    setInterval(() => {
      const now = Date.now();
      let turned = false; // a row past a deadline now (or no longer): the summary and the map follow
      for (const id of state.order) {
        const row = state.rows.get(id);
        const tr = state.trs.get(id);
        const late = tr.hidden ? breaches(row, now).size > 0 : tick(row, tr, now);
        if (late !== row._counted) turned = true;
      }
      if (turned) refresh();
      $("clock").textContent = KONSOL.time(new Date(now).toISOString(), state.zone, { date: false, seconds: true });
    }, 1000);
  }

  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("filters").addEventListener("input", refresh);
  document.addEventListener("trc:lang", () => {
    if (!state.order.length) return;
    for (const id of [...state.order]) upsert(state.rows.get(id));
    refresh();
  });
  start();
})();
