/* Live updates over Socket.IO with catch-up.

   Two streams, each numbered without gaps by the server: the fair's public stream ("fair":
   posts, gongs, counters) and, for a logged-in person, their private stream ("me": drafts and
   signatures for them). A client keeps the last number it applied of each. A live event that
   is not the next one waits a moment for the ones before it (events sent at the same moment
   can overtake each other); if they do not come, or after a (re)connect, the client asks for
   everything after its last numbers ("resync"), so a phone that dropped off the Wi-Fi loses
   nothing, and events at or below a last number are ignored, so nothing is applied twice.
   A refused resync (rate_limited) is retried after a growing, jittered pause.

   GieldaLive.stats counts resyncs asked, refused and events applied (shown to tests). */
(function () {
  "use strict";
  var GAP_GRACE_MS = 400;     // how long an early event waits for the ones before it
  var RETRY_FIRST_MS = 500;   // first pause after a refused resync; doubles up to RETRY_MAX_MS
  var RETRY_MAX_MS = 30000;
  var stats = { resyncs: 0, refused: 0, applied: 0 };

  function stored(key) { return Number(sessionStorage.getItem(key) || 0); }

  function connect(fairId, handlers, options) {
    options = options || {};
    var scope = options.scope ? "-" + options.scope : "";
    var pageEl = document.querySelector("[data-seq]");
    var meEl = document.querySelector("[data-private-seq]");
    var streams = {
      fair: { key: "gielda-seq-" + fairId + scope, last: 0, newest: 0, early: {} }
    };
    streams.fair.last = Math.max(Number((pageEl && pageEl.dataset.seq) || 0), stored(streams.fair.key));
    if (meEl) {
      var meKey = "gielda-pseq-" + fairId + "-" + meEl.dataset.participant + scope;
      streams.me = { key: meKey, last: Math.max(Number(meEl.dataset.privateSeq || 0), stored(meKey)),
                     newest: 0, early: {} };
    }
    var syncing = false, gapTimer = null, retryTimer = null, retries = 0;
    var socket = io({ transports: ["websocket", "polling"], auth: options.auth || {} });

    function remember(s) { sessionStorage.setItem(s.key, String(s.last)); }
    function apply(evt) {
      var s = streams[evt.stream || "fair"];
      if (!s || evt.seq <= s.last) { return; }
      s.last = evt.seq;
      delete s.early[evt.seq];
      remember(s);
      stats.applied += 1;
      if (evt.type === "session.ended") {  // this login was revoked or reissued
        socket.disconnect();
        window.location.reload();
        return;
      }
      var handler = handlers[evt.type] || handlers["*"];
      if (handler) { handler(evt.data, evt); }
    }
    function drain(s) {  // apply the early events that are now next in line
      while (s.early[s.last + 1]) { apply(s.early[s.last + 1]); }
      Object.keys(s.early).forEach(function (seq) { if (Number(seq) <= s.last) { delete s.early[seq]; } });
    }
    function behind() {
      return Object.keys(streams).some(function (name) {
        var s = streams[name];
        return s.newest > s.last || Object.keys(s.early).length > 0;
      });
    }
    function resync() {
      if (syncing || retryTimer) { return; }
      syncing = true;
      stats.resyncs += 1;
      var ask = { after: streams.fair.last };
      if (streams.me) { ask.after_private = streams.me.last; }
      socket.emit("resync", ask, function (reply) {
        syncing = false;
        if (reply && reply.ok) {
          retries = 0;
          if (reply.seq < streams.fair.last) {  // the database was reset: start over
            streams.fair.last = reply.seq; remember(streams.fair);
            if (options.onReset) { options.onReset(); return; }
          }
          if (streams.me && reply.private_seq !== undefined && reply.private_seq < streams.me.last) {
            streams.me.last = reply.private_seq; remember(streams.me);
          }
          reply.events.forEach(apply);
          Object.keys(streams).forEach(function (name) { drain(streams[name]); });
          if (options.onResync) { options.onResync(); }
          if (behind()) { resync(); }
        } else if (reply && reply.code === "rate_limited") {
          stats.refused += 1;
          var pause = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, retries));
          retries += 1;
          retryTimer = setTimeout(function () { retryTimer = null; resync(); }, pause * (0.5 + Math.random()));
        } else if (reply && reply.code === "logged_out") {
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
    socket.on("event", function (evt) {
      var s = streams[evt.stream || "fair"];
      if (!s) { return; }
      s.newest = Math.max(s.newest, evt.seq);
      if (evt.seq <= s.last) { return; }
      if (evt.seq === s.last + 1) { apply(evt); drain(s); return; }
      s.early[evt.seq] = evt;
      onGap();
    });
    return socket;
  }
  window.GieldaLive = { connect: connect, stats: stats };
})();
