// Shelters: occupancy of every section, cases by state, and the people who have stayed long.
(function () {
  "use strict";
  const TRC = window.TRC;
  const KONSOL = window.KONSOL;
  TRC.words({
    id: {
      cases: "Kasus menurut status", long: "Tinggal lama", "col.incident": "Insiden", "col.category": "Kategori",
      "col.shelter": "Shelter", "col.days": "Hari", occupied: "{occupied} dari {capacity} terisi",
      "no.shelter": "Belum ada shelter terdaftar.", "no.long": "Tidak ada.", "no.cases": "Belum ada kasus terbuka.",
      "kind.upt": "UPT", "kind.uptd": "UPTD", "kind.rumah_singgah": "Rumah singgah", "kind.panti": "Panti",
      "kind.temporary": "Penampungan sementara",
    },
    en: {
      cases: "Cases by state", long: "Long stays", "col.incident": "Incident", "col.category": "Category",
      "col.shelter": "Shelter", "col.days": "Days", occupied: "{occupied} of {capacity} taken",
      "no.shelter": "No shelter registered yet.", "no.long": "None.", "no.cases": "No open cases yet.",
      "kind.upt": "UPT (technical unit)", "kind.uptd": "UPTD (regional technical unit)",
      "kind.rumah_singgah": "Transit house (rumah singgah)", "kind.panti": "Care home (panti)",
      "kind.temporary": "Temporary shelter",
    },
  });
  const $ = (id) => document.getElementById(id);
  let shown = null;

  function shelter(s) {
    return TRC.el("section", { class: "panel" },
      TRC.el("h2", {}, s.name, s.kind ? TRC.el("span", { class: "hint" }, ` · ${KONSOL.word("kind", s.kind)}`) : null),
      TRC.el("table", { class: "plain" }, TRC.el("tbody", {}, (s.sections || []).map((section) => {
        const full = section.capacity > 0 && section.occupied >= section.capacity;
        return TRC.el("tr", {},
          TRC.el("th", { scope: "row" }, section.section),
          TRC.el("td", {}, TRC.el("meter", { min: 0, max: Math.max(section.capacity, 1), value: section.occupied,
            high: Math.max(section.capacity, 1) * 0.85, optimum: 0, "aria-label": section.section })),
          TRC.el("td", { class: full ? "error" : null }, TRC.t("occupied", section)));
      }))));
  }

  function show(data) {
    shown = data;
    const shelters = data.shelters || [];
    $("shelters").replaceChildren(...(shelters.length ? shelters.map(shelter) : [TRC.el("p", { class: "hint" }, TRC.t("no.shelter"))]));
    const byState = data.cases_by_state || {};
    const pairs = Array.isArray(byState) ? byState.map((c) => [c.state, c.count]) : Object.entries(byState);
    $("cases").replaceChildren(pairs.length ? KONSOL.pairs(pairs.map(([k, v]) => [KONSOL.word("case", k), v]))
      : TRC.el("p", { class: "hint" }, TRC.t("no.cases")));
    const long = data.long_stays || [];
    $("long").replaceChildren(...(long.length ? long.map((c) => TRC.el("tr", {},
      TRC.el("td", {}, c.incident_number || c.case_id), TRC.el("td", {}, KONSOL.category(c.category)),
      TRC.el("td", {}, c.shelter_name || ""), TRC.el("td", {}, String(c.days))))
      : [TRC.el("tr", {}, TRC.el("td", { colspan: 4, class: "hint" }, TRC.t("no.long")))]));
  }

  async function start() {
    const { region } = await KONSOL.start();
    const answer = await TRC.api(`/api/v1/console/shelters?region=${encodeURIComponent(region)}`);
    if (!answer.ok) { $("message").textContent = TRC.t("load.failed", { why: answer.data.detail || answer.status }); return; }
    show(answer.data);
  }
  document.addEventListener("trc:lang", () => { if (shown) show(shown); });
  start();
})();
