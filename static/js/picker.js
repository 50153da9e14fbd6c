/* Searchable pickers (templates/_forms.html `picker`, app/core/web/picker.py): typing a few
   letters in <div data-picker="URL"> asks URL?q=… for the best matches and lists them under the
   text box; choosing one puts its value in the hidden input. Without this script the typed name
   is looked up when the form is posted, so the field works either way. No library, no network
   beyond the app's own endpoint. */
(function () {
  "use strict";
  var DELAY = 180;  // ms after the last key before asking
  var counter = 0;

  function setUp(box) {
    var url = box.getAttribute("data-picker");
    var text = box.querySelector("[data-picker-text]");
    var value = box.querySelector("[data-picker-value]");
    var chosen = box.querySelector("[data-picker-chosen]");
    if (!url || !text || !value) { return; }
    var id = (text.id || "picker" + (++counter)) + "-list";
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.id = id;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    text.insertAdjacentElement("afterend", list);
    var status = document.createElement("p");
    status.className = "hint picker-status";
    status.setAttribute("role", "status");
    status.hidden = true;
    list.insertAdjacentElement("afterend", status);
    text.setAttribute("role", "combobox");
    text.setAttribute("aria-autocomplete", "list");
    text.setAttribute("aria-expanded", "false");
    text.setAttribute("aria-controls", id);
    var items = [], active = -1, timer = null, pending = null, asked = "";
    var chosenLabel = value.value ? text.value : null;

    function say(message) {
      status.textContent = message || "";
      status.hidden = !message;
    }

    function close() {
      list.hidden = true;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        text.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        text.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      value.value = item.value;
      text.value = item.label;
      chosenLabel = item.label;
      if (chosen) { chosen.textContent = item.hint || ""; chosen.hidden = !item.hint; }
      box.classList.remove("invalid");
      text.removeAttribute("aria-invalid");
      close();
      say("");
      value.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function show(answer) {
      items = answer.items || [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-label";
        name.textContent = item.label;
        li.appendChild(name);
        if (item.hint) {
          var hint = document.createElement("span");
          hint.className = "picker-hint";
          hint.textContent = item.hint;
          li.appendChild(hint);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      text.setAttribute("aria-expanded", items.length ? "true" : "false");
      // On a phone the list may open below the fold: bring the box up to leave it room.
      if (items.length && list.getBoundingClientRect().bottom > window.innerHeight) {
        text.scrollIntoView({block: "start"});
      }
      active = -1;
      say(items.length === 0 ? box.getAttribute("data-none") : answer.more ? box.getAttribute("data-more") : "");
    }

    function ask() {
      var q = text.value.trim();
      if (!q) { close(); say(""); return; }
      if (q === asked && items.length) { show({items: items}); return; }
      asked = q;
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var sep = url.indexOf("?") < 0 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: {Accept: "application/json"}, signal: pending.signal
      }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      }).then(function (answer) {
        pending = null;
        if (text.value.trim() === q) { show(answer); }
      }).catch(function () { /* offline or refused: the form's own look-up still works */ });
    }

    text.addEventListener("input", function () {
      if (text.value !== chosenLabel) {
        value.value = "";
        chosenLabel = null;
        if (chosen) { chosen.hidden = true; }
      }
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    text.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length > 0;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) { ask(); return; }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp") {
        if (open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      } else if (e.key === "Enter") {
        if (open && (active >= 0 || items.length === 1)) { e.preventDefault(); choose(active >= 0 ? active : 0); }
      } else if (e.key === "Escape") {
        if (open) { e.preventDefault(); close(); }
      }
    });
    text.addEventListener("blur", function () { setTimeout(close, 150); });
    text.addEventListener("focus", function () { if (!value.value && text.value.trim()) { ask(); } });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-picker]");
    for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
