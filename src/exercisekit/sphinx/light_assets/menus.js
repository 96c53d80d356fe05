/* The header's drop-down menus (launch, download) without Bootstrap's 62 KB script: a button
 * with data-bs-toggle="dropdown" opens the menu that follows it. Escape or a click elsewhere
 * closes it; arrow keys move between its items. Tooltips fall back to the buttons' titles. */
(function () {
  "use strict";
  function items(menu) { return Array.prototype.slice.call(menu.querySelectorAll("a, button")); }
  function close(toggle, focus) {
    var menu = toggle.nextElementSibling;
    toggle.classList.remove("show");
    toggle.setAttribute("aria-expanded", "false");
    if (menu) { menu.classList.remove("show"); }
    if (focus) { toggle.focus(); }
  }
  function openToggles() { return document.querySelectorAll('[data-bs-toggle="dropdown"].show'); }
  function closeAll(except) {
    Array.prototype.forEach.call(openToggles(), function (t) { if (t !== except) { close(t, false); } });
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest('[data-bs-toggle="dropdown"]');
    closeAll(toggle);
    if (!toggle) { return; }
    var menu = toggle.nextElementSibling;
    if (!menu) { return; }
    event.preventDefault();
    if (toggle.classList.contains("show")) { close(toggle, false); return; }
    toggle.classList.add("show");
    toggle.setAttribute("aria-expanded", "true");
    menu.classList.add("show");
  });
  document.addEventListener("keydown", function (event) {
    var open = openToggles()[0];
    if (!open) {
      var t = event.target.closest && event.target.closest('[data-bs-toggle="dropdown"]');
      if (t && event.key === "ArrowDown") { event.preventDefault(); t.click(); var f = items(t.nextElementSibling)[0]; if (f) { f.focus(); } }
      return;
    }
    var list = items(open.nextElementSibling), at = list.indexOf(document.activeElement);
    if (event.key === "Escape") { event.preventDefault(); close(open, true); }
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (list.length) { list[(next + list.length) % list.length].focus(); }
    }
  });
  document.addEventListener("focusin", function (event) {
    Array.prototype.forEach.call(openToggles(), function (t) {
      if (!t.parentElement.contains(event.target)) { close(t, false); }
    });
  });
})();

/* The sidebar buttons of the article header. Both themes wire only the first .primary-toggle
 * (and .secondary-toggle) of a page, the navbar's, which wide screens hide: the article
 * header's own buttons did nothing. A click on another one is passed to the wired one, which
 * opens the sidebar (a dialog on a phone) or collapses it (wide screens). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    ["primary-toggle", "secondary-toggle"].forEach(function (kind) {
      var button = event.target.closest && event.target.closest("." + kind);
      var wired = document.querySelector("." + kind);
      if (!button || button === wired || !wired) { return; }
      event.preventDefault();
      wired.click();
    });
  });
})();

/* Stylesheets a page needs only after its first paint (code colours, copy buttons): written
 * with media="print" by sphinx/light.py, switched on here, once the page is parsed. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("link[data-exk-media]"), function (link) {
    link.media = link.getAttribute("data-exk-media");
  });
})();
