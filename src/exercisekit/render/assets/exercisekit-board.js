/* « Tableau de la cohorte »: how the group answered, for the debrief. Opened with the
 * facilitator's read link (cohort, LRS, read-only credential in the fragment, which never
 * reaches a web server), it reads the cohort's statements from the LRS and shows counts only:
 * per item the distribution of first answers (the right one marked once the facilitator
 * reveals it), per scenario the choices at each card, the endings and the paths, per module
 * how many finished. Nothing is shown for fewer than 5 people. A projector mode shows one
 * element at a time (←/→), the print view the whole summary; each chart has its table.
 * Loaded on that page only, after exercisekit.js and exercisekit-cohort.js. The items (from the
 * build, `exercisekit-board-data.js`, a third of the page's weight) are fetched only once a read
 * link is there: without one the page has nothing to show them with. */
(function () {
  "use strict";
  var K = window.ExerciseKit, B = null; // B: the items, once exercisekit-board-data.js has run
  var mount = document.querySelector(".exk-cohort[data-exk-cohort='board']");
  if (!K || !mount) return;
  var WORDS = /*WORDS*/{}/*END*/; // the board's messages, written here by the build
  var DATA_URL = document.currentScript ? document.currentScript.src.replace(/exercisekit-board\.js(\?.*)?$/, "exercisekit-board-data.js") : "";
  var L = K.lib, esc = L.esc, plain = L.plain;
  var C = {}; // the profile and words, from exercisekit-cohort.js (set at start)
  var M = {}, MIN = 5, POLL = 2000, KEY = L.PREFIX + "board";

  function fmt(key, values) { return L.fill(M[key] || key, values); }
  function letter(i) { return String.fromCharCode(65 + i); }
  function short(html, n) { var t = plain(html).replace(/\s+/g, " ").trim(); return t.length > n ? t.slice(0, n - 1) + "…" : t; }

  /* ---- the read link: taken from the fragment, kept for this tab only ---- */
  function takeLink() {
    var p = new URLSearchParams(location.hash.replace(/^#/, "")), link = null;
    if (p.get("u") && p.get("k") && p.get("lrs")) {
      link = { cohort: p.get("cohorte"), name: p.get("nom") || p.get("cohorte"), lrs: p.get("lrs").replace(/\/?$/, "/"), u: p.get("u"), k: p.get("k") };
      try { sessionStorage.setItem(KEY, JSON.stringify(link)); } catch (e) { /* ignore */ }
      history.replaceState(null, "", location.pathname + location.search);
      return link;
    }
    try { return JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { return null; }
  }

  /* ---- reading the LRS: every statement of the cohort, page after page ---- */
  function fetchAll(link) {
    var out = [], seen = {}, pages = 0;
    var headers = { "Authorization": "Basic " + btoa(link.u + ":" + link.k), "X-Experience-API-Version": "1.0.3" };
    function page(url) {
      return fetch(url, { headers: headers, cache: "no-store", credentials: "omit" }).then(function (r) {
        if (r.status === 401 || r.status === 403) throw { denied: true };
        if (!r.ok) throw { why: "HTTP " + r.status };
        return r.json();
      }).then(function (body) {
        var list = body.statements || [];
        list.forEach(function (s) { if (s && s.id && !seen[s.id]) { seen[s.id] = 1; out.push(s); } });
        pages++;
        if (body.more && list.length && pages < 200) return page(new URL(body.more, link.lrs).href);
        return out;
      });
    }
    return page(link.lrs + "statements?limit=100");
  }

  /* ---- from statements to counts: each person's first answer, choice, ending ---- */
  var iri = "", byActivity = {};
  function index() {
    B.modules.forEach(function (m) {
      m.items.forEach(function (it) { byActivity[iri + "/exercices/" + it.ref] = it; });
    });
  }
  function tally(statements) {
    var t = { people: {}, answers: {}, cards: {}, endings: {}, modules: {}, started: {} };
    statements.slice().sort(function (a, b) {
      return (a.timestamp || "").localeCompare(b.timestamp || "") || (a.stored || "").localeCompare(b.stored || "");
    }).forEach(function (s) {
      var who = s.actor && s.actor.account && s.actor.account.name, obj = s.object && s.object.id, verb = s.verb && s.verb.id;
      if (!who || !obj || !verb) return;
      t.people[who] = 1;
      var r = s.result || {}, parents = (s.context && s.context.contextActivities && s.context.contextActivities.parent) || [];
      var it = byActivity[obj];
      if (it && it.type !== "scenario" && verb === C.verbs.answered.id) {
        first(t.answers, it.ref, who, r);
        started(t, it.ref, who);
      } else if (it && it.type === "scenario" && verb === C.verbs.completed.id) {
        first(t.endings, it.ref, who, r);
      } else if (verb === C.verbs.answered.id && parents.length && byActivity[parents[0].id]) {
        var sc = byActivity[parents[0].id], node = obj.split("/cartes/")[1];
        if (!node) return;
        t.cards[sc.ref] = t.cards[sc.ref] || {};
        first(t.cards[sc.ref], node, who, r);
        started(t, sc.ref, who);
      } else if (verb === C.verbs.completed.id && obj.indexOf(iri + "/modules/") === 0) {
        first(t.modules, obj.slice((iri + "/modules/").length), who, r);
      }
    });
    return t;
  }
  function first(map, key, who, r) { map[key] = map[key] || {}; if (!(who in map[key])) map[key][who] = r; }
  function started(t, ref, who) { var m = ref.split("/")[0]; t.started[m] = t.started[m] || {}; t.started[m][who] = 1; }
  function values(map) { return Object.keys(map || {}).map(function (k) { return map[k]; }); }

  /* ---- drawing: a chart (inline SVG, hidden from screen readers) and its table ---- */
  function chart(rows, n) {
    // rows: [{label, count, right}]; bars scaled to n, the number of people who answered.
    var h = 34, w = 600, lw = 70, H = rows.length * h + 8;
    var bars = rows.map(function (row, i) {
      var len = n ? Math.round((w - lw - 60) * row.count / n) : 0, y = 4 + i * h;
      return '<text class="exk-chart-label" x="' + (lw - 10) + '" y="' + (y + 21) + '" text-anchor="end">' + esc(row.label) + "</text>" +
        '<rect class="exk-chart-bar' + (row.right ? " exk-chart-bar--right" : "") + '" x="' + lw + '" y="' + (y + 4) + '" width="' + Math.max(len, 1) + '" height="' + (h - 10) + '"></rect>' +
        '<text class="exk-chart-value" x="' + (lw + len + 8) + '" y="' + (y + 21) + '">' + row.count + (row.right ? " ✔" : "") + "</text>";
    }).join("");
    return '<svg class="exk-board-chart" viewBox="0 0 ' + w + " " + H + '" aria-hidden="true" focusable="false">' + bars + "</svg>";
  }
  function table(caption, head, rows, cls) {
    return '<div class="exk-table-scroll" tabindex="0" role="region" aria-label="' + esc(caption) + '"><table class="table exk-board-table' + (cls ? " " + cls : "") + '"><caption>' + esc(caption) + "</caption><thead><tr>" +
      head.map(function (h) { return '<th scope="col">' + esc(h) + "</th>"; }).join("") + "</tr></thead><tbody>" +
      rows.map(function (r) { return "<tr><th scope=\"row\">" + r[0] + "</th>" + r.slice(1).map(function (c) { return "<td>" + c + "</td>"; }).join("") + "</tr>"; }).join("") +
      "</tbody></table></div>";
  }
  function rightTag(on) { return on ? ' <strong class="exk-board-right">✔ ' + esc(M.board_right) + "</strong>" : ""; }
  function small(key) { return '<p class="exk-board-small">' + esc(M[key || "board_small"]) + "</p>"; }
  function answers(t, ref) { return values(t.answers[ref]).filter(function (r) { return typeof r.response === "string"; }); }

  function itemData(it, t, reveal) {
    var rs = answers(t, it.ref), n = rs.length;
    if (n < MIN) return small();
    var caption = fmt("board_chart", { n: n }), rows, head;
    if (it.type === "single" || it.type === "dilemma" || it.type === "multiple" || it.type === "true_false") {
      var opts = it.type === "true_false" ? [{ id: "true", text: esc(M.board_true), correct: it.answer === true }, { id: "false", text: esc(M.board_false), correct: it.answer === false }] : it.options;
      var counts = opts.map(function (o) {
        return rs.filter(function (r) { return it.type === "multiple" ? r.response.split("[,]").indexOf(o.id) >= 0 : r.response === o.id; }).length;
      });
      var marked = function (o) { return reveal && it.type !== "dilemma" && !!o.correct; };
      var html = chart(opts.map(function (o, i) { return { label: it.type === "true_false" ? plain(o.text) : letter(i), count: counts[i], right: marked(o) }; }), n);
      rows = opts.map(function (o, i) { return [(it.type === "true_false" ? "" : letter(i) + ". ") + o.text + rightTag(marked(o)), String(counts[i])]; });
      html += table(caption, [M.board_option, M.board_count], rows);
      if (it.type === "multiple" && reveal) {
        html += "<p>" + esc(fmt("board_multiple_all_right", { k: rs.filter(function (r) { return r.success === true; }).length, n: n })) + "</p>";
      }
      return html;
    }
    if (it.type === "classify" || it.type === "order") {
      var isOrder = it.type === "order", things = isOrder ? it.steps : it.items;
      var cols = isOrder ? things.map(function (_, i) { return { id: i, label: fmt("board_position_col", { pos: i + 1 }) }; })
        : it.categories.map(function (c) { return { id: c.id, label: plain(c.label) }; });
      var placed = rs.map(function (r) {
        var map = {};
        r.response.split("[,]").forEach(function (pair, i) {
          if (isOrder) map[pair] = i; else { var p = pair.split("[.]"); map[p[0]] = p[1]; }
        });
        return map;
      });
      var rightOf = function (thing, i) { return isOrder ? i : thing.category; };
      rows = things.map(function (thing, i) {
        return [thing.text].concat(cols.map(function (c) {
          var k = placed.filter(function (p) { return p[thing.id] === c.id; }).length;
          return String(k) + (reveal && rightOf(thing, i) === c.id ? " ✔" : "");
        }));
      });
      var out = table(caption, [isOrder ? M.board_step : M.board_item].concat(cols.map(function (c) { return c.label; })), rows);
      if (reveal) {
        var good = things.map(function (thing, i) { return { label: letter(i), count: placed.filter(function (p) { return p[thing.id] === rightOf(thing, i); }).length }; });
        out = chart(good, n) + table(M.board_right_place, [isOrder ? M.board_step : M.board_item, M.board_right_place],
          things.map(function (thing, i) { return [letter(i) + ". " + thing.text, String(good[i].count)]; })) + out;
      }
      return out;
    }
    return "";
  }

  function scenarioData(it, t, reveal) {
    var cards = t.cards[it.ref] || {}, ends = values(t.endings[it.ref]);
    var walkers = {};
    Object.keys(cards).forEach(function (node) { Object.keys(cards[node]).forEach(function (w) { walkers[w] = 1; }); });
    var n = Object.keys(walkers).length;
    if (n < MIN) return small();
    var nodes = {}; it.nodes.forEach(function (x) { nodes[x.id] = x; });
    var html = "<p>" + esc(fmt("board_scenario_walkers", { n: n })) + "</p>";
    var quality = function (q) { return reveal && q ? " <em>(" + esc(M["board_quality_" + q]) + ")</em>" : ""; };
    it.nodes.filter(function (x) { return x.choices && x.choices.length; }).forEach(function (node) {
      var rs = values(cards[node.id]), title = node.title ? plain(node.title) : short(node.text, 80);
      html += "<h4>" + esc(fmt("board_card", { title: title })) + "</h4>";
      if (rs.length < MIN) { html += small("board_small_card"); return; }
      var counts = node.choices.map(function (c) { return rs.filter(function (r) { return r.response === c.id; }).length; });
      html += chart(node.choices.map(function (c, i) { return { label: letter(i), count: counts[i], right: reveal && c.quality === "good" }; }), rs.length);
      html += table(fmt("board_chart", { n: rs.length }), [M.board_choice, M.board_count],
        node.choices.map(function (c, i) { return [letter(i) + ". " + c.text + quality(c.quality), String(counts[i])]; }));
    });
    if (ends.length >= MIN) {
      var endNodes = it.nodes.filter(function (x) { return x.ending; }), ext = C.extensions.ending;
      var endCounts = endNodes.map(function (x) { return ends.filter(function (r) { return r.extensions && r.extensions[ext] === x.id; }).length; });
      html += "<h4>" + esc(M.board_endings) + "</h4>" +
        chart(endNodes.map(function (x, i) { return { label: letter(i), count: endCounts[i], right: reveal && x.ending === "good" }; }), ends.length) +
        table(fmt("board_chart", { n: ends.length }), [M.board_ending, M.board_count], endNodes.map(function (x, i) {
          return [letter(i) + ". " + esc(x.title ? plain(x.title) : short(x.text, 80)) + (reveal ? " <em>(" + esc(M["board_ending_" + x.ending]) + ")</em>" : ""), String(endCounts[i])];
        }), "exk-board-endings");
      var paths = {};
      ends.forEach(function (r) { paths[r.response] = (paths[r.response] || 0) + 1; });
      var choiceText = {}; it.nodes.forEach(function (x) { (x.choices || []).forEach(function (c) { choiceText[c.id] = c.text; }); });
      html += "<h4>" + esc(M.board_paths) + "</h4>" + table(M.board_paths, [M.board_path, M.board_count],
        Object.keys(paths).sort(function (a, b) { return paths[b] - paths[a]; }).map(function (p) {
          return ['<ol class="exk-board-path">' + p.split("[,]").map(function (c) { return "<li>" + (choiceText[c] || esc(c)) + "</li>"; }).join("") + "</ol>", String(paths[p])];
        }));
    } else html += "<h4>" + esc(M.board_endings) + "</h4>" + small();
    return html;
  }

  function moduleData(m, t) {
    var n = Object.keys(t.started[m.id] || {}).length;
    if (n < MIN) return small("board_module_small");
    var done = values(t.modules[m.id]), k = done.filter(function (r) { return r.success === true; }).length;
    return "<p>" + esc(fmt("board_finished", { done: done.length, n: n })) + "</p>" +
      (done.length ? "<p>" + esc(fmt("board_mastered", { k: k, done: done.length })) + "</p>" : "") +
      table(M.board_module, [M.board_module, M.board_count],
        [[esc(M.board_started), String(n)], [esc(M.board_done), String(done.length)], [esc(M.board_mastery), String(k)]]);
  }

  /* ---- the page: built once; each refresh rewrites only the numbers that changed ---- */
  var cards = [], revealed = {}, link = null, last = null, projecting = false, current = 0, pollTimer = null;
  function card(id, kind, heading, reveal) {
    return '<section class="exk-board-card" id="' + id + '" aria-labelledby="' + id + '-h"><p class="exk-board-kind">' + esc(kind) + "</p>" +
      '<h3 id="' + id + '-h" tabindex="-1">' + heading + "</h3>" +
      '<div class="exk-board-data"></div>' + (reveal ? '<p class="exk-board-actions"><button type="button" class="exk-btn exk-board-reveal" data-ref="' + esc(reveal) + '">' + "</button></p>" : "") +
      "</section>";
  }
  function build() {
    var html = '<h2 class="exk-board-title">' + esc(fmt("board_title", { name: link.name })) + "</h2>" +
      '<div class="exk-board-toolbar">' +
      '<button type="button" class="exk-btn exk-board-refresh">' + esc(M.board_refresh) + "</button>" +
      '<div class="exk-choice"><input type="checkbox" id="exk-board-auto" checked><label for="exk-board-auto">' + esc(M.board_auto) + "</label></div>" +
      '<button type="button" class="exk-btn exk-board-project">' + esc(M.board_project) + "</button>" +
      '<button type="button" class="exk-btn exk-board-reveal-all">' + esc(M.board_reveal_all) + "</button>" +
      '<button type="button" class="exk-btn exk-board-print">' + esc(M.board_print) + "</button>" +
      '<div class="exk-board-filter"><label for="exk-board-module">' + esc(M.board_filter) + '</label> <select id="exk-board-module"><option value="">' + esc(M.board_all_modules) + "</option>" +
      B.modules.map(function (m) { return '<option value="' + esc(m.id) + '">' + esc(plain(m.title)) + "</option>"; }).join("") + "</select></div></div>" +
      '<p class="exk-board-updated"></p><p class="exk-board-live exk-sr" role="status"></p>' +
      '<div class="exk-board-nav" hidden><button type="button" class="exk-btn exk-board-prev">← ' + esc(M.board_prev) + "</button>" +
      '<span class="exk-board-pos"></span><button type="button" class="exk-btn exk-board-next">' + esc(M.board_next) + " →</button>" +
      '<p class="exk-board-keys">' + esc(M.board_keys) + "</p></div>";
    B.modules.forEach(function (m) {
      html += '<div class="exk-board-part" data-module="' + esc(m.id) + '"><h2 class="exk-board-module">' + esc(m.title) + "</h2>";
      var id = "exk-board-m-" + m.id;
      html += card(id, M.board_module, esc(m.title), null);
      cards.push({ id: id, module: m.id, draw: function (t) { return moduleData(m, t); } });
      m.items.forEach(function (it) {
        var cid = "exk-board-" + it.ref.replace("/", "-");
        var heading = it.type === "scenario" ? it.title : it.type === "true_false" ? it.statement : it.prompt;
        html += card(cid, M["board_kind_" + it.type], heading, it.type === "dilemma" ? null : it.ref);
        cards.push({ id: cid, ref: it.ref, module: m.id, draw: function (t) { return it.type === "scenario" ? scenarioData(it, t, revealed[it.ref]) : itemData(it, t, revealed[it.ref]); } });
      });
      html += "</div>";
    });
    mount.innerHTML = html;
    cards.forEach(function (c) { c.el = document.getElementById(c.id); c.data = c.el.querySelector(".exk-board-data"); c.html = null; });
    labels();
  }
  function labels() {
    mount.querySelectorAll(".exk-board-reveal").forEach(function (b) {
      var ref = b.dataset.ref, sc = ref && byRef(ref).type === "scenario";
      b.textContent = M[revealed[ref] ? (sc ? "board_hide_scenario" : "board_hide") : (sc ? "board_reveal_scenario" : "board_reveal")];
    });
    var all = cards.filter(function (c) { return c.ref && byRef(c.ref).type !== "dilemma"; }).every(function (c) { return revealed[c.ref]; });
    mount.querySelector(".exk-board-reveal-all").textContent = M[all ? "board_hide_all" : "board_reveal_all"];
  }
  function byRef(ref) { var f = null; B.modules.forEach(function (m) { m.items.forEach(function (it) { if (it.ref === ref) f = it; }); }); return f; }
  function draw() {
    if (!last) return;
    var t = tally(last);
    cards.forEach(function (c) {
      var html = c.draw(t);
      if (html !== c.html) { c.data.innerHTML = html; c.html = html; }
      c.shown = html.indexOf('<p class="exk-board-small">') !== 0;
    });
    mount.querySelector(".exk-board-updated").textContent = fmt("board_updated", {
      time: new Date().toLocaleTimeString("fr-CA", { hour: "2-digit", minute: "2-digit", second: "2-digit" }), n: Object.keys(t.people).length
    });
  }
  function refresh(announce) {
    clearTimeout(pollTimer);
    return fetchAll(link).then(function (statements) {
      last = statements; draw();
      if (announce) mount.querySelector(".exk-board-live").textContent = mount.querySelector(".exk-board-updated").textContent;
    }, function (err) {
      mount.querySelector(".exk-board-updated").textContent = err && err.denied ? M.board_denied : fmt("board_error", { why: (err && err.why) || "réseau" });
    }).then(function () {
      var auto = mount.querySelector("#exk-board-auto");
      if (auto && auto.checked) pollTimer = setTimeout(function () { if (document.visibilityState !== "hidden") refresh(false); else pollTimer = setTimeout(refresh, POLL); }, POLL);
    });
  }

  /* ---- projector mode: one element at a time, large type, keyboard ←/→ ---- */
  // In projection, ←/→ go through the elements of the chosen module that have numbers to show
  // (all of them while none has).
  function navigable() {
    var module = mount.querySelector("#exk-board-module").value;
    var inModule = cards.filter(function (c) { return !module || c.module === module; });
    var withData = inModule.filter(function (c) { return c.shown; });
    return withData.length ? withData : inModule;
  }
  function show(step, focus) {
    var list = navigable(), at = list.indexOf(cards[current]);
    at = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + step));
    current = cards.indexOf(list[at]);
    cards.forEach(function (c, k) { c.el.classList.toggle("exk-current", k === current); });
    mount.querySelector(".exk-board-pos").textContent = fmt("board_position", { pos: at + 1, total: list.length });
    if (focus) cards[current].el.querySelector("h3").focus();
  }
  function filter() {
    var module = mount.querySelector("#exk-board-module").value;
    mount.querySelectorAll(".exk-board-part").forEach(function (part) { part.hidden = !!module && part.dataset.module !== module; });
    if (projecting) show(0, false);
  }
  function project(on) {
    projecting = on;
    document.body.classList.toggle("exk-projecting", on);
    mount.querySelector(".exk-board-nav").hidden = !on;
    var b = mount.querySelector(".exk-board-project");
    b.textContent = M[on ? "board_project_exit" : "board_project"];
    if (on) show(0, true); else { cards.forEach(function (c) { c.el.classList.remove("exk-current"); }); b.focus(); }
  }
  document.addEventListener("keydown", function (e) {
    if (!projecting || e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    if (e.key === "ArrowRight") { show(1, true); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(-1, true); e.preventDefault(); }
    else if (e.key === "Escape") { project(false); e.preventDefault(); }
  });

  function start() {
    var P = window.ExerciseKitCohortProfile;
    if (!P) return;
    C = P; iri = P.iri;
    M = {}; [P.messages, WORDS].forEach(function (w) { Object.keys(w || {}).forEach(function (k) { M[k] = w[k]; }); });
    link = takeLink();
    if (!link) { mount.innerHTML = "<p>" + esc(M.board_no_link) + "</p>"; return; }
    var data = document.createElement("script");
    data.src = DATA_URL;
    data.onload = function () { B = window.ExerciseKitBoard; if (B) open(); };
    data.onerror = function () { mount.innerHTML = '<p role="alert">' + esc(M.board_no_data) + "</p>"; };
    document.head.appendChild(data);
  }
  function open() {
    index(); build();
    mount.addEventListener("click", function (e) {
      var b = e.target.closest("button"); if (!b) return;
      if (b.classList.contains("exk-board-refresh")) refresh(true);
      else if (b.classList.contains("exk-board-project")) project(!projecting);
      else if (b.classList.contains("exk-board-print")) window.print();
      else if (b.classList.contains("exk-board-prev")) show(-1, true);
      else if (b.classList.contains("exk-board-next")) show(1, true);
      else if (b.classList.contains("exk-board-reveal")) { revealed[b.dataset.ref] = !revealed[b.dataset.ref]; labels(); draw(); }
      else if (b.classList.contains("exk-board-reveal-all")) {
        var refs = cards.filter(function (c) { return c.ref && byRef(c.ref).type !== "dilemma"; }).map(function (c) { return c.ref; });
        var all = refs.every(function (r) { return revealed[r]; });
        refs.forEach(function (r) { revealed[r] = !all; }); labels(); draw();
      }
    });
    mount.querySelector("#exk-board-module").addEventListener("change", filter);
    mount.querySelector("#exk-board-auto").addEventListener("change", function (e) { if (e.target.checked) refresh(false); else clearTimeout(pollTimer); });
    refresh(false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
