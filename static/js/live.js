/* Live updates over Socket.IO with catch-up. Every event carries the fair's sequence number.
   After a (re)connect — and whenever a live event shows a gap — the client asks for everything
   after the last number it applied, so a phone that dropped off the Wi-Fi loses nothing, and
   events at or below that number are ignored, so nothing is applied twice. */
(function () {
  "use strict";
  function connect(fairId, handlers, options) {
    options = options || {};
    var key = "gielda-seq-" + fairId + (options.scope ? "-" + options.scope : "");
    var el = document.querySelector("[data-seq]");
    var pageSeq = Number((el && el.dataset.seq) || 0);
    var lastSeq = Math.max(pageSeq, Number(sessionStorage.getItem(key) || 0));
    var syncing = false;
    var newest = 0;  // the highest number seen live, applied or not
    var socket = io({ transports: ["websocket", "polling"], auth: options.auth || {} });

    function apply(evt) {
      if (evt.seq <= lastSeq) { return; }
      lastSeq = evt.seq;
      sessionStorage.setItem(key, String(lastSeq));
      var handler = handlers[evt.type] || handlers["*"];
      if (handler) { handler(evt.data, evt); }
    }
    function resync() {
      // A gap seen while a resync is on its way may be newer than what that reply holds: ask
      // again once it is in.
      if (syncing) { return; }
      syncing = true;
      socket.emit("resync", { after: lastSeq }, function (reply) {
        syncing = false;
        if (reply && reply.ok) {
          reply.events.forEach(apply);
          if (newest > lastSeq) { resync(); }
        }
      });
    }
    socket.on("connect", function () {
      document.documentElement.classList.remove("offline");
      // The reply to a resync sent before a drop never comes (socket.io drops its callback).
      syncing = false;
      resync();
    });
    socket.on("disconnect", function () { document.documentElement.classList.add("offline"); });
    socket.on("event", function (evt) {
      newest = Math.max(newest, evt.seq);
      if (evt.seq === lastSeq + 1) { apply(evt); } else if (evt.seq > lastSeq) { resync(); }
    });
    return socket;
  }
  window.GieldaLive = { connect: connect };
})();
