// TRC Dispatch staff pages: the language switch, API calls that carry the CSRF header, the
// session bar. No framework and nothing from the internet: pages must work on a closed network.
(function () {
  "use strict";
  const LANG_KEY = "trc-lang";
  const words = {
    id: {
      "lang.switch": "English", "logout": "Keluar", "signed_in_as": "Masuk sebagai",
      "error.network": "Server tidak terjangkau. Coba lagi.",
      "error.server": "Terjadi kesalahan di server. Coba lagi.",
      "said.same_place": "{place} yang sama, {m} menit", "said.metres": "{d} m, {m} menit",
    },
    en: {
      "lang.switch": "Bahasa Indonesia", "logout": "Sign out", "signed_in_as": "Signed in as",
      "error.network": "The server cannot be reached. Try again.",
      "error.server": "The server failed. Try again.",
      "said.same_place": "same {place}, {m} min", "said.metres": "{d} m, {m} min",
    },
  };
  // What a server writes in English only, with the page's word for it: [pattern, key]. The named
  // groups fill the word's {blanks}. Pages add their own with TRC.phrases().
  const phrases = [
    [/^same (?<place>kelurahan|kecamatan|desa), (?<m>\d+) min$/, "said.same_place"],
    [/^(?<d>\d+) m, (?<m>\d+) min$/, "said.metres"],
  ];

  const TRC = {
    lang: localStorage.getItem(LANG_KEY) === "en" ? "en" : "id",

    /** Add a page's own words ({id: {...}, en: {...}}) and translate the page. */
    words(more) {
      for (const lang of ["id", "en"]) Object.assign(words[lang], more[lang] || {});
      TRC.apply();
    },

    t(key, vars) {
      let text = words[TRC.lang][key] ?? words.id[key] ?? key;
      for (const [name, value] of Object.entries(vars || {})) text = text.replaceAll(`{${name}}`, value);
      return text;
    },

    /** English texts a server sends (reasons, actors): [pattern, word key] pairs, see said(). */
    phrases(more) {
      phrases.push(...more);
    },

    /** A server's text in the page's language. "Bahasa / English" (as intake writes its reasons,
     *  "kekerasan / violence", "kategori rentan / vulnerable group: odgj_terlantar"): the page's
     *  half, a tail after the English half's colon going to both. An English-only text that a
     *  phrase knows: its words. Anything else: as sent. */
    said(text) {
      if (text === null || text === undefined) return "";
      const sent = String(text);
      const cut = sent.indexOf(" / ");
      if (cut > 0) {
        let [id, en] = [sent.slice(0, cut), sent.slice(cut + 3)];
        const colon = en.indexOf(": ");
        if (!id.includes(": ") && colon > 0) id += en.slice(colon);
        return TRC.lang === "en" ? en : id;
      }
      for (const [pattern, key] of phrases) {
        const found = sent.match(pattern);
        if (found) return TRC.t(key, found.groups || {});
      }
      return sent;
    },

    apply() {
      document.documentElement.lang = TRC.lang;
      document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = TRC.t(node.dataset.i18n); });
      document.querySelectorAll("[data-i18n-placeholder]").forEach((node) => { node.placeholder = TRC.t(node.dataset.i18nPlaceholder); });
      document.querySelectorAll("[data-i18n-title]").forEach((node) => { node.title = TRC.t(node.dataset.i18nTitle); });
      document.dispatchEvent(new CustomEvent("trc:lang", { detail: TRC.lang }));
    },

    setLang(lang) {
      TRC.lang = lang === "en" ? "en" : "id";
      localStorage.setItem(LANG_KEY, TRC.lang);
      TRC.apply();
    },

    cookie(name) {
      const found = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
      return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
    },

    /** JSON over fetch: {ok, status, data}. A lapsed session reloads the page (→ sign-in).
     *  Status 0: no answer (network error, or none within options.timeoutMs). */
    async api(path, options = {}) {
      const method = options.method || "GET";
      const headers = { Accept: "application/json", ...(options.headers || {}) };
      if (options.body !== undefined) headers["Content-Type"] = "application/json";
      if (method !== "GET") headers["X-CSRF-Token"] = TRC.cookie("trc_csrf") || "";
      let response;
      try {
        response = await fetch(path, {
          // "include": another TRC service on this host (the session and CSRF cookies go along)
          method, headers, credentials: options.credentials || "same-origin",
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          // No answer within timeoutMs counts as a network error (status 0), not a hang.
          signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
        });
      } catch (err) {
        return { ok: false, status: 0, data: { detail: TRC.t("error.network") } };
      }
      if (response.status === 401 && !options.allowUnauthorized) {
        window.location.reload();
        return { ok: false, status: 401, data: {} };
      }
      let data = {};
      try { data = await response.json(); } catch (err) { data = {}; }
      if (response.status >= 500) data = { detail: TRC.t("error.server") };
      return { ok: response.ok, status: response.status, data };
    },

    /** Build an element; children are nodes or text (never parsed as HTML). */
    el(tag, attrs, ...children) {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attrs || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
        else if (name === "dataset") Object.assign(node.dataset, value);
        else node.setAttribute(name, value === true ? "" : value);
      }
      for (const child of children.flat()) {
        if (child !== null && child !== undefined && child !== false) node.append(child);
      }
      return node;
    },

    /** Random id for an Idempotency-Key (crypto.randomUUID needs https; this does not). */
    newKey() {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    },

    /** The session bar: who is signed in, the language switch, sign-out. */
    /** Now as hh.mm.ss in a region's zone, labelled ("16.09.27 WIB"); the browser's own clock,
     *  unlabelled, when the zone is not known yet. */
    clock(label) {
      const zone = { WIB: "Asia/Jakarta", WITA: "Asia/Makassar", WIT: "Asia/Jayapura" }[label];
      const time = new Date().toLocaleTimeString(TRC.lang === "en" ? "en-GB" : "id-ID",
        { hour: "2-digit", minute: "2-digit", second: "2-digit", ...(zone ? { timeZone: zone } : {}) });
      return zone ? `${time} ${label}` : time;
    },

    async session() {
      const me = await TRC.api("/api/v1/auth/me");
      const who = document.getElementById("who");
      if (who && me.ok) who.textContent = `${TRC.t("signed_in_as")} ${me.data.username}`;
      document.getElementById("lang")?.addEventListener("click", () => TRC.setLang(TRC.lang === "id" ? "en" : "id"));
      document.getElementById("logout")?.addEventListener("click", async () => {
        await TRC.api("/api/v1/auth/logout", { method: "POST" });
        window.location.reload();
      });
      return me.ok ? me.data : null;
    },
  };

  document.addEventListener("trc:lang", () => {
    const button = document.getElementById("lang");
    if (button) button.textContent = TRC.t("lang.switch");
  });
  window.TRC = TRC;
})();
