/* Notices on a logged-in phone, on every page: "3 potrzeby pasują do Twojej oferty" (a new post's
   matches, to its poster), a new post with matches (to the fair's brokers), "Broker X introduces
   you to Y" (with Y's card). They come on the person's own event stream ("me"): through the page's
   live connection when it has one (GieldaLive.onNotice), otherwise through one this script opens
   (socket.io and live.js loaded on demand: data-io, data-live).

   Each notice is shown once per tab: the highest own-stream number seen is kept in sessionStorage
   and a page without a connection of its own starts after it, so a notice that came while the
   next page was loading (after posting, the post's page) is shown there. Notices older than
   MAX_AGE_MS are not shown (a phone back after a long time gets its news from the pages). The
   server writes each notice's text in every language (data.text[lang]); links come from data-*
   addresses rendered by the server (matches page, worklist, a card by badge code).

   A notice stays, in this tab's sessionStorage, until its person closes it (or it is older than
   MAX_AGE_MS): one that arrives while the phone leaves a page (after a form is sent, the page
   that sent it still listens until the next one loads) is shown again on the next page, not
   lost with the old one.

   Someone proposing an exchange (`agreement.proposed`, app/agreements/proposals.py) fills the
   page's proposal bar (#proposal-notice in base.html): who proposes, and a button that opens the
   agreement to sign. */
(function () {
  "use strict";
  var script = document.currentScript;
  var body = document.body;
  if (!script || !body.dataset.participant) { return; }
  var MAX_AGE_MS = 15 * 60 * 1000;
  var SHOWN_MAX = 4;  // notices on screen at once; the oldest goes
  var seenKey = "gielda-notice-" + script.dataset.fair + "-" + body.dataset.participant;
  var lang = (document.documentElement.lang || "pl").slice(0, 2);
  if (sessionStorage.getItem(seenKey) === null) { sessionStorage.setItem(seenKey, body.dataset.privateSeq || "0"); }
  var keptKey = seenKey + "-open";  // the notices shown and not closed yet: [evt, ...]
  var box = null;

  function kept() {
    try { return JSON.parse(sessionStorage.getItem(keptKey) || "[]"); } catch (err) { return []; }
  }
  function keep(list) { sessionStorage.setItem(keptKey, JSON.stringify(list.slice(-SHOWN_MAX))); }
  function forget(evt) { keep(kept().filter(function (e) { return e.seq !== evt.seq; })); }
  function old(evt) {
    return evt.at && Date.now() - Date.parse(evt.at + (/[zZ]|[+-]\d\d:\d\d$/.test(evt.at) ? "" : "Z")) > MAX_AGE_MS;
  }

  function container() {
    if (!box) {
      box = document.createElement("div");
      box.id = "notices";
      box.className = "notices";
      box.setAttribute("aria-live", "polite");
      body.appendChild(box);
    }
    return box;
  }
  function textOf(data) {
    var t = data.text || {};
    return t[lang] || t.pl || t.en || "";
  }
  function link(href, label) {
    var a = document.createElement("a");
    a.className = "btn small primary";
    a.href = href;
    a.textContent = label;
    return a;
  }
  function cardUrl(badge) { return script.dataset.card.replace("BADGE", encodeURIComponent(badge)); }
  function show(evt) {
    var d = evt.data || {};
    var note = document.createElement("div");
    note.className = "notice-toast notice-" + evt.type.replace(/\./g, "-");
    note.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = textOf(d);
    note.appendChild(p);
    if (d.matches && d.matches.length) {
      var ul = document.createElement("ul");
      ul.className = "small";
      d.matches.forEach(function (m) {
        var li = document.createElement("li");
        li.textContent = m.title + " — " + m.organisation;
        ul.appendChild(li);
      });
      note.appendChild(ul);
    }
    var actions = document.createElement("div");
    actions.className = "actions";
    if (evt.type === "suggestions.found") { actions.appendChild(link(script.dataset.matches, script.dataset.openMatches)); }
    if (evt.type === "suggestions.for_brokers" && script.dataset.worklist) {
      actions.appendChild(link(script.dataset.worklist, script.dataset.openWorklist));
    }
    if (evt.type === "introduction.made" && d.other) { actions.appendChild(link(cardUrl(d.other.badge), script.dataset.openCard)); }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn small";
    close.textContent = script.dataset.close;
    close.addEventListener("click", function () { note.remove(); forget(evt); });
    actions.appendChild(close);
    note.appendChild(actions);
    var c = container();
    c.appendChild(note);
    while (c.children.length > SHOWN_MAX) { c.removeChild(c.firstChild); }
  }
  var bar = document.getElementById("proposal-notice");
  var barEvent = null;
  function proposed(evt) {
    var d = evt.data || {};
    if (!bar) { return; }
    barEvent = evt;
    bar.querySelector("[data-text]").textContent =
      script.dataset.proposalText.replace("{name}", d.by || "").replace("{org}", d.organisation || "");
    document.getElementById("proposal-open").href = script.dataset.agreements + "/" + Number(d.id);
    bar.hidden = false;
  }
  if (bar) {
    bar.querySelector("[data-dismiss]").addEventListener("click", function () {
      bar.hidden = true;
      if (barEvent) { forget(barEvent); }
    });
  }
  function display(evt) {
    if (evt.type === "agreement.proposed") { proposed(evt); } else { show(evt); }
  }
  var TYPES = { "suggestions.found": 1, "suggestions.for_brokers": 1, "introduction.made": 1 };
  function onNotice(evt) {
    var seen = Number(sessionStorage.getItem(seenKey) || 0);
    if (evt.seq <= seen) { return; }
    sessionStorage.setItem(seenKey, String(evt.seq));
    if ((!TYPES[evt.type] && evt.type !== "agreement.proposed") || old(evt)) { return; }
    keep(kept().concat([{ seq: evt.seq, type: evt.type, data: evt.data, at: evt.at }]));
    display(evt);
  }
  kept().forEach(function (evt) { if (old(evt)) { forget(evt); } else { display(evt); } });
  function load(src, then) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = then;
    document.head.appendChild(s);
  }
  function start() {
    GieldaLive.onNotice(onNotice);
    if (GieldaLive.connections() === 0) {
      GieldaLive.connect(Number(script.dataset.fair), {},
                         { scope: "notices", privateAfter: Number(sessionStorage.getItem(seenKey) || 0) });
    }
  }
  if (window.GieldaLive) { start(); return; }
  if (window.io) { load(script.dataset.live, start); } else { load(script.dataset.io, function () { load(script.dataset.live, start); }); }
})();
