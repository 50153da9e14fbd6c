/* The board on a phone: new, changed, withdrawn and hidden posts appear without reload;
   gongs and announcements show as banners. Built on GieldaLive (sequence numbers + resync). */
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function start(cfg) {
    var boardEl = document.getElementById("board");
    var empty = document.getElementById("board-empty");
    var newNotice = document.getElementById("board-new");
    var filtered = boardEl.dataset.filtered === "1";

    function card(p) {
      var a = el("article", "post post-" + p.kind);
      a.dataset.post = p.id; a.dataset.kind = p.kind;
      a.dataset.category = p.category_id; a.dataset.sector = p.sector;
      var head = el("div", "post-head");
      head.appendChild(el("span", "kind kind-" + p.kind, cfg.labels[p.kind]));
      head.appendChild(el("span", "post-category", cfg.categories[p.category_id] || p.category));
      a.appendChild(head);
      var h = el("h3", "post-title");
      var link = el("a", null, p.title);
      link.href = cfg.postUrl.replace(/\/0$/, "/" + p.id);
      h.appendChild(link); a.appendChild(h);
      if (p.details) { a.appendChild(el("p", "post-details", p.details.length > 200 ? p.details.slice(0, 197) + "..." : p.details)); }
      var meta = el("p", "post-meta");
      if (p.quantity) { meta.appendChild(el("span", "post-qty", quantity(p.quantity, p.unit))); meta.appendChild(document.createTextNode(" · ")); }
      if (p.available_when) { meta.appendChild(el("span", "post-when", p.available_when)); meta.appendChild(document.createTextNode(" · ")); }
      var org = el("a", "post-org");
      org.href = cfg.cardUrl.replace("CODE", p.author_badge);
      var band = el("span", "sector sector-" + p.sector); band.innerHTML = "&nbsp;";
      org.appendChild(band); org.appendChild(document.createTextNode(" " + p.organisation));
      meta.appendChild(org); a.appendChild(meta);
      return a;
    }
    var plural = new Intl.PluralRules(document.documentElement.lang || "pl");
    function quantity(n, unit) {
      var words = cfg.labels.units[unit];
      if (!words) { return String(n); }
      return n + " " + (words[plural.select(n)] || words.many);
    }
    function find(id) { return boardEl.querySelector('[data-post="' + id + '"]'); }
    function refreshEmpty() { empty.hidden = boardEl.children.length > 0; }
    function upsert(p) {
      var existing = find(p.id);
      if (!p.live) { if (existing) { existing.remove(); } refreshEmpty(); return; }
      if (filtered) { newNotice.hidden = false; return; }
      var fresh = card(p);
      if (existing) { existing.replaceWith(fresh); } else { boardEl.insertBefore(fresh, boardEl.firstChild); fresh.classList.add("fresh"); }
      refreshEmpty();
    }
    var banner = document.getElementById("trading-banner");
    var announcement = document.getElementById("announcement");
    function reloadSoon() { window.location.reload(); }
    GieldaLive.connect(cfg.fairId, {
      "post.created": upsert, "post.updated": upsert, "post.restored": upsert,
      "post.withdrawn": upsert, "post.taken": upsert, "post.hidden": upsert,
      "fair.trading_opened": reloadSoon, "fair.trading_closed": reloadSoon,
      "fair.announcement": function (d) { announcement.textContent = d.text; announcement.hidden = false; }
    }, { auth: { fair: cfg.slug } });
  }
  window.GieldaBoard = { start: start };
  var config = document.getElementById("board-config");
  if (config) { start(JSON.parse(config.textContent)); }
})();
