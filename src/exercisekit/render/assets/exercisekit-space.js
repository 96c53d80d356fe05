/* « Mon espace » pages: progress across modules, the reflective journal and the
 * self-assessment. Loaded only on those pages, after exercisekit.js (shared storage and
 * helpers) and exercisekit-course.js (the course's modules and competencies, from the build).
 * Everything stays in this browser. */
(function () {
  "use strict";
  var K = window.ExerciseKit, L = K.lib, M = K.messages, store = K.store;
  var PREFIX = L.PREFIX, fmt = L.fmt, esc = L.esc, plain = L.plain, $$ = L.$$, contentRoot = L.contentRoot;
  var onChange = L.onChange, entryOf = L.entryOf, isDone = L.isDone, bar = L.bar, fillBars = L.fillBars, mastery = L.mastery;

  function when(at) {
    var d = new Date(at);
    return isNaN(d) ? "" : d.toLocaleDateString("fr-CA", { year: "numeric", month: "long", day: "numeric" }) + " " +
      d.toLocaleTimeString("fr-CA", { hour: "2-digit", minute: "2-digit" });
  }
  function button(cls, label) { return '<button type="button" class="exk-btn ' + cls + '">' + esc(label) + "</button>"; }
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
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
          '<p class="exk-progress">' + bar(n, m.items.length, fmt("progress", { done: n, total: m.items.length })) + "</p>" +
          '<p class="exk-mastery-state">' + esc(mastery(m.items)) + "</p><p>" + link + "</p></section>";
      });
      el.querySelector(".exk-modules").innerHTML = html;
      fillBars(el.querySelector(".exk-modules"));
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
        var kinds = ["answer", "scenario", "first"].concat(el.querySelector("#exk-reset-journal").checked ? ["journal", "self", "aside"] : []), count = 0;
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
    // « < » and « > » are escaped, so neither the marker nor « --> » can occur inside the data.
    md.push(MARK, JSON.stringify(entries).replace(/</g, "\\u003c").replace(/>/g, "\\u003e"), "-->", "");
    return md.join("\n");
  }
  // Import merges entry by entry; nothing is ever lost: when the two versions of a reflection
  // differ, the one that loses (older) is kept aside with its date. A date later than now (a
  // clock set wrong, a hand-edited file) counts as now, so it cannot win every later merge.
  function journalImport(text) {
    var start = text.lastIndexOf(MARK), data; // the data block is last: a reflection may quote the marker
    if (start < 0) return null;
    var end = text.indexOf("\n-->", start);
    try { data = JSON.parse(text.slice(start + MARK.length, end < 0 ? undefined : end)); } catch (e) { return null; }
    if (!data || typeof data !== "object" || Array.isArray(data)) return null;
    var now = new Date().toISOString(), result = { added: 0, kept: 0, aside: 0, future: 0 };
    store.batch(function () {
      Object.keys(data).forEach(function (ref) {
        var v = data[ref];
        if (!/^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/.test(ref) || !v || typeof v.text !== "string" || isNaN(Date.parse(v.at))) return;
        var at = new Date(Date.parse(v.at)).toISOString(), future = at > now;
        if (future) { at = now; result.future++; }
        var here = store.get("journal", ref);
        if (here && here.text === v.text) return;
        // A date from the future says nothing about which text is newer: the learner's stays.
        if (here && (future || here.at >= at)) {
          result.kept++;
          if (setAside(ref, { text: v.text, at: at, why: "imported", on: now })) result.aside++;
          return;
        }
        if (here && here.text.trim() && setAside(ref, { text: here.text, at: here.at, why: "replaced", on: now })) result.aside++;
        if (store.set("journal", ref, { text: v.text, at: at }, true)) result.added++;
      });
    });
    return result;
  }
  function setAside(ref, entry) { return store.set("aside", ref + "@" + entry.on + "@" + entry.why, Object.assign({ ref: ref }, entry), true); }
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
      var aside = store.entries("aside"), keys = Object.keys(aside).sort();
      if (keys.length) html += '<section class="exk-journal-aside"><h2>' + esc(M.journal_aside) + "</h2><p>" + esc(M.journal_aside_intro) + "</p>" + keys.map(function (k) {
        var a = aside[k];
        return entryHtml(esc(a.ref), a, esc(fmt(a.why === "imported" ? "journal_aside_imported" : "journal_aside_replaced", { date: when(a.on) })));
      }).join("") + "</section>";
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
        e.target.value = "";
        var text;
        // Exports are UTF-8: any other encoding would import garbled text « successfully ».
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(reader.result); }
        catch (err) { status.textContent = M.journal_not_utf8; return; }
        var r = journalImport(text.replace(/^\uFEFF/, ""));
        status.textContent = !r ? M.journal_bad_file : [fmt("journal_imported", r),
          r.aside ? fmt("journal_imported_aside", r) : "", r.future ? fmt("journal_future", { count: r.future }) : ""].join(" ").trim();
      };
      reader.readAsArrayBuffer(file);
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
      '<svg class="exk-swatch" viewBox="0 0 24 12" aria-hidden="true" focusable="false"><rect class="exk-bar-before" x="1" y="1" width="22" height="10"/></svg> ' + esc(M.self_before_short) +
      ' <svg class="exk-swatch" viewBox="0 0 24 12" aria-hidden="true" focusable="false"><rect class="exk-bar-after" x="1" y="1" width="22" height="10"/></svg> ' + esc(M.self_after_short) +
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
            '<span class="exk-chart-values">' + esc(M.self_before_short + "\u00a0: " + labelOf(a) + " · " + M.self_after_short + "\u00a0: " + labelOf(b)) + "</span></li>";
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

  var C = window.ExerciseKitCourse, make = { parcours: spaceParcours, journal: spaceJournal, bilan: spaceSelf };
  $$("[data-exk-space]").forEach(function (el) {
    if (!C || el.dataset.exkReady) return;
    el.dataset.exkReady = "1"; el.classList.add("exk-js");
    make[el.dataset.exkSpace](el, C);
  });
})();
