/* exercisekit cohort: opt-in learning records for a workshop. Loaded by every page, after
 * exercisekit.js; does nothing unless this browser joined a cohort through the join page and
 * its consent screen. Then it turns what the runtime announces (`exk:answered`, `exk:scenario`)
 * into xAPI statements (docs/profil-xapi.md), keeps them in a queue in the course's storage
 * namespace and sends them once, in order, to the cohort's LRS (PUT with the statement's id:
 * a retry can never store a statement twice). Never the text of a reflection or the journal:
 * reflections announce nothing, and only the kinds of exercise listed in `sent` are read. */
(function () {
  "use strict";
  var K = window.ExerciseKit;
  if (!K || !K.lib) return;
  var C = /*COHORT*/{}/*END*/;
  var L = K.lib, M = C.messages || {}, esc = L.esc;
  var STATE = L.PREFIX + "cohort", PENDING = L.PREFIX + "cohort-pending", QUEUE = L.PREFIX + "cohortq:";
  var counter = 0, inflight = null, timer = null, backoff = 0, refused = false;

  function fmt(key, values) { return L.fill(M[key] || key, values); }
  function today() { var d = new Date(); return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2); }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function contentRoot() { return L.contentRoot(); }
  function day(iso) { // « 1 janvier 2027 »
    var d = new Date(iso + "T12:00:00");
    return isNaN(d) ? iso : d.toLocaleDateString("fr-CA", { year: "numeric", month: "long", day: "numeric" });
  }

  /* ---- state: the cohort this browser joined, or null ---- */
  function readJSON(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function state() {
    var s = K.store.ok ? readJSON(STATE) : null;
    return s && typeof s === "object" && s.cohort && s.lrs && s.u && s.k && s.actor ? s : null;
  }
  function queueKeys() { return K.store.keys(QUEUE).sort(); }
  function leave() {
    // One click, and it stops at once: the state, the queue and any request under way.
    try { localStorage.removeItem(STATE); } catch (e) { /* ignore */ }
    queueKeys().forEach(function (k) { try { localStorage.removeItem(k); } catch (e) { /* ignore */ } });
    if (inflight) inflight.abort();
    clearTimeout(timer);
    document.dispatchEvent(new CustomEvent("exk:cohort", { detail: { joined: false } }));
  }
  // A cohort ends on its own: after its last day, nothing more is sent.
  (function expire() { var s = state(); if (s && s.fin && s.fin < today()) leave(); })();

  /* ---- the link: cohort, LRS, participants' credential and last day, in the fragment ---- */
  function parseLink(hash) {
    var p = new URLSearchParams(hash.replace(/^#/, "")), link = {};
    ["cohorte", "nom", "lrs", "u", "k", "fin"].forEach(function (k) { link[k] = p.get(k) || ""; });
    if (!link.cohorte && !link.u) return null;
    var ok = /^[0-9a-f]{8,64}$/.test(link.cohorte) && link.u && link.k && /^\d{4}-\d{2}-\d{2}$/.test(link.fin);
    try { var url = new URL(link.lrs); ok = ok && /^https?:$/.test(url.protocol); } catch (e) { ok = false; }
    link.valid = !!ok;
    return link;
  }
  // The credential leaves the address bar (and the history) as soon as it is read.
  function takeLink() {
    var link = location.hash ? parseLink(location.hash) : null;
    if (link) {
      try { sessionStorage.setItem(PENDING, JSON.stringify(link)); } catch (e) { /* ignore */ }
      history.replaceState(null, "", location.pathname + location.search);
      return link;
    }
    return readSession(PENDING);
  }
  function readSession(key) { try { return JSON.parse(sessionStorage.getItem(key)); } catch (e) { return null; } }

  function join(link) {
    var s = {
      cohort: link.cohorte, name: link.nom || link.cohorte, lrs: link.lrs.replace(/\/?$/, "/"), u: link.u, k: link.k,
      fin: link.fin, actor: uuid(), registration: uuid(), joined: new Date().toISOString(), completed: []
    };
    leave();
    localStorage.setItem(STATE, JSON.stringify(s));
    try { sessionStorage.removeItem(PENDING); } catch (e) { /* ignore */ }
    refused = false;
    document.dispatchEvent(new CustomEvent("exk:cohort", { detail: { joined: true } }));
    return s;
  }

  /* ---- statements (docs/profil-xapi.md) ---- */
  function activity(id, type, extra) {
    var a = { objectType: "Activity", id: id, definition: { type: C.types[type] } };
    if (extra) Object.keys(extra).forEach(function (k) { a.definition[k] = extra[k]; });
    return a;
  }
  function courseActivity() { return activity(C.iri, "course"); }
  function moduleActivity(module) {
    var m = C.modules[module];
    return activity(C.iri + "/modules/" + module, "module", m ? { name: { "fr-CA": m.title } } : null);
  }
  function ext(key) { return C.extensions[key]; }
  function statement(s, verb, object, result, parents, grouping) {
    var context = {
      registration: s.registration, language: "fr-CA", platform: "exercisekit",
      contextActivities: { parent: parents, grouping: grouping, category: [activity(C.profile, "profile")] },
      extensions: {}
    };
    context.extensions[ext("cohort")] = s.cohort;
    var st = {
      id: uuid(), version: "1.0.3", timestamp: new Date().toISOString(),
      actor: { objectType: "Agent", account: { homePage: C.iri, name: s.actor } },
      verb: { id: C.verbs[verb].id, display: C.verbs[verb].display },
      object: object, context: context
    };
    if (result) st.result = result;
    return st;
  }
  function plainText(html) { return L.plain(html || "").replace(/\s+/g, " ").trim().slice(0, 250); }
  function response(ex, answer) {
    if (ex.type === "multiple" || ex.type === "order") return (answer || []).join("[,]");
    if (ex.type === "true_false") return String(answer);
    if (ex.type === "classify") return ex.items.map(function (i) { return i.id + "[.]" + answer[i.id]; }).join("[,]");
    return String(answer);
  }
  function correctPattern(ex) {
    if (ex.type === "single") return ex.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    if (ex.type === "multiple") return [ex.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; }).join("[,]")];
    if (ex.type === "true_false") return [String(ex.answer)];
    if (ex.type === "classify") return [ex.items.map(function (i) { return i.id + "[.]" + i.category; }).join("[,]")];
    if (ex.type === "order") return [ex.steps.map(function (x) { return x.id; }).join("[,]")];
    return null;
  }
  function onAnswered(e) {
    var s = state(), d = e.detail || {}, ex = d.exercise;
    if (!s || !ex || C.sent.indexOf(ex.type) < 0 || ex.type === "scenario" || d.verdict.status === "incomplete") return;
    var module = d.ref.split("/")[0], graded = ex.type !== "dilemma";
    var def = { interactionType: C.interactions[ex.type], name: { "fr-CA": plainText(ex.prompt || ex.statement) } };
    var pattern = graded ? correctPattern(ex) : null;
    if (pattern) def.correctResponsesPattern = pattern;
    var result = { response: response(ex, d.answer), extensions: {} };
    result.extensions[ext("first")] = !!d.first;
    if (graded) {
      var v = d.verdict;
      result.success = v.status === "correct";
      result.completion = true;
      result.score = { raw: v.score, min: 0, max: v.total, scaled: v.total ? Math.round(1000 * v.score / v.total) / 1000 : 0 };
    }
    enqueue(statement(s, "answered", activity(C.iri + "/exercices/" + d.ref, "interaction", def), result,
      [moduleActivity(module)], [courseActivity()]));
    checkModule(s, module);
  }
  function onScenario(e) {
    var s = state(), d = e.detail || {}, ex = d.exercise;
    if (!s || !ex || ex.type !== "scenario" || !d.choices || !d.choices.length) return;
    var module = d.ref.split("/")[0], w = d.walk, at = w.path[w.path.length - 2], cid = d.choices[d.choices.length - 1];
    var node = ex.nodes.filter(function (n) { return n.id === at; })[0];
    var choice = node && node.choices.filter(function (c) { return c.id === cid; })[0];
    if (!choice) return;
    var scenario = activity(C.iri + "/exercices/" + d.ref, "scenario", { name: { "fr-CA": plainText(ex.title) } });
    var result = { response: cid, extensions: {} };
    if (choice.quality) result.extensions[ext("quality")] = choice.quality;
    enqueue(statement(s, "answered", activity(C.iri + "/exercices/" + d.ref + "/cartes/" + at, "interaction", { interactionType: "choice" }),
      result, [scenario], [moduleActivity(module), courseActivity()]));
    if (w.ending) {
      var end = { completion: true, response: d.choices.join("[,]"), extensions: {} };
      end.extensions[ext("ending")] = w.node;
      end.extensions[ext("quality")] = w.ending;
      enqueue(statement(s, "completed", scenario, end, [moduleActivity(module)], [courseActivity()]));
    }
    checkModule(s, module);
  }
  // The mastery rule (exercisekit.js): a module is finished once every graded item has a first
  // checked answer and every scenario reached an ending; `success` says if enough were right.
  function checkModule(s, module) {
    var m = C.modules[module];
    if (!m || (s.completed || []).indexOf(module) >= 0) return;
    var graded = m.items.filter(function (it) { return it[1] !== "scenario"; });
    var firsts = graded.map(function (it) { var v = K.store.get("first", it[0]); return v ? v.status : null; });
    var open = firsts.filter(function (x) { return x === null; }).length +
      m.items.filter(function (it) { return it[1] === "scenario" && !L.isDone({ ref: it[0], type: "scenario" }); }).length;
    if (open) return;
    var right = firsts.filter(function (x) { return x === "correct"; }).length;
    var need = Math.ceil(C.mastery * graded.length - 1e-9);
    var result = { completion: true, success: right >= need,
      score: { raw: right, min: 0, max: graded.length, scaled: graded.length ? Math.round(1000 * right / graded.length) / 1000 : 1 } };
    enqueue(statement(s, "completed", moduleActivity(module), result, [courseActivity()], []));
    s.completed = (s.completed || []).concat([module]);
    localStorage.setItem(STATE, JSON.stringify(s));
  }

  /* ---- the queue: one storage key per statement, sent in order, once ---- */
  function enqueue(st) {
    try {
      localStorage.setItem(QUEUE + pad(Date.now(), 15) + "-" + pad(counter++ % 10000, 4) + "-" + st.id, JSON.stringify(st));
    } catch (e) { return; } // storage full: this one statement is not kept (the learner's work is)
    kick(0);
  }
  function kick(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!state()) return;
      // One sender across this browser's tabs, so that two never PUT the same statement at once.
      if (navigator.locks && navigator.locks.request) {
        navigator.locks.request(L.PREFIX + "cohort-send", { ifAvailable: true }, function (lock) {
          if (!lock) { kick(2000); return null; }
          return drain();
        });
      } else drain();
    }, delay || 0);
  }
  function drain() {
    var s = state(), keys = queueKeys();
    // Offline: wait for the `online` event rather than try (and fail) now.
    if (!s || !keys.length || refused || navigator.onLine === false) return Promise.resolve();
    var key = keys[0], raw = localStorage.getItem(key), st = null;
    try { st = JSON.parse(raw); } catch (e) { st = null; }
    if (!st || !st.id) { localStorage.removeItem(key); return drain(); }
    inflight = typeof AbortController === "function" ? new AbortController() : null;
    return fetch(s.lrs + "statements?statementId=" + encodeURIComponent(st.id), {
      method: "PUT",
      headers: {
        "Authorization": "Basic " + btoa(s.u + ":" + s.k),
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3"
      },
      body: raw, cache: "no-store", credentials: "omit", signal: inflight ? inflight.signal : undefined
    }).then(function (r) {
      inflight = null;
      if (!state()) return null; // left while it was on its way
      if (r.ok || r.status === 409 || r.status === 400) {
        // Stored (or already stored: the same id); a statement the LRS can never accept is
        // dropped rather than blocking the ones after it.
        localStorage.removeItem(key);
        backoff = 0;
        status();
        return drain();
      }
      if (r.status === 401 || r.status === 403) { refused = true; status(); return null; }
      retry();
      return null;
    }, function () { inflight = null; retry(); });
  }
  function retry() {
    backoff = Math.min(backoff ? backoff * 2 : 1000, 30000);
    status();
    if (navigator.onLine !== false) kick(backoff);
  }
  window.addEventListener("online", function () { backoff = 0; kick(0); });
  // Left in another tab: this one stops too, at once.
  window.addEventListener("storage", function (e) {
    if ((e.key === STATE && !e.newValue) || e.key === null) { if (!state() && inflight) inflight.abort(); clearTimeout(timer); }
  });

  /* ---- what the learner sees: the join page, and a line on module pages and Mon parcours ---- */
  function $(sel, el) { return (el || document).querySelector(sel); }
  function button(cls, label) { return '<button type="button" class="exk-btn ' + cls + '">' + esc(label) + "</button>"; }
  var statusLines = [];
  function status() {
    var s = state(), n = queueKeys().length;
    var text = !s ? "" : refused ? M.refused : n && (navigator.onLine === false || backoff) ? fmt("waiting", { n: n }) : "";
    statusLines.forEach(function (el) { el.textContent = text; });
  }
  function consent(link) {
    var row = function (title, text) { return "<h3>" + esc(M[title]) + "</h3><p>" + esc(text) + "</p>"; };
    return '<section class="exk-consent" aria-labelledby="exk-consent-title"><h2 id="exk-consent-title" tabindex="-1">' +
      esc(fmt("consent_title", { name: link.nom || link.cohorte })) + "</h2><p>" + esc(M.consent_intro) + "</p>" +
      row("consent_what_title", M.consent_what) + row("consent_never_title", M.consent_never) +
      row("consent_who_title", fmt("consent_who", { lrs: link.lrs })) +
      row("consent_how_long_title", fmt("consent_how_long", { fin: day(link.fin) })) +
      row("consent_leave_title", M.consent_leave) +
      '<p class="exk-cohort-actions">' + button("exk-cohort-accept", M.accept) + " " + button("exk-cohort-decline", M.decline) + "</p></section>";
  }
  function joinPage(el) {
    var link = takeLink(), note = "";
    function draw(focus) {
      var s = state(), html;
      if (link && link.valid && link.fin < today()) { note = fmt("expired_link", { fin: day(link.fin) }); link = null; }
      if (link && !link.valid) { note = M.bad_link; link = null; }
      if (link && (!s || s.cohort !== link.cohorte)) {
        html = (s ? '<p class="exk-status">' + esc(fmt("other_cohort", { name: s.name })) + "</p>" : "") + consent(link);
      } else if (s) {
        html = '<p class="exk-cohort-joined">' + esc(fmt("joined", { name: s.name, fin: day(s.fin) })) + "</p>" +
          '<p class="exk-cohort-actions">' + button("exk-cohort-leave", M.leave) + "</p>";
      } else {
        html = "<p>" + esc(M.no_link) + "</p>";
      }
      el.innerHTML = html + '<p class="exk-status exk-cohort-status" role="status">' + esc(note) + "</p>";
      statusLines = [el.querySelector(".exk-cohort-status")];
      if (!note) status();
      if (focus && el.querySelector(focus)) el.querySelector(focus).focus();
    }
    el.addEventListener("click", function (e) {
      var b = e.target.closest("button"); if (!b) return;
      if (b.classList.contains("exk-cohort-accept")) { var s = join(link); link = null; note = fmt("joined_now", { name: s.name }); draw(".exk-cohort-leave"); }
      else if (b.classList.contains("exk-cohort-decline")) { link = null; try { sessionStorage.removeItem(PENDING); } catch (x) { /* ignore */ } note = M.declined; draw(); }
      else if (b.classList.contains("exk-cohort-leave")) { leave(); note = M.left; draw(); }
    });
    window.addEventListener("storage", function (e) { if (e.key === STATE || e.key === null) draw(); });
    draw(link && link.valid ? "#exk-consent-title" : null);
  }
  // On pages with exercises and on « Mon parcours »: the learner always sees that answers are
  // being sent, with the way out one click away.
  function banner() {
    var s = state(), space = $(".exk-space[data-exk-space='parcours']");
    if (!s || (!space && !$(".exk[data-exk-ref]"))) return;
    var box = document.createElement("div");
    box.className = "exk-cohort-banner";
    box.innerHTML = "<p>" + esc(fmt("banner", { name: s.name })) +
      (C.pages.join ? ' <a href="' + esc(contentRoot() + C.pages.join) + '">' + esc(M.details) + "</a>" : "") + "</p>" +
      '<p class="exk-cohort-actions">' + button("exk-cohort-leave", M.leave) + "</p>" +
      '<p class="exk-status exk-cohort-status" role="status"></p>';
    var anchor = space || $(".exk-progress") || $("article h1") || $("main h1");
    if (anchor && anchor.parentNode) anchor.parentNode.insertBefore(box, space ? anchor : anchor.nextSibling);
    else ($("main") || document.body).prepend(box);
    statusLines.push(box.querySelector(".exk-cohort-status"));
    box.addEventListener("click", function (e) {
      if (!e.target.closest(".exk-cohort-leave")) return;
      leave();
      box.innerHTML = '<p class="exk-status" role="status" tabindex="-1">' + esc(M.left) + "</p>";
      box.querySelector("p").focus();
    });
    status();
  }

  document.addEventListener("exk:answered", onAnswered);
  document.addEventListener("exk:scenario", onScenario);
  function setup() {
    var mount = $(".exk-cohort[data-exk-cohort='join']");
    if (mount) joinPage(mount); else banner();
    if (state() && queueKeys().length) kick(0);
  }
  window.ExerciseKitCohortProfile = C; // the debrief view reads the same tables
  window.ExerciseKitCohort = { state: state, leave: leave, queued: function () { return queueKeys().length; } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
