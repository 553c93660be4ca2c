// The reading room offline: register the service worker (served at /las/sw.js, so that it controls /las/),
// and forget what it kept when the member signs out, so that the next user of the device finds nothing.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  navigator.serviceWorker.register(script.dataset.worker).catch(function () {});
  document.querySelectorAll('form[action$="/logout/"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      if (window.caches) caches.delete("paragraf-reading-v1");
    });
  });
})();
