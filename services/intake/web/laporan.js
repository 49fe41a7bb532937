// The call-center page: log a phone report fast, with the keyboard alone, and see open reports of
// the same category nearby before saving so the call can join an existing incident instead.
(function () {
  "use strict";
  const TRC = window.TRC;
  const PILIHAN = window.PILIHAN;
  TRC.words({
    id: {
      title: "Laporan telepon", "nav.triage": "Antrean triase", "legend.call": "Panggilan", region: "Wilayah", channel: "Saluran",
      "channel.call_center": "Telepon call center", "channel.integration": "Serah terima 112",
      reporter_name: "Nama pelapor", reporter_phone: "Telepon pelapor",
      anonymous: "Boleh dikosongkan: banyak penelepon tidak mau disebut namanya.",
      "legend.what": "Apa yang dilaporkan", category: "Kategori", description: "Uraian",
      "category.guess": "— biarkan sistem menebak dari uraian —",
      people_count: "Jumlah orang", flags: "Tanda bahaya", "flag.violence": "Kekerasan",
      "flag.child": "Anak", "flag.medical": "Darurat medis", "flag.disaster": "Bencana",
      "legend.where": "Lokasi", kecamatan: "Kecamatan", kelurahan: "Kelurahan", desa: "Desa",
      "place.any": "— pilih —", address: "Alamat / patokan", latitude: "Lintang (opsional)",
      longitude: "Bujur (opsional)", sample: "Data wilayah contoh: periksa dengan daftar dinas.",
      "nearby.title": "Laporan terbuka di dekat lokasi",
      "nearby.pick": "Pilih kategori dan lokasi untuk melihat laporan serupa.",
      "nearby.none": "Tidak ada laporan terbuka serupa di dekat lokasi ini.",
      "nearby.some": "{n} laporan terbuka serupa di dekat lokasi ini.",
      "nearby.attach": "Gabungkan ke laporan ini", "nearby.people": "{n} orang",
      "nearby.ago": "{m} menit lalu",
      "attach.chosen": "Panggilan ini akan digabungkan ke laporan {id}.", "attach.cancel": "Batalkan",
      "confirm.new": "Ada laporan serupa di dekat lokasi ini. Gabungkan ke salah satunya, atau tekan Simpan lagi untuk membuat laporan baru.",
      save: "Simpan laporan", new: "Laporan baru", "keys.save": "simpan",
      "keys.nearby": "ke daftar laporan di dekat lokasi", "keys.new": "laporan baru",
      "saved.title": "Laporan tersimpan", "saved.number": "Nomor laporan",
      "status.open": "diteruskan ke tim dispatch", "status.needs_triage": "masuk antrean triase",
      "status.linked": "digabungkan ke laporan {id}",
      "status.again": "Laporan ini sudah tersimpan sebelumnya.",
      "saved.hints": "Laporan ini tidak digabungkan ke laporan lain. Periksa juga:",
      "error.description": "Uraian wajib diisi.", "error.coordinates": "Isi lintang dan bujur sebagai angka, atau kosongkan keduanya.",
      "error.fix": "Periksa isian yang ditandai.",
      "saving.now": "Menyimpan…",
      saving: "Menyimpan… intake belum menjawab, mencoba lagi (percobaan {n}). Isian tetap di sini; jangan tutup halaman.",
      "saving.gave_up": "Belum tersimpan: intake tidak menjawab selama {s} detik. Isian Anda tetap di sini — tekan Simpan untuk mencoba lagi; laporan tidak akan tercatat dua kali.",
    },
    en: {
      title: "Phone report", "nav.triage": "Triage queue", "legend.call": "Call", region: "Region", channel: "Channel",
      "channel.call_center": "Call-center phone", "channel.integration": "112 hand-off",
      reporter_name: "Caller's name", reporter_phone: "Caller's phone",
      anonymous: "May stay empty: many callers do not want to be named.",
      "legend.what": "What is reported", category: "Category", description: "Description",
      "category.guess": "— let the system guess from the description —",
      people_count: "Number of people", flags: "Danger flags", "flag.violence": "Violence",
      "flag.child": "Child", "flag.medical": "Medical emergency", "flag.disaster": "Disaster",
      "legend.where": "Place", kecamatan: "Kecamatan (district)", kelurahan: "Kelurahan (village)",
      desa: "Desa (village)",
      "place.any": "— choose —", address: "Address / landmark", latitude: "Latitude (optional)",
      longitude: "Longitude (optional)", sample: "Sample place data: check it against the department's list.",
      "nearby.title": "Open reports near the place",
      "nearby.pick": "Choose a category and a place to see similar reports.",
      "nearby.none": "No similar open report near this place.",
      "nearby.some": "{n} similar open report(s) near this place.",
      "nearby.attach": "Attach to this report", "nearby.people": "{n} people",
      "nearby.ago": "{m} min ago",
      "attach.chosen": "This call will be attached to report {id}.", "attach.cancel": "Cancel",
      "confirm.new": "There are similar reports near this place. Attach to one of them, or press Save again to create a new report.",
      save: "Save report", new: "New report", "keys.save": "save",
      "keys.nearby": "to the reports near the place", "keys.new": "new report",
      "saved.title": "Report saved", "saved.number": "Report number",
      "status.open": "passed to dispatch", "status.needs_triage": "put in the triage queue",
      "status.linked": "attached to report {id}",
      "status.again": "This report was saved before.",
      "saved.hints": "This report was not joined to another. Also check:",
      "error.description": "The description is required.", "error.coordinates": "Give latitude and longitude as numbers, or leave both empty.",
      "error.fix": "Check the marked fields.",
      "saving.now": "Saving…",
      saving: "Saving… intake is not answering, trying again (attempt {n}). What you typed stays here; do not close the page.",
      "saving.gave_up": "Not saved yet: intake has not answered for {s} seconds. What you typed stays here — press Save to try again; the report will not be recorded twice.",
    },
  });

  const $ = (id) => document.getElementById(id);
  const form = $("report");
  // Intake briefly down (a restart, a network blip): the same request is sent again with the
  // same Idempotency-Key, so it is saved once however many tries reach the server.
  const RETRY_FOR_MS = 45000;
  const ANSWER_WITHIN_MS = 8000;
  const state = {
    regions: [], places: null, categories: [], nearby: [], attachTo: null,
    confirmedNew: false, key: TRC.newKey(), timer: null, asked: 0, saving: false,
  };

  // ------------------------------------------------------------------ pickers
  // The pickers are the triage queue's too (pilihan.js).
  const option = PILIHAN.option;

  function fillCategories() {
    PILIHAN.fillCategories(form.category, state.categories, "category.guess");
  }

  function fillKecamatan() {
    PILIHAN.fillKecamatan(form.kecamatan, state.places);
    fillKelurahan();
  }

  // Kelurahan grouped by kecamatan; picking one also sets its kecamatan.
  function fillKelurahan() {
    PILIHAN.fillKelurahan(form.kelurahan, state.places, form.kecamatan.value);
  }

  async function loadRegion(code) {
    state.places = await PILIHAN.places(code);
    $("sample-note").hidden = !(state.places && state.places.sample);
    // a kabupaten says desa where a kota says kelurahan
    PILIHAN.villageWord(document.querySelector('label[for="kelurahan"]'), state.places);
    fillKecamatan();
  }

  // ------------------------------------------------------------------ nearby reports
  function coordinates() {
    const lat = form.latitude.value.trim().replace(",", ".");
    const lon = form.longitude.value.trim().replace(",", ".");
    if (!lat && !lon) return { ok: true, value: null };
    const value = { latitude: Number(lat), longitude: Number(lon) };
    const ok = lat !== "" && lon !== "" && Number.isFinite(value.latitude) && Number.isFinite(value.longitude);
    return { ok, value: ok ? value : null };
  }

  function place() {
    const [kecamatanOfKelurahan, kelurahan] = (form.kelurahan.value || "|").split("|");
    return { kecamatan: form.kecamatan.value || kecamatanOfKelurahan || null, kelurahan: kelurahan || null };
  }

  function scheduleNearby() {
    clearTimeout(state.timer);
    state.timer = setTimeout(loadNearby, 250);
  }

  async function loadNearby() {
    const where = place();
    const coords = coordinates().value;
    const category = form.category.value;
    if (!category || !(where.kecamatan || coords)) {
      showNearby([], "nearby.pick");
      return;
    }
    const query = new URLSearchParams({ region_code: form.region.value, category, lang: TRC.lang });
    if (where.kecamatan) query.set("kecamatan", where.kecamatan);
    if (where.kelurahan) query.set("kelurahan", where.kelurahan);
    if (coords) { query.set("latitude", coords.latitude); query.set("longitude", coords.longitude); }
    const asked = ++state.asked;
    const answer = await TRC.api(`/api/v1/reports/nearby?${query}`);
    if (asked !== state.asked) return; // a newer question is on its way
    showNearby(answer.ok ? answer.data : [], answer.ok ? null : "error.server");
  }

  function showNearby(reports, message) {
    state.nearby = reports;
    if (state.attachTo && !reports.some((r) => r.report_id === state.attachTo)) state.attachTo = null;
    const status = $("nearby-status");
    status.textContent = message ? TRC.t(message)
      : reports.length ? TRC.t("nearby.some", { n: reports.length }) : TRC.t("nearby.none");
    $("nearby").replaceChildren(...reports.map(nearbyItem));
    showAttachment();
  }

  function nearbyItem(report) {
    const where = [report.kelurahan, report.kecamatan, report.address].filter(Boolean).join(", ");
    return TRC.el("li", { class: report.report_id === state.attachTo ? "chosen" : null },
      TRC.el("div", {},
        TRC.el("span", { class: `badge ${report.priority}` }, report.priority), " ",
        TRC.el("strong", {}, categoryName(report.category)), " · ", where),
      TRC.el("div", { class: "hint" },
        `${TRC.t("nearby.ago", { m: report.minutes_ago })} (${report.received_local}) · ${TRC.said(report.why_near)} · `,
        TRC.t("nearby.people", { n: report.people_count })),
      TRC.el("div", {}, report.summary),
      TRC.el("button", {
        type: "button", class: "attach", dataset: { report: report.report_id },
        onclick: () => attach(report.report_id),
      }, TRC.t("nearby.attach")));
  }

  function categoryName(code) {
    return PILIHAN.categoryName(state.categories, code);
  }

  function attach(reportId) {
    state.attachTo = reportId;
    showNearby(state.nearby, null);
    $("save").focus();
  }

  function showAttachment() {
    const note = $("attach-note");
    if (!state.attachTo) { note.hidden = true; note.replaceChildren(); return; }
    note.hidden = false;
    note.replaceChildren(TRC.t("attach.chosen", { id: state.attachTo }), " ",
      TRC.el("button", { type: "button", onclick: () => { state.attachTo = null; showNearby(state.nearby, null); } },
        TRC.t("attach.cancel")));
  }

  // ------------------------------------------------------------------ saving
  function clearErrors() {
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    $("form-message").textContent = "";
  }

  function markInvalid(name, text) {
    const field = form.elements.namedItem(name);
    if (field && field.setAttribute) field.setAttribute("aria-invalid", "true");
    $("form-message").textContent = text;
    if (field && field.focus) field.focus();
  }

  function body() {
    const where = place();
    const coords = coordinates().value || {};
    const flags = Array.from(form.querySelectorAll("input[name=danger]:checked"), (box) => box.value);
    const kecamatan = state.places && state.places.kecamatan.find((k) => k.name === where.kecamatan);
    return {
      region_code: form.region.value,
      channel: form.channel.value,
      reporter_name: form.reporter_name.value.trim() || null,
      reporter_phone: form.reporter_phone.value.trim() || null,
      category: form.category.value || null,
      description: form.description.value.trim(),
      people_count: Number(form.people_count.value) || 1,
      danger_flags: flags,
      location: {
        address: form.address.value.trim() || null,
        kecamatan: where.kecamatan, kelurahan: where.kelurahan,
        zone_code: kecamatan ? kecamatan.code : null, ...coords,
      },
      attach_to: state.attachTo,
    };
  }

  async function save() {
    clearErrors();
    if (!form.description.value.trim()) return markInvalid("description", TRC.t("error.description"));
    if (!coordinates().ok) return markInvalid("latitude", TRC.t("error.coordinates"));
    if (state.nearby.length && !state.attachTo && !state.confirmedNew) {
      state.confirmedNew = true;
      $("form-message").textContent = TRC.t("confirm.new");
      form.querySelector("button.attach")?.focus();
      return;
    }
    if (state.saving) return;
    setSaving(true);
    $("form-message").textContent = TRC.t("saving.now");
    const answer = await postReport(body(), state.key);
    setSaving(false);
    if (answer.gaveUp) {
      $("form-message").textContent = TRC.t("saving.gave_up", { s: Math.round(RETRY_FOR_MS / 1000) });
      return $("save").focus();
    }
    if (!answer.ok) return showErrors(answer.data.detail);
    showSaved(answer.data, answer.retried);
    reset();
  }

  // Sent again while there is no answer, a 5xx or a 429, with a growing pause (0.5 s … 5 s);
  // any other answer (saved, or a 4xx naming a field) ends it.
  async function postReport(payload, key) {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const answer = await TRC.api("/api/v1/reports", {
        method: "POST", body: payload, headers: { "Idempotency-Key": key }, timeoutMs: ANSWER_WITHIN_MS,
      });
      const retry = answer.status === 0 || answer.status === 429 || answer.status >= 500;
      if (!retry) return { ...answer, retried: attempt > 1 };
      if (Date.now() - started >= RETRY_FOR_MS) return { ...answer, gaveUp: true };
      $("form-message").textContent = TRC.t("saving", { n: attempt + 1 });
      await new Promise((done) => setTimeout(done, Math.min(500 * 2 ** (attempt - 1), 5000)));
    }
  }

  // While saving, the fields keep what was typed but cannot change (the retried request is the
  // one first sent), and leaving the page asks first.
  function setSaving(on) {
    state.saving = on;
    $("save").disabled = on;
    form.querySelectorAll("fieldset").forEach((set) => { set.disabled = on; });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }
  window.addEventListener("beforeunload", (event) => { if (state.saving) event.preventDefault(); });

  function showErrors(detail) {
    if (!Array.isArray(detail)) return markInvalid("", String(detail || TRC.t("error.server")));
    const fields = { reporter_phone: 1, reporter_name: 1, description: 1, category: 1, people_count: 1,
      address: 1, latitude: 1, longitude: 1, kecamatan: 1, kelurahan: 1 };
    const messages = detail.map((item) => `${(item.loc || []).slice(1).join(".")}: ${item.msg}`);
    const first = detail.map((item) => (item.loc || []).at(-1)).find((name) => name in fields);
    markInvalid(first || "", `${TRC.t("error.fix")} ${messages.join("; ")}`);
  }

  // After a retry, "saved before" is only our own earlier try that got through: not said.
  function showSaved(saved, retried) {
    const status = saved.status === "linked"
      ? TRC.t("status.linked", { id: saved.duplicate_of }) : TRC.t(`status.${saved.status}`);
    const result = $("result");
    result.hidden = false;
    const hints = saved.link_hints || [];
    result.replaceChildren(...[
      TRC.el("h2", {}, TRC.t("saved.title")),
      TRC.el("p", {}, `${TRC.t("saved.number")}: `, TRC.el("strong", { id: "saved-id" }, saved.report_id)),
      TRC.el("p", {}, TRC.el("span", { class: `badge ${saved.priority}` }, saved.priority), " ",
        categoryName(saved.category), " — ", status),
      saved.created || retried ? null : TRC.el("p", {}, TRC.t("status.again")),
      TRC.el("ul", {}, saved.priority_reasons.map((reason) => TRC.el("li", {}, TRC.said(reason)))),
      // A link proposed but not made (same caller, similar report nearby): the operator reads both.
      hints.length ? TRC.el("div", { id: "saved-hints", role: "note" },
        TRC.el("p", {}, TRC.t("saved.hints")),
        TRC.el("ul", {}, hints.map((hint) => TRC.el("li", {}, TRC.said(hint))))) : null,
    ].filter(Boolean));
  }

  function reset() {
    const keep = { region: form.region.value, channel: form.channel.value };
    form.reset();
    form.region.value = keep.region;
    form.channel.value = keep.channel;
    Object.assign(state, { attachTo: null, confirmedNew: false, key: TRC.newKey() });
    fillKelurahan();
    showNearby([], "nearby.pick");
    clearErrors();
    firstField().focus();
  }

  function firstField() {
    return $("region-box").hidden ? form.channel : form.region;
  }

  // ------------------------------------------------------------------ keyboard and start
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(); }
    else if (event.key === "F2") { event.preventDefault(); (form.querySelector("button.attach") || $("nearby-status")).focus(); }
    else if (event.key === "F8") { event.preventDefault(); $("result").hidden = true; reset(); }
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
  $("new").addEventListener("click", () => { $("result").hidden = true; reset(); });
  form.kecamatan.addEventListener("change", () => { fillKelurahan(); scheduleNearby(); });
  form.kelurahan.addEventListener("change", () => {
    const [kecamatan] = form.kelurahan.value.split("|");
    if (kecamatan && form.kecamatan.value !== kecamatan) { form.kecamatan.value = kecamatan; fillKelurahan(); }
    scheduleNearby();
  });
  for (const name of ["category", "latitude", "longitude"]) {
    form.elements.namedItem(name).addEventListener("input", scheduleNearby);
  }
  form.region.addEventListener("change", async () => { await loadRegion(form.region.value); scheduleNearby(); });
  document.addEventListener("trc:lang", () => { fillCategories(); if (state.nearby.length) loadNearby(); });
  $("nearby-status").tabIndex = -1;

  async function start() {
    await TRC.session();
    const [regions, categories] = await Promise.all([
      TRC.api("/api/v1/reference/regions"), TRC.api("/api/v1/reference/categories"),
    ]);
    state.regions = regions.ok ? regions.data : [];
    state.categories = categories.ok ? categories.data : [];
    form.region.replaceChildren(...state.regions.map((r) => option(r.region_code, `${r.name} (${r.zone_label})`)));
    $("region-box").hidden = state.regions.length <= 1;
    fillCategories();
    if (state.regions.length) await loadRegion(state.regions[0].region_code);
    TRC.apply();
    firstField().focus();
  }
  start();
})();
