// The call-center page's suggestion box: what intake would make of the description typed so far.
// It changes no field by itself: "Pakai saran" (or F4) fills the category, the empty place fields
// and the danger flags. A failed request leaves the box quiet; the form works as without it.
(function () {
  "use strict";
  const TRC = window.TRC;
  TRC.words({
    id: {
      "suggest.title": "Saran", "suggest.keyword": "kata kunci", "suggest.words": "kata",
      "suggest.priority": "Prioritas", "suggest.place": "Lokasi", "suggest.or": "atau",
      "suggest.use": "Pakai saran", "suggest.used": "Saran dipakai.", "keys.suggest": "pakai saran",
    },
    en: {
      "suggest.title": "Suggestion", "suggest.keyword": "keyword", "suggest.words": "words",
      "suggest.priority": "Priority", "suggest.place": "Place", "suggest.or": "or",
      "suggest.use": "Use suggestion", "suggest.used": "Suggestion used.", "keys.suggest": "use suggestion",
    },
  });

  const WAIT_MS = 400; // after the last key
  const MIN_WORDS = 4;
  const ANSWER_WITHIN_MS = 3000;
  const form = document.getElementById("report");
  const box = document.getElementById("suggestion");
  const state = { timer: null, asked: 0, text: "", region: "", shown: null, used: false };

  const busy = () => form.getAttribute("aria-busy") === "true"; // saving: nothing changes
  const typed = () => form.description.value.trim().replace(/\s+/g, " ");

  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(ask, WAIT_MS);
  }

  async function ask() {
    const text = typed();
    const region = form.region.value;
    if (!region || text.split(" ").length < MIN_WORDS) return show(null, "", "");
    if (text === state.text && region === state.region) return; // nothing new to read
    const [kecamatanOfKelurahan, kelurahan] = (form.kelurahan.value || "|").split("|");
    const body = {
      region_code: region,
      description: text,
      location: {
        kecamatan: form.kecamatan.value || kecamatanOfKelurahan || null,
        kelurahan: kelurahan || null,
        address: form.address.value.trim() || null,
      },
      danger_flags: Array.from(form.querySelectorAll("input[name=danger]:checked"), (b) => b.value),
    };
    const asked = ++state.asked;
    const answer = await TRC.api("/api/v1/reports/suggest", {
      method: "POST", body, timeoutMs: ANSWER_WITHIN_MS, allowUnauthorized: true,
    });
    if (asked !== state.asked) return; // a newer question is on its way
    show(answer.ok ? answer.data : null, answer.ok ? text : "", answer.ok ? region : "");
  }

  function show(suggestion, text, region) {
    const changed = suggestion === null || text !== state.text;
    Object.assign(state, { shown: suggestion, text, region });
    if (changed) state.used = false;
    render();
  }

  function name(item) {
    return TRC.lang === "en" ? item.name_en : item.name_id;
  }

  const percent = (p) => `${Math.round(p * 100)} %`;
  // The model also weighs parts of words ("iak>", "<emp"): the box names only the text's words.
  const inText = (word) => ` ${state.text.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `.includes(` ${word} `);
  const unique = (words) => Array.from(new Set(words));

  function render() {
    const s = state.shown;
    const place = s && s.place && (s.place.kecamatan || s.place.address) ? s.place : null;
    if (!s || !(s.category || place || s.danger_flags.length)) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const parts = [];
    if (s.category) {
      const sure = s.category.basis === "keyword" || s.category.confidence === null
        ? TRC.t("suggest.keyword") : percent(s.category.confidence);
      const words = s.category.basis === "keyword" ? [...s.keywords, ...s.danger_words]
        : [...s.model_words.filter(inText), ...s.danger_words];
      parts.push(`${name(s.category)} (${sure})` +
        (words.length ? ` — ${TRC.t("suggest.words")}: ${unique(words).join(", ")}` : ""));
    } else if (s.danger_words.length) {
      parts.push(`${TRC.t("suggest.words")}: ${unique(s.danger_words).join(", ")}`);
    }
    parts.push(`${TRC.t("suggest.priority")} ${s.priority.priority}: ${s.priority.reasons.map(TRC.said).join("; ")}`);
    if (place) {
      const where = place.kecamatan
        ? [`Kec. ${place.kecamatan}`, place.kelurahan && `${villageAbbr()} ${place.kelurahan}`, place.landmark]
        : [place.address];
      parts.push(`${TRC.t("suggest.place")}: ${where.filter(Boolean).join(", ")}`);
    }
    const others = s.category ? s.alternatives : [];
    box.hidden = false;
    // replaceChildren writes a null as the text "null": what is not shown is left out first.
    box.replaceChildren(...[
      TRC.el("p", {}, TRC.el("strong", {}, `${TRC.t("suggest.title")}: `), parts.join(" · ")),
      others.length ? TRC.el("p", { class: "hint" }, `${TRC.t("suggest.or")}: `,
        others.map((o) => `${name(o)} (${percent(o.confidence || 0)})`).join(", ")) : null,
      state.used ? TRC.el("p", { class: "hint" }, TRC.t("suggest.used"))
        // Out of the Tab order (the fields keep theirs whether or not a suggestion came): F4.
        : TRC.el("button", {
          type: "button", id: "suggestion-use", tabindex: "-1", "aria-keyshortcuts": "F4", onclick: use,
        }, TRC.t("suggest.use")),
    ].filter(Boolean));
  }

  function villageAbbr() {  // "Ds." in a kabupaten whose villages are desa, "Kel." in a kota
    const label = document.querySelector('label[for="kelurahan"]');
    return label && label.dataset.i18n === "desa" ? "Ds." : "Kel.";
  }

  function has(select, value) {
    return Array.from(select.options).some((o) => o.value === value);
  }

  // Set a field as the operator would, so the page reacts as to a choice of his (nearby reports).
  function choose(field, value, event) {
    field.value = value;
    field.dispatchEvent(new Event(event, { bubbles: true }));
  }

  // The operator's press: the category, and only the place fields still empty; flags are added.
  function use() {
    const s = state.shown;
    if (!s || busy() || state.used) return;
    if (s.category && has(form.category, s.category.code)) choose(form.category, s.category.code, "input");
    const place = s.place;
    if (place && place.kecamatan && !form.kecamatan.value && !form.kelurahan.value
        && has(form.kecamatan, place.kecamatan)) {
      choose(form.kecamatan, place.kecamatan, "change");
    }
    const kelurahan = place && place.kelurahan ? `${place.kecamatan}|${place.kelurahan}` : "";
    if (kelurahan && !form.kelurahan.value && form.kecamatan.value === place.kecamatan
        && has(form.kelurahan, kelurahan)) {
      choose(form.kelurahan, kelurahan, "change");
    }
    if (place && place.landmark && !form.address.value.trim()) form.address.value = place.landmark;
    for (const flag of s.danger_flags) {
      const boxFor = form.querySelector(`input[name=danger][value="${flag}"]`);
      if (boxFor) boxFor.checked = true;
    }
    state.used = true;
    render();
  }

  form.description.addEventListener("input", schedule);
  form.region.addEventListener("change", () => { state.text = ""; schedule(); });
  form.addEventListener("reset", () => {
    clearTimeout(state.timer);
    state.asked++;
    show(null, "", "");
  });
  document.addEventListener("trc:lang", render);
  document.addEventListener("keydown", (event) => {
    if (event.key === "F4" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      use();
    }
  });
})();
