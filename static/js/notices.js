/* A notice on any page of a logged-in person when someone proposes them an exchange
   (`agreement.proposed` in their private stream, app/agreements/proposals.py): who proposes, and
   a button that opens the agreement to sign. It listens on the page's own live connection when
   the page has one (GieldaLive.on), and opens one otherwise (loading live.js for that). */
(function () {
  "use strict";
  var script = document.currentScript;
  var bar = document.getElementById("proposal-notice");
  if (!bar || !document.body.dataset.participant) { return; }
  var text = bar.querySelector("[data-text]");
  var open = document.getElementById("proposal-open");

  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function show(d) {
    text.textContent = script.dataset.text.replace("{name}", d.by || "").replace("{org}", d.organisation || "");
    open.href = script.dataset.agreements + "/" + Number(d.id);
    bar.hidden = false;
  }
  bar.querySelector("[data-dismiss]").addEventListener("click", function () { bar.hidden = true; });
  function start() {
    GieldaLive.on("agreement.proposed", show);
    if (!GieldaLive.connections()) { GieldaLive.connect(Number(script.dataset.fair), {}, { scope: "notices" }); }
  }
  if (window.GieldaLive) {
    start();
  } else {
    (window.io ? Promise.resolve() : load(script.dataset.socketio))
      .then(function () { return load(script.dataset.live); })
      .then(start)
      .catch(function () {});  // no live notices on this page: the agreements list still has it
  }
})();
