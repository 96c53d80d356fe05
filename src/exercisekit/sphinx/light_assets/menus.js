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

/* Long pages, drawn on approach. A page's second- and third-level sections are laid out only as
 * they near the screen (content-visibility, extra.css), which spares a phone most of the work at
 * load.
 * What the theme and the browser did with the whole page at load is done here section by
 * section:
 * - scrollable regions (code, wide tables, outputs) get tabindex="0" when their content
 *   overflows, -1 when it does not (the theme's rule, so a keyboard can scroll them). The theme
 *   measured them all at load, laying out the whole page (sphinx/light.py THEME_PATCHES); here
 *   each is measured when it nears the screen or its section is drawn, and after a resize;
 * - an undrawn section has an estimated height, so a jump far down (End, the scroll bar) would
 *   land among estimates and the page would move under the reader. Once the page has loaded,
 *   each section still undrawn is drawn once, one per idle moment, so that the browser keeps its
 *   real height; <html data-exk-sections="ready"> says when all are;
 * - a link to a section (#anchor) that landed beside its target is brought back to it. */
(function () {
  "use strict";
  var content = document.getElementById("main-content");
  if (!content) { return; }
  var REGIONS = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container";

  function measure(regions) { // all reads first, then all writes: one layout pass
    regions.map(function (region) {
      return [region, region.scrollWidth > region.clientWidth || region.scrollHeight > region.clientHeight];
    }).forEach(function (pair) { pair[0].tabIndex = pair[1] ? 0 : -1; });
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    measure(entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; }));
  }, { rootMargin: "100% 0px" }) : null;
  function watch() {
    var regions = Array.prototype.slice.call(content.querySelectorAll(REGIONS));
    if (!observer) { measure(regions); return; }
    regions.forEach(function (region) { observer.unobserve(region); observer.observe(region); });
  }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(watch, 300); }
  watch();
  window.addEventListener("resize", later);
  new MutationObserver(later).observe(content, { subtree: true, childList: true });

  // Second- and third-level sections (extra.css): a long first section is itself drawn on
  // approach, subsection by subsection.
  var SECTIONS = ".bd-article > section > section, .bd-article > section > section > section";
  var sections = Array.prototype.slice.call(document.querySelectorAll(SECTIONS));
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
  function undrawn(section) { // its contents are skipped (the section itself keeps a box)
    var child = section.firstElementChild;
    return !!child && !!child.checkVisibility && !child.checkVisibility({ contentVisibilityAuto: true });
  }
  function regionsOf(group) { // the regions whose nearest such section is in the group
    return Array.prototype.slice.call(group[0].querySelectorAll(REGIONS)).filter(function (region) {
      return group.indexOf(region.closest(SECTIONS)) >= 0;
    });
  }
  function drawNext() {
    var section = sections.shift();
    while (section && !undrawn(section)) { // drawn already, near the screen: measured as it is
      measure(regionsOf([section]));
      section = sections.shift();
    }
    if (!section) { document.documentElement.setAttribute("data-exk-sections", "ready"); return; }
    // Drawn with its subsections (they are drawn only inside it), each with the containment it
    // has when drawn on approach (children's margins stay inside), so that the heights kept are
    // the heights they will have.
    var group = [section].concat(Array.prototype.slice.call(section.querySelectorAll(":scope > section"))
      .filter(function (sub) { return sub.matches(SECTIONS); }));
    sections = sections.filter(function (other) { return group.indexOf(other) < 0; });
    group.forEach(function (s) { s.style.contain = "layout style paint"; s.style.contentVisibility = "visible"; });
    // The browser keeps their sizes at the next frame; then they go back to being drawn on approach.
    requestAnimationFrame(function () {
      setTimeout(function () {
        measure(regionsOf(group));
        group.forEach(function (s) { s.style.contentVisibility = ""; s.style.contain = ""; });
        idle(drawNext);
      }, 0);
    });
  }
  if (document.readyState === "complete") { idle(drawNext); }
  else { window.addEventListener("load", function () { idle(drawNext); }); }

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
