// The triage queue: reports intake could not send to a team as they stand (no category, no
// place, maybe not a report), P1 first, then oldest first. An operator claims one (10 minutes, others see who
// holds it), then sends it to dispatch with a category and a place, or dismisses it with a
// reason; each decision also teaches the classifier. The list is asked again every few seconds.
(function () {
  "use strict";
  const TRC = window.TRC;
  const PILIHAN = window.PILIHAN;
  TRC.words({
    id: {
      title: "Antrean triase", "nav.form": "Laporan telepon",
      "queue.title": "Laporan menunggu operator", "queue.loading": "Memuat…",
      "queue.count": "{n} laporan menunggu · diperbarui {t}",
      "queue.empty": "Tidak ada laporan yang menunggu · diperbarui {t}",
      "reason.not_report": "Bukan laporan", "why.not_report": "Kemungkinan bukan laporan (iklan, berita, donasi …): abaikan dengan alasan, atau lengkapi bila ternyata laporan.",
      "reason.unsure": "Keyakinan rendah", "why.unsure": "Tidak ada kata kunci dan model kurang yakin: baca, tentukan kategori.",
      "reason.no_category": "Kategori tidak ditemukan", "why.no_category": "Kategori PPKS tidak jelas: tentukan kategori.",
      "reason.elsewhere": "Di luar wilayah", "why.elsewhere": "Teks menyebut kabupaten/kota atau provinsi lain: abaikan, atau teruskan ke dinas yang bersangkutan.",
      "reason.no_place": "Lokasi tidak jelas", "why.no_place": "Tidak ada kecamatan, kelurahan/desa, patokan atau alamat: tentukan tempat (hubungi pelapor bila bisa).",
      "reason.ambiguous": "Lokasi ambigu", "why.ambiguous": "Nama kelurahan/desa ini ada di beberapa kecamatan: pilih yang benar.",
      "channel.social_media": "Media sosial", "channel.call_center": "Telepon call center",
      "channel.integration": "Serah terima 112", "channel.patrol": "Patroli",
      received: "diterima {t}", suggestion: "Saran sistem", "suggestion.guess": "tebakan",
      "suggestion.none": "tidak ada kategori", candidates: "Calon lokasi", flags: "Tanda bahaya",
      "flag.violence": "Kekerasan", "flag.child": "Anak", "flag.medical": "Darurat medis", "flag.disaster": "Bencana",
      "holder.free": "Belum diklaim", "holder.mine": "Diklaim Anda · {m} menit lagi",
      "holder.other": "Dipegang oleh {who} · {m} menit lagi",
      claim: "Klaim", renew: "Perpanjang klaim", open: "Buka", release: "Lepas",
      "work.title": "Keputusan", "work.none": "Klaim laporan di antrean untuk memutuskannya: kirim ke tim, atau abaikan dengan alasan.",
      "legend.send": "Kirim ke tim", category: "Kategori", "category.any": "— pilih kategori —",
      address: "Alamat / patokan (opsional)", send: "Kirim ke tim", "legend.dismiss": "Abaikan",
      reason: "Alasan", "reason.hint": "\"di luar wilayah\" mengajari sistem bahwa teks itu laporan untuk dinas lain.",
      dismiss: "Abaikan", "candidate.use": "Pakai {place}",
      "done.open": "Laporan {id} dikirim ke tim dispatch ({p}).",
      "done.linked": "Laporan {id} digabungkan ke laporan {other} yang sudah ditangani.",
      "done.dismissed": "Laporan {id} diabaikan: {reason}.", "done.released": "Laporan {id} dilepas, kembali ke antrean.",
      "error.held": "Laporan ini sedang dipegang oleh {who}. Tunggu sampai dilepas atau klaimnya habis (10 menit).",
      "error.unclaimed": "Klaim laporan ini dulu (klaim Anda mungkin sudah habis).",
      "error.gone": "Laporan ini sudah tidak ada di antrean: sudah diputuskan operator lain.",
      "error.invalid": "Periksa isian: {what}", "error.category": "Pilih kategori.",
      "error.place": "Pilih kecamatan atau kelurahan/desa, atau tulis alamat/patokan.",
      "error.reason": "Tulis alasannya (minimal 3 huruf).", "error.denied": "Tidak diizinkan: {what}",
      "field.category": "kategori", "field.location": "lokasi", "field.reason": "alasan",
    },
    en: {
      title: "Triage queue", "nav.form": "Phone report",
      "queue.title": "Reports waiting for an operator", "queue.loading": "Loading…",
      "queue.count": "{n} report(s) waiting · updated {t}",
      "queue.empty": "No report is waiting · updated {t}",
      "reason.not_report": "Not a report", "why.not_report": "Probably not a report (an advert, news, a donation call …): dismiss it with a reason, or complete it if it is one.",
      "reason.unsure": "Low confidence", "why.unsure": "No keyword and the model is unsure: read it, choose the category.",
      "reason.no_category": "No category found", "why.no_category": "The PPKS category is unclear: choose it.",
      "reason.elsewhere": "Not in the region", "why.elsewhere": "The text names another kabupaten/kota or province: dismiss it, or pass it to that department.",
      "reason.no_place": "Unclear place", "why.no_place": "No kecamatan, kelurahan/desa, landmark or address: give the place (call the reporter if you can).",
      "reason.ambiguous": "Ambiguous place", "why.ambiguous": "This kelurahan/desa name is in several kecamatan: choose the right one.",
      "channel.social_media": "Social media", "channel.call_center": "Call-center phone",
      "channel.integration": "112 hand-off", "channel.patrol": "Patrol",
      received: "received {t}", suggestion: "System's suggestion", "suggestion.guess": "a guess",
      "suggestion.none": "no category", candidates: "Possible places", flags: "Danger flags",
      "flag.violence": "Violence", "flag.child": "Child", "flag.medical": "Medical emergency", "flag.disaster": "Disaster",
      "holder.free": "Not claimed", "holder.mine": "Claimed by you · {m} min left",
      "holder.other": "Held by {who} · {m} min left",
      claim: "Claim", renew: "Extend claim", open: "Open", release: "Release",
      "work.title": "Decision", "work.none": "Claim a report in the queue to decide it: send it to a team, or dismiss it with a reason.",
      "legend.send": "Send to a team", category: "Category", "category.any": "— choose a category —",
      address: "Address / landmark (optional)", send: "Send to a team", "legend.dismiss": "Dismiss",
      reason: "Reason", "reason.hint": "\"di luar wilayah\" (not in the region) teaches the system the text is a report for another department.",
      dismiss: "Dismiss", "candidate.use": "Use {place}",
      "done.open": "Report {id} sent to dispatch ({p}).",
      "done.linked": "Report {id} joined report {other}, already being handled.",
      "done.dismissed": "Report {id} dismissed: {reason}.", "done.released": "Report {id} released to the queue.",
      "error.held": "{who} holds this report. Wait until it is released or the claim runs out (10 minutes).",
      "error.unclaimed": "Claim this report first (your claim may have run out).",
      "error.gone": "This report is no longer in the queue: another operator decided it.",
      "error.invalid": "Check: {what}", "error.category": "Choose a category.",
      "error.place": "Choose a kecamatan or a kelurahan/desa, or write an address/landmark.",
      "error.reason": "Write the reason (3 letters at least).", "error.denied": "Not allowed: {what}",
      "field.category": "category", "field.location": "place", "field.reason": "reason",
    },
  });

  const REFRESH_MS = 5000;
  const ANSWER_WITHIN_MS = 8000;
  // The stored reason is "lokasi ambigu / ambiguous place": its Indonesian half names it.
  const REASONS = {
    "bukan laporan": "not_report", "keyakinan rendah": "unsure", "kategori tidak ditemukan": "no_category",
    "di luar wilayah": "elsewhere", "lokasi tidak jelas": "no_place", "lokasi ambigu": "ambiguous",
  };
  const $ = (id) => document.getElementById(id);
  const said = (text) => (TRC.said ? TRC.said(text) : text); // "bahasa / english": the page's half
  const form = $("decision");
  const state = {
    me: null, items: [], categories: [], places: new Map(), working: null, region: null, errors: new Map(),
    asking: false, busy: false,
  };

  // ------------------------------------------------------------------ what an item says
  function reasonOf(stored) {
    const key = REASONS[(stored || "").split(" / ")[0].trim().toLowerCase()];
    return key ? { label: TRC.t(`reason.${key}`), why: TRC.t(`why.${key}`) } : { label: said(stored || ""), why: "" };
  }

  // What weighed, as stored ("model: pengemis (71%: minta, <ngem)"): the model also weighs parts
  // of words ("<ngem"); the line keeps only the text's own words, as the form's suggestion does.
  function explained(line, text) {
    const cut = line.lastIndexOf(": ");
    if (cut < 0 || line.startsWith("kata kunci")) return line;
    const close = line.endsWith(")") ? ")" : "";
    const plain = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
    const words = line.slice(cut + 2, line.length - close.length).split(", ").filter((w) => plain.includes(` ${w} `));
    return line.slice(0, cut) + (words.length ? `: ${words.join(", ")}` : "") + close;
  }

  function villageAbbr(item) {
    const places = state.places.get(item.region_code);
    return places && places.village_word === "desa" ? "Ds." : "Kel.";
  }

  function placeText(item, kecamatan, kelurahan, address) {
    return [kelurahan && `${villageAbbr(item)} ${kelurahan}`, kecamatan && `Kec. ${kecamatan}`, address]
      .filter(Boolean).join(", ");
  }

  function holder(item) {
    const left = item.claim_expires_at ? Date.parse(item.claim_expires_at) - Date.now() : 0;
    if (!item.claimed_by || left <= 0) return null;
    return { who: item.claimed_by, minutes: Math.ceil(left / 60000), mine: item.claimed_by === state.me };
  }

  function itemNode(item) {
    const held = holder(item);
    const reason = reasonOf(item.triage_reason);
    const category = item.category
      ? PILIHAN.categoryName(state.categories, item.category) + (item.category_guessed ? ` (${TRC.t("suggestion.guess")})` : "")
      : TRC.t("suggestion.none");
    const where = placeText(item, item.kecamatan, item.kelurahan, item.address);
    const flags = item.danger_flags.map((f) => TRC.t(`flag.${f}`));
    const error = state.errors.get(item.report_id);
    return TRC.el("li", { class: held && held.mine ? "mine" : null, dataset: { report: item.report_id } },
      TRC.el("div", {},
        TRC.el("span", { class: `badge ${item.priority}` }, item.priority), " ",
        TRC.el("span", { class: "reason" }, reason.label), " · ",
        TRC.t(`channel.${item.channel}`), " · ", TRC.t("received", { t: item.received_local })),
      reason.why ? TRC.el("div", { class: "reason-why" }, reason.why) : null,
      TRC.el("blockquote", { class: "post" }, item.description),
      TRC.el("div", { class: "suggested" }, TRC.el("strong", {}, `${TRC.t("suggestion")}: `),
        [category, where].filter(Boolean).join(" · ")),
      item.candidates.length ? TRC.el("div", { class: "candidate-list" }, `${TRC.t("candidates")}: `,
        item.candidates.map((c) => placeText(item, c.kecamatan, c.kelurahan)).join("; ")) : null,
      flags.length ? TRC.el("div", {}, `${TRC.t("flags")}: ${flags.join(", ")}`) : null,
      item.explanation.length ? TRC.el("p", { class: "explain" },
        item.explanation.map((line) => explained(line, item.description)).join(" · ")) : null,
      TRC.el("div", { class: `holder${held && !held.mine ? " other" : ""}` },
        !held ? TRC.t("holder.free") : held.mine ? TRC.t("holder.mine", { m: held.minutes })
          : TRC.t("holder.other", { who: held.who, m: held.minutes })),
      TRC.el("div", { class: "actions" }, held && held.mine ? [
        state.working === item.report_id ? null
          : TRC.el("button", { type: "button", class: "open primary", onclick: () => openWork(item) }, TRC.t("open")),
        TRC.el("button", { type: "button", class: "renew", onclick: () => claim(item) }, TRC.t("renew")),
        TRC.el("button", { type: "button", class: "release", onclick: () => release(item.report_id) }, TRC.t("release")),
      ] : TRC.el("button", { type: "button", class: `claim${held ? "" : " primary"}`, onclick: () => claim(item) }, TRC.t("claim"))),
      error ? TRC.el("p", { class: "error", role: "alert" }, error) : null);
  }

  // ------------------------------------------------------------------ the queue
  const clock = () => TRC.clock([...state.places.values()].find((p) => p && p.zone_label)?.zone_label);

  async function refresh() {
    if (state.asking) return;
    state.asking = true;
    try {
      // a request that hangs must not stop the polling: no answer within the period is an error
      const answer = await TRC.api(`/api/v1/triage?lang=${TRC.lang}`, { timeoutMs: ANSWER_WITHIN_MS });
      if (!answer.ok) { $("queue-status").textContent = describe(answer); return; }
      state.items = answer.data;
      const regions = [...new Set(state.items.map((i) => i.region_code))].filter((c) => !state.places.has(c));
      for (const code of regions) state.places.set(code, await PILIHAN.places(code));
      render();
      checkWork();
    } finally {
      state.asking = false;
    }
  }

  function render() {
    const n = state.items.length;
    $("queue-status").textContent = TRC.t(n ? "queue.count" : "queue.empty", { n, t: clock() });
    const focused = document.activeElement && document.activeElement.closest("#queue li");
    const keep = focused ? [focused.dataset.report, focused === document.activeElement ? null : document.activeElement.className] : null;
    $("queue").replaceChildren(...state.items.map(itemNode));
    if (keep) {  // the keyboard stays where it was across a refresh
      const li = $("queue").querySelector(`li[data-report="${CSS.escape(keep[0])}"]`);
      const button = li && keep[1] ? li.querySelector(`button.${keep[1].split(" ")[0]}`) : null;
      (button || li)?.focus();
    }
  }

  // The report being decided left the queue or was taken: the panel says so and closes.
  function checkWork() {
    if (!state.working || state.busy) return;
    const item = state.items.find((i) => i.report_id === state.working);
    const held = item && holder(item);
    if (!item) closeWork(TRC.t("error.gone"), true);
    else if (held && !held.mine) closeWork(TRC.t("error.held", { who: held.who }), true);
  }

  // ------------------------------------------------------------------ errors in words
  function describe(answer, itemId) {
    const detail = answer.data && answer.data.detail;
    if (answer.status === 409) {
      const who = String(detail || "").replace(/^claimed by /, "");
      return who.startsWith("nobody") ? TRC.t("error.unclaimed") : TRC.t("error.held", { who });
    }
    if (answer.status === 404 && itemId) return TRC.t("error.gone");
    if (answer.status === 422) {
      const items = Array.isArray(detail) ? detail.map((d) => [(d.loc || []).slice(1).join("."), d.msg])
        : [String(detail || "").split(/: (.*)/s).slice(0, 2)];
      const what = items.map(([field, msg]) => (field ? `${fieldName(field)}: ${msg}` : msg)).join("; ");
      return TRC.t("error.invalid", { what });
    }
    if (answer.status === 403) return TRC.t("error.denied", { what: String(detail || "") });
    return String(detail || TRC.t("error.server"));
  }

  function fieldName(path) {  // "location.kecamatan" → "lokasi.kecamatan"
    const [head, ...rest] = path.split(".");
    const word = TRC.t(`field.${head}`);
    return [word.startsWith("field.") ? head : word, ...rest].join(".");
  }

  // ------------------------------------------------------------------ actions
  async function act(reportId, action, body) {
    state.errors.delete(reportId);
    const answer = await TRC.api(`/api/v1/triage/${encodeURIComponent(reportId)}/${action}`, {
      method: "POST", body,
    });
    if (!answer.ok) state.errors.set(reportId, describe(answer, reportId));
    return answer;
  }

  async function claim(item) {
    const answer = await act(item.report_id, "claim");
    if (answer.ok && state.working !== item.report_id) await openWork(answer.data);
    await refresh();
    if (!answer.ok) $("queue").querySelector(`li[data-report="${CSS.escape(item.report_id)}"] button`)?.focus();
  }

  async function release(reportId) {
    const answer = await act(reportId, "release");
    if (answer.ok) {
      if (state.working === reportId) closeWork();
      showDone(TRC.t("done.released", { id: reportId }));
    } else if (state.working === reportId) {
      workMessage(state.errors.get(reportId));
    }
    await refresh();
  }

  async function decide(action, body) {
    const reportId = state.working;
    if (!reportId || state.busy) return;
    state.busy = true;
    form.setAttribute("aria-busy", "true");
    const answer = await act(reportId, action, body);
    state.busy = false;
    form.setAttribute("aria-busy", "false");
    if (!answer.ok) {
      state.errors.delete(reportId); // said in the panel
      workMessage(describe(answer, reportId), answer.status === 422 ? fieldOf(answer.data.detail) : null);
    } else {
      const done = answer.data;
      closeWork();
      showDone(done.status === "dismissed" ? TRC.t("done.dismissed", { id: done.report_id, reason: body.reason })
        : done.status === "linked" ? TRC.t("done.linked", { id: done.report_id, other: done.duplicate_of })
          : TRC.t("done.open", { id: done.report_id, p: done.priority }));
    }
    await refresh();
  }

  function fieldOf(detail) {
    const field = Array.isArray(detail) ? ((detail[0] || {}).loc || [])[1] : String(detail || "").split(":")[0];
    return { category: "category", location: "kecamatan", reason: "reason" }[field] || null;
  }

  function send() {
    clearMarks();
    const [kecamatanOfKelurahan, kelurahan] = (form.kelurahan.value || "|").split("|");
    const location = {
      kecamatan: form.kecamatan.value || kecamatanOfKelurahan || null,
      kelurahan: kelurahan || null,
      address: form.address.value.trim() || null,
    };
    if (!form.category.value) return workMessage(TRC.t("error.category"), "category");
    if (!location.kecamatan && !location.address) return workMessage(TRC.t("error.place"), "kecamatan");
    return decide("dispatch", { category: form.category.value, location });
  }

  function dismiss() {
    clearMarks();
    const reason = form.reason.value.trim();
    if (reason.length < 3) return workMessage(TRC.t("error.reason"), "reason");
    return decide("dismiss", { reason });
  }

  // ------------------------------------------------------------------ the decision panel
  async function openWork(item) {
    state.working = item.report_id;
    state.region = item.region_code;
    $("done").hidden = true;
    $("work").hidden = false;
    $("work-none").hidden = true;
    clearMarks();
    form.reset();
    describeWork(item);
    const places = await PILIHAN.places(item.region_code);
    state.places.set(item.region_code, places);
    PILIHAN.villageWord(document.querySelector('label[for="kelurahan"]'), places);
    PILIHAN.fillCategories(form.category, state.categories, "category.any");
    form.category.value = item.category || "";
    setPlace(places, item.kecamatan, item.kelurahan);
    form.address.value = item.address || "";
    $("candidates").hidden = !item.candidates.length;
    $("candidates").replaceChildren(...item.candidates.map((c) => TRC.el("button", {
      type: "button", class: "candidate", onclick: () => setPlace(places, c.kecamatan, c.kelurahan),
    }, TRC.t("candidate.use", { place: placeText(item, c.kecamatan, c.kelurahan) }))));
    render();
    form.category.focus();
  }

  function describeWork(item) {
    $("work-report").textContent = [item.report_id, reasonOf(item.triage_reason).label,
      TRC.t(`channel.${item.channel}`), item.received_local].join(" · ");
    $("work-text").textContent = item.description;
  }

  function setPlace(places, kecamatan, kelurahan) {
    form.kecamatan.value = "";
    PILIHAN.fillKecamatan(form.kecamatan, places);
    form.kecamatan.value = kecamatan && Array.from(form.kecamatan.options).some((o) => o.value === kecamatan) ? kecamatan : "";
    form.kelurahan.value = "";
    PILIHAN.fillKelurahan(form.kelurahan, places, form.kecamatan.value);
    const value = `${form.kecamatan.value}|${kelurahan}`;
    if (kelurahan && Array.from(form.kelurahan.options).some((o) => o.value === value)) form.kelurahan.value = value;
  }

  function closeWork(message, isError) {
    state.working = null;
    $("work").hidden = true;
    $("work-none").hidden = false;
    if (message) showDone(message, isError);
  }

  function showDone(message, isError) {
    const done = $("done");
    done.hidden = false;
    done.className = isError ? "panel notice" : "panel success";
    done.textContent = message;
  }

  function workMessage(text, field) {
    $("work-message").textContent = text || "";
    const node = field ? form.elements.namedItem(field) : null;
    if (node && node.setAttribute) { node.setAttribute("aria-invalid", "true"); node.focus(); }
  }

  function clearMarks() {
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    $("work-message").textContent = "";
  }

  // ------------------------------------------------------------------ start
  form.addEventListener("submit", (event) => { event.preventDefault(); send(); });
  form.addEventListener("change", clearMarks); // what was said wrong is being put right
  form.addEventListener("input", clearMarks);
  $("dismiss").addEventListener("click", dismiss);
  $("release").addEventListener("click", () => state.working && release(state.working));
  form.kecamatan.addEventListener("change", () => {
    PILIHAN.fillKelurahan(form.kelurahan, state.places.get(state.region), form.kecamatan.value);
  });
  form.kelurahan.addEventListener("change", () => {
    const [kecamatan] = form.kelurahan.value.split("|");
    if (kecamatan && form.kecamatan.value !== kecamatan) setPlace(state.places.get(state.region), kecamatan, form.kelurahan.value.split("|")[1]);
  });
  document.addEventListener("trc:lang", () => {
    if (!state.me) return;
    PILIHAN.fillCategories(form.category, state.categories, "category.any");
    const item = state.items.find((i) => i.report_id === state.working);
    if (item) describeWork(item);
    refresh();
  });

  async function start() {
    const me = await TRC.session();
    state.categories = await PILIHAN.categories();
    state.me = me ? me.username : null;
    await refresh();
    setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
  }
  start();
})();
