/**
 * The playground's web chat: one self-contained page (inline CSS and JS, no external assets) that works
 * under the CSP `default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'`.
 * It talks to GET /playground/api/config and POST /playground/api/event and keeps every pane's history
 * in memory. Block HTML (`html`, choice descriptions, field values, table cells, action button labels)
 * arrives already escaped from render.ts; everything else is set as text.
 * The script lives in a raw template literal: it must not contain backticks or `${`.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw, so an escape added later reaches the browser unchanged
const STYLE = String.raw`
:root{color-scheme:light dark;--bg:#f4f5f7;--panel:#fff;--fg:#1d2330;--muted:#5f6b7c;--line:#d8dce3;--accent:#2f63d4;
--accent-fg:#fff;--soft:#e9effc;--badge:#fff3d6;--badge-fg:#7a4b00;--err:#b42318;--errbg:#fdecea;--mine:#eef7ee}
@media (prefers-color-scheme:dark){:root{--bg:#13161b;--panel:#1b1f26;--fg:#e6e8ec;--muted:#9aa4b2;--line:#333a46;
--accent:#7aa5fa;--accent-fg:#0b1220;--soft:#1e2a40;--badge:#45370f;--badge-fg:#ffd98a;--err:#ff9b8f;--errbg:#3a1e1b;--mine:#1d2b22}}
*{box-sizing:border-box}
body{margin:0;height:100vh;display:flex;flex-direction:column;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;gap:16px;align-items:center;justify-content:space-between;padding:10px 18px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:17px;margin:0}h1 small{color:var(--muted);font-weight:400}
label{font-size:13px;color:var(--muted)}
select,input,button{font:inherit;color:inherit}
select,input{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 10px}
.app{flex:1;min-height:0;display:grid;grid-template-columns:210px 1fr}
nav{border-right:1px solid var(--line);padding:12px 8px;background:var(--panel);overflow:auto}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:12px 10px 6px}
.tab{display:flex;justify-content:space-between;width:100%;text-align:left;border:0;background:none;padding:7px 10px;border-radius:8px;cursor:pointer}
.tab:hover{background:var(--soft)}.tab[aria-current=true]{background:var(--accent);color:var(--accent-fg);font-weight:600}
.unread{background:var(--err);color:#fff;border-radius:10px;padding:0 7px;font-size:12px;font-weight:600}
main{display:flex;flex-direction:column;min-width:0;min-height:0}
.pane-title{padding:10px 18px;border-bottom:1px solid var(--line);font-weight:600}
.pane-title span{color:var(--muted);font-weight:400;font-size:13px;margin-left:8px}
.log{flex:1;min-height:0;position:relative;overflow:auto;padding:14px 18px;display:flex;flex-direction:column;gap:12px}
.empty{color:var(--muted);margin:auto;text-align:center}
.msg{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:10px 14px;max-width:860px}
.msg.mine{background:var(--mine);align-self:flex-end}
.meta{display:flex;gap:8px;align-items:baseline;font-size:12px;color:var(--muted);margin-bottom:4px}
.meta b{color:var(--fg);font-size:13px}
.private{border:1px solid var(--line);border-radius:6px;padding:0 6px}
.msg h3{font-size:16px;margin:4px 0 6px}.md p{margin:4px 0}.md ul,.md ol{margin:4px 0;padding-left:22px}
.md code{background:var(--soft);padding:0 4px;border-radius:4px}
.ctx{font-size:12.5px;color:var(--muted);margin:6px 0}.ctx p{margin:0}
a{color:var(--accent)}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:6px 16px;margin:8px 0}
.fields dt{font-size:12px;color:var(--muted)}.fields dd{margin:0;font-weight:600}.fields dd p{margin:0}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 12px 4px 0;text-align:left}th{font-size:12px;color:var(--muted)}
.choices{list-style:none;margin:8px 0;padding:0;display:flex;flex-direction:column;gap:6px}
.choice{display:grid;grid-template-columns:92px 1fr;gap:12px;align-items:start;padding:6px;border-radius:8px;border:1px solid transparent}
.choice.primary{border-color:var(--accent);background:var(--soft)}
.choice .desc p{margin:0 0 2px}.choice .desc ul{margin:0;padding-left:18px;font-size:13.5px}
.badge{display:inline-block;background:var(--badge);color:var(--badge-fg);font-size:12px;border-radius:6px;padding:0 6px;margin-left:6px;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 2px}
.btn{border:1px solid var(--line);background:var(--panel);border-radius:8px;padding:5px 12px;cursor:pointer}
.btn:hover{border-color:var(--accent)}.btn.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.btn.danger{border-color:var(--err);color:var(--err)}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.progress{display:flex;align-items:center;gap:8px;font-size:12px;color:var(--muted);margin:2px 0 6px}
.bar{flex:0 0 160px;height:6px;background:var(--line);border-radius:3px;overflow:hidden}.bar i{display:block;height:100%;background:var(--accent)}
.error{margin:0 18px;padding:8px 12px;border-radius:8px;background:var(--errbg);color:var(--err);font-weight:600}
form{display:flex;gap:8px;padding:12px 18px;border-top:1px solid var(--line);background:var(--panel)}
form input{flex:1}
.send{background:var(--accent);color:var(--accent-fg);border:0;border-radius:8px;padding:6px 18px;font-weight:600;cursor:pointer}
.chips{display:flex;gap:6px;padding:0 18px 10px;background:var(--panel);flex-wrap:wrap}
.chip{border:1px solid var(--line);background:none;border-radius:14px;padding:2px 10px;font-size:13px;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:700px){body{height:auto}.app{grid-template-columns:1fr}nav{border-right:0;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap}nav h2{display:none}.tab{width:auto}.log{min-height:60vh}}
`;

// biome-ignore lint/complexity/noUselessStringRaw: raw, so an escape added later reaches the browser unchanged
const SCRIPT = String.raw`
(function () {
  "use strict";
  var COMMANDS = ["help", "setup", "assess", "status", "roadmap", "ask", "lead"];
  var state = { users: [], channels: [], user: "", pane: "", panes: {}, unread: {}, busy: false, seq: 0, focusKey: null };
  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === undefined || v === null || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;
      else if (k === "testid") node.setAttribute("data-testid", v);
      else if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function userName(id) {
    var u = state.users.find(function (x) { return x.id === id; });
    return u ? u.name.replace(/ [(].*[)]$/, "") : id;
  }
  function dmPane(user) { return "dm:" + user; }
  function channelOf(pane) { return pane.indexOf("dm:") === 0 ? "dm" : pane.slice("channel:".length); }
  function panesOf(user) {
    return [dmPane(user)].concat(state.channels.filter(function (c) { return c.members.indexOf(user) >= 0; })
      .map(function (c) { return "channel:" + c.id; }));
  }
  function channelById(id) { return state.channels.find(function (c) { return c.id === id; }); }
  function paneLabel(pane) { return pane.indexOf("dm:") === 0 ? "Direct messages" : "#" + channelById(channelOf(pane)).name; }
  function visible(item) { return !item.visibleTo || item.visibleTo === state.user; }
  function history(pane) { return state.panes[pane] || (state.panes[pane] = []); }

  function addReply(r, actor) {
    var list = history(r.pane);
    var item = { id: ++state.seq, from: "bot", reply: r, visibleTo: r.private ? actor : null, at: new Date() };
    var index = -1;
    if (r.replace && r.key) {
      for (var i = list.length - 1; i >= 0; i--) {
        var old = list[i];
        if (old.from === "bot" && old.reply.key === r.key && old.visibleTo === item.visibleTo) { index = i; break; }
      }
    }
    if (index >= 0) list[index] = item; else list.push(item);
    if (r.pane !== state.pane) state.unread[r.pane] = (state.unread[r.pane] || 0) + 1;
    return item;
  }

  function showError(text) {
    var box = $("error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function setBusy(busy) {
    state.busy = busy;
    $("messages").setAttribute("aria-busy", busy ? "true" : "false");
    $("send").disabled = busy;
    document.body.setAttribute("data-busy", busy ? "true" : "false");
  }

  async function send(payload, echo) {
    if (state.busy) return false;
    var actor = state.user, pane = state.pane;
    setBusy(true);
    try {
      var res;
      try {
        res = await fetch("/playground/api/event", {
          method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify(Object.assign({ user: actor, channel: channelOf(pane) }, payload)),
        });
      } catch (e) {
        showError("Can't reach the bot at " + location.host + ": is it still running? Nothing was sent; try again.");
        return false;
      }
      var body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      if (!res.ok || !body || !Array.isArray(body.replies)) {
        var why = body && body.error ? body.error : res.statusText || "no readable answer";
        showError("The bot answered with an error (" + res.status + "): " + why + ". Nothing was lost; try again.");
        return false;
      }
      showError("");
      if (echo) history(pane).push({ id: ++state.seq, from: "user", user: actor, text: echo, visibleTo: null, at: new Date() });
      var last = null;
      body.replies.forEach(function (r) { var item = addReply(r, actor); if (r.pane === pane) last = item; });
      state.focusKey = payload.type === "action" && last ? last.id : null;
      render();
      return true;
    } finally {
      setBusy(false);
    }
  }

  function parse(text) {
    var t = text.trim();
    var slash = /^[/]?maturity(?:[ ]+|$)/i.exec(t);
    var rest = slash ? t.slice(slash[0].length).trim() : t.replace(/^[/]/, "");
    var words = rest.split(/[ ]+/);
    var name = (words[0] || "").toLowerCase();
    if (slash || COMMANDS.indexOf(name) >= 0) return { type: "command", name: name, args: words.slice(1).join(" ") };
    return { type: "message", text: t };
  }

  async function submit(event) {
    if (event) event.preventDefault();
    var input = $("composer");
    var text = input.value.trim();
    if (!text) return;
    if (await send(parse(text), text)) input.value = "";
    input.focus();
  }

  function button(b, pane, extraClass) {
    return el("button", {
      type: "button", class: "btn" + (b.style ? " " + b.style : "") + (extraClass || ""), testid: "btn-" + b.id,
      "data-action": b.value && b.value.action,
      onclick: function () { if (pane === state.pane) send({ type: "action", actionId: b.id, value: b.value }); },
    });
  }

  function renderBlock(block, pane) {
    switch (block.type) {
      case "heading": return el("h3", { html: block.html });
      case "markdown": return el("div", { class: "md", html: block.html });
      case "context": return el("div", { class: "ctx", html: block.html });
      case "divider": return el("hr");
      case "image": return el("img", { class: "chart", src: block.src, alt: block.alt, title: block.title, testid: "image" });
      case "fields":
        return el("dl", { class: "fields", testid: "fields" }, block.fields.map(function (f) {
          return el("div", { "data-label": f.label }, [el("dt", { html: f.label }), el("dd", { html: f.value })]);
        }));
      case "table":
        return el("table", { testid: "table" }, [
          el("thead", {}, [el("tr", {}, block.columns.map(function (c) { return el("th", { scope: "col", html: c }); }))]),
          el("tbody", {}, block.rows.map(function (row) {
            return el("tr", {}, row.map(function (c) { return el("td", { html: c }); }));
          })),
        ]);
      case "choices":
        return el("ul", { class: "choices", testid: "choices" }, block.choices.map(function (c) {
          var b = button(c, pane);
          b.textContent = c.label;
          var descId = "d" + state.seq + "-" + Math.random().toString(36).slice(2, 8);
          b.setAttribute("aria-describedby", descId);
          var desc = el("div", { class: "desc", id: descId, html: c.description });
          if (c.note) {
            var title = desc.querySelector("strong") || desc.firstChild;
            desc.insertBefore(el("span", { class: "badge", testid: "note", text: c.note }), null);
            if (title) title.parentNode.insertBefore(desc.lastChild, title.nextSibling);
          }
          return el("li", { class: "choice" + (c.style === "primary" ? " primary" : "") }, [b, desc]);
        }));
      case "actions":
        return el("div", { class: "actions", role: "group" }, block.buttons.map(function (bt) {
          var b = button(bt, pane);
          b.innerHTML = bt.label;
          return b;
        }));
      default: return null;
    }
  }

  function renderItem(item, pane) {
    var time = item.at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (item.from === "user") {
      return el("article", { class: "msg mine", testid: "user-message" }, [
        el("div", { class: "meta" }, [el("b", { text: userName(item.user) }), el("span", { text: time })]),
        el("div", { text: item.text }),
      ]);
    }
    var r = item.reply;
    var meta = el("div", { class: "meta" }, [el("b", { text: "maturity-bot" }), el("span", { text: time }),
      r.private ? el("span", { class: "private", testid: "private", text: "only visible to you" }) : null]);
    var children = [meta];
    if (r.progress) {
      var pct = Math.round((100 * r.progress.current) / r.progress.total);
      var bar = el("div", { class: "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(r.progress.total),
        "aria-valuenow": String(r.progress.current), "aria-label": "Assessment progress" }, [el("i")]);
      bar.firstChild.style.width = pct + "%";
      children.push(el("div", { class: "progress" }, [bar,
        el("span", { testid: "progress", text: r.progress.current + "/" + r.progress.total })]));
    }
    r.blocks.forEach(function (b) { children.push(renderBlock(b, pane)); });
    return el("article", { class: "msg", testid: "message", "data-key": r.key, "data-item": String(item.id),
      "aria-label": "maturity-bot: " + r.text }, children);
  }

  function renderTabs() {
    var nav = $("tabs");
    nav.textContent = "";
    var panes = panesOf(state.user);
    panes.forEach(function (pane, i) {
      if (i === 1) nav.appendChild(el("h2", { text: "Channels" }));
      var n = state.unread[pane] || 0;
      var id = pane.indexOf("dm:") === 0 ? "dm" : channelOf(pane);
      nav.appendChild(el("button", {
        type: "button", class: "tab", testid: "tab-" + id, "aria-current": pane === state.pane ? "true" : null,
        onclick: function () { state.pane = pane; render(); $("composer").focus(); },
      }, [el("span", { text: paneLabel(pane) }), n ? el("span", { class: "unread", testid: "unread", text: String(n), "aria-label": n + " new" }) : null]));
    });
  }

  function render() {
    delete state.unread[state.pane];
    renderTabs();
    var pane = state.pane;
    var title = $("pane-title");
    title.textContent = paneLabel(pane);
    var ch = channelById(channelOf(pane));
    title.appendChild(el("span", { text: ch ? ch.members.map(userName).join(", ") : "you and maturity-bot" }));
    var log = $("messages");
    log.textContent = "";
    var items = history(pane).filter(visible);
    if (items.length === 0) {
      log.appendChild(el("p", { class: "empty", testid: "empty",
        text: ch ? "Nothing here yet. Try setup to register #" + ch.name + " as a team, then assess." : "Say hello, type help, or ask a question." }));
    }
    items.forEach(function (item) { log.appendChild(renderItem(item, pane)); });
    // Show the newest message; when it is taller than the list, show its start (a question's heading).
    var newest = log.lastElementChild;
    log.scrollTop = newest && newest.offsetHeight > log.clientHeight ? newest.offsetTop - 8 : log.scrollHeight;
    if (state.focusKey) {
      var target = log.querySelector('[data-item="' + state.focusKey + '"] button');
      if (target) target.focus();
      state.focusKey = null;
    }
    $("composer").placeholder = "Message " + paneLabel(pane).replace("Direct messages", "maturity-bot") + ": a command (assess, status, roadmap, help) or a question";
  }

  function switchUser(user) {
    var oldChannel = channelOf(state.pane || "dm:");
    state.user = user;
    var panes = panesOf(user);
    state.pane = panes.indexOf("channel:" + oldChannel) >= 0 ? "channel:" + oldChannel : dmPane(user);
    render();
  }

  // Messages the bot sends first (nudges, reminders, round summaries, the digest) arrive through the inbox.
  async function poll() {
    try {
      var res = await fetch("/playground/api/inbox" + (state.inbox === undefined ? "" : "?after=" + state.inbox));
      if (!res.ok) return;
      var body = await res.json();
      if (state.inbox !== undefined && Array.isArray(body.items) && body.items.length > 0) {
        body.items.forEach(function (r) { addReply(r, null); });
        render();
      }
      state.inbox = body.next;
    } catch (e) {
      // The next poll tries again; sending shows its own error.
    }
  }

  async function start() {
    try {
      var res = await fetch("/playground/api/config");
      if (!res.ok) throw new Error("status " + res.status);
      var config = await res.json();
      state.users = config.users;
      state.channels = config.channels;
    } catch (e) {
      showError("Can't load the playground's users and channels: is the bot running? Reload to try again.");
      return;
    }
    var select = $("user");
    state.users.forEach(function (u) { select.appendChild(el("option", { value: u.id, text: u.name })); });
    select.addEventListener("change", function () { switchUser(select.value); });
    $("composer-form").addEventListener("submit", submit);
    document.querySelectorAll("[data-chip]").forEach(function (chip) {
      chip.addEventListener("click", function () { $("composer").value = chip.getAttribute("data-chip"); submit(); });
    });
    switchUser(state.users[0].id);
    await poll();
    setInterval(poll, 2000);
    document.body.setAttribute("data-ready", "true");
  }
  start();
})();
`;

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maturity-bot playground</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>maturity-bot <small>playground</small></h1>
  <div><label for="user">You are</label> <select id="user" data-testid="user-select"></select></div>
</header>
<div class="app">
  <nav id="tabs" aria-label="Conversations" data-testid="tabs"></nav>
  <main>
    <div class="pane-title" id="pane-title" data-testid="pane-title" role="heading" aria-level="2"></div>
    <div class="log" id="messages" role="log" aria-live="polite" aria-labelledby="pane-title" data-testid="messages" tabindex="0"></div>
    <p class="error" id="error" role="alert" data-testid="error" hidden></p>
    <form id="composer-form" autocomplete="off">
      <label class="sr" for="composer">Message</label>
      <input id="composer" data-testid="composer" maxlength="2000" placeholder="Type a command or a question">
      <button class="send" id="send" type="submit" data-testid="send">Send</button>
    </form>
    <div class="chips" aria-label="Commands">
      <button type="button" class="chip" data-chip="help">help</button><button type="button" class="chip" data-chip="setup">setup</button><button type="button" class="chip" data-chip="assess">assess</button><button type="button" class="chip" data-chip="status">status</button><button type="button" class="chip" data-chip="roadmap">roadmap</button>
    </div>
  </main>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
