/* Camera scanner for the check-in desk and a participant's scan page (templates/door/scan.html): BarcodeDetector where the browser has it, the vendored
   jsQR decoder otherwise. A decoded QR fills the scan field and submits the form. */
(function () {
  "use strict";
  var script = document.currentScript;
  var toggle = document.getElementById("camera-toggle");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var form = document.getElementById("scan-form");
  var input = form && form.querySelector("input[name=scanned]");
  if (!toggle || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  toggle.hidden = false;
  var stream = null, detector = null, canvas = document.createElement("canvas");

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { return resolve(window.jsQR); }
      var s = document.createElement("script");
      s.src = script.dataset.decoder;
      s.onload = function () { resolve(window.jsQR); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function found(text) {
    stop();
    input.value = text;
    form.submit();
  }
  function tick() {
    if (!stream) { return; }
    if (video.readyState < 2) { return requestAnimationFrame(tick); }
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (codes.length) { found(codes[0].rawValue); } else { requestAnimationFrame(tick); }
      }).catch(function () { requestAnimationFrame(tick); });
      return;
    }
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0);
    var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
    if (code && code.data) { found(code.data); } else { requestAnimationFrame(tick); }
  }
  function start() {
    var ready = ("BarcodeDetector" in window)
      ? Promise.resolve().then(function () { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); })
      : loadJsQR();
    ready.then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    }).then(function (s) {
      stream = s; video.srcObject = s; box.hidden = false;
      status.textContent = script.dataset.msgLooking;
      return video.play();
    }).then(function () { requestAnimationFrame(tick); })
      .catch(function () { status.textContent = script.dataset.msgDenied; box.hidden = false; });
  }
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null; box.hidden = true;
  }
  toggle.addEventListener("click", function () { if (stream) { stop(); } else { start(); } });
})();
