// Teams and shifts: who is on duty now and next, every gap in the roster of the next 24 hours,
// each team's load, the members Telegram cannot reach yet, and the chats that blocked the bot.
(function () {
  "use strict";
  const TRC = window.TRC;
  const KONSOL = window.KONSOL;
  TRC.words({
    id: {
      duty: "Bertugas", teams: "Tim", "col.team": "Tim", "col.status": "Status", "col.load": "Beban",
      "col.members": "Anggota", "col.no_telegram": "Belum terhubung Telegram",
      "duty.now": "Bertugas sekarang", "duty.next": "Sif berikutnya", "duty.gaps": "Kosong (24 jam ke depan)",
      "duty.at": "Per", "duty.no_gap": "tidak ada", "team.on_duty": "bertugas", "team.off_duty": "tidak bertugas",
      "all.linked": "semua terhubung", "status.available": "siap", "status.busy": "sibuk",
      "status.full": "penuh", "status.off_duty": "tidak bertugas", "status.inactive": "nonaktif",
      blocked: "Chat yang memblokir bot", "col.chat": "Chat", "col.reason": "Sebab", "col.since": "Sejak",
      "blocked.none": "Tidak ada: bot menjangkau semua chat.", "kind.team_group": "grup tim",
      "kind.member_private": "chat pribadi anggota", "kind.supervisors": "grup supervisor",
      "reason.blocked by the user": "diblokir pengguna", "reason.bot removed from the group": "bot dikeluarkan dari grup",
      "reason.chat not found": "chat tidak ditemukan", "reason.refused by Telegram": "ditolak Telegram",
    },
    en: {
      duty: "On duty", teams: "Teams", "col.team": "Team", "col.status": "Status", "col.load": "Load",
      "col.members": "Members", "col.no_telegram": "Not linked to Telegram",
      "duty.now": "On duty now", "duty.next": "Next shift", "duty.gaps": "Gaps (next 24 hours)",
      "duty.at": "As of", "duty.no_gap": "none", "team.on_duty": "on duty", "team.off_duty": "off duty",
      "all.linked": "all linked", "status.available": "available", "status.busy": "busy",
      "status.full": "full", "status.off_duty": "off duty", "status.inactive": "inactive",
      blocked: "Chats that blocked the bot", "col.chat": "Chat", "col.reason": "Reason", "col.since": "Since",
      "blocked.none": "None: the bot reaches every chat.", "kind.team_group": "team group",
      "kind.member_private": "member's private chat", "kind.supervisors": "supervisors' group",
      "reason.blocked by the user": "blocked by the user", "reason.bot removed from the group": "bot removed from the group",
      "reason.chat not found": "chat not found", "reason.refused by Telegram": "refused by Telegram",
    },
  });
  const $ = (id) => document.getElementById(id);
  let shown = null;

  const names = (list) => (Array.isArray(list) ? list.join(", ") : String(list ?? "")) || TRC.t("none");

  function show(data) {
    shown = data;
    const zone = data.zone || "WIB";
    const gaps = (data.gaps_next_24h || []).map((g) => `${KONSOL.when(g.from, zone)} – ${KONSOL.when(g.to, zone)}`);
    $("duty").replaceChildren(KONSOL.pairs([
      [TRC.t("duty.at"), KONSOL.when(data.at, zone)],
      [TRC.t("duty.now"), names(data.on_duty_now)],
      [TRC.t("duty.next"), names(data.next)],
      [TRC.t("duty.gaps"), gaps.join("; ") || TRC.t("duty.no_gap")],
    ]));
    if (gaps.length) $("duty").append(TRC.el("p", { class: "tag warn" }, `${TRC.t("duty.gaps")}: ${gaps.length}`));
    $("teams").replaceChildren(...(data.teams || []).map((t) => TRC.el("tr", { class: t.on_duty ? "on-duty" : null },
      TRC.el("td", {}, TRC.el("strong", {}, t.code), ` ${t.name}`),
      TRC.el("td", {}, TRC.el("span", { class: `tag ${t.on_duty ? "ok" : ""}` }, TRC.t(t.on_duty ? "team.on_duty" : "team.off_duty")),
        t.status && t.status !== "off_duty" ? ` ${KONSOL.word("status", t.status)}` : ""),
      TRC.el("td", {}, t.capacity ? `${t.load}/${t.capacity}` : String(t.load ?? 0)),
      TRC.el("td", {}, Array.isArray(t.members) ? String(t.members.length) : String(t.members ?? "")),
      TRC.el("td", {}, (t.members_without_telegram || []).length
        ? TRC.el("span", { class: "tag warn" }, t.members_without_telegram.join(", ")) : TRC.t("all.linked")))));
    showBlocked(data.blocked_chats || [], zone);
  }

  function showBlocked(chats, zone) {
    if (!chats.length) {
      $("blocked").replaceChildren(TRC.el("tr", {}, TRC.el("td", { colspan: 4, class: "hint" }, TRC.t("blocked.none"))));
      return;
    }
    $("blocked").replaceChildren(...chats.map((c) => TRC.el("tr", {},
      TRC.el("td", {}, c.team_code ? TRC.el("strong", {}, c.team_code) : TRC.t("none")),
      TRC.el("td", {}, KONSOL.word("kind", c.kind)),
      TRC.el("td", {}, TRC.el("span", { class: "tag warn" }, KONSOL.word("reason", c.reason))),
      TRC.el("td", {}, KONSOL.when(c.since, zone)))));
  }

  async function start() {
    const { region } = await KONSOL.start();
    const answer = await TRC.api(`/api/v1/console/teams?region=${encodeURIComponent(region)}`);
    if (!answer.ok) { $("message").textContent = TRC.t("load.failed", { why: answer.data.detail || answer.status }); return; }
    show(answer.data);
    setInterval(async () => {
      const again = await TRC.api(`/api/v1/console/teams?region=${encodeURIComponent(region)}`);
      if (again.ok) show(again.data);
    }, 30000);
  }
  document.addEventListener("trc:lang", () => { if (shown) show(shown); });
  start();
})();
