/* The theme's header buttons without inline handlers (exercisekit.sphinx.csp): the build turns
 * onclick="window.print()" and onclick="toggleFullScreen()" into data-exk-action, which runs
 * here. The site's Content-Security-Policy forbids inline handlers; only these two names map to
 * code, nothing is evaluated. */
(function () {
  "use strict";
  var actions = {
    print: function () { window.print(); },
    fullscreen: function () { if (typeof window.toggleFullScreen === "function") window.toggleFullScreen(); }
  };
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-exk-action]");
    var run = button && actions[button.getAttribute("data-exk-action")];
    if (run) run();
  });
})();
