/* The menu button of a phone's top bar: opens and closes the full menu (without JavaScript the
   button is a link to #menu, which opens it through :target in static/css/app.css). */
(function () {
  "use strict";
  var button = document.getElementById("menu-button");
  var bar = button && button.closest(".topbar");
  if (!bar) { return; }
  button.setAttribute("role", "button");
  button.addEventListener("click", function (e) {
    e.preventDefault();
    var open = !bar.classList.contains("menu-open");
    bar.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
