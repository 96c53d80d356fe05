/* exercisekit-scorm.js: the course's SCORM adapter. It is loaded only in the course's SCORM
 * packages, as a plain script right after exercisekit.js at the end of the page, so it runs
 * before the runtime draws the exercises (at DOMContentLoaded) and can restore the saved state.
 * The public site never loads it.
 *
 * It finds the LMS (`API` for SCORM 1.2, `API_1484_11` for 2004, up the parent and opener
 * windows). Without one, the page works exactly as on the site and says that nothing is sent.
 * With one, it reports:
 *   - completion: every exercise of the page done (monotonic within an attempt);
 *   - success and score: the course's mastery rule on the graded items (first tries) and the
 *     scenarios; score = share of graded items right on the first try;
 *   - session time, and one cmi.interactions record per answered item (choice, true-false,
 *     matching, sequencing; a dilemma is a `choice` with no correct pattern; a scenario gives
 *     one `choice` per decision, its correct patterns the decisions the course calls good);
 *   - the saved state in cmi.suspend_data (at most LIMIT characters), restored at launch, so a
 *     learner resumes on another computer. Reflection text is never sent, unless the course set
 *     data-exk-share-reflections (then as a fill-in interaction, never in suspend_data).
 * The learner's work is always saved in this browser first (by the runtime): an LMS that
 * refuses a value, a missing LMS or a full suspend_data is told in words, and nothing is lost.
 *
 * suspend_data (JSON, ASCII; exercise ids without the module prefix):
 *   {"v":1, "t":"<saved at: seconds since 1970, base 36>",
 *    "a":{"<id>":[<answer>,"<status c|p|i|d>"]}, "f":{"<id>":"<first try c|p|i>"},
 *    "s":{"<id>":["<choice id>", ...]}, "r":["<reflection id written>", ...],
 *    "i":["<interaction key at index 0>", ...]}
 */
(function () {
  "use strict";
  var M = /*MESSAGES*/{}/*END*/;
  var LIMIT = /*LIMIT*/4096/*END*/;
  var root = document.documentElement, kit = window.ExerciseKit;
  var VERSION = root.getAttribute("data-exk-scorm"), MODULE = root.getAttribute("data-exk-module") || "";
  var SHARE = root.getAttribute("data-exk-share-reflections") === "true";
  if (!kit || (VERSION !== "1.2" && VERSION !== "2004")) return;
  var store = kit.store, lib = kit.lib, V2004 = VERSION === "2004";
  var V = V2004 ? {
    api: "API_1484_11", Initialize: "Initialize", GetValue: "GetValue", SetValue: "SetValue", Commit: "Commit",
    Terminate: "Terminate", GetLastError: "GetLastError", learner: "cmi.learner_id", exit: "cmi.exit",
    sessionTime: "cmi.session_time", response: "learner_response", time: "timestamp", wrong: "incorrect"
  } : {
    api: "API", Initialize: "LMSInitialize", GetValue: "LMSGetValue", SetValue: "LMSSetValue", Commit: "LMSCommit",
    Terminate: "LMSFinish", GetLastError: "LMSGetLastError", learner: "cmi.core.student_id", exit: "cmi.core.exit",
    sessionTime: "cmi.core.session_time", response: "student_response", time: "time", wrong: "wrong"
  };
  var STATUS = { correct: "c", partial: "p", incorrect: "i", done: "d" };
  var STATUS_OF = { c: "correct", p: "partial", i: "incorrect", d: "done" };
  var GRADED = ["single", "multiple", "true_false", "classify", "order"];
  var CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"; // SCORM 1.2 answers: one character each

  /* ---- the page's exercises, from their blocks ---- */
  var items = [], exercises = {}, seen = {};
  Array.prototype.forEach.call(document.querySelectorAll(".exk[data-exk-ref]"), function (block) {
    var ref = block.getAttribute("data-exk-ref");
    if (seen[ref]) return;
    seen[ref] = true;
    try { exercises[ref] = JSON.parse(block.querySelector(".exk-data").textContent); } catch (e) { return; }
    var id = ref.indexOf(MODULE + "/") === 0 ? ref.slice(MODULE.length + 1) : ref;
    items.push({ ref: ref, id: id, type: block.getAttribute("data-exk-type") });
  });
  function itemOf(ref) { return items.filter(function (it) { return it.ref === ref; })[0]; }

  /* ---- messages to the learner: in the page, in words, announced (role status or alert) ---- */
  var shown = {};
  function notice(key, values, role) {
    if (shown[key]) return;
    shown[key] = true;
    var text = (M[key] || key).replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
    var box = document.createElement("div");
    box.className = "exk-lms-notice" + (role === "status" ? " exk-lms-notice--info" : "");
    box.setAttribute("role", role);
    box.setAttribute("data-exk-lms", key);
    var main = document.querySelector("main") || document.body;
    main.insertBefore(box, main.firstChild);
    // The text comes a moment after its live region, so that screen readers announce it.
    setTimeout(function () { box.textContent = text; }, 30);
  }

  /* ---- the LMS ---- */
  function search(win) {
    for (var hops = 0; win && hops < 16; hops++) {
      try { if (win[V.api]) return win[V.api]; } catch (e) { /* a window of another origin */ }
      var up = null;
      try { up = win.parent; } catch (e) { up = null; }
      if (!up || up === win) return null;
      win = up;
    }
    return null;
  }
  function findApi() {
    var found = search(window);
    try { if (!found && window.opener) found = search(window.opener); } catch (e) { /* closed or foreign */ }
    try { if (!found && window.top && window.top.opener) found = search(window.top.opener); } catch (e) { /* idem */ }
    return found;
  }
  var api = findApi(), live = false;
  function lms(fn) {
    var args = Array.prototype.slice.call(arguments, 1);
    try { var r = api[V[fn]].apply(api, args); return r === undefined || r === null ? "" : String(r); }
    catch (e) { return "false"; }
  }
  function errorCode() { var code = lms("GetLastError"); return code && code !== "false" ? code : "?"; }
  function get(element) { return live ? lms("GetValue", element) : ""; }
  function set(element, value) {
    if (!live) return false;
    if (lms("SetValue", element, String(value)) === "true") return true;
    notice("refused", { code: errorCode() }, "alert");
    return false;
  }
  function commit() {
    if (live && lms("Commit", "") !== "true") notice("refused", { code: errorCode() }, "alert");
  }

  if (!api) { notice("no_lms", {}, "status"); return; }
  if (lms("Initialize", "") !== "true") { notice("init_failed", { code: errorCode() }, "alert"); return; }
  live = true;
  var started = Date.now();

  /* ---- the saved state ---- */
  function decode(text) {
    try {
      var s = JSON.parse(text);
      return s && s.v === 1 && typeof s.t === "string" ? s : null;
    } catch (e) { return null; }
  }
  function encode() {
    var state = { v: 1, t: Math.floor(Date.now() / 1000).toString(36), a: {}, f: {}, s: {}, r: [], i: keys.slice() };
    items.forEach(function (it) {
      if (it.type === "reflection") { if (done(it)) state.r.push(it.id); return; }
      if (it.type === "scenario") {
        var sc = store.get("scenario", it.ref);
        if (sc && sc.choices.length) state.s[it.id] = sc.choices;
        return;
      }
      var a = store.get("answer", it.ref), f = store.get("first", it.ref);
      if (a && STATUS[a.status]) state.a[it.id] = [a.answer, STATUS[a.status]];
      if (f && STATUS[f.status]) state.f[it.id] = STATUS[f.status];
    });
    return JSON.stringify(state);
  }

  // A shared computer: the entries of this page that another learner of the LMS left in this
  // browser are set aside (never erased), and this learner's own come back.
  var KINDS = ["answer", "first", "scenario", "journal"];
  function switchLearner(learner) {
    if (!learner || !store.ok) return;
    var ownerKey = lib.PREFIX + "lms:learner:" + MODULE;
    function aside(who, kind, ref) { return lib.PREFIX + "lms:aside:" + encodeURIComponent(who) + ":" + kind + ":" + ref; }
    function each(fn) { items.forEach(function (it) { KINDS.forEach(function (kind) { fn(kind, it.ref, store.key(kind, it.ref)); }); }); }
    try {
      var owner = localStorage.getItem(ownerKey);
      if (owner === learner) return;
      if (owner !== null) each(function (kind, ref, key) {
        var value = localStorage.getItem(key);
        if (value !== null) { localStorage.setItem(aside(owner, kind, ref), value); localStorage.removeItem(key); }
      });
      each(function (kind, ref, key) {
        var mine = localStorage.getItem(aside(learner, kind, ref));
        if (mine === null) return;
        if (localStorage.getItem(key) === null) localStorage.setItem(key, mine);
        localStorage.removeItem(aside(learner, kind, ref));
      });
      localStorage.setItem(ownerKey, learner);
    } catch (e) { /* storage full: everything stays where it is */ }
  }

  // What the LMS kept goes into this browser, entry by entry, unless this browser holds a newer
  // one (saved here after the LMS last received the state). Returns how many entries came in.
  function restore(saved) {
    var at = new Date(parseInt(saved.t, 36) * 1000).toISOString(), count = 0;
    function older(entry) { return !entry || !entry.at || entry.at <= at; }
    function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
    function ref(id) { var r = exercises[MODULE + "/" + id] ? MODULE + "/" + id : id; return exercises[r] ? r : null; }
    Object.keys(saved.a || {}).forEach(function (id) {
      var r = ref(id), pair = saved.a[id];
      var mine = r && store.get("answer", r);
      if (!r || !Array.isArray(pair) || !STATUS_OF[pair[1]] || !older(mine)) return;
      if (mine && same(mine.answer, pair[0]) && mine.status === STATUS_OF[pair[1]]) return;
      if (store.set("answer", r, { answer: pair[0], status: STATUS_OF[pair[1]], at: at }, true)) count++;
    });
    Object.keys(saved.f || {}).forEach(function (id) {
      var r = ref(id), mine = r && store.get("first", r);
      // The LMS's first try is the earlier one unless this browser's was saved before it.
      if (!r || !STATUS_OF[saved.f[id]] || (mine && (!(mine.at > at) || mine.status === STATUS_OF[saved.f[id]]))) return;
      if (store.set("first", r, { status: STATUS_OF[saved.f[id]], at: at }, true)) count++;
    });
    Object.keys(saved.s || {}).forEach(function (id) {
      var r = ref(id), choices = saved.s[id];
      var mine = r && store.get("scenario", r);
      if (!r || !Array.isArray(choices) || !older(mine) || (mine && same(mine.choices, choices))) return;
      var w = kit.walk(exercises[r], choices);
      if (w.valid && store.set("scenario", r, { choices: choices, node: w.node, ending: w.ending, status: w.status, at: at }, true)) count++;
    });
    return count;
  }

  var learner = get(V.learner);
  switchLearner(learner);
  var saved = decode(get("cmi.suspend_data"));
  var writtenElsewhere = {}; // reflections written on another computer (their text stays there)
  if (saved) (saved.r || []).forEach(function (id) { writtenElsewhere[id] = true; });
  var restored = saved ? restore(saved) : 0;

  /* ---- completion, success, score ---- */
  function done(it) { return lib.isDone(it) || (it.type === "reflection" && !!writtenElsewhere[it.id]); }
  var everDone = false, settled = null;
  (function readStatus() {
    var completion = get(V2004 ? "cmi.completion_status" : "cmi.core.lesson_status");
    var success = V2004 ? get("cmi.success_status") : completion;
    everDone = ["completed", "passed", "failed"].indexOf(completion) >= 0;
    settled = success === "passed" || success === "failed" ? success : null;
  })();
  function round(x, places) { var f = Math.pow(10, places); return String(Math.round(x * f) / f); }
  function reportProgress() {
    var m = lib.masteryState(items), finished = items.filter(done).length;
    everDone = everDone || finished === items.length;
    var success = m.mastered ? "passed" : !m.gradedLeft && m.right < m.need ? "failed" : null;
    settled = success || settled;
    if (V2004) {
      set("cmi.completion_status", everDone ? "completed" : "incomplete");
      set("cmi.success_status", settled || "unknown");
      set("cmi.progress_measure", round(items.length ? finished / items.length : 1, 4));
    } else {
      set("cmi.core.lesson_status", !everDone ? "incomplete" : settled || "completed");
    }
    if (!m.total) return;
    var share = m.right / m.total, p = V2004 ? "cmi.score." : "cmi.core.score.";
    set(p + "min", "0");
    set(p + "max", "100");
    set(p + "raw", round(100 * share, 2));
    if (V2004) set(p + "scaled", round(share, 4));
  }

  /* ---- interactions ---- */
  var indexOf = {}, keys = [], next = parseInt(get("cmi.interactions._count"), 10) || 0;
  (function mapInteractions() {
    for (var n = 0; n < next; n++) {
      var key = V2004 ? get("cmi.interactions." + n + ".id") : saved && saved.i ? saved.i[n] : null;
      if (V2004 && key && key.indexOf(MODULE + ".") === 0) key = key.slice(MODULE.length + 1);
      keys[n] = key || null;
      if (key) indexOf[key] = n;
    }
  })();
  function pad(n, width) { n = String(n); while (n.length < (width || 2)) n = "0" + n; return n; }
  function timestamp(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d)) d = new Date();
    if (V2004) return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + "T" + pad(d.getUTCHours()) +
      ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds()) + "." + pad(Math.floor(d.getUTCMilliseconds() / 10)) + "Z";
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10)), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
    var s = (cs % 6000) / 100;
    if (V2004) return "PT" + h + "H" + m + "M" + round(s, 2) + "S";
    return pad(h, 4) + ":" + pad(m) + ":" + (s < 10 ? "0" : "") + s.toFixed(2);
  }
  function text(html, max) {
    var d = document.createElement("div");
    d.innerHTML = html || "";
    var t = d.textContent.replace(/\s+/g, " ").trim();
    return t.length > max ? t.slice(0, max - 1) + "…" : t;
  }
  // A response in SCORM's format: 2004 joins identifiers with [,] (pairs with [.]); 1.2 writes
  // each identifier as one character, by its position in `codes` (pairs: source.target).
  function format(rec, value) {
    if (rec.type === "true-false") return V2004 ? String(value) : value ? "t" : "f";
    if (rec.type === "fill-in" || rec.type === "long-fill-in") return value;
    var code = function (list, id) { return V2004 ? id : CHARS.charAt(list.indexOf(id)); };
    if (rec.type === "matching") return value.map(function (pair) {
      return code(rec.codes, pair[0]) + (V2004 ? "[.]" : ".") + code(rec.targets, pair[1]);
    }).join(V2004 ? "[,]" : ",");
    return value.map(function (id) { return code(rec.codes, id); }).join(V2004 ? "[,]" : ",");
  }
  function result(status, verdict) {
    if (status === "correct") return "correct";
    if (status === "incorrect") return V.wrong;
    if (status === "partial" && verdict && verdict.total) return round(verdict.score / verdict.total, 4);
    return "neutral";
  }
  // One answered graded item or dilemma as a neutral record, or null.
  function answerRecord(it) {
    var ex = exercises[it.ref], entry = store.get("answer", it.ref);
    if (!ex || !entry || !STATUS[entry.status]) return null;
    var ids = function (list) { return list.map(function (x) { return x.id; }); };
    var rec = { weighting: it.type === "dilemma" ? "0" : "1", at: entry.at, description: ex.prompt || ex.statement,
      result: result(entry.status, it.type === "dilemma" ? null : kit.grade(ex, entry.answer)) };
    if (it.type === "true_false") {
      rec.type = "true-false"; rec.response = entry.answer; rec.correct = [ex.answer];
    } else if (it.type === "classify") {
      rec.type = "matching"; rec.codes = ids(ex.items); rec.targets = ids(ex.categories);
      rec.response = ex.items.map(function (i) { return [i.id, entry.answer[i.id]]; });
      rec.correct = [ex.items.map(function (i) { return [i.id, i.category]; })];
    } else if (it.type === "order") {
      rec.type = "sequencing"; rec.codes = ids(ex.steps); rec.response = entry.answer; rec.correct = [ids(ex.steps)];
    } else {
      rec.type = "choice"; rec.codes = ids(ex.options); rec.response = [].concat(entry.answer);
      var right = ex.options.filter(function (o) { return o.correct; });
      rec.correct = it.type === "dilemma" ? [] : [ids(right)];
    }
    return rec;
  }
  function write(key, rec) {
    var n = key in indexOf ? indexOf[key] : (indexOf[key] = next++);
    keys[n] = key;
    var p = "cmi.interactions." + n + ".";
    if (!set(p + "id", MODULE + "." + key) || !set(p + "type", rec.type)) return;
    set(p + V.time, timestamp(rec.at));
    set(p + "weighting", rec.weighting);
    if (V2004) set(p + "description", text(rec.description, 250));
    set(p + V.response, format(rec, rec.response));
    set(p + "result", rec.result);
    rec.correct.forEach(function (pattern, k) { set(p + "correct_responses." + k + ".pattern", format(rec, pattern)); });
  }
  // At launch, a record is written again only if the LMS lacks it or this browser holds a newer
  // answer than the state the LMS kept (so the LMS keeps each record's own time).
  var savedAt = saved ? new Date(parseInt(saved.t, 36) * 1000).toISOString() : "";
  function known(key, at) { return key in indexOf && !!savedAt && !(at > savedAt); }
  function recordAnswer(it, catchingUp) {
    var rec = answerRecord(it);
    if (rec && !(catchingUp && known(it.id, rec.at))) write(it.id, rec);
  }
  // Decisions of a scenario path, as choices among each situation's choices: the last one as it
  // is taken, every one missing from the LMS when catching up.
  function recordPath(it, catchingUp) {
    var ex = exercises[it.ref], entry = store.get("scenario", it.ref);
    if (!ex || !entry) return;
    var nodes = {};
    ex.nodes.forEach(function (node) { nodes[node.id] = node; });
    entry.choices.forEach(function (choiceId, k) {
      if (!catchingUp && k < entry.choices.length - 1) return;
      var node = nodes[kit.walk(ex, entry.choices.slice(0, k)).node];
      var choice = node && node.choices.filter(function (c) { return c.id === choiceId; })[0];
      if (!choice || (catchingUp && known(it.id + "." + node.id, entry.at))) return;
      var good = node.choices.filter(function (c) { return c.quality === "good"; });
      write(it.id + "." + node.id, {
        type: "choice", weighting: "0", at: entry.at, description: node.text,
        codes: node.choices.map(function (c) { return c.id; }), response: [choice.id],
        correct: good.map(function (c) { return [c.id]; }),
        result: choice.quality === "good" ? "correct" : choice.quality === "poor" ? V.wrong : "neutral"
      });
    });
  }
  var sentText = {};
  function recordReflections() {
    if (!SHARE) return; // the text stays in this browser
    items.forEach(function (it) {
      var entry = it.type === "reflection" && store.get("journal", it.ref), value = entry && entry.text.trim();
      if (!value || sentText[it.ref] === value) return;
      sentText[it.ref] = value;
      var max = V2004 ? 4000 : 255, flat = value.replace(/\s+/g, " ");
      write(it.id, { type: V2004 ? "long-fill-in" : "fill-in", weighting: "0", at: entry.at,
        description: exercises[it.ref].prompt, response: flat.length > max ? flat.slice(0, max - 1) + "…" : flat,
        correct: [], result: "neutral" });
    });
  }

  /* ---- keeping the LMS up to date ---- */
  var timer = null, lastSuspend = saved ? JSON.stringify(saved) : "";
  function sync(andCommit) {
    if (!live) return;
    clearTimeout(timer);
    timer = null;
    recordReflections();
    reportProgress();
    var state = encode();
    if (state.length > LIMIT) notice("full", { limit: LIMIT.toLocaleString("fr-CA") }, "alert");
    else if (state !== lastSuspend && set("cmi.suspend_data", state)) lastSuspend = state;
    if (andCommit) commit();
  }
  function later() { if (live && !timer) timer = setTimeout(function () { sync(true); }, 1500); }
  function finish() {
    if (!live) return;
    sync(false);
    set(V.sessionTime, duration(Date.now() - started));
    // Always « suspend »: the LMS keeps this attempt, so the learner comes back to their work.
    set(V.exit, "suspend");
    commit();
    lms("Terminate", "");
    live = false;
  }

  document.addEventListener("exk:answered", function (e) {
    var it = itemOf(e.detail.ref);
    if (it) { recordAnswer(it); sync(true); }
  });
  document.addEventListener("exk:scenario", function (e) {
    var it = itemOf(e.detail.ref);
    if (it) { recordPath(it); sync(true); }
  });
  document.addEventListener("exk:saved", later); // reflections written, answers reset
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") sync(true); });
  window.addEventListener("pagehide", finish);
  // After the runtime has drawn the page: catch up with what this browser holds (answers given
  // without an LMS, or while it refused them), then report.
  document.addEventListener("DOMContentLoaded", function () {
    items.forEach(function (it) {
      if (it.type === "scenario") recordPath(it, true);
      else if (it.type !== "reflection") recordAnswer(it, true);
    });
    sync(true);
    if (restored) notice("resumed", {}, "status");
  });
})();
