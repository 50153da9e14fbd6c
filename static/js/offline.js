/* GieldaOutbox: a phone that survives the hall's Wi-Fi.

   A form marked `data-offline="<label>"` (post, edit a post, sign, confirm a delivery) is sent
   by this script rather than by the browser. Each sending is an action with a key the phone
   makes (crypto.randomUUID, 32 hex digits), kept in IndexedDB (the vendored idb-keyval) before
   it leaves: the form's fields, where it goes, and the key in the field `key` (a new post's
   one-time form key; for the others the service's sent-actions key). The server recognises the
   key, so sending an action twice does it once (app/core/web/sent_actions.py).

   * Online, it is sent at once with `Accept: application/json`: the answer says where the
     result is, and the page goes there with the server's message. A refusal is shown as the
     server shows it: the form is sent once more by the browser (nothing was done, so nothing
     is done twice) and the page comes back with the message by its fields.
   * The network down (navigator.onLine false, a fetch that fails, or an answer that is not the
     server's: a captive portal, a proxy's error page, a 5xx): the action waits, and the page
     says so — a summary ("Czeka na połączenie: 1 działanie", role=status) and a line per action,
     also next to the form it came from. It stays kept after a reload.
   * It is sent again when the connection returns (`online`), when a page loads, and on a timer
     that waits longer after each failure (2 s doubling to 60 s, jittered). The result is shown
     on the action's line — sent, with the server's message and a link, or refused, with the
     server's reason in the person's language — until the person dismisses it: nothing is lost
     silently.

   Actions are kept per person (data-participant on <body>): a phone someone else logs in on
   does not send another person's actions with its session. GieldaOutbox.stats counts sends
   (shown to tests). */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script.dataset;
  var store = idbKeyval.createStore("gielda-outbox", "actions");
  var RETRY_FIRST_MS = 2000, RETRY_MAX_MS = 60000, KEEP_DONE_MS = 24 * 3600 * 1000, FOREGROUND_MS = 60000;
  var person = document.body.dataset.participant || null;
  var retryTimer = null, retries = 0, flushing = false, again = false;
  var loadedAt = Date.now();
  var stats = { sent: 0, failed: 0, refused: 0, done: 0 };

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));  // plain http on a LAN: no randomUUID
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function plural(n) {  // the summary in the page's language: its plural forms came with the script
    var form = new Intl.PluralRules(document.documentElement.lang || "pl").select(n);
    return (text["waiting" + form[0].toUpperCase() + form.slice(1)] || text.waitingOther).replace("{n}", String(n));
  }

  function mine(item) { return item.person === person; }
  function all() {
    return idbKeyval.values(store).then(function (items) {
      return items.filter(mine).sort(function (a, b) { return a.created - b.created; });
    });
  }
  // The person's other tabs show the same actions: each change is told to them.
  var tabs = window.BroadcastChannel ? new BroadcastChannel("gielda-outbox") : null;
  function told() { if (tabs) { tabs.postMessage("changed"); } }
  function save(item) { return idbKeyval.set(item.key, item, store).then(told); }
  function forget(item) { return idbKeyval.del(item.key, store).then(told); }
  if (tabs) { tabs.onmessage = function () { render(); }; }

  // --- what the page shows ---------------------------------------------------------------
  var box = null, pill = null;
  function outbox() {
    if (box) { return box; }
    box = document.createElement("section");
    box.id = "outbox";
    box.className = "outbox";
    box.hidden = true;
    box.setAttribute("aria-label", text.title);
    box.innerHTML = '<p class="outbox-summary" id="outbox-summary" role="status" aria-live="polite"></p>' +
                    '<ul class="outbox-items" id="outbox-items"></ul>';
    var main = document.querySelector("main") || document.body;
    main.insertBefore(box, main.firstChild);
    // Wherever the page is scrolled, a pill at the foot of the screen says that something waits
    // (the summary above is what screen readers hear; the pill leads to it).
    pill = document.createElement("a");
    pill.id = "outbox-pill";
    pill.className = "outbox-pill";
    pill.href = "#outbox";
    pill.hidden = true;
    pill.setAttribute("aria-hidden", "true");
    pill.tabIndex = -1;
    document.body.appendChild(pill);
    return box;
  }

  function stateText(item) {
    return { waiting: text.stateWaiting, sending: text.stateSending, sent: text.stateSent,
             refused: text.stateRefused }[item.state] || text.stateWaiting;
  }

  function line(item) {
    var li = document.createElement("li");
    li.className = "outbox-item outbox-" + item.state;
    li.dataset.key = item.key;
    li.dataset.state = item.state;
    var what = document.createElement("span");
    what.className = "outbox-label";
    what.textContent = item.label;
    var state = document.createElement("strong");
    state.className = "outbox-state";
    state.textContent = stateText(item);
    li.appendChild(state);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(what);
    if (item.message) {
      var msg = document.createElement("p");
      msg.className = "outbox-message";
      msg.textContent = item.message;
      li.appendChild(msg);
    }
    var actions = document.createElement("div");
    actions.className = "outbox-actions";
    if (item.state === "sent" && item.location) {
      var link = document.createElement("a");
      link.href = item.location;
      link.textContent = text.show;
      actions.appendChild(link);
    }
    if (item.state === "sent" || item.state === "refused") {
      var ok = document.createElement("button");
      ok.type = "button";
      ok.className = "btn small";
      ok.textContent = text.dismiss;
      ok.addEventListener("click", function () { forget(item).then(render); });
      actions.appendChild(ok);
    } else if (item.state === "waiting") {
      var now = document.createElement("button");
      now.type = "button";
      now.className = "btn small";
      now.textContent = text.retry;
      now.addEventListener("click", function () { retries = 0; flush(); });
      actions.appendChild(now);
    }
    if (actions.childNodes.length) { li.appendChild(actions); }
    return li;
  }

  // The forms of this page an action was kept from show it by themselves: a note with its state
  // (and the server's answer once there is one). A form that does its one thing once
  // (data-offline-once: sign, confirm) cannot be sent again while its action waits, nor once it
  // has gone through; after a refusal it is free again.
  function markForms(items) {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-offline]"), function (form) {
      var item = null;
      items.forEach(function (i) { if (i.url === form.action) { item = i; } });  // the latest
      var note = form.nextElementSibling && form.nextElementSibling.classList.contains("outbox-note") ? form.nextElementSibling : null;
      var hold = !!item && item.state !== "refused" && form.hasAttribute("data-offline-once");
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = hold; });
      if (hold) { form.dataset.offlineHeld = "1"; } else { delete form.dataset.offlineHeld; }
      if (!item) {
        if (note) { note.remove(); }
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.setAttribute("role", "status");
        form.parentNode.insertBefore(note, form.nextSibling);
      }
      note.className = "outbox-note outbox-note-" + item.state;
      note.textContent = stateText(item) + ": " + (item.message || item.label);
    });
  }

  function render() {
    return all().then(function (items) {
      var el = outbox();
      var list = el.querySelector("#outbox-items");
      list.textContent = "";
      items.forEach(function (item) { list.appendChild(line(item)); });
      var waiting = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; }).length;
      el.querySelector("#outbox-summary").textContent = waiting ? plural(waiting) : (items.length ? text.allSent : "");
      el.hidden = items.length === 0;
      pill.textContent = waiting ? plural(waiting) : "";
      pill.hidden = waiting === 0;
      el.classList.toggle("outbox-waiting", waiting > 0);
      document.documentElement.dataset.outboxWaiting = String(waiting);
      markForms(items);
      // A page whose one-time action (a signature, a confirmation) went through since it was
      // loaded — sent by this tab or another — shows a state no longer true: it loads again (the
      // action's line stays, with the server's answer).
      var done = items.some(function (i) {
        return i.state === "sent" && i.finished > loadedAt && Array.prototype.some.call(
          document.querySelectorAll("form[data-offline-once]"), function (f) { return f.action === i.url; });
      });
      if (done) { window.location.reload(); }
      return items;
    });
  }

  // --- sending ---------------------------------------------------------------------------
  // One try: "ok" (with the server's answer), "refused" (the server's problem document) or
  // "offline" (no answer from the server itself).
  function attempt(item) {
    if (!navigator.onLine) { return Promise.resolve({ outcome: "offline" }); }
    var body = new URLSearchParams();
    var token = document.querySelector("input[name=csrf_token]");  // this session's: any page's will do
    item.fields.forEach(function (f) {
      body.append(f[0], f[0] === "csrf_token" && token ? token.value : f[1]);
    });
    stats.sent += 1;
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin", cache: "no-store",
                             headers: { Accept: "application/json" } })
      .then(function (r) {
        var type = r.headers.get("Content-Type") || "";
        if (r.status >= 500 || type.indexOf("json") < 0) { return { outcome: "offline" }; }
        return r.json().then(function (answer) {
          return { outcome: r.ok && answer.ok ? "ok" : "refused", answer: answer };
        });
      }, function () { return { outcome: "offline" }; });
  }

  function later() {
    if (retryTimer) { return; }
    var pause = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, retries)) * (0.75 + Math.random() / 2);
    retries += 1;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, pause);
  }

  function settle(item, result) {
    delete item.foreground;
    if (result.outcome === "offline") {
      stats.failed += 1;
      item.state = "waiting";
      return save(item).then(function () { return false; });
    }
    item.state = result.outcome === "ok" ? "sent" : "refused";
    item.message = result.answer.message || "";
    item.location = result.answer.location || null;
    item.finished = Date.now();
    stats[item.state === "sent" ? "done" : "refused"] += 1;
    return save(item).then(function () { return true; });
  }

  // Send what waits, oldest first, one at a time; stop at the first that finds no server. The
  // person's tabs take turns (a Web Lock): one sends, the next finds it sent. (Were both to send
  // an action, the server would still do it once: its key.)
  function exclusively(work) {
    return navigator.locks ? navigator.locks.request("gielda-outbox", work) : work();
  }
  function flush() {
    if (flushing) { again = true; return Promise.resolve(); }
    flushing = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    return exclusively(sendWaiting).then(render, render).then(function () {
      flushing = false;
      if (again) { again = false; flush(); }
    });
  }
  function sendWaiting() {
    return all().then(function (items) {
      var now = Date.now();
      var waiting = items.filter(function (i) {
        if ((i.state === "sent" || i.state === "refused") && now - (i.finished || 0) > KEEP_DONE_MS) { forget(i); }
        // A form's own sending under way (in this tab or another) is its tab's, for a while.
        if (i.foreground && now - i.created < FOREGROUND_MS) { return false; }
        return i.state === "waiting" || i.state === "sending";
      });
      var chain = Promise.resolve(true);
      waiting.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          item.state = "sending";
          return save(item).then(render).then(function () { return attempt(item); })
            .then(function (result) { return settle(item, result); });
        });
      });
      return chain.then(function (allWent) {
        if (allWent) { retries = 0; } else { later(); }
      });
    });
  }

  // --- taking a form's sending ---------------------------------------------------------------
  function label(form) {
    var title = form.querySelector("[name=title]");
    return form.dataset.offline.replace("{title}", title ? title.value.trim() : "");
  }

  function keep(form, submitter) {
    // One key per sending of this form: a second tap while the first is on its way is ignored
    // (see the submit listener), and a form kept waiting gets a new key for its next sending.
    var key = form.dataset.offlineKey || (form.dataset.offlineKey = newKey());
    var fields = [];
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (typeof value === "string" && name !== "key") { fields.push([name, value]); }
    });
    fields.push(["key", key]);
    return { key: key, person: person, url: form.action, fields: fields, label: label(form),
             created: Date.now(), state: "sending", foreground: true, page: location.pathname };
  }

  function showFlash(message, category) {
    var main = document.querySelector("main") || document.body;
    var div = document.createElement("div");
    div.className = "flash flash-" + (category || "success");
    div.setAttribute("role", category === "error" ? "alert" : "status");
    div.textContent = message;
    main.insertBefore(div, box && box.parentNode === main ? box.nextSibling : main.firstChild);
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline") ||
        form.dataset.offlineNative) { return; }
    e.preventDefault();
    if (form.dataset.offlineHeld || form.dataset.offlineBusy) { return; }  // a double tap: sent once
    form.dataset.offlineBusy = "1";
    var item = keep(form, e.submitter);
    save(item).then(function () { return attempt(item); }).then(function (result) {
      if (result.outcome === "ok") {  // as the browser's own sending would have: to the result
        return forget(item).then(function () {
          sessionStorage.setItem("gielda-outbox-flash", JSON.stringify(
            { message: result.answer.message, category: result.answer.category }));
          window.location.assign(result.answer.location);
        });
      }
      if (result.outcome === "refused") {  // nothing was done: the browser sends it for the page with its message
        return forget(item).then(function () {
          form.dataset.offlineNative = "1";
          HTMLFormElement.prototype.submit.call(form);
        });
      }
      return settle(item, result).then(function () {
        delete form.dataset.offlineBusy;
        delete form.dataset.offlineKey;
        if (form.hasAttribute("data-offline-reset")) { form.reset(); }  // a new post kept: empty for the next
        return render();
      }).then(later);
    });
  });

  // A message the last page's sending brought (the server flashes nothing to a request for JSON).
  var carried = sessionStorage.getItem("gielda-outbox-flash");
  if (carried) {
    sessionStorage.removeItem("gielda-outbox-flash");
    try { carried = JSON.parse(carried); showFlash(carried.message, carried.category); } catch (err) { /* none */ }
  }

  window.addEventListener("pageshow", function (e) {  // back to a page from the cache: its forms are free again
    if (!e.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-offline]"), function (form) {
      delete form.dataset.offlineBusy; delete form.dataset.offlineNative; delete form.dataset.offlineKey;
    });
    render().then(flush);
  });
  window.addEventListener("online", function () { retries = 0; flush(); });
  window.addEventListener("offline", function () { render(); });
  // The service worker keeps the pages opened, for a reload while offline (static/js/offline-sw.js;
  // browsers allow one on https and on localhost only).
  if (navigator.serviceWorker && text.worker) {
    navigator.serviceWorker.register(text.worker, { scope: "/" }).catch(function () { /* a page without it */ });
  }
  window.GieldaOutbox = { flush: flush, stats: stats, render: render };
  render().then(flush);
})();
