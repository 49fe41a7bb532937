// The figures a department reports: today, this week or this month, as bar charts drawn here,
// the service times, outcomes and the "PPKS mandiri" KPI, and the same as CSV; a province's also
// side by side per kab/kota. And a month's report as XLSX (for the Kepala Dinas), which the
// shelter service makes: a plain link there, the session cookie goes along (same host).
(function () {
  "use strict";
  const TRC = window.TRC;
  const KONSOL = window.KONSOL;
  TRC.words({
    id: {
      period: "Periode", "period.today": "Hari ini", "period.week": "Minggu ini", "period.month": "Bulan ini",
      csv: "Unduh CSV", range: "{from} – {to}", "g.channel": "Laporan per saluran",
      "g.category": "Laporan per kategori", "g.incidents": "Insiden", "g.outcomes": "Hasil penanganan",
      "g.times": "Waktu layanan", "g.ppks": "PPKS mandiri", "t.report_to_assigned": "Laporan → ditugaskan",
      "t.assigned_to_accepted": "Ditugaskan → diterima", "t.accepted_to_on_scene": "Diterima → tiba",
      "t.count": "jumlah", "ppks.text": "{count} mandiri dari {closed} kasus yang hasilnya tercatat ({percent} %)",
      "g.no_team": "Tanpa tim TRC: yang dilakukan", nothing: "Belum ada data.", "unit.s": "dtk",
      "g.by_region": "Per kab/kota", "r.name": "Kab/Kota", "r.reports": "Laporan", "r.incidents": "Insiden",
      "r.assigned": "p50 laporan → ditugaskan", "r.on_scene": "p50 laporan → tiba", "r.closed": "Hasil tercatat",
      "r.mandiri": "PPKS mandiri", "r.no_team": "Tanpa tim TRC", "r.total": "Jumlah provinsi",
      report: "Laporan bulanan (XLSX)", "report.month": "Bulan", "report.last": "Bulan lalu",
      "report.this": "Bulan ini", xlsx: "Unduh XLSX", "report.range": "{from} s.d. {to}",
      "report.unavailable": "Alamat layanan shelter tidak diketahui: laporan XLSX tidak bisa diunduh dari sini.",
    },
    en: {
      period: "Period", "period.today": "Today", "period.week": "This week", "period.month": "This month",
      csv: "Download CSV", range: "{from} – {to}", "g.channel": "Reports by channel",
      "g.category": "Reports by category", "g.incidents": "Incidents", "g.outcomes": "Outcomes",
      "g.times": "Service times", "g.ppks": "PPKS independent", "t.report_to_assigned": "Report → assigned",
      "t.assigned_to_accepted": "Assigned → accepted", "t.accepted_to_on_scene": "Accepted → on scene",
      "t.count": "count", "ppks.text": "{count} independent of {closed} cases with an outcome recorded ({percent} %)",
      "g.no_team": "No TRC team: what was done instead", nothing: "No data yet.", "unit.s": "s",
      "g.by_region": "Per regency/city", "r.name": "Regency/city", "r.reports": "Reports", "r.incidents": "Incidents",
      "r.assigned": "p50 report → assigned", "r.on_scene": "p50 report → on scene", "r.closed": "Outcomes recorded",
      "r.mandiri": "PPKS independent", "r.no_team": "No TRC team", "r.total": "Province total",
      report: "Monthly report (XLSX)", "report.month": "Month", "report.last": "Last month",
      "report.this": "This month", xlsx: "Download XLSX", "report.range": "{from} to {to}",
      "report.unavailable": "The shelter service's address is unknown: the XLSX report cannot be downloaded from here.",
    },
  });
  const $ = (id) => document.getElementById(id);
  const state = { region: "", period: "today", data: null, shelter: null };
  const ZONES = { WIB: "Asia/Jakarta", WITA: "Asia/Makassar", WIT: "Asia/Jayapura" };

  // Counts may come as {code: n} or as [{code|name|…, count}]; both become [[code, n]].
  function counts(value) {
    if (!value) return [];
    if (Array.isArray(value)) {
      return value.map((item) => [String(item.code ?? item.key ?? item.name ?? item.category ?? item.channel ?? item.outcome ?? item.state ?? ""),
        Number(item.count ?? item.value ?? 0)]);
    }
    return Object.entries(value).filter(([, n]) => typeof n === "number");
  }

  function card(titleKey, body) {
    return TRC.el("section", { class: "panel", dataset: { figure: titleKey } }, TRC.el("h2", {}, TRC.t(titleKey)), body);
  }

  function chart(titleKey, rows) {
    return card(titleKey, rows.length && rows.some((r) => r[1] > 0) ? KONSOL.bars(rows, TRC.t(titleKey)) : TRC.el("p", { class: "hint" }, TRC.t("nothing")));
  }

  const seconds = (s) => (s === null || s === undefined ? TRC.t("none") : s < 60 ? `${s.toFixed(1)} ${TRC.t("unit.s")}` : KONSOL.duration(s));

  function times(data) {
    const table = TRC.el("table", { class: "plain" },
      TRC.el("thead", {}, TRC.el("tr", {}, ["", "t.count", "p50", "p90"].map((k) => TRC.el("th", { scope: "col" }, k.startsWith("t.") ? TRC.t(k) : k)))),
      TRC.el("tbody", {}, Object.entries(data || {}).map(([name, s]) => TRC.el("tr", {},
        TRC.el("th", { scope: "row" }, TRC.t(`t.${name}`)), TRC.el("td", {}, String(s.count)),
        TRC.el("td", {}, seconds(s.p50_s)), TRC.el("td", {}, seconds(s.p90_s))))));
    return card("g.times", table);
  }

  const mandiri = (m) => `${m.count} / ${m.closed}` + (m.percent === null || m.percent === undefined ? "" : ` (${Number(m.percent).toFixed(1)} %)`);

  // A province's figures side by side per kab/kota, as a provincial report lists them, and its total.
  function byRegion(data) {
    const rows = data.by_region || [];
    const cell = (value, head) => TRC.el(head ? "th" : "td", head ? { scope: "row" } : {}, String(value));
    const line = (name, r, p50a, p50s) => TRC.el("tr", {}, cell(name, true), cell(r.reports), cell(r.incidents),
      cell(p50a), cell(p50s), cell(r.ppks_mandiri.closed), cell(mandiri(r.ppks_mandiri)), cell(r.no_team));
    const sum = (pick) => rows.reduce((n, r) => n + pick(r), 0);
    const total = { reports: sum((r) => r.reports), incidents: sum((r) => r.incidents), no_team: sum((r) => r.no_team),
      ppks_mandiri: data.ppks_mandiri || { count: 0, closed: 0, percent: null } };
    const table = TRC.el("table", { class: "plain", id: "by-region" },
      TRC.el("thead", {}, TRC.el("tr", {}, ["r.name", "r.reports", "r.incidents", "r.assigned", "r.on_scene", "r.closed",
        "r.mandiri", "r.no_team"].map((k) => TRC.el("th", { scope: "col" }, TRC.t(k))))),
      TRC.el("tbody", {}, rows.map((r) => line(r.name || r.region_code, r, seconds(r.report_to_assigned_p50_s), seconds(r.report_to_on_scene_p50_s)))),
      TRC.el("tfoot", {}, line(TRC.t("r.total"), total, "", "")));
    const section = card("g.by_region", TRC.el("div", { class: "table-box" }, table));
    section.classList.add("span-all");
    return section;
  }

  function show(data) {
    state.data = data;
    const zone = data.zone || KONSOL.zoneOf(state.region);
    $("range").textContent = data.from ? TRC.t("range", { from: KONSOL.when(data.from, zone), to: KONSOL.when(data.to, zone) }) : "";
    const ppks = data.ppks_mandiri || {};
    const incidents = counts(data.incidents).map(([k, n]) => [KONSOL.word("state", k), n]);
    $("figures").replaceChildren(
      ...((data.by_region || []).length ? [byRegion(data)] : []),
      chart("g.channel", counts(data.reports_by_channel).map(([k, n]) => [KONSOL.word("channel", k), n])),
      chart("g.category", counts(data.reports_by_category).map(([k, n]) => [KONSOL.category(k), n])),
      typeof data.incidents === "number" ? card("g.incidents", TRC.el("p", {}, String(data.incidents))) : chart("g.incidents", incidents),
      times(data.times),
      chart("g.outcomes", counts(data.outcomes).map(([k, n]) => [KONSOL.word("outcome", k), n])),
      chart("g.no_team", counts(data.no_team).map(([k, n]) => [KONSOL.word("alternative", k), n])),
      card("g.ppks", TRC.el("p", {}, TRC.t("ppks.text", { count: ppks.count ?? 0, closed: ppks.closed ?? 0,
        percent: ppks.percent === null || ppks.percent === undefined ? "–" : Number(ppks.percent).toFixed(1) }))),
    );
    document.body.dataset.ready = "1";
  }

  async function load(period) {
    state.period = period;
    const query = new URLSearchParams({ region: state.region, period });
    document.querySelectorAll("[data-period]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.period === period)));
    $("csv").href = `/api/v1/console/figures?${query}&format=csv`;
    $("csv").setAttribute("download", `angka-${state.region}-${period}.csv`);
    const answer = await TRC.api(`/api/v1/console/figures?${query}`);
    $("message").textContent = answer.ok ? "" : TRC.t("load.failed", { why: answer.data.detail || answer.status });
    if (answer.ok) show(answer.data);
  }

  const monthOf = (index) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;

  /** "2026-11": this month in the region's own zone (WIB / WITA / WIT), or `back` months before. */
  function month(back) {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: ZONES[KONSOL.zoneOf(state.region)], year: "numeric", month: "2-digit" })
      .formatToParts(new Date());
    const part = (type) => Number(parts.find((p) => p.type === type).value);
    return monthOf(part("year") * 12 + part("month") - 1 - back);
  }

  // The month's XLSX at shelter: from its 1st to the next month's 1st (shelter does not count `to`),
  // for the page's region (a province's has a sheet per kab/kota), headings in the page's language.
  function reportLink() {
    const link = $("xlsx");
    const chosen = $("report-month").value;
    const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(chosen);
    $("report-note").textContent = state.shelter ? "" : TRC.t("report.unavailable");
    if (!state.shelter || !valid) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
      return;
    }
    const [year, number] = chosen.split("-").map(Number);
    const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
    const query = new URLSearchParams({ from: `${chosen}-01`, to: `${monthOf(year * 12 + number)}-01`, format: "xlsx", lang: TRC.lang });
    link.href = `${state.shelter}/api/v1/regions/${encodeURIComponent(state.region)}/figures?${query}`;
    link.setAttribute("download", `angka-${state.region}-${chosen}.xlsx`);  // same origin only; else shelter names it
    link.removeAttribute("aria-disabled");
    $("report-note").textContent = TRC.t("report.range", { from: `${chosen}-01`, to: `${chosen}-${String(last).padStart(2, "0")}` });
  }

  async function report() {
    const services = await TRC.api("/api/v1/console/services");
    state.shelter = services.ok && services.data.shelter ? services.data.shelter : null;
    const input = $("report-month");
    input.max = month(0);
    input.value = month(1);  // the last full month
    input.addEventListener("input", reportLink);
    input.addEventListener("change", reportLink);
    $("report-last").addEventListener("click", () => { input.value = month(1); reportLink(); });
    $("report-this").addEventListener("click", () => { input.value = month(0); reportLink(); });
    reportLink();
  }

  async function start() {
    const { region } = await KONSOL.start();
    state.region = region;
    await report();
    document.querySelectorAll("[data-period]").forEach((b) => b.addEventListener("click", () => load(b.dataset.period)));
    const asked = new URLSearchParams(window.location.search).get("period");
    await load(["today", "week", "month"].includes(asked) ? asked : "today");
  }
  document.addEventListener("trc:lang", () => {
    if (state.data) show(state.data);
    if (state.region) reportLink();  // lang= follows the page
  });
  start();
})();
