// One incident: what was reported, every assignment with the policy's reasons, every button press
// and escalation, the shelter case — and, for supervisors, the manual actions, each with a reason.
(function () {
  "use strict";
  const TRC = window.TRC;
  const KONSOL = window.KONSOL;
  TRC.words({
    id: {
      "detail.title": "Insiden", facts: "Ringkasan", timeline: "Riwayat", assignments: "Penugasan",
      actions: "Tindakan supervisor", "actions.reason": "Setiap tindakan wajib disertai alasan; tercatat di riwayat.",
      reason: "Alasan", "assign.title": "Tugaskan / alihkan ke tim", "assign.team": "Tim bertugas",
      "assign.submit": "Tugaskan", "priority.title": "Ubah prioritas", "priority.value": "Prioritas baru",
      "priority.submit": "Ubah prioritas", "close.title": "Tutup insiden",
      "close.outcome": "Hasil (bila tim masih memegang)", "close.none": "— tanpa hasil —", "close.submit": "Tutup",
      "cancel.title": "Batalkan (duplikat / laporan palsu)", "cancel.submit": "Batalkan insiden",
      "no_team.title": "Tidak ada tim TRC yang bisa berangkat", "no_team.alternative": "Yang dilakukan sebagai gantinya",
      "no_team.submit": "Catat: tidak ada tim", "action.no_team": "tidak ada tim TRC", "f.no_team": "Tanpa tim TRC",
      "reason.short": "Tulis alasan (minimal 3 huruf).", "team.pick": "Pilih tim bertugas.",
      "team.on_duty": "bertugas", "team.off_duty": "tidak bertugas", "team.load": "beban {n}",
      done: "Tersimpan: {what}.", "not.found": "Insiden tidak ditemukan di wilayah Anda.",
      "f.state": "Status", "f.priority": "Prioritas", "f.category": "Kategori", "f.channel": "Saluran",
      "f.place": "Lokasi", "f.address": "Alamat", "f.people": "Jumlah orang", "f.flags": "Tanda bahaya",
      "f.description": "Uraian", "f.team": "Tim", "f.received": "Laporan masuk", "f.reports": "Laporan tergabung",
      "f.case": "Kasus shelter", "t.received": "Laporan diterima lewat {channel}",
      "t.assigned": "Ditugaskan ke {team} oleh {by}", "t.reasons": "Alasan kebijakan: {reasons}",
      "t.acknowledged": "{team} menerima tugas", "t.released": "Penugasan {team} dilepas: {why}",
      "t.state": "Status menjadi {to}", "t.manual": "Tindakan supervisor: {action}",
      "t.field_update": "Tombol ditekan: {action}", "t.escalation": "Eskalasi {kind} (tingkat {level})",
      "t.report_joined": "Laporan {report} digabungkan (duplikat, {priority})",
      "t.raised": "prioritas naik dari {from}", "t.people": "jumlah orang {from} → {to}",
      "t.report_unlinked": "Laporan {report} dipisahkan menjadi insiden sendiri: {number}",
      "t.split_from": "Dipisahkan dari insiden {number} (laporan {report})",
      "t.people_recounted": "Jumlah orang dihitung ulang: {from} → {to}", "t.open": "buka",
      "t.checkin_requested": "Tim ditanya kabar (check-in)", "t.case": "Kasus shelter {state}",
      reports: "Laporan tergabung", "r.report": "Laporan", "r.channel": "Saluran", "r.received": "Masuk",
      "r.category": "Kategori", "r.people": "Orang", "r.why": "Alasan digabung", "r.first": "laporan awal",
      "split.button": "Pisahkan", "split.title": "Pisahkan laporan {report} menjadi insiden sendiri",
      "split.hint": "Laporan ini menjadi insiden sendiri dan ditugaskan ke tim; alasannya tercatat di riwayat kedua insiden.",
      "split.submit": "Pisahkan", "split.cancel": "Batal",
      "split.waiting": "Dipisahkan di intake; menunggu insiden barunya…",
      "split.done": "Laporan {report} kini insiden {number}.",
      "split.slow": "Dipisahkan di intake; riwayat akan menampilkannya sebentar lagi.",
      "split.unavailable": "Alamat intake tidak diketahui: pemisahan tidak bisa dilakukan dari konsol.",
      by: "oleh {who}", "action.assign": "tugaskan ke tim", "action.priority": "ubah prioritas",
      "action.cancel": "batalkan", "action.close": "tutup", "member": "anggota tim",
      "a.team": "Tim", "a.state": "Status", "a.created": "Ditugaskan", "a.deadline": "Batas terima",
      "a.ack": "Diterima", "a.released": "Dilepas", "a.current": "saat ini",
      "actor.policy": "kebijakan penugasan", "actor.system": "sistem",
      "why.zone_match": "zona tim cocok", "why.zone_not_covered": "tidak ada tim bebas yang mencakup zona ini",
      "why.zone_unknown": "zona tidak diketahui", "why.load": "beban {n}/{of}", "why.free_longest": "paling lama bebas",
      "why.never_busy": "belum pernah bertugas", "why.after_missed": "setelah {n} kali terlewat",
      "why.last_resort": "pilihan terakhir: pernah terlewat, tim lain tidak punya ruang",
      "why.borrowed": "tidak ada tim bebas: dipinjam dari zona lain",
      "why.no_free_team": "tidak ada tim bertugas yang bebas", "why.ack_missed": "batas terima terlewat",
      "why.handover": "pergantian sif",
      "release.reassigned": "dialihkan", "release.cancelled": "dibatalkan", "release.timed_out": "batas terima terlewat",
      "release.handover": "pergantian sif",
    },
    en: {
      "detail.title": "Incident", facts: "Summary", timeline: "Timeline", assignments: "Assignments",
      actions: "Supervisor actions", "actions.reason": "Every action needs a reason; it is kept in the timeline.",
      reason: "Reason", "assign.title": "Assign / reassign to a team", "assign.team": "Team on duty",
      "assign.submit": "Assign", "priority.title": "Change the priority", "priority.value": "New priority",
      "priority.submit": "Change priority", "close.title": "Close the incident",
      "close.outcome": "Outcome (when a team still holds it)", "close.none": "— no outcome —", "close.submit": "Close",
      "cancel.title": "Cancel (duplicate / false report)", "cancel.submit": "Cancel the incident",
      "no_team.title": "No TRC team can go", "no_team.alternative": "What was done instead",
      "no_team.submit": "Record: no team", "action.no_team": "no TRC team", "f.no_team": "No TRC team",
      "reason.short": "Write a reason (3 letters at least).", "team.pick": "Choose a team on duty.",
      "team.on_duty": "on duty", "team.off_duty": "off duty", "team.load": "load {n}",
      done: "Saved: {what}.", "not.found": "No such incident in your region.",
      "f.state": "State", "f.priority": "Priority", "f.category": "Category", "f.channel": "Channel",
      "f.place": "Place", "f.address": "Address", "f.people": "People", "f.flags": "Danger flags",
      "f.description": "Description", "f.team": "Team", "f.received": "Reported", "f.reports": "Reports joined",
      "f.case": "Shelter case", "t.received": "Report received by {channel}",
      "t.assigned": "Assigned to {team} by {by}", "t.reasons": "Policy's reasons: {reasons}",
      "t.acknowledged": "{team} accepted", "t.released": "{team}'s assignment released: {why}",
      "t.state": "State became {to}", "t.manual": "Supervisor action: {action}",
      "t.field_update": "Button pressed: {action}", "t.escalation": "Escalation {kind} (level {level})",
      "t.report_joined": "Report {report} joined (duplicate, {priority})",
      "t.raised": "priority raised from {from}", "t.people": "people {from} → {to}",
      "t.report_unlinked": "Report {report} split off as an incident of its own: {number}",
      "t.split_from": "Split off from incident {number} (report {report})",
      "t.people_recounted": "People counted again: {from} → {to}", "t.open": "open",
      "t.checkin_requested": "Team asked for news (check-in)", "t.case": "Shelter case {state}",
      reports: "Linked reports", "r.report": "Report", "r.channel": "Channel", "r.received": "Received",
      "r.category": "Category", "r.people": "People", "r.why": "Why joined", "r.first": "first report",
      "split.button": "Split", "split.title": "Split report {report} off as an incident of its own",
      "split.hint": "The report becomes an incident of its own and is dispatched; the reason is kept in both timelines.",
      "split.submit": "Split", "split.cancel": "Cancel",
      "split.waiting": "Split at intake; waiting for its new incident…",
      "split.done": "Report {report} is now incident {number}.",
      "split.slow": "Split at intake; the timeline will show it shortly.",
      "split.unavailable": "Intake's address is unknown: the console cannot split reports.",
      by: "by {who}", "action.assign": "assign to a team", "action.priority": "change priority",
      "action.cancel": "cancel", "action.close": "close", "member": "team member",
      "a.team": "Team", "a.state": "State", "a.created": "Assigned", "a.deadline": "Accept by",
      "a.ack": "Accepted", "a.released": "Released", "a.current": "current",
      "actor.policy": "the assignment policy", "actor.system": "the system",
      "why.zone_match": "zone match", "why.zone_not_covered": "no free team covers the zone",
      "why.zone_unknown": "zone unknown", "why.load": "load {n}/{of}", "why.free_longest": "free longest",
      "why.never_busy": "never busy yet", "why.after_missed": "after {n} missed",
      "why.last_resort": "last resort: missed it before, no other team has room",
      "why.borrowed": "no free team: borrowed across zones",
      "why.no_free_team": "no free team on duty", "why.ack_missed": "acknowledgment deadline missed",
      "why.handover": "shift handover",
      "release.reassigned": "reassigned", "release.cancelled": "cancelled", "release.timed_out": "not accepted in time",
      "release.handover": "shift handover",
    },
  });
  // The assignment policy's reasons and the system's, as services/dispatch writes them (English,
  // kept so in the API and the events): said in the page's language.
  TRC.phrases([
    [/^zone match$/, "why.zone_match"], [/^no free team covers the zone$/, "why.zone_not_covered"],
    [/^zone unknown$/, "why.zone_unknown"], [/^load (?<n>\d+)\/(?<of>\d+)$/, "why.load"],
    [/^free longest$/, "why.free_longest"], [/^never busy yet$/, "why.never_busy"],
    [/^after (?<n>\d+) missed$/, "why.after_missed"],
    [/^last resort: missed it before, no other team has room$/, "why.last_resort"],
    [/^no free team: borrowed across zones$/, "why.borrowed"],
    [/^no free team on duty$/, "why.no_free_team"], [/^acknowledgment deadline missed$/, "why.ack_missed"],
    [/^shift handover$/, "why.handover"],
  ]);

  const $ = (id) => document.getElementById(id);
  const incidentId = decodeURIComponent(window.location.pathname.split("/").pop());
  const state = { me: null, incident: null, zone: "WIB", teams: new Map(), timer: 0, intake: null, splitting: null };
  const when = (iso) => KONSOL.time(iso, state.zone, { seconds: true });
  const teamName = (id) => (state.teams.get(id) || {}).name || id || TRC.t("none");
  const MACHINE = new Set(["policy", "system"]); // not a person: what they write is said in the page's words
  const who = (actor) => String(actor || "").startsWith("member:") ? `${TRC.t("member")} ${actor.slice(7)}`
    : MACHINE.has(actor) ? TRC.t(`actor.${actor}`) : actor;
  // A person's reason is shown as typed; the policy's and the system's ("zone match; load 0/2") translated.
  const reasonOf = (actor, text) => !text ? null : MACHINE.has(actor) ? text.split("; ").map(TRC.said).join("; ") : text;
  const released = (why) => KONSOL.word("release", why);
  // A report id's end: enough to tell an incident's reports apart (the whole id in its title).
  const ref = (id) => `…${String(id || "").slice(-8)}`;
  const incidentPage = (id) => `/konsol/insiden/${encodeURIComponent(id)}?region=${encodeURIComponent(state.region || "")}`;
  // Intake lets call-center staff and supervisors of the region split a report (admins too).
  const canSplit = (me) => Boolean(me && me.roles.some((r) => ["call_center", "supervisor", "admin"].includes(r)));

  function facts(i) {
    const place = [i.kelurahan, i.kecamatan].filter(Boolean).join(", ");
    const cases = i.cases || (i.case ? [i.case] : []);
    return KONSOL.pairs([
      [TRC.t("f.state"), KONSOL.word("state", i.state)], [TRC.t("f.priority"), i.priority],
      [TRC.t("f.category"), KONSOL.category(i.category)], [TRC.t("f.channel"), KONSOL.word("channel", i.channel)],
      [TRC.t("f.place"), place || TRC.t("none")],
      ...(i.address ? [[TRC.t("f.address"), i.address]] : []),
      [TRC.t("f.people"), i.people_count],
      [TRC.t("f.flags"), (i.danger_flags || []).map((f) => KONSOL.word("flag", f)).join(", ") || TRC.t("none")],
      ...(i.description ? [[TRC.t("f.description"), i.description]] : []),
      [TRC.t("f.team"), i.team_name || teamName(i.team_id)], [TRC.t("f.received"), when(i.received_at)],
      ...(i.no_team_alternative ? [[TRC.t("f.no_team"),
        `${KONSOL.word("alternative", i.no_team_alternative)} · ${when(i.no_team_at)}`]] : []),
      [TRC.t("f.reports"), (i.report_ids || []).length || 1],
      ...cases.map((c) => [TRC.t("f.case"), [c.shelter_name, KONSOL.word("case", c.state),
        c.outcome ? KONSOL.word("outcome", c.outcome) : null].filter(Boolean).join(" · ")]),
    ]);
  }

  // The log, the assignments and the shelter cases, merged into one list in time order.
  function entries(i) {
    const list = [{ at: i.received_at, kind: "received", text: TRC.t("t.received", { channel: KONSOL.word("channel", i.channel) }) }];
    for (const a of i.assignments || []) {
      const team = teamName(a.team_id);
      list.push({ at: a.created_at, kind: "assigned", text: TRC.t("t.assigned", { team, by: who(a.assigned_by) }),
        extra: a.reasons && a.reasons.length ? TRC.t("t.reasons", {
          reasons: (MACHINE.has(a.assigned_by) ? a.reasons.map(TRC.said) : a.reasons).join(", ") }) : null });
      if (a.acknowledged_at) list.push({ at: a.acknowledged_at, kind: "acknowledged", text: TRC.t("t.acknowledged", { team }) });
      if (a.released_at) list.push({ at: a.released_at, kind: "released", text: TRC.t("t.released", { team, why: a.release_reason ? released(a.release_reason) : "" }) });
    }
    for (const e of i.timeline || []) list.push(logEntry(e));
    for (const c of i.cases || []) {
      list.push({ at: c.opened_at || c.updated_at || c.at || i.closed_at || i.received_at, kind: "case",
        text: TRC.t("t.case", { state: KONSOL.word("case", c.state) }),
        extra: [c.shelter_name, c.outcome ? KONSOL.word("outcome", c.outcome) : null].filter(Boolean).join(" · ") });
    }
    return list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  const SAID = ["reason", "action", "to", "escalation", "level", "note", "report_id", "split_to", "split_to_id",
    "split_from", "split_from_id", "people_from", "people_to", "raised_from"];  // in the line's own words

  function logEntry(e) {
    const d = e.detail || {};
    const rest = Object.entries(d).filter(([k, v]) => !SAID.includes(k) && !(e.kind === "report_joined" && k === "priority") && v !== null && v !== "")
      .map(([k, v]) => `${k}: ${k === "team_id" ? teamName(v) : Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : v}`);
    const texts = {
      state: () => TRC.t("t.state", { to: KONSOL.word("state", d.to) }),
      manual: () => TRC.t("t.manual", { action: KONSOL.word("action", d.action) }),
      field_update: () => TRC.t("t.field_update", { action: KONSOL.word("state", d.action === "accept" ? "acknowledged" : d.action) }),
      escalation: () => TRC.t("t.escalation", { kind: d.escalation || "", level: d.level || 1 }),
      report_joined: () => TRC.t("t.report_joined", { report: ref(d.report_id), priority: d.priority || "" }),
      report_unlinked: () => TRC.t("t.report_unlinked", { report: ref(d.report_id), number: d.split_to || "" }),
      split_from: () => TRC.t("t.split_from", { report: ref(d.report_id), number: d.split_from || "" }),
      people_recounted: () => TRC.t("t.people_recounted", { from: d.people_from, to: d.people_to }),
    };
    const text = texts[e.kind] ? texts[e.kind]() : TRC.t(`t.${e.kind}`) === `t.${e.kind}` ? e.kind : TRC.t(`t.${e.kind}`);
    const said = [
      d.raised_from ? TRC.t("t.raised", { from: d.raised_from }) : null,
      e.kind !== "people_recounted" && d.people_to ? TRC.t("t.people", { from: d.people_from, to: d.people_to }) : null,
    ].filter(Boolean);
    const other = d.split_to_id || d.split_from_id;
    return { at: e.at, kind: e.kind, text, actor: who(e.actor), reason: reasonOf(e.actor, d.reason || d.note),
      extra: [...said, ...rest].join(" · ") || null, link: other ? incidentPage(other) : null };
  }

  function show(i) {
    state.incident = i;
    state.zone = KONSOL.zoneOf(i.region_code);
    $("heading").replaceChildren(TRC.el("span", { class: `badge ${i.priority}` }, i.priority), " ", i.number,
      " — ", KONSOL.category(i.category));
    document.title = `${i.number} — TRC Dispatch`;
    $("facts").replaceChildren(facts(i));
    $("timeline").replaceChildren(...entries(i).map((e) => TRC.el("li", { class: e.kind },
      TRC.el("div", { class: "at" }, when(e.at), e.actor ? ` · ${TRC.t("by", { who: e.actor })}` : ""),
      TRC.el("div", {}, e.text, e.link ? [" (", TRC.el("a", { href: e.link }, TRC.t("t.open")), ")"] : null),
      e.reason ? TRC.el("div", { class: "reason" }, `“${e.reason}”`) : null,
      e.extra ? TRC.el("div", { class: "hint" }, e.extra) : null)));
    $("assignments").replaceChildren(assignments(i.assignments || []));
    $("reports").replaceChildren(reports(i.reports || []));
    if (state.splitting && !(i.reports || []).some((r) => r.report_id === state.splitting)) closeSplit();
  }

  // ------------------------------------------------------------------ linked reports and the split
  function reports(list) {
    if (!list.length) return TRC.el("p", { class: "hint" }, TRC.t("none"));
    const splitting = canSplit(state.me) && list.length > 1;
    return TRC.el("table", { class: "plain" },
      TRC.el("thead", {}, TRC.el("tr", {}, ["r.report", "r.channel", "r.received", "r.category", "r.people", "r.why"]
        .map((k) => TRC.el("th", { scope: "col" }, TRC.t(k))), splitting ? TRC.el("th", { scope: "col" }) : null)),
      TRC.el("tbody", {}, list.map((r) => TRC.el("tr", { "data-report": r.report_id },
        TRC.el("td", {}, TRC.el("code", { title: r.report_id }, ref(r.report_id))),
        TRC.el("td", {}, KONSOL.word("channel", r.channel)), TRC.el("td", {}, when(r.received_at)),
        TRC.el("td", {}, KONSOL.category(r.category)), TRC.el("td", {}, String(r.people_count)),
        TRC.el("td", {}, r.first ? TRC.el("span", { class: "tag" }, TRC.t("r.first")) : TRC.said(r.duplicate_reason) || TRC.t("none")),
        splitting ? TRC.el("td", {}, r.first ? null : TRC.el("button", { type: "button", class: "split",
          onclick: () => openSplit(r.report_id) }, TRC.t("split.button"))) : null))));
  }

  function openSplit(reportId) {
    state.splitting = reportId;
    $("split-title").textContent = TRC.t("split.title", { report: ref(reportId) });
    $("split-result").textContent = "";
    $("split").hidden = false;
    $("split-reason").focus();
  }

  function closeSplit() {
    state.splitting = null;
    $("split").reset();
    $("split").hidden = true;
  }

  // Intake separates the report and tells dispatch; the new incident appears once dispatch has it.
  async function split(form) {
    const result = $("split-result");
    const reportId = state.splitting;
    const reason = form.reason.value.trim();
    result.className = "message error";
    if (reason.length < 3) { result.textContent = TRC.t("reason.short"); form.reason.focus(); return; }
    if (!state.intake) { result.textContent = TRC.t("split.unavailable"); return; }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const answer = await TRC.api(`${state.intake}/api/v1/reports/${encodeURIComponent(reportId)}/unlink`, {
      method: "POST", body: { reason }, credentials: "include",
    });
    button.disabled = false;
    if (!answer.ok) {
      const detail = answer.data.detail;
      result.textContent = Array.isArray(detail) ? detail.map((d) => d.msg).join("; ") : String(detail || answer.status);
      return;
    }
    closeSplit();
    result.className = "message";
    result.textContent = TRC.t("split.waiting");
    const entry = await splitSeen(reportId);
    result.className = "message success";
    if (!entry) { result.textContent = TRC.t("split.slow"); return; }
    result.replaceChildren(TRC.t("split.done", { report: ref(reportId), number: entry.detail.split_to }), " ",
      TRC.el("a", { href: incidentPage(entry.detail.split_to_id) }, TRC.t("t.open")));
  }

  async function splitSeen(reportId, tries = 40) {
    for (let n = 0; n < tries; n += 1) {
      await load();
      const found = ((state.incident || {}).timeline || []).find((e) => e.kind === "report_unlinked" && (e.detail || {}).report_id === reportId);
      if (found) return found;
      await new Promise((resolve) => { setTimeout(resolve, 500); });
    }
    return null;
  }

  function assignments(list) {
    if (!list.length) return TRC.el("p", { class: "hint" }, TRC.t("none"));
    return TRC.el("table", { class: "plain" },
      TRC.el("thead", {}, TRC.el("tr", {}, ["a.team", "a.state", "a.created", "a.deadline", "a.ack", "a.released"]
        .map((k) => TRC.el("th", { scope: "col" }, TRC.t(k))))),
      TRC.el("tbody", {}, list.map((a) => TRC.el("tr", {},
        TRC.el("td", {}, teamName(a.team_id), a.current ? TRC.el("span", { class: "tag ok" }, ` ${TRC.t("a.current")}`) : null),
        TRC.el("td", {}, a.state), TRC.el("td", {}, when(a.created_at)), TRC.el("td", {}, when(a.ack_deadline)),
        TRC.el("td", {}, a.acknowledged_at ? when(a.acknowledged_at) : TRC.t("none")),
        TRC.el("td", {}, a.released_at ? `${when(a.released_at)} (${a.release_reason ? released(a.release_reason) : ""})` : TRC.t("none"))))));
  }

  // ------------------------------------------------------------------ loading
  async function load() {
    const answer = await TRC.api(`/api/v1/incidents/${encodeURIComponent(incidentId)}`);
    if (!answer.ok) {
      $("message").textContent = answer.status === 404 ? TRC.t("not.found") : String(answer.data.detail || answer.status);
      return;
    }
    if (!state.teams.size || answer.data.region_code !== state.region) await loadTeams(answer.data.region_code);
    show(answer.data);
  }

  async function loadTeams(region) {
    state.region = region;
    const answer = await TRC.api(`/api/v1/console/teams?region=${encodeURIComponent(region)}`);
    const teams = answer.ok ? answer.data.teams || [] : [];
    state.teams = new Map(teams.map((t) => [t.team_id, t]));
    const chosen = $("assign-team").value;
    $("assign-team").replaceChildren(TRC.el("option", { value: "" }, TRC.t("team.pick")), ...teams.map((t) =>
      TRC.el("option", { value: t.team_id, disabled: t.on_duty ? null : true, selected: t.team_id === chosen || null },
        `${t.code} — ${t.name} (${TRC.t(t.on_duty ? "team.on_duty" : "team.off_duty")}, ${TRC.t("team.load", { n: t.load })})`)));
  }

  // A change anywhere in the region may be this incident's: reload it when it is.
  function follow(region) {
    const source = new EventSource(`/api/v1/console/stream?region=${encodeURIComponent(region)}`);
    source.addEventListener("incident", (event) => {
      let row = {};
      try { row = JSON.parse(event.data); } catch (err) { return; }
      if (row.incident_id !== incidentId) return;
      clearTimeout(state.timer);
      state.timer = setTimeout(load, 200);
    });
  }

  // ------------------------------------------------------------------ supervisor actions
  const ACTIONS = {
    assign: (form) => ({ team_id: form.team_id.value }),
    priority: (form) => ({ priority: form.priority.value }),
    close: (form) => (form.outcome.value ? { outcome: form.outcome.value } : {}),
    cancel: () => ({}),
    no_team: (form) => ({ alternative: form.alternative.value }),
  };

  async function act(name, form) {
    const reason = form.reason.value.trim();
    const result = $("action-result");
    result.className = "message error";
    if (reason.length < 3) { result.textContent = TRC.t("reason.short"); form.reason.focus(); return; }
    if (name === "assign" && !form.team_id.value) { result.textContent = TRC.t("team.pick"); form.team_id.focus(); return; }
    const button = form.querySelector("button");
    button.disabled = true;
    const answer = await TRC.api(`/api/v1/incidents/${encodeURIComponent(incidentId)}/${name.replace("_", "-")}`, {
      method: "POST", body: { ...ACTIONS[name](form), reason },
    });
    button.disabled = false;
    if (!answer.ok) {
      const detail = answer.data.detail;
      result.textContent = Array.isArray(detail) ? detail.map((d) => d.msg).join("; ") : String(detail || answer.status);
      return;
    }
    result.className = "message success";
    result.textContent = TRC.t("done", { what: KONSOL.word("action", name) });
    form.reset();
    await loadTeams(state.region);
    await load();
  }

  function alternatives() {
    const select = $("no_team-alternative");
    const chosen = select.value;
    select.replaceChildren(...["police", "ambulance", "puskesmas", "next_patrol", "other"].map((a) =>
      TRC.el("option", { value: a, selected: a === chosen || null }, KONSOL.word("alternative", a))));
  }

  function outcomes() {
    const select = $("close-outcome");
    const chosen = select.value;
    select.replaceChildren(TRC.el("option", { value: "" }, TRC.t("close.none")),
      ...["secured", "not_found", "resolved_on_site", "refused", "referred"].map((s) =>
        TRC.el("option", { value: s, selected: s === chosen || null }, KONSOL.word("state", s))));
  }

  async function start() {
    const { me, region } = await KONSOL.start();
    state.me = me;
    state.region = region;
    $("actions").hidden = !KONSOL.isSupervisor(me);
    const services = await TRC.api("/api/v1/console/services");
    state.intake = services.ok ? services.data.intake : null;
    $("split").addEventListener("submit", (event) => { event.preventDefault(); split($("split")); });
    $("split-cancel").addEventListener("click", closeSplit);
    outcomes();
    alternatives();
    for (const name of Object.keys(ACTIONS)) {
      $(name).addEventListener("submit", (event) => { event.preventDefault(); act(name, $(name)); });
    }
    await loadTeams(region);
    await load();
    follow(state.region);
    $("heading").focus();
  }

  document.addEventListener("trc:lang", () => {
    if (state.splitting) $("split-title").textContent = TRC.t("split.title", { report: ref(state.splitting) });
    if (state.incident) { outcomes(); alternatives(); show(state.incident); }
  });
  start();
})();
