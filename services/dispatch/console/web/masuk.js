// Sign-in: one session for every service, then back to the page that sent the user here.
(function () {
  "use strict";
  const TRC = window.TRC;
  TRC.words({
    id: {
      heading: "Masuk", once: "Satu kali masuk untuk semua layanan TRC.", username: "Nama pengguna",
      password: "Kata sandi", submit: "Masuk", wrong: "Nama pengguna atau kata sandi salah.",
      missing: "Isi nama pengguna dan kata sandi.",
      done: "Anda sudah masuk. Buka halaman layanan yang Anda perlukan.",
    },
    en: {
      heading: "Sign in", once: "One sign-in for every TRC service.", username: "Username",
      password: "Password", submit: "Sign in", wrong: "Wrong username or password.",
      missing: "Enter your username and password.",
      done: "You are signed in. Open the page of the service you need.",
    },
  });
  document.getElementById("lang").addEventListener("click", () => TRC.setLang(TRC.lang === "id" ? "en" : "id"));

  // Only back to a page of this same host: never an open redirect to somewhere else.
  function nextPage() {
    const raw = new URLSearchParams(window.location.search).get("next");
    if (!raw) return null;
    try {
      const url = new URL(raw, window.location.href);
      const web = url.protocol === "http:" || url.protocol === "https:";
      return web && url.hostname === window.location.hostname ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  const form = document.getElementById("login");
  const message = document.getElementById("message");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = form.username.value.trim();
    const password = form.password.value;
    if (!username || !password) {
      message.textContent = TRC.t("missing");
      (username ? form.password : form.username).focus();
      return;
    }
    const answer = await TRC.api("/api/v1/auth/login", {
      method: "POST", body: { username, password }, allowUnauthorized: true,
    });
    if (!answer.ok) {
      message.textContent = answer.status === 401 ? TRC.t("wrong") : String(answer.data.detail || TRC.t("error.server"));
      form.password.select();
      return;
    }
    const target = nextPage();
    if (target) {
      window.location.assign(target);
      return;
    }
    form.hidden = true;
    document.getElementById("done").hidden = false;
  });
})();
