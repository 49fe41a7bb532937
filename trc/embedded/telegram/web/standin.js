// The stand-in's page: every chat as its members would see it; press buttons and send commands
// as any Telegram user id (the roster decides whether that user may).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let current = null;
  let shown = "";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return response.json();
  }

  function user() {
    return { id: Number($("user-id").value), first_name: $("user-name").value || "Anggota" };
  }

  async function refreshChats() {
    const chats = await api("/_standin/chats");
    $("chats").replaceChildren(...chats.map((chat) => el("li", {},
      el("button", { type: "button", class: chat.id === current ? "current" : "", onclick: () => open(chat) },
        `${chat.title || chat.first_name} (${chat.id})${chat.blocked ? " — diblokir" : ""} · ${chat.messages}`))));
  }

  function open(chat) {
    current = chat.id;
    shown = "";
    $("chat-title").textContent = `${chat.title || chat.first_name} (${chat.id})`;
    $("say").hidden = false;
    refresh();
  }

  async function refreshMessages() {
    if (current === null) return;
    const messages = await api(`/_standin/chats/${current}/messages`);
    const key = JSON.stringify(messages);
    if (key === shown) return;
    shown = key;
    $("messages").replaceChildren(...messages.map((m) => {
      const mine = !m.from.is_bot;
      const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
      const buttons = rows.flat().map((b) => el("button", { type: "button", onclick: () => press(m, b) }, b.text));
      const text = m.text || (m.location ? `📍 ${m.location.latitude}, ${m.location.longitude}` : "");
      return el("li", { class: mine ? "user" : "bot" },
        el("div", { class: "meta" }, `${m.from.first_name}${m.edit_date ? " · diedit" : ""}`),
        text, buttons.length ? el("div", { class: "keyboard" }, ...buttons) : null);
    }));
  }

  async function press(message, button) {
    const { callback_query_id } = await api("/_standin/press", {
      chat_id: current, message_id: message.message_id, user: user(), data: button.callback_data,
    });
    for (let n = 0; n < 20; n++) {
      const answer = await api(`/_standin/answers/${callback_query_id}`);
      if (answer.answered) { $("toast").textContent = answer.text || "✓"; return; }
      await new Promise((r) => setTimeout(r, 250));
    }
    $("toast").textContent = "(belum dijawab / not answered yet)";
  }

  $("say").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!$("text").value.trim()) return;
    await api("/_standin/say", { chat_id: current, user: user(), text: $("text").value });
    $("text").value = "";
    refresh();
  });
  $("location").addEventListener("click", async () => {
    await api("/_standin/say", { chat_id: current, user: user(), latitude: Number($("lat").value), longitude: Number($("lon").value) });
    refresh();
  });
  $("new-chat").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    await api("/_standin/chats", { id: Number(form.id.value), title: form.title.value, type: form.type.value });
    refreshChats();
  });

  function refresh() { refreshChats(); refreshMessages(); }
  refresh();
  setInterval(refresh, 1000);
})();
