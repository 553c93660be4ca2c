// The reading room offline: register the service worker (served at /las/sw.js, so that it controls /las/).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  navigator.serviceWorker.register(script.dataset.worker).catch(function () {});
})();
