/* exercisekit runtime: makes every `.exk` block of a page interactive, without a kernel.
 * One file for the whole site. Grading mirrors exercisekit/grading.py and feedback mirrors
 * exercisekit/feedback.py; the test suite checks both give the same verdicts and texts.
 * Learners' answers and journal stay in this browser (localStorage), one key per entry so
 * that two open tabs never overwrite each other's work. */
(function () {
  "use strict";
  var M = /*MESSAGES*/{}/*END*/;
  var PREFIX = "acp1:"; // course namespace + storage format version
  var SPACES = /*SPACES*/{}/*END*/; // « Mon espace » pages, filled in at build time
  // What a readable entry of each kind looks like; anything else (an older format, a
  // hand-edited value) is kept aside, never used nor overwritten.
  var SHAPES = {
    answer: function (v) { return "answer" in v && typeof v.status === "string"; },
    scenario: function (v) { return Array.isArray(v.choices); },
    journal: function (v) { return typeof v.text === "string"; },
    self: function (v) { return typeof v.level === "number" && v.level >= 1 && v.level <= 9; }
  };

  function fmt(key, values) {
    return (M[key] || key).replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }
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
      catch (e) { notify("storage_off"); return false; }
      document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: kind, ref: ref } }));
      return true;
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
  // Entries written by another version of the course (acp0:, acp2:…) are kept aside too.
  store.keys("acp").forEach(function (k) {
    if (/^acp\d+:/.test(k) && k.indexOf(PREFIX) !== 0) store.quarantine(k, localStorage.getItem(k), "storage_old");
  });
  function notify(key) {
    if (notices.indexOf(key) >= 0) return;
    notices.push(key);
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { notices.splice(notices.indexOf(key), 1); notify(key); }); return; }
    var main = document.querySelector("main") || document.body;
    var box = document.createElement("div");
    box.className = "exk-notice";
    box.setAttribute("role", "alert");
    box.textContent = M[key];
    main.insertBefore(box, main.firstChild);
  }
  if (!store.ok) document.addEventListener("DOMContentLoaded", function () { if (document.querySelector(".exk, .exk-space")) notify("storage_off"); });

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
  var ICONS = { correct: "✔", partial: "◐", incorrect: "✘", incomplete: "…" };
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
    if (ex.explanation) body += '<p class="exk-explanation"><strong>' + M.explanation + "</strong> : " + ex.explanation + "</p>";
    return head + body;
  }
  function plain(html) { var d = document.createElement("div"); d.innerHTML = html; return d.textContent; }

  /* ---- widgets in the page ---- */
  function readAnswer(root, ex) {
    var q = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    if (ex.type === "single") { var r = root.querySelector("input:checked"); return r ? r.value : null; }
    if (ex.type === "true_false") { var t = root.querySelector("input:checked"); return t ? t.value === "true" : null; }
    if (ex.type === "multiple") return q("input:checked").map(function (i) { return i.value; });
    if (ex.type === "classify") {
      var a = {}; q("select").forEach(function (s) { if (s.value) a[s.dataset.item] = s.value; }); return a;
    }
    if (ex.type === "order") return q(".exk-step").map(function (li) { return li.dataset.step; });
  }
  function writeAnswer(root, ex, answer) {
    var q = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    if (ex.type === "single" || ex.type === "true_false" || ex.type === "multiple") {
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
      if (save && v.status !== "incomplete") store.set("answer", ref, { answer: answer, status: v.status });
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

  function setupScenario(root, ex, ref) {
    var log = root.querySelector(".exk-log"), stage = root.querySelector(".exk-stage");
    var nodes = {}; ex.nodes.forEach(function (n) { nodes[n.id] = n; });
    var saved = store.get("scenario", ref);
    var choices = saved && Array.isArray(saved.choices) && walk(ex, saved.choices).valid ? saved.choices : [];
    function draw(focus) {
      var w = walk(ex, choices), node = nodes[w.node], html = "", at = nodes[ex.start];
      log.innerHTML = choices.map(function (cid) {
        var c = at.choices.filter(function (x) { return x.id === cid; })[0]; at = nodes[c.next];
        return "<li><strong>" + c.text + "</strong><br><em>" + M.scenario_consequence + " :</em> " + c.consequence + "</li>";
      }).join("");
      log.hidden = !choices.length;
      var title = node.title ? "<strong>" + node.title + "</strong> " : "";
      if (node.ending) {
        html = '<div class="exk-node" tabindex="-1"><p class="exk-ending exk-ending--' + node.ending + '"><strong>' + M.scenario_ending +
          " — " + M["ending_" + node.ending] + "</strong></p><p>" + title + node.text + '</p></div><button type="button" class="exk-reset">' + M.retry + "</button>";
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
      if (choices.length) store.set("scenario", ref, { choices: choices, node: w.node, ending: w.ending, status: w.status });
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
  function setupAll() { Array.prototype.forEach.call(document.querySelectorAll(".exk"), setup); }


  /* ---- « Mon espace »: progress, journal, self-assessment (data only in this browser) ---- */
  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function contentRoot() { return document.documentElement.getAttribute("data-content_root") || ""; }
  function when(at) {
    var d = new Date(at);
    return isNaN(d) ? "" : d.toLocaleDateString("fr-CA", { year: "numeric", month: "long", day: "numeric" }) + " " +
      d.toLocaleTimeString("fr-CA", { hour: "2-digit", minute: "2-digit" });
  }
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
  function bar(done, total, text) {
    var pct = total ? Math.round(100 * done / total) : 0;
    return '<span class="exk-bar" aria-hidden="true"><span class="exk-bar-fill" style="width:' + pct + '%"></span></span> ' +
      '<span class="exk-progress-text">' + esc(text) + "</span>";
  }
  function button(cls, label) { return '<button type="button" class="exk-btn ' + cls + '">' + esc(label) + "</button>"; }
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // A module page: « 5 exercices sur 9 faits » under its title, kept up to date.
  function moduleProgress() {
    var items = $$(".exk[data-exk-ref]").map(function (b) { return { ref: b.dataset.exkRef, type: b.dataset.exkType }; });
    if (!items.length) return;
    var box = document.createElement("p"), h1 = document.querySelector("main h1");
    box.className = "exk-progress";
    if (h1) h1.parentNode.insertBefore(box, h1.nextSibling);
    else (document.querySelector("main") || document.body).prepend(box);
    function draw() {
      var done = items.filter(isDone).length;
      box.innerHTML = bar(done, items.length, fmt("progress_module", { done: done, total: items.length })) +
        (SPACES.parcours ? ' <a href="' + esc(contentRoot() + SPACES.parcours) + '">' + esc(M.my_path) + "</a>" : "");
    }
    draw(); onChange(draw);
  }

  function spaceParcours(el, C) {
    el.innerHTML = '<p class="exk-resume"></p><div class="exk-modules"></div><div class="exk-aside"></div>' +
      "<h2>" + esc(M.reset_title) + "</h2><p>" + esc(M.reset_intro) + "</p>" +
      '<p>' + button("exk-reset-ask", M.reset_ask) + '</p>' +
      '<div class="exk-confirm" id="exk-reset-confirm" hidden><p class="exk-confirm-q" tabindex="-1"><strong>' + esc(M.reset_question) + "</strong></p>" +
      '<div class="exk-choice"><input type="checkbox" id="exk-reset-journal"><label for="exk-reset-journal">' + esc(M.reset_journal) + "</label></div>" +
      '<p class="exk-actions">' + button("exk-reset-yes", M.reset_yes) + " " + button("exk-reset-no", M.reset_no) + "</p></div>" +
      '<p class="exk-status" role="status"></p>';
    var status = el.querySelector(".exk-status"), confirmBox = el.querySelector(".exk-confirm"), ask = el.querySelector(".exk-reset-ask");
    ask.setAttribute("aria-expanded", "false"); ask.setAttribute("aria-controls", "exk-reset-confirm");
    function draw() {
      var all = 0, done = 0, latest = null, html = "";
      C.modules.forEach(function (m, mi) {
        var flags = m.items.map(isDone), n = flags.filter(Boolean).length, next = flags.indexOf(false);
        all += m.items.length; done += n;
        m.items.forEach(function (it, k) {
          var v = entryOf(it);
          if (v && v.at && (!latest || v.at > latest.at)) latest = { at: v.at, m: mi, k: k };
        });
        var link = next < 0 ? '<a href="' + esc(contentRoot() + m.url) + '">' + esc(M.review) + "</a>"
          : '<a href="' + esc(contentRoot() + m.url + "#" + m.items[next].anchor) + '">' + esc(n ? fmt("continue_at", { n: next + 1 }) : M.begin) + "</a>";
        html += '<section class="exk-module" data-doc="' + esc(m.doc) + '"><h2><a href="' + esc(contentRoot() + m.url) + '">' + esc(m.title) + "</a></h2>" +
          '<p class="exk-progress">' + bar(n, m.items.length, fmt("progress", { done: n, total: m.items.length })) + "</p><p>" + link + "</p></section>";
      });
      el.querySelector(".exk-modules").innerHTML = html;
      // Resume: the first exercise not done after the last one touched (then anywhere after it).
      var order = [];
      C.modules.forEach(function (m, mi) { m.items.forEach(function (it, k) { order.push({ m: mi, k: k, it: it }); }); });
      var from = latest ? order.findIndex(function (o) { return o.m === latest.m && o.k === latest.k; }) : 0;
      var target = order.slice(from).concat(order.slice(0, from)).filter(function (o) { return !isDone(o.it); })[0];
      var resume = el.querySelector(".exk-resume");
      resume.innerHTML = "<strong>" + esc(fmt("progress_all", { done: done, total: all })) + "</strong> " + (!target ? esc(M.all_done) :
        '<a href="' + esc(contentRoot() + C.modules[target.m].url + "#" + target.it.anchor) + '">' +
        esc(fmt(latest ? "resume" : "start", { module: C.modules[target.m].title, n: target.k + 1 })) + "</a>");
      var corrupt = store.keys(PREFIX + "corrupt:"), aside = el.querySelector(".exk-aside");
      aside.innerHTML = corrupt.length ? '<div class="exk-notice"><p>' + esc(fmt("corrupt_found", { count: corrupt.length })) + "</p><p>" +
        button("exk-corrupt-get", M.corrupt_download) + " " + button("exk-corrupt-del", M.corrupt_delete) + "</p></div>" : "";
    }
    el.addEventListener("click", function (e) {
      var b = e.target.closest("button"); if (!b) return;
      if (b === ask) { confirmBox.hidden = false; ask.setAttribute("aria-expanded", "true"); el.querySelector(".exk-confirm-q").focus(); }
      else if (b.classList.contains("exk-reset-no")) { confirmBox.hidden = true; ask.setAttribute("aria-expanded", "false"); ask.focus(); status.textContent = M.reset_cancelled; }
      else if (b.classList.contains("exk-reset-yes")) {
        var kinds = ["answer", "scenario"].concat(el.querySelector("#exk-reset-journal").checked ? ["journal", "self"] : []), count = 0;
        kinds.forEach(function (k) { store.keys(PREFIX + k + ":").forEach(function (key) { localStorage.removeItem(key); count++; }); });
        confirmBox.hidden = true; ask.setAttribute("aria-expanded", "false"); ask.focus();
        draw(); status.textContent = fmt("reset_done", { count: count });
      } else if (b.classList.contains("exk-corrupt-get")) {
        var out = {}; store.keys(PREFIX + "corrupt:").forEach(function (k) { out[k] = localStorage.getItem(k); });
        download("donnees-mises-de-cote.json", "application/json", JSON.stringify(out, null, 2));
      } else if (b.classList.contains("exk-corrupt-del")) {
        store.keys(PREFIX + "corrupt:").forEach(function (k) { localStorage.removeItem(k); });
        draw(); status.textContent = M.corrupt_deleted; el.querySelector(".exk-reset-ask").focus();
      }
    });
    draw(); onChange(draw);
  }

  var MARK = "<!-- exercisekit-journal 1";
  function journalMarkdown(C) {
    var entries = store.entries("journal"), seen = {}, md = ["# " + M.journal_title, "", "_" + M.journal_course + " — " +
      fmt("journal_exported", { date: when(new Date().toISOString()) }) + "_", ""];
    C.modules.forEach(function (m) {
      var rs = m.items.filter(function (it) { return it.type === "reflection"; });
      if (!rs.length) return;
      md.push("## " + m.title, "");
      rs.forEach(function (it) {
        var v = entries[it.ref]; seen[it.ref] = 1;
        md.push("### " + plain(it.label).trim(), "", v && v.text.trim() ? v.text.trim() : "_" + M.journal_empty + "_", "");
        if (v) md.push("_" + fmt("journal_written", { date: when(v.at) }) + "_", "");
      });
    });
    var others = Object.keys(entries).filter(function (r) { return !seen[r]; });
    if (others.length) {
      md.push("## " + M.journal_other, "");
      others.forEach(function (r) { md.push("### " + r, "", entries[r].text.trim(), ""); });
    }
    // The entries again, as data, for « Importer »; invisible once the Markdown is rendered.
    md.push(MARK, JSON.stringify(entries).replace(/>/g, "\\u003e"), "-->", "");
    return md.join("\n");
  }
  function journalImport(text) {
    var start = text.indexOf(MARK), data;
    if (start < 0) return null;
    var end = text.indexOf("\n-->", start);
    try { data = JSON.parse(text.slice(start + MARK.length, end < 0 ? undefined : end)); } catch (e) { return null; }
    if (!data || typeof data !== "object" || Array.isArray(data)) return null;
    var added = 0, kept = 0;
    Object.keys(data).forEach(function (ref) {
      var v = data[ref];
      if (!/^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/.test(ref) || !v || typeof v.text !== "string" || isNaN(Date.parse(v.at))) return;
      var here = store.get("journal", ref);
      if (here && Date.parse(here.at) >= Date.parse(v.at)) { if (here.text !== v.text) kept++; return; }
      if (store.set("journal", ref, { text: v.text, at: new Date(Date.parse(v.at)).toISOString() }, true)) added++;
    });
    return { added: added, kept: kept };
  }
  function spaceJournal(el, C) {
    document.body.classList.add("exk-print-journal");
    el.innerHTML = '<div class="exk-toolbar">' + button("exk-export", M.journal_export) + " " + button("exk-print", M.journal_print) +
      ' <span class="exk-import"><label for="exk-import">' + esc(M.journal_import) + '</label> <input type="file" id="exk-import" accept=".md,text/markdown,text/plain"></span></div>' +
      '<p class="exk-status" role="status"></p><div class="exk-entries"></div>';
    var status = el.querySelector(".exk-status");
    function entryHtml(title, v, link) {
      return '<article class="exk-entry"><h3>' + title + "</h3>" + (v && v.text.trim() ? '<div class="exk-entry-text">' + esc(v.text) + "</div>"
        : '<p class="exk-entry-empty">' + esc(M.journal_empty) + "</p>") + '<p class="exk-entry-meta">' +
        (v ? esc(fmt("journal_written", { date: when(v.at) })) + " " : "") + link + "</p></article>";
    }
    function draw() {
      var entries = store.entries("journal"), seen = {}, html = "", any = false;
      C.modules.forEach(function (m) {
        var rs = m.items.filter(function (it) { return it.type === "reflection"; });
        if (!rs.length) return;
        html += '<section class="exk-journal-module"><h2>' + esc(m.title) + "</h2>" + rs.map(function (it) {
          seen[it.ref] = 1; any = any || !!entries[it.ref];
          return entryHtml(it.label, entries[it.ref], '<a href="' + esc(contentRoot() + m.url + "#" + it.anchor) + '">' + esc(M.journal_write) + "</a>");
        }).join("") + "</section>";
      });
      var others = Object.keys(entries).filter(function (r) { return !seen[r]; });
      if (others.length) html += "<section><h2>" + esc(M.journal_other) + "</h2>" + others.map(function (r) { return entryHtml(esc(r), entries[r], ""); }).join("") + "</section>";
      el.querySelector(".exk-entries").innerHTML = (any || others.length ? "" : "<p>" + esc(M.journal_none) + "</p>") + html;
    }
    el.addEventListener("click", function (e) {
      var b = e.target.closest("button"); if (!b) return;
      if (b.classList.contains("exk-print")) window.print();
      if (b.classList.contains("exk-export")) {
        var name = "journal-accompagner-un-collectif-" + new Date().toISOString().slice(0, 10) + ".md";
        download(name, "text/markdown;charset=utf-8", journalMarkdown(C));
        status.textContent = fmt("journal_download", { name: name });
      }
    });
    el.querySelector("#exk-import").addEventListener("change", function (e) {
      var file = e.target.files[0]; if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        var r = journalImport(String(reader.result));
        status.textContent = r ? fmt("journal_imported", r) : M.journal_bad_file;
        e.target.value = "";
        if (r) { draw(); document.dispatchEvent(new CustomEvent("exk:saved", { detail: { kind: "journal", ref: "*" } })); }
      };
      reader.readAsText(file);
    });
    draw(); onChange(draw);
  }

  var MOMENTS = ["avant", "apres"];
  function spaceSelf(el, C) {
    var max = C.scale.length, low = Math.floor(max / 2), items = [], html = "";
    C.families.forEach(function (f) { f.items.forEach(function (c) { items.push(c); }); });
    function rating(moment, id) { var v = store.get("self", moment + "/" + id); return v ? v.level : 0; }
    function labelOf(level) { return level ? level + " — " + C.scale[level - 1].label : M.self_not_rated; }
    var moment = items.every(function (c) { return rating("avant", c.id); }) ? "apres" : "avant";
    html += '<fieldset class="exk-fieldset exk-moment"><legend>' + esc(M.self_moment) + "</legend>" + MOMENTS.map(function (m) {
      return '<div class="exk-choice"><input type="radio" name="exk-moment" id="exk-moment-' + m + '" value="' + m + '"' + (m === moment ? " checked" : "") +
        '><label for="exk-moment-' + m + '">' + esc(M[m === "avant" ? "self_before" : "self_after"]) + "</label></div>";
    }).join("") + "</fieldset>";
    C.families.forEach(function (f) {
      html += '<h2>' + esc(f.label) + ' <span class="exk-hint">(' + esc(f.description) + ")</span></h2>";
      f.items.forEach(function (c) {
        html += '<fieldset class="exk-fieldset exk-rate" data-id="' + esc(c.id) + '"><legend>' + esc(c.text) + '</legend><div class="exk-scale">' +
          C.scale.map(function (s) {
            var id = "exk-self-" + c.id + "-" + s.level;
            return '<div class="exk-choice"><input type="radio" name="exk-self-' + esc(c.id) + '" id="' + id + '" value="' + s.level + '"><label for="' + id + '">' +
              s.level + " — " + esc(s.label) + "</label></div>";
          }).join("") + "</div></fieldset>";
      });
    });
    html += '<p class="exk-status" role="status"></p><h2>' + esc(M.self_chart) + '</h2><p class="exk-legend">' +
      '<svg class="exk-key" viewBox="0 0 24 12" aria-hidden="true" focusable="false"><rect class="exk-bar-before" x="1" y="1" width="22" height="10"/></svg> ' + esc(M.self_before_short) +
      ' <svg class="exk-key" viewBox="0 0 24 12" aria-hidden="true" focusable="false"><rect class="exk-bar-after" x="1" y="1" width="22" height="10"/></svg> ' + esc(M.self_after_short) +
      ". " + esc(fmt("self_legend", { max: max })) + '</p><div class="exk-chart"></div><h2>' + esc(M.self_low) + '</h2><div class="exk-low"></div>' +
      '<svg class="exk-defs" aria-hidden="true" focusable="false" width="0" height="0"><defs><pattern id="exk-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      '<rect class="exk-hatch-bg" width="6" height="6"/><line x1="0" y1="0" x2="0" y2="6" class="exk-hatch-line"/></pattern></defs></svg>';
    el.innerHTML = html;
    var status = el.querySelector(".exk-status");
    function fill() {
      items.forEach(function (c) {
        var level = rating(moment, c.id);
        $$('input[name="exk-self-' + c.id + '"]', el).forEach(function (r) { r.checked = Number(r.value) === level; });
      });
    }
    function chart() {
      var out = "";
      C.families.forEach(function (f) {
        out += "<h3>" + esc(f.label) + '</h3><ul class="exk-chart-list">' + f.items.map(function (c) {
          var a = rating("avant", c.id), b = rating("apres", c.id), w = function (v) { return (v / max * 100).toFixed(1); };
          var grid = C.scale.slice(1).map(function (s, k) { return '<line x1="' + w(k + 1) + '" x2="' + w(k + 1) + '" y1="0" y2="30" class="exk-grid"/>'; }).join("");
          return '<li class="exk-chart-row" data-id="' + esc(c.id) + '"><span class="exk-chart-label">' + esc(c.short) + "</span>" +
            '<svg class="exk-chart-bars" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true" focusable="false">' + grid +
            '<rect class="exk-bar-before" x="0" y="2" height="11" width="' + w(a) + '"/><rect class="exk-bar-after" x="0" y="17" height="11" width="' + w(b) + '"/></svg>' +
            '<span class="exk-chart-values">' + esc(M.self_before_short + " : " + labelOf(a) + " · " + M.self_after_short + " : " + labelOf(b)) + "</span></li>";
        }).join("") + "</ul>";
      });
      el.querySelector(".exk-chart").innerHTML = out;
      var lows = items.filter(function (c) { var r = rating("apres", c.id) || rating("avant", c.id); return r && r <= low; });
      el.querySelector(".exk-low").innerHTML = lows.length ? "<p>" + esc(fmt("self_low_intro", { max: low })) + '</p><ul class="exk-low-list">' + lows.map(function (c) {
        var r = rating("apres", c.id) || rating("avant", c.id);
        return '<li data-id="' + esc(c.id) + '"><strong>' + esc(c.short) + "</strong> (" + esc(labelOf(r)) + ") — " + esc(M.self_worked_in) + " " +
          c.modules.filter(function (d) { return C.pages[d]; }).map(function (d) {
            return '<a href="' + esc(contentRoot() + C.pages[d].url) + '">' + esc(C.pages[d].title) + "</a>";
          }).join(", ") + "</li>";
      }).join("") + "</ul>" : "<p>" + esc(fmt("self_low_none", { max: low })) + "</p>";
    }
    el.addEventListener("change", function (e) {
      var t = e.target;
      if (t.name === "exk-moment") { moment = t.value; fill(); return; }
      var box = t.closest(".exk-rate"); if (!box) return;
      var c = items.filter(function (x) { return x.id === box.dataset.id; })[0];
      if (store.set("self", moment + "/" + c.id, { level: Number(t.value) }))
        status.textContent = fmt("self_saved", { item: c.short, label: labelOf(Number(t.value)) });
      chart();
    });
    fill(); chart();
    onChange(function () { fill(); chart(); });
  }

  // Theme fix (WCAG 4.1.2): the navigation's expand/collapse toggles have no name.
  function nameToggles() {
    $$("nav summary").forEach(function (s) {
      var a = s.parentNode.previousElementSibling;
      if (!s.textContent.trim() && !s.hasAttribute("aria-label")) s.setAttribute("aria-label", "Sous-pages : " + (a ? a.textContent.trim() : ""));
    });
  }

  function setupSpaces() {
    nameToggles();
    moduleProgress();
    var C = window.ExerciseKitCourse, make = { parcours: spaceParcours, journal: spaceJournal, bilan: spaceSelf };
    $$("[data-exk-space]").forEach(function (el) {
      if (!C || el.dataset.exkReady) return;
      el.dataset.exkReady = "1"; el.classList.add("exk-js");
      make[el.dataset.exkSpace](el, C);
    });
  }

  window.ExerciseKit = { grade: grade, walk: walk, feedbackHtml: feedbackHtml, store: store, messages: M, setupAll: setupAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
  // The course data script may come after this one: build « Mon espace » once all have run.
  if (document.readyState === "complete") setupSpaces();
  else document.addEventListener("DOMContentLoaded", setupSpaces);
})();
