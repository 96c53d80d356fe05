/* exercisekit offline: on the published site only, keeps the course usable without a network and
 * the learner's work as safe as the browser allows.
 * - Registers the worker at the site's root (its scope is the course's own path). Never from
 *   file:// (the offline zip), where browsers run no worker; the SCORM packages and the Jupyter
 *   kernel never load this file.
 * - When a new version of the course is waiting, says « Nouvelle version disponible » and
 *   switches only when the learner asks (their work is in localStorage: it stays).
 * - Asks for persistent storage, says in « Mon parcours » whether it was granted, and where it
 *   was not, reminds the learner at most once a week to export their journal.
 * Loaded after exercisekit.js, whose storage namespace it shares. */
(function () {
  "use strict";
  var M = /*MESSAGES*/{}/*END*/;
  var JOURNAL = /*JOURNAL*/""/*END*/; // « Mon journal », from the site's root
  var WEEK = 7 * 24 * 3600 * 1000;
  var html = document.documentElement;
  var root = new URL(html.getAttribute("data-content_root") || "./", location.href);
  var K = window.ExerciseKit, PREFIX = K && K.lib ? K.lib.PREFIX : null;
  var REMINDED = PREFIX ? PREFIX + "meta:export-reminder" : null; // date of the last reminder
  var web = /^https?:$/.test(location.protocol);

  // State for people and tests: off (file://, no worker support), installing, ready.
  function state(s) { html.setAttribute("data-exk-offline", s); }
  function main() { return document.querySelector("main") || document.body; }
  function banner(cls, text) {
    var box = document.createElement("div");
    box.className = "exk-banner " + cls;
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    main().insertBefore(box, main().firstChild);
    return box;
  }
  function button(box, text, act) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "exk-btn"; b.textContent = text;
    b.addEventListener("click", act);
    box.appendChild(b);
    return b;
  }

  /* ---- the worker, and a new version ---- */
  var asked = false;
  function offer(worker) {
    if (document.querySelector(".exk-update")) return;
    var box = banner("exk-update", M.update_available);
    button(box, M.update_button, function () {
      asked = true;
      // A reflection being typed is saved on pagehide (exercisekit.js) before the reload.
      worker.postMessage({ type: "exercisekit-update" });
    });
  }
  function register() {
    if (!web || !("serviceWorker" in navigator)) { state("off"); return; }
    state("installing");
    var sw = navigator.serviceWorker;
    sw.addEventListener("controllerchange", function () {
      if (asked) { asked = false; location.reload(); }
    });
    sw.register(new URL("exercisekit-sw.js", root).href, { scope: root.pathname }).then(function (reg) {
      // The browser looks for a new version at each navigation, before this runs: the new
      // worker may already be waiting, still installing, or found later.
      function track(next) {
        if (next) next.addEventListener("statechange", function () {
          if (next.state === "installed" && sw.controller) offer(next);
        });
      }
      if (reg.waiting && sw.controller) offer(reg.waiting);
      track(reg.installing);
      reg.addEventListener("updatefound", function () { track(reg.installing); });
      return sw.ready;
    }).then(function (reg) {
      // Activated means installed, hence every page and asset of this version is in the cache.
      var active = reg.active;
      function done() { state("ready"); drawStatus(); }
      if (active.state === "activated") done();
      else active.addEventListener("statechange", function () { if (active.state === "activated") done(); });
    }).catch(function () {
      // Offline, the browser cannot fetch the worker to look for a new version and the
      // registration fails; the worker already installed still serves this page.
      if (sw.controller) { state("ready"); drawStatus(); } else state("off");
    });
  }

  /* ---- persistent storage ---- */
  var persisted = null; // true, false, or null when the browser does not say
  function ask() {
    var st = navigator.storage;
    if (!st || !st.persisted) return Promise.resolve(null);
    return st.persisted().then(function (yes) {
      if (yes || !st.persist) return yes;
      return st.persist();
    }).catch(function () { return null; });
  }
  function hasWork() {
    if (!PREFIX) return false;
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && /^(journal|answer|scenario|self):/.test(k.slice(PREFIX.length)) && k.indexOf(PREFIX) === 0) return true;
      }
    } catch (e) { /* storage off: nothing to remind about */ }
    return false;
  }
  // In « Mon parcours », below the progress (inserted above it, the status would push the
  // progress down after the first paint: a layout shift): whether the browser keeps this work,
  // and whether the course opens offline.
  function drawStatus() {
    var space = document.querySelector('.exk-space[data-exk-space="parcours"]');
    if (!space) return;
    var box = document.querySelector(".exk-persist");
    if (!box) {
      box = document.createElement("div");
      box.className = "exk-persist";
      box.setAttribute("role", "status");
      space.parentNode.insertBefore(box, space.nextSibling);
    }
    var lines = [persisted === true ? M.persist_granted : persisted === false ? M.persist_denied : M.persist_unknown];
    if (html.getAttribute("data-exk-offline") === "ready") lines.push(M.offline_ready);
    box.innerHTML = "";
    lines.forEach(function (text) { var p = document.createElement("p"); p.textContent = text; box.appendChild(p); });
    box.setAttribute("data-persisted", String(persisted));
  }
  function remind() {
    if (persisted === true || !REMINDED || !hasWork() || document.querySelector(".exk-reminder")) return;
    var last = Date.parse(localStorage.getItem(REMINDED) || "");
    if (!isNaN(last) && Date.now() - last < WEEK && last <= Date.now()) return;
    try { localStorage.setItem(REMINDED, new Date().toISOString()); } catch (e) { return; } // cannot note it: stay quiet
    var box = banner("exk-reminder", M.reminder);
    if (JOURNAL) {
      var a = document.createElement("a");
      a.href = new URL(JOURNAL, root).href; a.textContent = M.reminder_link;
      box.firstChild.appendChild(document.createTextNode(" "));
      box.firstChild.appendChild(a);
    }
    button(box, M.reminder_close, function () { box.remove(); });
  }
  function storage() {
    var parcours = document.querySelector('.exk-space[data-exk-space="parcours"]');
    // Asked where the learner keeps work (Mon parcours, or once something is saved): a browser
    // that asks the person (Firefox) then asks in context.
    var asking = parcours || hasWork() ? ask() : (navigator.storage && navigator.storage.persisted ? navigator.storage.persisted().catch(function () { return null; }) : Promise.resolve(null));
    asking.then(function (yes) {
      persisted = yes === true ? true : yes === false ? false : null;
      drawStatus();
      remind();
    });
    if (!parcours && !hasWork()) document.addEventListener("exk:saved", function once() {
      document.removeEventListener("exk:saved", once);
      ask().then(function (yes) { persisted = yes === true ? true : yes === false ? false : null; });
    });
  }

  // The worker starts downloading the course once this page has loaded, not while it loads.
  function start() {
    storage();
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
