/* The check-in desk's counter follows every desk live (data-fair: the fair's id). */
(function () {
  "use strict";
  var script = document.currentScript;
  GieldaLive.connect(Number(script.dataset.fair), {
    "participant.checked_in": function (data) {
      document.getElementById("checked-in-count").textContent = data.checked_in;
    }
  });
})();
