/* The big screen: counters, ticker, categories, cross-sector matrix, countdown, gong and
   announcements. Live through GieldaLive (live.js: the screen room, with the display token):
   after any drop or server restart it reconnects, catches up on missed events and re-reads the
   counters. Settings in the script's data- attributes: data-fair, data-slug, data-token,
   data-stats-url, and as JSON data-stats (the first figures), data-recent (the ticker's first
   lines), data-sectors (labels), data-text (the screen's words). */
(function () {
  "use strict";
  var script = document.currentScript;
  var cfg, stats, closesAt = null, state = null, overlayTimer = null;
  var SECTORS = ["ngo", "public", "business", "social_cooperative", "informal_group", "resident"];
  var zloty = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) { e.className = cls; } if (text != null) { e.textContent = text; } return e; }

  function render() {
    ["checked_in", "organisations", "offers", "needs", "agreements_signed", "points_pledged"].forEach(function (k) {
      var n = $("n-" + k); if (n && String(n.textContent) !== String(stats[k])) { n.textContent = stats[k]; n.classList.remove("bump"); void n.offsetWidth; n.classList.add("bump"); }
    });
    var value = $("s-social-value"), pledged = stats.social_value_pledged || 0;  // whole złoty, beside the agreements
    if (value) { value.hidden = !pledged; $("s-social-value-n").textContent = zloty.format(pledged) + " zł"; }
    var bars = $("categories"); bars.textContent = "";
    var max = 1;
    stats.posts_by_category.forEach(function (c) { max = Math.max(max, c.offers, c.needs); });
    stats.posts_by_category.filter(function (c) { return c.offers || c.needs; }).forEach(function (c) {
      var row = el("div", "bar-row");
      row.appendChild(el("span", "bar-label", c.name));
      var o = el("span", "bar offer"); o.style.width = (c.offers / max * 45) + "%"; o.textContent = c.offers || "";
      var n = el("span", "bar need"); n.style.width = (c.needs / max * 45) + "%"; n.textContent = c.needs || "";
      row.appendChild(o); row.appendChild(n); bars.appendChild(row);
    });
    var m = $("matrix"); m.textContent = "";
    var head = el("tr"); head.appendChild(el("th"));
    SECTORS.forEach(function (s) { var th = el("th", "sector-" + s); th.title = cfg.sectors[s]; head.appendChild(th); });
    m.appendChild(head);
    SECTORS.forEach(function (a) {
      var tr = el("tr"); var th = el("th", "sector-" + a, cfg.sectors[a]); tr.appendChild(th);
      SECTORS.forEach(function (b) { var v = (stats.sector_matrix[a] || {})[b] || 0; var td = el("td", v ? "hot" : "", v || "·"); tr.appendChild(td); });
      m.appendChild(tr);
    });
    var sec = $("sectors"); sec.textContent = "";
    SECTORS.forEach(function (s) {
      var chip = el("span", "chip sector-" + s, cfg.sectors[s] + ": " + (stats.organisations_by_sector[s] || 0)); sec.appendChild(chip);
    });
    setTrading(stats.trading);
  }

  function setTrading(t) {
    state = t.state; closesAt = t.closes_at ? new Date(t.closes_at) : null; tick();
  }
  function tick() {
    var label = $("s-state"), cd = $("s-countdown");
    label.dataset.state = state;
    if (state === "trading") {
      label.textContent = cfg.text.trading;
      if (closesAt) {
        var left = Math.max(0, Math.round((closesAt - Date.now()) / 1000));
        cd.textContent = left > 0 ? Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") : cfg.text.timeUp;
      } else { cd.textContent = ""; }
    } else {
      label.textContent = state === "closed" ? cfg.text.closed : cfg.text.waiting; cd.textContent = "";
    }
  }

  var refreshStats = GieldaLive.refresher(function () {
    return GieldaLive.json(cfg.statsUrl).then(function (s) { stats = s; render(); });
  }, 250);

  function ticker(cls, text) {
    var list = $("ticker"); var li = el("li", cls, text);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 12) { list.removeChild(list.lastChild); }
  }

  function gong() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      [110, 220, 331, 442].forEach(function (f, i) {
        var o = ctx.createOscillator(), g = ctx.createGain();
        o.type = "sine"; o.frequency.value = f * 1.0;
        g.gain.setValueAtTime(0.5 / (i + 1), ctx.currentTime);
        g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 4);
        o.connect(g); g.connect(ctx.destination); o.start(); o.stop(ctx.currentTime + 4);
      });
    } catch (e) { /* no audio output: the visual gong still shows */ }
  }
  function overlay(text, cls, seconds) {
    var o = $("overlay"); $("overlay-text").textContent = text; o.className = "overlay " + (cls || ""); o.hidden = false;
    clearTimeout(overlayTimer);
    overlayTimer = setTimeout(function () { o.hidden = true; }, seconds * 1000);
  }

  function tickerLine(evt) {
    var d = evt.data;
    switch (evt.type) {
      case "post.created": ticker("t-" + d.kind, (d.kind === "offer" ? "+ " : "? ") + d.title + " — " + d.organisation); return true;
      case "agreement.signed": ticker("t-agreement", "✔ " + (d.number || cfg.text.agreement) + " " + (d.summary || "")); return true;
      case "participant.checked_in": ticker("t-checkin", d.organisation + " " + cfg.text.checkedIn); return true;
    }
    return false;
  }

  function apply(data, evt) {
    if (tickerLine(evt)) { refreshStats(); return; }
    switch (evt.type) {
      case "fair.trading_opened": setTrading(data); gong(); overlay(cfg.text.opened, "gong", 8); break;
      case "fair.trading_closed": setTrading(data); gong(); overlay(cfg.text.closing, "gong", 12); break;
      case "fair.timer_changed": setTrading(data); break;
      case "fair.announcement": overlay(data.text, "announce", 30); break;
      case "fair.results_revealed": showResults(); return;
    }
    refreshStats();
  }
  // The organiser's "show the results" button: the reveal page lives under this screen's own
  // address (the event carries no link, so the display token never leaves the screen).
  function showResults() {
    window.location.href = window.location.pathname.replace(/\/+$/, "") + "/results";
  }
  function start(c) {
    cfg = c; stats = c.stats;
    render(); setInterval(tick, 1000);
    (cfg.recent || []).forEach(tickerLine);
    // Catch-up, gaps, retries, a reset database: GieldaLive (live.js), on the fair's public stream.
    var socket = GieldaLive.connect(cfg.fairId, { "*": apply }, {
      scope: "screen", auth: { fair: cfg.slug, screen: cfg.token }, onResync: refreshStats
    });
    socket.on("connect", function () { $("offline").hidden = true; document.body.dataset.connected = "1"; });
    socket.on("disconnect", function () { $("offline").hidden = false; document.body.dataset.connected = "0"; });
  }
  var d = script.dataset;
  start({ fairId: Number(d.fair), slug: d.slug, token: d.token, statsUrl: d.statsUrl, stats: JSON.parse(d.stats),
          recent: JSON.parse(d.recent), sectors: JSON.parse(d.sectors), text: JSON.parse(d.text) });
})();
