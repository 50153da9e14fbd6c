/* GieldaLive: the one live client of every page that follows the fair (the board, the big
   screen, the control room, the check-in desk, the agreement pages).

   Two streams, each numbered without gaps by the server: the fair's public stream ("fair":
   posts, gongs, counters) and, for a logged-in person, their private stream ("me": drafts and
   signatures for them). A client keeps the last number it applied of each. A live event that
   is not the next one waits a moment for the ones before it (events sent at the same moment
   can overtake each other); if they do not come, or after a (re)connect, the client asks for
   everything after its last numbers ("resync", one request at a time), so a phone that dropped
   off the Wi-Fi loses nothing, and an event it has already applied is ignored, so nothing is
   applied twice. A refused resync (rate_limited) is retried after a growing, jittered pause;
   a handshake or resync refused because the server is busy (server_busy), after the pause the
   server asks for.

   The database was reset when the server's numbers are below the client's (a resync reply, or
   a live event under an applied number that is not the event applied there): the page shows
   another world, so it is loaded again.

   GieldaLive.refresher(load, delay): what a page re-reads when events arrive (counters, lists,
   cards): many asks within `delay` make one load, and never two loads at once: the asks that
   come while a load is on its way (no timer runs meanwhile) make one more load after its answer.

   GieldaLive.onNotice(fn): `fn(evt)` for every event of the person's own stream ("me"), whichever
   page's connection applied it (static/js/notices.js shows "3 potrzeby pasują do Twojej oferty").
   GieldaLive.on(type, fn): `fn(data, evt)` for every event of that type, on every connection.
   GieldaLive.connections(): how many connections this page opened (notices.js opens one when the
   page has none). connect's `options.privateAfter`: start the own stream after this number
   rather than the page's.

   GieldaLive.stats counts resyncs asked, refused, events applied, resets, and the loads of
   refreshers started and held back while another ran (shown to tests). */
(function () {
  "use strict";
  var GAP_GRACE_MS = 400;     // how long an early event waits for the ones before it
  var RETRY_FIRST_MS = 500;   // first pause after a refused resync; doubles up to RETRY_MAX_MS
  var RETRY_MAX_MS = 30000;
  var SEEN_KEEP = 1000;       // applied events remembered per stream, to tell a duplicate (the server's MAX_RESYNC)
  var stats = { resyncs: 0, refused: 0, applied: 0, resets: 0, loads: 0, held: 0 };
  var noticeHandlers = [];
  var listeners = {};  // event type -> functions every connection of the page also calls (GieldaLive.on)
  var connections = 0;

  function stored(key) { return Number(sessionStorage.getItem(key) || 0); }
  function signature(evt) { return evt.type + ":" + (evt.data && evt.data.id !== undefined ? evt.data.id : ""); }
  function stream(key, last) { return { key: key, last: last, newest: 0, early: {}, seen: {} }; }

  function connect(fairId, handlers, options) {
    options = options || {};
    connections += 1;
    var scope = options.scope ? "-" + options.scope : "";
    var pageEl = document.querySelector("[data-seq]");
    var meEl = document.querySelector("[data-private-seq]");
    var fairKey = "gielda-seq-" + fairId + scope;
    var streams = { fair: stream(fairKey, Math.max(Number((pageEl && pageEl.dataset.seq) || 0), stored(fairKey))) };
    if (meEl) {
      var meKey = "gielda-pseq-" + fairId + "-" + meEl.dataset.participant + scope;
      streams.me = stream(meKey, Math.max(Number(meEl.dataset.privateSeq || 0), stored(meKey)));
      if (options.privateAfter !== undefined) { streams.me.last = options.privateAfter; }
    }
    var syncing = false, suspect = false, gapTimer = null, retryTimer = null, retries = 0, over = false;
    var socket = io({ transports: ["websocket", "polling"], auth: options.auth || {} });

    function remember(s) { sessionStorage.setItem(s.key, String(s.last)); }
    function startOver(reply) {  // the database was reset: load the page of the new world
      over = true;
      stats.resets += 1;
      streams.fair.last = reply.seq; remember(streams.fair);
      if (streams.me && reply.private_seq !== undefined) { streams.me.last = reply.private_seq; remember(streams.me); }
      socket.disconnect();
      window.location.reload();
    }
    function apply(evt) {
      var s = streams[evt.stream || "fair"];
      if (over || !s || evt.seq <= s.last) { return; }
      s.last = evt.seq;
      delete s.early[evt.seq];
      s.seen[evt.seq] = signature(evt);
      delete s.seen[evt.seq - SEEN_KEEP];
      remember(s);
      stats.applied += 1;
      if (evt.type === "session.ended") {  // this login was revoked or reissued
        over = true;
        socket.disconnect();
        window.location.reload();
        return;
      }
      var handler = handlers[evt.type] || handlers["*"];
      if (handler) { handler(evt.data, evt); }
      if (evt.stream === "me") { noticeHandlers.forEach(function (fn) { fn(evt); }); }
      (listeners[evt.type] || []).forEach(function (fn) { fn(evt.data, evt); });
    }
    function drain(s) {  // apply the early events that are now next in line
      while (s.early[s.last + 1]) { apply(s.early[s.last + 1]); }
      Object.keys(s.early).forEach(function (seq) { if (Number(seq) <= s.last) { delete s.early[seq]; } });
    }
    function behind() {
      return suspect || Object.keys(streams).some(function (name) {
        var s = streams[name];
        return s.newest > s.last || Object.keys(s.early).length > 0;
      });
    }
    function resync() {
      if (over || syncing || retryTimer) { return; }  // one at a time: the reply says whether to ask again
      syncing = true;
      suspect = false;
      stats.resyncs += 1;
      var ask = { after: streams.fair.last };
      if (streams.me) { ask.after_private = streams.me.last; }
      socket.emit("resync", ask, function (reply) {
        syncing = false;
        if (reply && reply.ok) {
          retries = 0;
          if (reply.seq < streams.fair.last ||
              (streams.me && reply.private_seq !== undefined && reply.private_seq < streams.me.last)) {
            startOver(reply);
            return;
          }
          reply.events.forEach(apply);
          Object.keys(streams).forEach(function (name) { drain(streams[name]); });
          if (options.onResync) { options.onResync(); }
          if (behind()) { resync(); }
        } else if (reply && (reply.code === "rate_limited" || reply.code === "server_busy")) {
          stats.refused += 1;
          var pause = Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS * Math.pow(2, retries), 1000 * (reply.retry_after || 0)));
          retries += 1;
          retryTimer = setTimeout(function () { retryTimer = null; resync(); }, pause * (0.5 + Math.random()));
        } else if (reply && reply.code === "logged_out") {
          over = true;
          window.location.reload();
        }
      });
    }
    function onGap() {
      if (gapTimer) { return; }
      gapTimer = setTimeout(function () { gapTimer = null; if (behind()) { resync(); } }, GAP_GRACE_MS);
    }
    socket.on("connect", function () {
      document.documentElement.classList.remove("offline");
      // The reply to a resync sent before a drop never comes (socket.io drops its callback).
      syncing = false;
      resync();
    });
    socket.on("disconnect", function () { document.documentElement.classList.add("offline"); });
    // Back on the network: reconnect now, not after socket.io's backoff (the mark would linger).
    window.addEventListener("online", function () { if (!over && !socket.connected) { socket.connect(); } });
    // A handshake the server refused for now (all its database connections busy): socket.io does
    // not come back by itself after a refusal, so come back after the pause the server asked for.
    socket.on("connect_error", function (err) {
      var data = err && err.data;
      if (over || !data || data.code !== "server_busy") { return; }
      stats.refused += 1;
      setTimeout(function () { if (!over && !socket.connected) { socket.connect(); } },
                 1000 * (data.retry_after || 5) * (0.5 + Math.random()));
    });
    function receive(evt) {
      var s = streams[evt.stream || "fair"];
      if (over || !s) { return; }
      if (evt.seq <= s.last) {
        // A duplicate of an applied event is ignored; another event under an applied number
        // means the numbers started over: the server says whether the database was reset.
        if (s.seen[evt.seq] !== signature(evt)) { suspect = true; resync(); }
        return;
      }
      s.newest = Math.max(s.newest, evt.seq);
      if (evt.seq === s.last + 1) { apply(evt); drain(s); return; }
      s.early[evt.seq] = evt;
      onGap();
    }
    socket.on("event", receive);
    // What the server committed within a moment comes as one message, in order.
    socket.on("events", function (batch) { (batch || []).forEach(receive); });
    return socket;
  }

  function refresher(load, delay) {
    var timer = null, running = false, again = false;
    function run() {
      timer = null;
      running = true;
      stats.loads += 1;
      Promise.resolve().then(load).catch(function () {}).then(function () {
        running = false;
        if (again) { again = false; ask(); }  // what came meanwhile: one more load
      });
    }
    function ask() {
      // While a load is on its way no timer runs: the asks are remembered as one, for after it.
      if (running) { again = true; stats.held += 1; return; }
      if (!timer) { timer = setTimeout(run, delay || 0); }
    }
    return ask;
  }

  // An HTML fragment of this site (the control room's lists, the board's cards): its text, or
  // null when the server answers with an error.
  function fragment(url) {
    return fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; });
  }

  function json(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function onNotice(fn) { noticeHandlers.push(fn); }
  // What a page adds to every live connection it has (or will have), by event type.
  function on(type, fn) { (listeners[type] = listeners[type] || []).push(fn); }

  window.GieldaLive = { connect: connect, refresher: refresher, fragment: fragment, json: json, stats: stats,
                        onNotice: onNotice, on: on, connections: function () { return connections; } };
})();
