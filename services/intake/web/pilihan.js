// The call-center pages' pickers, from intake's reference API: the PPKS categories, and a
// region's kecamatan with their kelurahan/desa (a kabupaten says desa where a kota says
// kelurahan). Used by the call-center form (/laporan) and the triage queue (/triase); each
// select keeps what was chosen when refilled.
(function () {
  "use strict";
  const TRC = window.TRC;
  const regions = new Map(); // region code → its places (null: none known), asked once a page

  const PILIHAN = {
    option(value, label, selected) {
      return TRC.el("option", { value, selected: selected || null }, label);
    },

    /** The category's name in the page's language. */
    categoryName(categories, code) {
      const found = categories.find((c) => c.code === code);
      return found ? (TRC.lang === "en" ? found.name_en : found.name_id) : code || "";
    },

    /** The categories, after an empty choice labelled by the word ``emptyKey``. */
    fillCategories(select, categories, emptyKey) {
      const chosen = select.value;
      select.replaceChildren(
        PILIHAN.option("", TRC.t(emptyKey)),
        ...categories.map((c) => PILIHAN.option(c.code, PILIHAN.categoryName(categories, c.code), c.code === chosen)),
      );
    },

    fillKecamatan(select, places) {
      const chosen = select.value;
      const list = places ? places.kecamatan : [];
      select.replaceChildren(
        PILIHAN.option("", TRC.t("place.any")),
        ...list.map((k) => PILIHAN.option(k.name, k.name, k.name === chosen)),
      );
    },

    /** Kelurahan/desa grouped by kecamatan (only ``kecamatan``'s when given), each valued
     *  "kecamatan|kelurahan": picking one tells its kecamatan too. */
    fillKelurahan(select, places, kecamatan) {
      const chosen = select.value;
      const list = (places ? places.kecamatan : []).filter((k) => !kecamatan || k.name === kecamatan);
      const groups = list.map((k) => TRC.el("optgroup", { label: k.name },
        k.kelurahan.map((name) => PILIHAN.option(`${k.name}|${name}`, name, `${k.name}|${name}` === chosen))));
      select.replaceChildren(PILIHAN.option("", TRC.t("place.any")), ...groups);
    },

    /** The word for the region's villages on ``label`` (its data-i18n: "kelurahan" or "desa"). */
    villageWord(label, places) {
      label.dataset.i18n = (places && places.village_word) || "kelurahan";
      label.textContent = TRC.t(label.dataset.i18n);
    },

    /** A region's places (null when intake has none), asked once. */
    async places(code) {
      if (!regions.has(code)) {
        const answer = await TRC.api(`/api/v1/reference/regions/${encodeURIComponent(code)}`);
        if (!answer.ok) return null; // not remembered: asked again next time
        regions.set(code, answer.data);
      }
      return regions.get(code);
    },

    async categories() {
      const answer = await TRC.api("/api/v1/reference/categories");
      return answer.ok ? answer.data : [];
    },
  };

  TRC.words({
    id: { kecamatan: "Kecamatan", kelurahan: "Kelurahan", desa: "Desa", "place.any": "— pilih —" },
    en: {
      kecamatan: "Kecamatan (district)", kelurahan: "Kelurahan (village)", desa: "Desa (village)",
      "place.any": "— choose —",
    },
  });
  window.PILIHAN = PILIHAN;
})();
