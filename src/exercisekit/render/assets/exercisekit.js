/* exercisekit runtime: makes every `.exk` block of a page interactive, without a kernel.
 * One file for the whole site. Grading mirrors exercisekit/grading.py and feedback mirrors
 * exercisekit/feedback.py; the test suite checks both give the same verdicts and texts.
 * Learners' answers and journal stay in this browser (localStorage), one key per entry so
 * that two open tabs never overwrite each other's work. */
(function () {
  "use strict";
  var M = /*MESSAGES*/{}/*END*/;
  var SPACES = /*SPACES*/{}/*END*/; // « Mon espace » pages, filled in at build time
  // The course's storage namespace: set in _config.yml (exercisekit_storage_namespace) or derived
  // from the site's own path, so two courses (or a fork) on one origin never share entries.
  var NAMESPACE = /*NAMESPACE*/""/*END*/ || "exk1@" + siteRoot();
  var PREFIX = NAMESPACE + ":"; // namespace + storage format version
  var LEGACY = "acp1:"; // the one namespace of earlier versions: migrated forward on first visit
  var SCALE = /*SCALE*/9/*END*/; // levels of the self-assessment scale (course/competences.yaml)
  function siteRoot() {
    var root = document.documentElement.getAttribute("data-content_root") || "./";
    try { return new URL(root, location.href).pathname; } catch (e) { return location.pathname; }
  }
  // What a readable entry of each kind looks like; anything else (an older format, a
  // hand-edited value) is kept aside, never used nor overwritten.
  var SHAPES = {
    answer: function (v) { return "answer" in v && typeof v.status === "string"; },
    scenario: function (v) { return Array.isArray(v.choices); },
    journal: function (v) { return typeof v.text === "string"; },
    self: function (v) { return Number.isInteger(v.level) && v.level >= 1 && v.level <= SCALE; },
    first: function (v) { return typeof v.status === "string"; },
    aside: function (v) { return typeof v.text === "string" && typeof v.ref === "string"; }
  };

  // `{n|singulier|pluriel}` agrees with the count n (0 and 1 singular, as in French), then each
  // `{name}` is filled in: the same rule as render/plural.py in the live widgets.
  function fill(template, values) {
    values = values || {};
    return template
      .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, function (_, k, one, many) { return Math.abs(Number(values[k])) < 2 ? one : many; })
      .replace(/\{(\w+)\}/g, function (_, k) { return k in values ? values[k] : ""; });
  }
  function fmt(key, values) { return fill(M[key] || key, values); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" }[c];
    });
  }

  /* ---- storage: never throws, never silently overwrites unreadable data ---- */
  var notices = [];
  var store = {
    ok: (function () {
      try { localStorage.setItem(PREFIX + "probe", "1"); localStorage.removeItem(PREFIX + "probe"); return true; }
      catch (e) { return false; }
    })(),
    key: function (kind, ref) { return PREFIX + kind + ":" + ref; },
    get: function (kind, ref) {
      if (!store.ok) return null;
      var key = store.key(kind, ref), raw = localStorage.getItem(key);
      if (raw === null) return null;
      try {
        var value = JSON.parse(raw);
        if (value && typeof value === "object" && !Array.isArray(value) && (!SHAPES[kind] || SHAPES[kind](value))) return value;
        throw new Error("unexpected shape");
      } catch (e) {
        store.quarantine(key, raw);
        return null;
      }
    },
    quarantine: function (key, raw, why) {
      // Keep the unreadable value aside, under a key nothing else writes to.
      try { localStorage.setItem(PREFIX + "corrupt:" + Date.now() + ":" + key, raw); localStorage.removeItem(key); }
      catch (e) { /* storage full: leave the original where it is */ }
      notify(why || "storage_corrupt");
    },
    set: function (kind, ref, value, keepTime) {
      if (!store.ok) { notify("storage_off"); return false; }
      if (!keepTime) value.at = new Date().toISOString();
      try { localStorage.setItem(store.key(kind, ref), JSON.stringify(value)); }
      catch (e) {
        // Storage works but this one entry does not fit: say which, and that the rest is safe.
        notify(isQuota(e) ? fmt("storage_quota", { entry: ref }) : "storage_off");
        return false;
      }
      if (!store.quiet) document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: kind, ref: ref } }));
      return true;
    },
    // Many writes, one notice: listeners (the journal page) redraw once, not once per entry.
    batch: function (work) {
      store.quiet = true;
      try { return work(); }
      finally { store.quiet = false; document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: "*", ref: "*" } })); }
    },
    remove: function (kind, ref) { if (store.ok) try { localStorage.removeItem(store.key(kind, ref)); } catch (e) { /* ignore */ } },
    keys: function (head) {
      var out = [];
      if (store.ok) for (var i = 0; i < localStorage.length; i++) { var k = localStorage.key(i); if (k && k.indexOf(head) === 0) out.push(k); }
      return out;
    },
    entries: function (kind) {
      var out = {}, head = PREFIX + kind + ":";
      store.keys(head).forEach(function (k) { var v = store.get(kind, k.slice(head.length)); if (v) out[k.slice(head.length)] = v; });
      return out;
    }
  };
  function isQuota(e) { return e && (e.name === "QuotaExceededError" || e.code === 22 || e.code === 1014); }
  // Entries of the earlier single namespace (acp1:) move into this course's namespace, unless
  // this browser already holds a newer one; unknown formats (acp0:, acp2:…) are kept aside.
  function stamp(raw) { try { var v = JSON.parse(raw); return v && typeof v.at === "string" ? v.at : ""; } catch (e) { return ""; } }
  function migrateLegacy() {
    store.keys(LEGACY).forEach(function (old) {
      var target = PREFIX + old.slice(LEGACY.length), raw = localStorage.getItem(old), here = localStorage.getItem(target);
      try {
        if (here === null || stamp(raw) > stamp(here)) localStorage.setItem(target, raw);
        localStorage.removeItem(old);
      } catch (e) { /* storage full: the old entry stays where it is, and moves on a later visit */ }
    });
    store.keys("acp").forEach(function (k) {
      if (/^acp\d+:/.test(k) && k.indexOf(LEGACY) !== 0) store.quarantine(k, localStorage.getItem(k), "storage_old");
    });
  }
  if (store.ok && PREFIX !== LEGACY) migrateLegacy();
  function notify(key) {
    var text = M[key] || key;
    if (notices.indexOf(text) >= 0) return;
    notices.push(text);
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { notices.splice(notices.indexOf(text), 1); notify(key); }); return; }
    var main = document.querySelector("main") || document.body;
    var box = document.createElement("div");
    box.className = "exk-notice";
    box.setAttribute("role", "alert");
    box.textContent = text;
    main.insertBefore(box, main.firstChild);
  }
  if (!store.ok) document.addEventListener("DOMContentLoaded", function () { if (document.querySelector(".exk, .exk-space")) notify("storage_off"); });

  /* ---- what the learner did, for optional listeners on this page (an LMS or LRS adapter).
   * Only answers, verdicts and scenario paths: never the text of a reflection or the journal. */
  function announce(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }

  /* ---- grading: pure functions, mirror of grading.py ---- */
  function verdict(status, marks) {
    var score = marks.filter(function (m) { return m.correct; }).length;
    return { status: status, score: score, total: marks.length, marks: marks };
  }
  function overall(marks) {
    var right = marks.filter(function (m) { return m.correct; }).length;
    return right === marks.length ? "correct" : right ? "partial" : "incorrect";
  }
  var graders = {
    single: function (ex, answer) {
      var o = ex.options.filter(function (x) { return x.id === answer; })[0];
      return o ? verdict(o.correct ? "correct" : "incorrect", [{ ref: o.id, correct: o.correct }]) : verdict("incomplete", []);
    },
    multiple: function (ex, answer) {
      var chosen = answer || [];
      var any = ex.options.some(function (o) { return chosen.indexOf(o.id) >= 0; });
      if (!any) return verdict("incomplete", []);
      var marks = ex.options.map(function (o) { return { ref: o.id, correct: (chosen.indexOf(o.id) >= 0) === o.correct }; });
      var status = marks.every(function (m) { return m.correct; }) ? "correct"
        : ex.options.some(function (o) { return o.correct && chosen.indexOf(o.id) >= 0; }) ? "partial" : "incorrect";
      return verdict(status, marks);
    },
    true_false: function (ex, answer) {
      if (typeof answer !== "boolean") return verdict("incomplete", []);
      var right = answer === ex.answer;
      return verdict(right ? "correct" : "incorrect", [{ ref: answer ? "true" : "false", correct: right }]);
    },
    classify: function (ex, answer) {
      answer = answer || {};
      var cats = ex.categories.map(function (c) { return c.id; });
      if (ex.items.some(function (i) { return cats.indexOf(answer[i.id]) < 0; })) return verdict("incomplete", []);
      var marks = ex.items.map(function (i) { return { ref: i.id, correct: answer[i.id] === i.category }; });
      return verdict(overall(marks), marks);
    },
    dilemma: function (ex, answer) {
      var known = ex.options.some(function (o) { return o.id === answer; });
      return verdict(known ? "done" : "incomplete", []);
    },
    order: function (ex, answer) {
      var expected = ex.steps.map(function (s) { return s.id; });
      answer = answer || [];
      if (answer.slice().sort().join("\n") !== expected.slice().sort().join("\n")) return verdict("incomplete", []);
      var marks = answer.map(function (id, i) { return { ref: id, correct: id === expected[i] }; });
      return verdict(overall(marks), marks);
    }
  };
  function grade(ex, answer) { return graders[ex.type](ex, answer); }

  var ENDING_STATUS = { good: "correct", mixed: "partial", poor: "incorrect" };
  function walk(ex, choices) {
    var nodes = {}; ex.nodes.forEach(function (n) { nodes[n.id] = n; });
    var node = nodes[ex.start], path = [node.id];
    for (var i = 0; i < choices.length; i++) {
      var c = node.choices.filter(function (x) { return x.id === choices[i]; })[0];
      if (!c) return { node: node.id, path: path, ending: null, status: null, valid: false };
      node = nodes[c.next]; path.push(node.id);
    }
    return { node: node.id, path: path, ending: node.ending || null, status: node.ending ? ENDING_STATUS[node.ending] : null, valid: true };
  }

  /* ---- feedback: mirror of feedback.py ---- */
  var ICONS = { correct: "✔", partial: "◐", incorrect: "✘", incomplete: "…", done: "✎" };
  function mark(right, label, why) {
    return '<li class="exk-mark exk-mark--' + (right ? "right" : "wrong") + '"><span class="exk-tag">' +
      (right ? "✔ " + M.mark_right : "✘ " + M.mark_wrong) + "</span> " + label +
      (why ? '<div class="exk-why">' + why + "</div>" : "") + "</li>";
  }
  function feedbackHtml(ex, answer, v) {
    var head = '<p class="exk-verdict exk-verdict--' + v.status + '"><span class="exk-icon" aria-hidden="true">' +
      ICONS[v.status] + "</span> <strong>" + M["status_" + v.status] + "</strong>";
    if (v.total > 1) head += ' <span class="exk-score">(' + fmt("score", v) + ")</span>";
    head += "</p>";
    if (v.status === "incomplete") return head;
    if (ex.type === "dilemma") return head + dilemmaBody(ex, answer);
    var marks = {}; v.marks.forEach(function (m) { marks[m.ref] = m.correct; });
    var items = [];
    if (ex.type === "single") {
      ex.options.forEach(function (o) { if (o.id in marks) items.push(mark(marks[o.id], o.text, o.feedback)); });
    } else if (ex.type === "multiple") {
      ex.options.forEach(function (o) {
        var chosen = M[answer.indexOf(o.id) >= 0 ? "selected" : "not_selected"];
        items.push(mark(marks[o.id], o.text + " (" + chosen + ")", o.feedback));
      });
    } else if (ex.type === "true_false") {
      items.push(mark(v.status === "correct", esc(fmt("your_answer", { answer: M[answer ? "true" : "false"] })), ex.justification));
    } else if (ex.type === "classify") {
      var labels = {}; ex.categories.forEach(function (c) { labels[c.id] = c.label; });
      ex.items.forEach(function (i) {
        var why = i.feedback;
        if (!marks[i.id]) why += " " + esc(fmt("expected_category", { category: plain(labels[i.category]) }));
        items.push(mark(marks[i.id], i.text, why));
      });
    } else if (ex.type === "order") {
      var steps = {}, expected = ex.steps.map(function (s) { steps[s.id] = s; return s.id; });
      answer.forEach(function (id, k) {
        var why = steps[id].feedback || "";
        if (!marks[id]) why = (esc(fmt("expected_position", { pos: expected.indexOf(id) + 1 })) + " " + why).trim();
        items.push(mark(marks[id], (k + 1) + ". " + steps[id].text, why));
      });
    }
    var body = '<ul class="exk-marks">' + items.join("") + "</ul>";
    if (ex.explanation) body += '<p class="exk-explanation"><strong>' + M.explanation + "</strong>\u00a0: " + ex.explanation + "</p>";
    return head + body;
  }
  function dilemmaBody(ex, answer) {
    var items = ex.options.map(function (o) {
      var mine = o.id === answer ? ' <span class="exk-tag">' + M.your_choice + "</span>" : "";
      return '<li class="exk-mark exk-mark--option">' + o.text + mine +
        '<div class="exk-why"><strong>' + M.benefit + "</strong>\u00a0: " + o.benefit + "</div>" +
        '<div class="exk-why"><strong>' + M.cost + "</strong>\u00a0: " + o.cost + "</div></li>";
    });
    var body = '<ul class="exk-marks">' + items.join("") + "</ul>";
    if (ex.explanation) body += '<p class="exk-explanation">' + ex.explanation + "</p>";
    return body;
  }
  function plain(html) { var d = document.createElement("div"); d.innerHTML = html; return d.textContent; }

  /* ---- widgets in the page ---- */
  function readAnswer(root, ex) {
    var q = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    if (ex.type === "single" || ex.type === "dilemma") { var r = root.querySelector("input:checked"); return r ? r.value : null; }
    if (ex.type === "true_false") { var t = root.querySelector("input:checked"); return t ? t.value === "true" : null; }
    if (ex.type === "multiple") return q("input:checked").map(function (i) { return i.value; });
    if (ex.type === "classify") {
      var a = {}; q("select").forEach(function (s) { if (s.value) a[s.dataset.item] = s.value; }); return a;
    }
    if (ex.type === "order") return q(".exk-step").map(function (li) { return li.dataset.step; });
  }
  function writeAnswer(root, ex, answer) {
    var q = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    if (ex.type === "single" || ex.type === "dilemma" || ex.type === "true_false" || ex.type === "multiple") {
      var wanted = [].concat(answer).map(String);
      q("input").forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
    } else if (ex.type === "classify") {
      q("select").forEach(function (s) { s.value = (answer || {})[s.dataset.item] || ""; });
    } else if (ex.type === "order") {
      var list = root.querySelector(".exk-order");
      (answer || []).forEach(function (id) {
        var li = list.querySelector('[data-step="' + id + '"]'); if (li) list.appendChild(li);
      });
      refreshOrder(root);
    }
  }
  function refreshOrder(root) {
    var items = root.querySelectorAll(".exk-step");
    Array.prototype.forEach.call(items, function (li, k) {
      li.querySelector(".exk-up").setAttribute("aria-disabled", String(k === 0));
      li.querySelector(".exk-down").setAttribute("aria-disabled", String(k === items.length - 1));
    });
  }

  function setupGraded(root, ex, ref) {
    var out = root.querySelector(".exk-feedback");
    function show(answer, save) {
      var v = grade(ex, answer);
      out.innerHTML = feedbackHtml(ex, answer, v);
      root.dataset.status = v.status;
      if (save && v.status !== "incomplete") {
        // The first checked answer is kept apart, across « Recommencer », for the mastery rule.
        var first = !store.get("first", ref);
        if (first) store.set("first", ref, { status: v.status });
        store.set("answer", ref, { answer: answer, status: v.status });
        announce("exk:answered", { ref: ref, exercise: ex, answer: answer, verdict: v, first: first });
      }
      return v;
    }
    root.querySelector(".exk-check").addEventListener("click", function () { show(readAnswer(root, ex), true); });
    root.querySelector(".exk-reset").addEventListener("click", function () {
      if (ex.type === "order") {
        var list = root.querySelector(".exk-order");
        JSON.parse(root.dataset.initialOrder).forEach(function (id) { list.appendChild(list.querySelector('[data-step="' + id + '"]')); });
        refreshOrder(root);
      } else writeAnswer(root, ex, ex.type === "classify" ? {} : []);
      out.innerHTML = ""; delete root.dataset.status;
      store.remove("answer", ref);
      document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: "answer", ref: ref } }));
    });
    if (ex.type === "order") {
      root.dataset.initialOrder = JSON.stringify(readAnswer(root, ex));
      refreshOrder(root);
      root.querySelector(".exk-order").addEventListener("click", function (e) {
        var btn = e.target.closest("button"); if (!btn) return;
        var li = btn.closest(".exk-step"), up = btn.classList.contains("exk-up");
        var other = up ? li.previousElementSibling : li.nextElementSibling;
        if (!other) return;
        li.parentNode.insertBefore(li, up ? other : other.nextSibling);
        refreshOrder(root);
        btn.focus(); // keep the learner's place: the same button, on the moved step
        var all = Array.prototype.indexOf.call(li.parentNode.children, li);
        root.querySelector(".exk-announce").textContent = fmt("moved", {
          item: li.querySelector(".exk-step-text").textContent, pos: all + 1, total: li.parentNode.children.length
        });
      });
    }
    var saved = store.get("answer", ref);
    if (saved) {
      try { writeAnswer(root, ex, saved.answer); show(readAnswer(root, ex), false); }
      catch (e) { writeAnswer(root, ex, ex.type === "classify" ? {} : []); var key = store.key("answer", ref); store.quarantine(key, localStorage.getItem(key) || JSON.stringify(saved)); }
    }
  }

  // At an ending, the learner's decisions with the quality the course gives each (in words,
  // not only colour): the ending's text is shared by every path, this list is theirs.
  function debrief(taken) {
    var rows = taken.filter(function (c) { return c.quality; }).map(function (c) {
      return '<li>' + c.text + ' <span class="exk-quality exk-quality--' + c.quality + '">' + M["quality_" + c.quality] + "</span></li>";
    });
    return rows.length ? '<div class="exk-debrief"><p><strong>' + M.your_decisions + "</strong></p><ol>" + rows.join("") + "</ol></div>" : "";
  }
  function setupScenario(root, ex, ref) {
    var log = root.querySelector(".exk-log"), stage = root.querySelector(".exk-stage");
    var nodes = {}; ex.nodes.forEach(function (n) { nodes[n.id] = n; });
    var saved = store.get("scenario", ref);
    var choices = saved && Array.isArray(saved.choices) && walk(ex, saved.choices).valid ? saved.choices : [];
    function draw(focus) {
      var w = walk(ex, choices), node = nodes[w.node], html = "", at = nodes[ex.start], taken = [];
      log.innerHTML = choices.map(function (cid) {
        var c = at.choices.filter(function (x) { return x.id === cid; })[0]; at = nodes[c.next];
        taken.push(c);
        return "<li><strong>" + c.text + "</strong><br><em>" + M.scenario_consequence + "\u00a0:</em> " + c.consequence + "</li>";
      }).join("");
      log.hidden = !choices.length;
      var title = node.title ? "<strong>" + node.title + "</strong> " : "";
      if (node.ending) {
        html = '<div class="exk-node" tabindex="-1"><p class="exk-ending exk-ending--' + node.ending + '"><strong>' + M.scenario_ending +
          " — " + M["ending_" + node.ending] + "</strong></p><p>" + title + node.text + "</p>" + debrief(taken) +
          '</div><button type="button" class="exk-reset">' + M.retry + "</button>";
        root.dataset.status = w.status;
      } else {
        html = '<div class="exk-node" tabindex="-1"><p>' + title + node.text + '</p></div><fieldset class="exk-fieldset"><legend>' + M.scenario_choices + "</legend>" +
          node.choices.map(function (c) { return '<button type="button" class="exk-choice-btn" data-choice="' + c.id + '">' + c.text + "</button>"; }).join("") + "</fieldset>";
        delete root.dataset.status;
      }
      stage.innerHTML = html;
      if (focus) stage.querySelector(".exk-node").focus();
      root.querySelector(".exk-announce").textContent = focus ? plain(stage.querySelector(".exk-node").innerHTML) : "";
    }
    stage.addEventListener("click", function (e) {
      var btn = e.target.closest("button"); if (!btn) return;
      if (btn.classList.contains("exk-reset")) { choices = []; store.remove("scenario", ref); }
      else choices = choices.concat([btn.dataset.choice]);
      var w = walk(ex, choices);
      if (choices.length) {
        store.set("scenario", ref, { choices: choices, node: w.node, ending: w.ending, status: w.status });
        announce("exk:scenario", { ref: ref, exercise: ex, choices: choices, walk: w });
      }
      else document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: "scenario", ref: ref } }));
      draw(true);
    });
    draw(false);
  }

  function setupReflection(root, ex, ref) {
    var area = root.querySelector("textarea"), status = root.querySelector(".exk-saved"), timer = null;
    var saved = store.get("journal", ref);
    if (saved && typeof saved.text === "string") area.value = saved.text;
    function save() {
      timer = null;
      if (store.set("journal", ref, { text: area.value }))
        status.textContent = fmt("reflection_saved", { time: new Date().toLocaleTimeString("fr-CA", { hour: "2-digit", minute: "2-digit" }) });
    }
    // Saved as the learner types (debounced), and at once when leaving the field or the page.
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
    area.addEventListener("blur", function () { if (timer) { clearTimeout(timer); save(); } });
    window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
    // Another tab wrote this entry: show its text unless the learner is typing here.
    window.addEventListener("storage", function (e) {
      if (e.key === store.key("journal", ref) && document.activeElement !== area) {
        var v = store.get("journal", ref); if (v) area.value = v.text;
      }
    });
  }

  function setup(root) {
    if (root.dataset.exkReady) return;
    root.dataset.exkReady = "1";
    var ex = JSON.parse(root.querySelector(".exk-data").textContent), ref = root.dataset.exkRef;
    root.classList.add("exk-js");
    if (ex.type === "scenario") setupScenario(root, ex, ref);
    else if (ex.type === "reflection") setupReflection(root, ex, ref);
    else setupGraded(root, ex, ref);
  }
  // A module page has a dozen exercises: setting them all up in one task held a phone's main
  // thread for a tenth of a second (total blocking time, docs/budgets.md). They are set up in
  // page order, a few milliseconds' worth per task; one the learner reaches before its turn (a
  // pointer, a key, a focus) is set up at once, before the event reaches its controls.
  var SLICE_MS = 8;
  function setupAll() {
    var queue = Array.prototype.slice.call(document.querySelectorAll(".exk"));
    (function slice() {
      var start = performance.now();
      while (queue.length && performance.now() - start < SLICE_MS) setup(queue.shift());
      if (queue.length) setTimeout(slice, 0);
      else document.documentElement.dataset.exkReady = "1";
    })();
  }
  ["pointerdown", "mousedown", "keydown", "focusin", "click"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var root = e.target && e.target.closest ? e.target.closest(".exk") : null;
      if (root && root.querySelector(".exk-data")) setup(root);
    }, true);
  });


  /* ---- « Mon espace »: progress, journal, self-assessment (data only in this browser) ---- */
  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function contentRoot() { return document.documentElement.getAttribute("data-content_root") || ""; }
  function onChange(draw) { // this tab saved something, or another tab did
    document.addEventListener("exk:saved", draw);
    window.addEventListener("storage", function (e) { if (!e.key || e.key.indexOf(PREFIX) === 0) draw(); });
  }
  function entryOf(item) {
    return store.get(item.type === "reflection" ? "journal" : item.type === "scenario" ? "scenario" : "answer", item.ref);
  }
  function isDone(item) {
    var v = entryOf(item);
    if (!v) return false;
    if (item.type === "reflection") return v.text.trim() !== "";
    return item.type === "scenario" ? !!v.status : v.status !== "incomplete";
  }
  // The mastery rule (grading.py, MASTERY_FIRST_TRY): every graded item answered, enough of them
  // right on the first try, every scenario taken to an ending.
  var MASTERY = /*MASTERY*/0.8/*END*/, GRADED = ["single", "multiple", "true_false", "classify", "order"];
  // The rule's counts (also read by the SCORM adapter, which reports them to an LMS).
  function masteryState(items) {
    var graded = items.filter(function (it) { return GRADED.indexOf(it.type) >= 0; });
    var scenarios = items.filter(function (it) { return it.type === "scenario"; });
    var firsts = graded.map(function (it) { var v = store.get("first", it.ref); return v ? v.status : null; });
    var s = {
      gradedLeft: firsts.filter(function (f) { return f === null; }).length,
      scenariosLeft: scenarios.filter(function (it) { return !isDone(it); }).length,
      right: firsts.filter(function (f) { return f === "correct"; }).length,
      total: graded.length, need: Math.ceil(MASTERY * graded.length - 1e-9)
    };
    s.mastered = !s.gradedLeft && !s.scenariosLeft && s.right >= s.need;
    return s;
  }
  function mastery(items) {
    var s = masteryState(items), left = s.gradedLeft + s.scenariosLeft;
    if (left) return fmt("mastery_todo", { left: left });
    return s.mastered ? M.mastery_yes : fmt("mastery_short", { right: s.right, total: s.total, need: s.need });
  }
  function bar(done, total, text) {
    var pct = total ? Math.round(100 * done / total) : 0;
    return '<span class="exk-bar" aria-hidden="true"><span class="exk-bar-fill" data-exk-fill="' + pct + '"></span></span> ' +
      '<span class="exk-progress-text">' + esc(text) + "</span>";
  }
  // The site's Content-Security-Policy blocks style="" attributes (also in innerHTML): each bar
  // drawn by bar() gets its width through the CSSOM, which the policy allows.
  function fillBars(root) {
    $$(".exk-bar-fill[data-exk-fill]", root).forEach(function (f) { f.style.width = Number(f.dataset.exkFill) + "%"; });
  }
  // A module page: « 5 exercices sur 9 faits » under its title, kept up to date.
  function moduleProgress() {
    var items = $$(".exk[data-exk-ref]").map(function (b) { return { ref: b.dataset.exkRef, type: b.dataset.exkType }; });
    if (!items.length) return;
    // The article title, not the print-only copy of it that the theme puts first in <main>.
    // The site's build leaves an empty line for it under the title (no layout shift); elsewhere
    // (SCORM pages) it is added.
    var box = document.querySelector("p.exk-progress"), h1 = document.querySelector("article h1") || document.querySelector("main h1");
    if (!box) {
      box = document.createElement("p");
      box.className = "exk-progress";
      if (h1) h1.parentNode.insertBefore(box, h1.nextSibling);
      else (document.querySelector("main") || document.body).prepend(box);
    }
    function draw() {
      var done = items.filter(isDone).length;
      box.innerHTML = bar(done, items.length, fmt("progress_module", { done: done, total: items.length })) +
        ' <span class="exk-mastery-state">' + esc(mastery(items)) + "</span>" +
        (SPACES.parcours ? ' <a href="' + esc(contentRoot() + SPACES.parcours) + '">' + esc(M.my_path) + "</a>" : "");
      fillBars(box);
    }
    draw(); onChange(draw);
  }

  // Theme fix (WCAG 4.1.2): the navigation's expand/collapse toggles have no name.
  function nameToggles() {
    $$("nav summary").forEach(function (s) {
      var a = s.parentNode.previousElementSibling;
      if (!s.textContent.trim() && !s.hasAttribute("aria-label")) s.setAttribute("aria-label", "Sous-pages\u00a0: " + (a ? a.textContent.trim() : ""));
    });
  }

  function setupPage() {
    setupAll();
    nameToggles();
    moduleProgress();
  }

  window.ExerciseKit = {
    grade: grade, walk: walk, feedbackHtml: feedbackHtml, store: store, messages: M, setupAll: setupAll,
    // For exercisekit-space.js, loaded on the « Mon espace » pages only.
    lib: { PREFIX: PREFIX, isQuota: isQuota, fmt: fmt, fill: fill, esc: esc, plain: plain, $$: $$, contentRoot: contentRoot,
      onChange: onChange, entryOf: entryOf, isDone: isDone, bar: bar, fillBars: fillBars, mastery: mastery,
      masteryState: masteryState }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupPage);
  else setupPage();
})();
