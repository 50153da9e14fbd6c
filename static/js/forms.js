/* Forms that ask first: <form data-confirm="Question?"> submits only when the question is
   answered OK. One listener on the document also covers forms added later (control room panels). */
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) { e.preventDefault(); }
  });
})();
