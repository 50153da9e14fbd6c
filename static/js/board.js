/* The board on a phone: new, changed, withdrawn and hidden posts appear without reload;
   gongs and announcements show as banners. Built on GieldaLive (live.js). A card is rendered
   once, by the server (templates/floor/_post.html): for the posts of the events that arrive, the
   board fetches their cards (data-cards: the address of the cards fragment) and puts them in
   place, in the order of the events. data-fair, data-slug: the fair. */
(function () {
  "use strict";
  var script = document.currentScript;
  var RETRY_MS = 2000;  // a failed fetch of cards is asked again after this pause
  var boardEl = document.getElementById("board");
  var empty = document.getElementById("board-empty");
  var newNotice = document.getElementById("board-new");
  var filtered = boardEl.dataset.filtered === "1";
  var waiting = [];  // post events whose cards are not on the board yet, oldest first

  function find(id) { return boardEl.querySelector('[data-post="' + id + '"]'); }
  function refreshEmpty() { empty.hidden = boardEl.children.length > 0; }
  function cardsOf(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var cards = {};
    Array.prototype.forEach.call(t.content.children, function (c) { cards[c.dataset.post] = c; });
    return cards;
  }
  function show(events, cards) {
    events.forEach(function (p) {
      var existing = find(p.id), card = p.live && cards[p.id] ? cards[p.id].cloneNode(true) : null;
      if (!card) { if (existing) { existing.remove(); } return; }  // no longer on the board
      if (existing) { existing.replaceWith(card); } else { boardEl.insertBefore(card, boardEl.firstChild); card.classList.add("fresh"); }
    });
    refreshEmpty();
  }
  var refresh = GieldaLive.refresher(function () {
    var events = waiting;
    waiting = [];
    var ids = [];
    events.forEach(function (p) { if (p.live && ids.indexOf(p.id) < 0) { ids.push(p.id); } });
    var got = ids.length ? GieldaLive.fragment(script.dataset.cards + "?" + ids.map(function (id) { return "id=" + id; }).join("&"))
                         : Promise.resolve("");
    return got.catch(function () { return null; }).then(function (html) {
      if (html === null) {  // not now: keep them first in line and ask again
        waiting = events.concat(waiting);
        setTimeout(refresh, RETRY_MS);
        return;
      }
      show(events, cardsOf(html));
    });
  }, 0);
  function changed(p) {
    if (filtered) {  // this board shows a selection: it offers to reload instead of guessing
      if (!p.live) { var existing = find(p.id); if (existing) { existing.remove(); } refreshEmpty(); return; }
      newNotice.hidden = false;
      return;
    }
    waiting.push({ id: p.id, live: p.live });
    refresh();
  }
  var announcement = document.getElementById("announcement");
  function reload() { window.location.reload(); }
  GieldaLive.connect(Number(script.dataset.fair), {
    "post.created": changed, "post.updated": changed, "post.restored": changed, "post.renewed": changed,
    "post.withdrawn": changed, "post.taken": changed, "post.hidden": changed,
    "fair.trading_opened": reload, "fair.trading_closed": reload,
    "fair.announcement": function (d) { announcement.textContent = d.text; announcement.hidden = false; }
  }, { auth: { fair: script.dataset.slug } });
})();
