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

/* Scrollable regions (code, wide tables, outputs) are reachable by keyboard: tabindex="0" when
 * their content overflows, -1 when it does not (the theme's rule). The theme measured every one
 * of them at load, which lays out the whole page at once (sphinx/light.py THEME_PATCHES); here
 * each is measured when it comes near the screen, and again after a resize. */
(function () {
  "use strict";
  var REGIONS = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container";
  var content = document.getElementById("main-content");
  if (!content || !("IntersectionObserver" in window)) { return; }
  var observer = new IntersectionObserver(function (entries) {
    // All reads first, then all writes: one layout pass, however many regions arrive.
    var seen = entries.filter(function (entry) { return entry.isIntersecting; }).map(function (entry) {
      var region = entry.target;
      return [region, region.scrollWidth > region.clientWidth || region.scrollHeight > region.clientHeight];
    });
    seen.forEach(function (pair) { pair[0].tabIndex = pair[1] ? 0 : -1; });
  }, { rootMargin: "100% 0px" });
  function watch() {
    Array.prototype.forEach.call(content.querySelectorAll(REGIONS), function (region) {
      observer.unobserve(region);
      observer.observe(region);
    });
  }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(watch, 300); }
  watch();
  window.addEventListener("resize", later);
  new MutationObserver(later).observe(content, { subtree: true, childList: true });
})();

/* A link to a section (#anchor): the sections not drawn yet have an estimated height
 * (content-visibility, extra.css), so the browser's jump can land beside its target. Once the
 * sections around it are drawn, the target is brought back where the jump meant it to be,
 * until it stays put. */
(function () {
  "use strict";
  function settle() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var tries = 0;
    (function again() {
      requestAnimationFrame(function () {
        var before = target.getBoundingClientRect().top;
        target.scrollIntoView();
        if (++tries < 10 && Math.abs(target.getBoundingClientRect().top - before) > 1) { again(); }
      });
    })();
  }
  window.addEventListener("hashchange", settle);
  if (location.hash) { window.addEventListener("load", settle); }
})();

/* The sections that content-visibility leaves undrawn (extra.css) have an estimated height
 * until they are drawn once, so a jump far down the page (End, the scroll bar) would land among
 * estimates and the page would move under the reader. Once the page has loaded, each section
 * still undrawn is drawn once, one per idle moment, so that the browser remembers its real
 * height; those near the screen are drawn already and left alone (touching them would move
 * what the reader sees). <html data-exk-sections="ready"> says when all are. */
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll(".bd-article > section > section"));
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
  function undrawn(section) { // its contents are skipped (the section itself keeps a box)
    var child = section.firstElementChild;
    return !!child && !!child.checkVisibility && !child.checkVisibility({ contentVisibilityAuto: true });
  }
  function next() {
    var section = sections.shift();
    while (section && !undrawn(section)) { section = sections.shift(); }
    if (!section) { document.documentElement.setAttribute("data-exk-sections", "ready"); return; }
    // Drawn with the containment it has when drawn on approach (its children's margins stay
    // inside it), so that the height remembered is the height it will have.
    section.style.contain = "layout style paint";
    section.style.contentVisibility = "visible";
    // Its size is remembered at the next frame; then it goes back to being drawn on approach.
    requestAnimationFrame(function () {
      setTimeout(function () {
        section.style.contentVisibility = "";
        section.style.contain = "";
        idle(next);
      }, 0);
    });
  }
  function start() { idle(next); }
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
