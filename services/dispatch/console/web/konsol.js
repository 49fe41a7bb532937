// What every supervisor-console page shares: the console's words, the nav bar, the region a page
// looks at, and times shown in that region's own zone (WIB / WITA / WIT) whatever the browser's.
(function () {
  "use strict";
  const TRC = window.TRC;
  TRC.words({
    id: {
      "nav.board": "Papan insiden", "nav.teams": "Tim & sif", "nav.shelter": "Shelter",
      "nav.figures": "Angka", region: "Wilayah", "region.pick": "Kode wilayah, mis. 21.71",
      loading: "Memuat…", "none": "—", "load.failed": "Gagal memuat: {why}",
      "state.received": "diterima", "state.queued": "antre", "state.assigned": "ditugaskan",
      "state.acknowledged": "diterima tim", "state.en_route": "menuju lokasi",
      "state.on_scene": "di lokasi", "state.secured": "diamankan", "state.not_found": "tidak ditemukan",
      "state.resolved_on_site": "selesai di tempat", "state.refused": "menolak",
      "state.referred": "dirujuk", "state.closed": "ditutup", "state.cancelled": "dibatalkan",
      "channel.call_center": "call center", "channel.social_media": "media sosial",
      "channel.patrol": "patroli", "channel.integration": "integrasi (112)",
      "outcome.returned_to_family": "kembali ke keluarga", "outcome.placed_in_institution": "ditempatkan di panti",
      "outcome.referred_to_hospital": "dirujuk ke rumah sakit",
      "outcome.returned_to_region_of_origin": "dipulangkan ke daerah asal",
      "outcome.independent": "mandiri", "outcome.left_without_notice": "pergi tanpa pamit",
      "outcome.died": "meninggal",
      "flag.violence": "kekerasan", "flag.child": "anak", "flag.medical": "darurat medis",
      "flag.disaster": "bencana",
      "breach.ack_overdue": "belum diterima lewat batas", "breach.no_arrival": "belum tiba di lokasi",
      "breach.no_team": "tidak ada tim menuju lokasi",
      "alternative.police": "polisi", "alternative.ambulance": "ambulans", "alternative.puskesmas": "puskesmas",
      "alternative.next_patrol": "patroli berikutnya", "alternative.other": "lainnya",
      "case.awaiting_admission": "menunggu masuk", "case.admitted": "sudah masuk", "case.assessed": "sudah diasesmen",
      "case.in_service": "dalam layanan", "case.outcome": "ada hasil", "case.closed": "ditutup",
    },
    en: {
      "nav.board": "Incident board", "nav.teams": "Teams & shifts", "nav.shelter": "Shelters",
      "nav.figures": "Figures", region: "Region", "region.pick": "Region code, e.g. 21.71",
      loading: "Loading…", "none": "—", "load.failed": "Could not load: {why}",
      "state.received": "received", "state.queued": "queued", "state.assigned": "assigned",
      "state.acknowledged": "accepted", "state.en_route": "en route", "state.on_scene": "on scene",
      "state.secured": "secured", "state.not_found": "not found",
      "state.resolved_on_site": "resolved on site", "state.refused": "refused",
      "state.referred": "referred", "state.closed": "closed", "state.cancelled": "cancelled",
      "channel.call_center": "call center", "channel.social_media": "social media",
      "channel.patrol": "patrol", "channel.integration": "integration (112)",
      "outcome.returned_to_family": "returned to family", "outcome.placed_in_institution": "placed in an institution",
      "outcome.referred_to_hospital": "referred to hospital",
      "outcome.returned_to_region_of_origin": "returned to region of origin",
      "outcome.independent": "independent", "outcome.left_without_notice": "left without notice",
      "outcome.died": "died",
      "flag.violence": "violence", "flag.child": "child", "flag.medical": "medical emergency",
      "flag.disaster": "disaster",
      "breach.ack_overdue": "not accepted in time", "breach.no_arrival": "not on scene in time",
      "breach.no_team": "no team on the way",
      "alternative.police": "police", "alternative.ambulance": "ambulance", "alternative.puskesmas": "puskesmas",
      "alternative.next_patrol": "next patrol", "alternative.other": "other",
      "case.awaiting_admission": "awaiting admission", "case.admitted": "admitted", "case.assessed": "assessed",
      "case.in_service": "in service", "case.outcome": "outcome recorded", "case.closed": "closed",
    },
  });

  // The categories of services/intake/data/categories.json, short enough for a board cell.
  const CATEGORIES = {
    anak_balita_terlantar: ["Anak balita terlantar", "Neglected child under five"],
    anak_terlantar: ["Anak terlantar", "Neglected child"],
    anak_berhadapan_hukum: ["Anak berhadapan hukum", "Child in conflict with the law"],
    anak_jalanan: ["Anak jalanan", "Street child"],
    anak_disabilitas: ["Anak disabilitas", "Child with disability"],
    anak_korban_kekerasan: ["Anak korban kekerasan", "Child victim of violence"],
    anak_perlindungan_khusus: ["Anak perlu perlindungan khusus", "Child needing special protection"],
    lanjut_usia_terlantar: ["Lansia terlantar", "Neglected elderly"],
    penyandang_disabilitas: ["Penyandang disabilitas", "Person with disability"],
    gelandangan: ["Gelandangan", "Homeless person"], pengemis: ["Pengemis", "Beggar"],
    pemulung: ["Pemulung", "Scavenger"], gepeng: ["Gepeng", "Homeless and beggars"],
    odgj_terlantar: ["ODGJ terlantar", "Neglected person with mental illness"],
    korban_bencana_alam: ["Korban bencana alam", "Natural disaster victim"],
    korban_bencana_sosial: ["Korban bencana sosial", "Social disaster victim"],
    korban_kebakaran: ["Korban kebakaran", "Fire victim"],
    korban_tindak_kekerasan: ["Korban kekerasan", "Victim of violence"],
    korban_trafficking: ["Korban trafficking", "Trafficking victim"],
    korban_napza: ["Korban NAPZA", "Victim of drug abuse"],
  };
  const ZONES = { WIB: "Asia/Jakarta", WITA: "Asia/Makassar", WIT: "Asia/Jayapura" };
  const WITA = ["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"];
  const WIT = ["81", "82", "91", "92", "93", "94", "95", "96"];
  const formats = new Map();

  const KONSOL = {
    /** WIB / WITA / WIT of a Kemendagri region code (as shared/regions.py decides it). */
    zoneOf(regionCode) {
      const province = String(regionCode || "").slice(0, 2);
      return WITA.includes(province) ? "WITA" : WIT.includes(province) ? "WIT" : "WIB";
    },

    /** "22 Nov 14.05 WIB": a UTC ISO time in the region's zone, with the zone's label. */
    time(iso, zone, options) {
      if (!iso) return TRC.t("none");
      const label = ZONES[zone] ? zone : "WIB";
      const withDate = !options || options.date !== false;
      const key = `${TRC.lang}|${label}|${withDate}|${options && options.seconds ? 1 : 0}`;
      if (!formats.has(key)) {
        formats.set(key, new Intl.DateTimeFormat(TRC.lang === "en" ? "en-GB" : "id-ID", {
          timeZone: ZONES[label], hour: "2-digit", minute: "2-digit", hourCycle: "h23",
          ...(withDate ? { day: "numeric", month: "short" } : {}),
          ...(options && options.seconds ? { second: "2-digit" } : {}),
        }));
      }
      return `${formats.get(key).format(new Date(iso))} ${label}`;
    },

    /** Elapsed time for a ticking cell: "4:07", "1 j 05 m", "3 h 2 j". */
    since(iso, now) {
      if (!iso) return "";
      const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
      return KONSOL.duration(seconds);
    },

    duration(seconds) {
      const s = Math.round(seconds);
      const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
      const [dl, hl] = TRC.lang === "en" ? ["d", "h"] : ["h", "j"];
      if (d) return `${d} ${dl} ${h} ${hl}`;
      if (h) return `${h} ${hl} ${String(m).padStart(2, "0")} m`;
      return `${m}:${String(s % 60).padStart(2, "0")}`;
    },

    /** A time the server may send as UTC ISO or already written out in local time. */
    when(value, zone) {
      return typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value) ? KONSOL.time(value, zone) : String(value ?? TRC.t("none"));
    },

    category(code) {
      const known = CATEGORIES[code];
      return known ? known[TRC.lang === "en" ? 1 : 0] : String(code || "").replaceAll("_", " ");
    },

    /** A word of a vocabulary ("state", "outcome", …), or the code itself when unknown. */
    word(group, code) {
      if (code === null || code === undefined || code === "") return TRC.t("none");
      const key = `${group}.${code}`;
      const text = TRC.t(key);
      return text === key ? String(code).replaceAll("_", " ") : text;
    },

    /** The region this page looks at: ?region=, else the staff's first regency or city. */
    region(me) {
      const asked = new URLSearchParams(window.location.search).get("region");
      if (asked && /^\d\d(\.\d\d)?$/.test(asked)) return asked;
      const regions = (me && me.regions) || [];
      return regions.find((r) => r.includes(".")) || regions[0] || "21.71";
    },

    /** Provincial staff (or several regions) may look at another region: a picker in the nav. */
    regionPicker(me, current) {
      const box = document.getElementById("region-box");
      if (!box) return;
      const many = me && (me.regions.length > 1 || me.regions.some((r) => !r.includes(".")) || me.roles.includes("admin"));
      box.hidden = !many;
      const input = document.getElementById("region");
      input.value = current;
      input.addEventListener("change", () => {
        const url = new URL(window.location.href);
        url.searchParams.set("region", input.value.trim());
        window.location.assign(url.href);
      });
    },

    isSupervisor(me) { return Boolean(me && me.roles.includes("supervisor")); },

    /** Mark this page in the nav, carry the region along, and hide what the role cannot open. */
    nav(me, region) {
      const reader = me && me.roles.some((r) => r === "supervisor" || r === "provincial_supervisor" || r === "admin");
      document.querySelectorAll("nav.konsol a").forEach((link) => {
        const url = new URL(link.href);
        url.searchParams.set("region", region);
        link.href = url.pathname + url.search;
        if (url.pathname === window.location.pathname) link.setAttribute("aria-current", "page");
        if (link.dataset.readers && !reader) link.hidden = true;
      });
    },

    /** Session bar, nav and region, in one call at the start of each page. */
    async start() {
      const me = await TRC.session();
      const region = KONSOL.region(me);
      KONSOL.nav(me, region);
      KONSOL.regionPicker(me, region);
      return { me, region };
    },

    /** A <dl>-like list of key → value pairs for small tables of figures. */
    pairs(entries) {
      return TRC.el("dl", { class: "pairs" },
        entries.flatMap(([key, value]) => [TRC.el("dt", {}, key), TRC.el("dd", {}, String(value))]));
    },
  };
  window.KONSOL = KONSOL;
})();
