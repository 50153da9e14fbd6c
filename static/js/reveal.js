/* The results reveal on the big screen. The headline numbers count up from zero, one after
   another; then the sentence and the panels appear, and last the finale's two numbers (each
   says when it starts: data-delay, in ms; data-duration). A number that has reached its value
   gets the class "done". Without JavaScript the final numbers simply stand there. Escape goes
   back to the live screen (body's data-screen-url). */
(function () {
  "use strict";
  var fmt = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.body.classList.add("animate");
  Array.prototype.forEach.call(document.querySelectorAll(".r-counter .n"), function (el, i) {
    var target = Number(el.dataset.count) || 0, begin = null;
    var duration = Number(el.dataset.duration) || 2200, delay = Number(el.dataset.delay) || 600 + i * 700;
    if (reduce || !target) { el.textContent = fmt.format(target); el.classList.add("done"); return; }
    el.textContent = fmt.format(0);
    function step(now) {
      if (begin === null) { begin = now; }
      var t = Math.min(1, (now - begin) / duration), eased = 1 - Math.pow(1 - t, 3);
      el.textContent = fmt.format(Math.round(target * eased));
      if (t < 1) { requestAnimationFrame(step); } else { el.classList.add("done"); }
    }
    setTimeout(function () { requestAnimationFrame(step); }, delay);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { window.location.href = document.body.dataset.screenUrl; }
  });
})();
