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
