/* 《天堂之芯》 search: character bigrams, sharded, no dependencies.
 *
 * One file, three roles:
 * - in a page, before Material's bundle: points Material's search box at this file as its
 *   web worker (Material's own UI, look and keyboard shortcuts stay), and runs the search
 *   page (/search/) with its facets;
 * - as Material's worker: answers its SETUP/QUERY messages;
 * - the engine both use: fetches search/manifest.json, the shards of the query's bigrams and
 *   the text segments of the results it shows (see generator/searchindex.py for the files).
 *
 * Folding matches the build's: NFKC, lower case, letters and digits only, plus the
 * traditional→simplified table of the manifest and the exceptions stored with each text.
 */
(function (root) {
  "use strict";

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = new Int8Array(128);
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charCodeAt(d)] = d;
  var NON_WORD = /[^\p{L}\p{N}]/gu;
  var LATIN = /^[a-z0-9]*[a-z][a-z0-9]*$/;
  var MAX_GRAMS = 8; // a long query (a policy title) needs only a spread of its bigrams
  var BATCH = 12; // text segments fetched at once while checking candidates

  /* ---- encoding (generator/searchindex.py: encode_varints, encode_postings) ---- */

  function varints(text) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var digit = VALUE[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) scale *= 32;
      else { out.push(value); value = 0; scale = 1; }
    }
    return out;
  }

  function postings(text) { // → Map page → segment mask
    var numbers = varints(text), map = new Map(), previous = -1;
    for (var i = 0; i < numbers.length; i++) {
      var doc = previous + 1 + Math.floor(numbers[i] / 2), mask = 1;
      if (numbers[i] % 2) mask = numbers[++i];
      map.set(doc, mask);
      previous = doc;
    }
    return map;
  }

  function docList(text) {
    var out = [], previous = -1, gaps = varints(text);
    for (var i = 0; i < gaps.length; i++) out.push(previous += gaps[i] + 1);
    return out;
  }

  function shardOf(term, shards) { // FNV-1a over UTF-16 units + Murmur3 finaliser (shard_of)
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    return (h >>> 0) % shards;
  }

  function hex3(n) { return ("00" + n.toString(16)).slice(-3); }

  /* ---- folding ---- */

  function Folder(manifest) {
    this.table = new Map();
    var fold = manifest.fold, from = Array.from(fold.from), to = Array.from(fold.to);
    for (var i = 0; i < from.length; i++) this.table.set(from[i], to[i]);
    for (var key in fold.more) this.table.set(key, fold.more[key]);
    this.cache = new Map();
  }

  Folder.prototype.char = function (c, extra) {
    if (extra && Object.prototype.hasOwnProperty.call(extra, c)) return extra[c];
    var f = this.cache.get(c);
    if (f === undefined) {
      f = this.table.get(c);
      if (f === undefined) f = c.normalize("NFKC").toLowerCase().replace(NON_WORD, "");
      this.cache.set(c, f);
    }
    return f;
  };

  /* The folded text and, per folded UTF-16 unit, the index of the original character. */
  Folder.prototype.fold = function (text, extra) {
    var out = [], pos = [];
    for (var i = 0; i < text.length;) {
      var n = text.codePointAt(i) > 0xffff ? 2 : 1;
      var f = this.char(text.substr(i, n), extra);
      for (var k = 0; k < f.length; k++) pos.push(i);
      out.push(f);
      i += n;
    }
    pos.push(text.length);
    return { s: out.join(""), p: pos };
  };

  Folder.prototype.key = function (text) { return this.fold(text).s; };

  /* ---- the engine ---- */

  function Engine(base) {
    this.base = base; // the site's root URL, ending in "/"
    this.files = new Map();
    this.decoded = new Map(); // a common bigram's postings are decoded once, not per keystroke
    this.manifest = null;
  }

  Engine.prototype.decode = function (kind, term, text, how) {
    var key = kind + term, hit = this.decoded.get(key);
    if (!hit) this.decoded.set(key, hit = how(text));
    return hit;
  };

  Engine.prototype.get = function (path) {
    var files = this.files, hit = files.get(path);
    if (!hit) {
      hit = fetch(new URL(path, this.base).href).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      });
      hit.catch(function () { files.delete(path); });
      files.set(path, hit);
    }
    return hit;
  };

  /* `manifest`, when Material's SETUP brought it (search_index.json), saves a round trip. */
  Engine.prototype.ready = function (manifest) {
    var self = this;
    if (!this._ready) {
      this._ready = (manifest ? Promise.resolve(manifest) : this.get("search/manifest.json"))
        .then(function (m) {
          self.manifest = m;
          self.folder = new Folder(m);
          return self;
        });
    }
    return this._ready;
  };

  Engine.prototype.shard = function (term) {
    return this.get("search/shards/" + hex3(shardOf(term, this.manifest.shards)) + ".json");
  };

  Engine.prototype.segment = function (doc, number) {
    var self = this;
    return this.get("search/text/" + doc + "-" + number + ".json").then(function (seg) {
      if (!seg.folded) seg.folded = self.folder.fold(seg.x, seg.f);
      if (!seg.titleKey) seg.titleKey = self.folder.fold(seg.t + "\n" + (seg.a || ""), seg.f).s;
      return seg;
    });
  };

  /* Words of the query: split at spaces, folded; one-character words are dropped unless
   * that leaves nothing, then the words are joined (华 为 → 华为). */
  Engine.prototype.words = function (query) {
    var folder = this.folder, min = this.manifest.min, seen = {}, words = [];
    var raw = query.trim().split(/\s+/).filter(Boolean);
    var all = raw.map(function (w) { return { raw: w, key: folder.key(w) }; });
    var long = all.filter(function (w) { return w.key.length >= min; });
    if (!long.length) {
      var joined = all.map(function (w) { return w.key; }).join("");
      if (joined.length >= min) long = [{ raw: raw.join(""), key: joined }];
    }
    long.forEach(function (w) { if (!seen[w.key]) { seen[w.key] = 1; words.push(w); } });
    return words;
  };

  function gramsOf(key) {
    var all = [];
    for (var i = 0; i + 2 <= key.length; i++) all.push(key.substr(i, 2));
    if (all.length <= MAX_GRAMS) return all;
    var picked = [];
    for (var j = 0; j < MAX_GRAMS; j++) picked.push(all[Math.round(j * (all.length - 1) / (MAX_GRAMS - 1))]);
    return picked;
  }

  function entry(shard, section, term) {
    var table = shard[section];
    return Object.prototype.hasOwnProperty.call(table, term) ? table[term] : undefined;
  }

  /* Everything a query could match, before any text is read.
   * Candidate: {doc, words: [{mask, sure, entity}], title, page, mention} */
  Engine.prototype.candidates = function (query) {
    var self = this;
    return this.ready().then(function () {
      var words = self.words(query);
      if (!words.length) return { words: words, list: [] };
      var terms = {};
      words.forEach(function (w, i) {
        w.grams = gramsOf(w.key);
        w.grams.concat([w.key]).forEach(function (t) { terms[t] = self.shard(t); });
        // where two words meet (集成电路 人才 → 路人): without that bigram no phrase
        if (i > 0) w.join = words[i - 1].key.slice(-1) + w.key.charAt(0);
        if (w.join) terms[w.join] = self.shard(w.join);
      });
      var names = Object.keys(terms);
      return Promise.all(names.map(function (t) { return terms[t]; })).then(function (shards) {
        var byTerm = {};
        names.forEach(function (t, i) { byTerm[t] = shards[i]; });
        return { words: words, list: self.match(words, byTerm) };
      });
    });
  };

  Engine.prototype.match = function (words, byTerm) {
    var cands = new Map(), n = words.length, folder = this.folder, self = this;
    function cand(doc) {
      var c = cands.get(doc);
      if (!c) {
        c = { doc: doc, words: [], title: true, page: false, mention: false, names: [] };
        for (var i = 0; i < n; i++) c.words.push({ mask: 0, sure: false, entity: 0 });
        cands.set(doc, c);
      }
      return c;
    }
    words.forEach(function (w, wi) {
      var lists = [], titles = [], missing = false;
      w.grams.forEach(function (g) {
        var e = entry(byTerm[g], "b", g);
        if (!e) { missing = true; return; }
        lists.push(self.decode("b", g, e[0], postings));
        titles.push(e.length > 1 ? self.decode("t", g, e[1], function (t) { return new Set(docList(t)); }) : new Set());
      });
      w.names = [w.key];
      var exact = w.key.length === 2;
      if (!missing && lists.length) {
        lists.sort(function (a, b) { return a.size - b.size; });
        lists[0].forEach(function (mask, doc) {
          for (var i = 1; i < lists.length && mask; i++) mask &= lists[i].get(doc) || 0;
          if (!mask) return;
          var c = cand(doc);
          c.words[wi].mask = mask;
          c.words[wi].sure = exact;
        });
        titles.sort(function (a, b) { return a.size - b.size; });
        w.titles = titles;
      } else w.titles = [new Set()];
      if (LATIN.test(w.key)) { // a whole word is found exactly, without reading the text
        var whole = entry(byTerm[w.key], "w", w.key);
        if (whole) self.decode("w", w.key, whole, postings).forEach(function (mask, doc) {
          var c = cand(doc), cw = c.words[wi];
          if (!cw.sure) { cw.mask = mask; cw.sure = true; }
        });
      }
      w.others = []; // the entity's other names as printed, for the note on its page's result
      (entry(byTerm[w.key], "e", w.key) || []).forEach(function (ent) {
        ent.n.forEach(function (name) {
          var key = folder.key(name);
          w.names.push(key);
          if (key !== w.key && w.others.indexOf(name) < 0) w.others.push(name);
        });
        postings(ent.m).forEach(function (mask, doc) {
          var c = cand(doc);
          c.words[wi].entity |= mask;
          c.mention = true;
        });
        if (ent.p !== null && ent.p !== undefined) {
          var page = cand(ent.p);
          page.page = true;
          page.words[wi].entity |= 1;
        }
      });
    });
    var joins = words.map(function (w) {
      var e = w.join && entry(byTerm[w.join], "b", w.join);
      return w.join ? (e ? self.decode("b", w.join, e[0], postings) : new Map()) : null;
    });
    var list = [];
    cands.forEach(function (c) {
      var literal = true, phrase = 0x7fffffff;
      for (var i = 0; i < n; i++) {
        var cw = c.words[i];
        if (!cw.mask && !cw.entity) return;
        var inTitle = words[i].titles.every(function (set) { return set.has(c.doc); });
        if (!inTitle || !cw.mask) c.title = false;
        if (!cw.mask) literal = false;
        phrase &= cw.mask & (joins[i] ? joins[i].get(c.doc) || 0 : 0x7fffffff);
      }
      // The best class the text could confirm (see resolve): pages that cannot hold the typed
      // string or the phrase start lower, so hundreds of them need not be read first.
      c.cls = c.title ? 0 : c.page ? 1 : c.mention ? (literal ? 2 : 5) : phrase ? 3 : 4;
      list.push(c);
    });
    return list;
  };

  /* Read the text a candidate needs: each unsure word is looked for in the segments its
   * bigrams share; the title and the whole phrase decide the class.
   * Classes, the order: 0 every word in the title (the entity's own page first among
   * them, see rank), 1 the entity's own page, 2 names the entity as typed, 3 phrase in the
   * text, 4 every word present; then 5 names the entity only otherwise (SMIC for a page
   * saying 中芯国际): a page holding what was typed is better evidence than a synonym, so
   * those come after every page holding it. null: no match after all. */
  Engine.prototype.resolve = function (c, words) {
    var self = this, segs = {}, phrase = words.map(function (w) { return w.key; }).join("");
    function load(number) {
      if (!segs[number]) segs[number] = self.segment(c.doc, number);
      return segs[number];
    }
    function bits(mask) {
      var out = [];
      for (var b = 0; b < 31; b++) if (mask & (1 << b)) out.push(b);
      return out;
    }
    function find(mask, keys) { // first segment (in mask) whose text holds one of keys
      var list = bits(mask), i = 0;
      function next() {
        if (i >= list.length) return Promise.resolve(null);
        var number = list[i++];
        return load(number).then(function (seg) {
          for (var k = 0; k < keys.length; k++) if (seg.folded.s.indexOf(keys[k]) >= 0) return seg;
          return next();
        });
      }
      return next();
    }
    var show = null, ok = true;
    return words.reduce(function (chain, w, wi) {
      return chain.then(function () {
        if (!ok) return;
        var cw = c.words[wi];
        if (cw.mask && cw.sure) {
          if (!show) return load(bits(cw.mask)[0]).then(function (seg) { show = seg; });
          return;
        }
        var tries = cw.mask ? find(cw.mask, [w.key]) : Promise.resolve(null);
        return tries.then(function (seg) {
          if (seg) { cw.sure = true; if (!show) show = seg; return; }
          cw.mask = 0;
          if (!cw.entity) { ok = false; return; }
          return find(cw.entity, w.names).then(function (s) { if (!show) show = s || null; });
        });
      });
    }, Promise.resolve()).then(function () {
      if (!ok) return null;
      return (show ? Promise.resolve(show) : load(0)).then(function (seg) {
        show = seg;
        var title = c.words.every(function (cw, wi) {
          return cw.sure && seg.titleKey.indexOf(words[wi].key) >= 0;
        });
        return Promise.all(Object.keys(segs).map(function (k) { return segs[k]; })).then(function (all) {
          var inText = all.some(function (s) { return s.folded.s.indexOf(phrase) >= 0; });
          var allSure = c.words.every(function (cw) { return cw.sure; });
          c.seg = show;
          c.cls = title ? 0 : c.page ? 1 : !allSure ? 5 : c.mention ? 2 : inText ? 3 : 4;
          c.resolved = true;
          return c;
        });
      });
    });
  };

  /* The first `want` results in order (class, then newest first; or by date), reading texts
   * only for the candidates that reach the top. Returns {items, total, approximate}. */
  Engine.prototype.rank = function (words, list, want, order) {
    var self = this, byDate = order === "new" || order === "old", sign = order === "old" ? 1 : -1;
    var queue = list.slice(), docs = this.manifest.docs;
    var dated = this.manifest.dated === undefined ? docs : this.manifest.dated;
    // The pages without a date (companies, policies: numbered last) count as the oldest among
    // equals, and come last in a sort by date.
    function age(c) { return c.doc >= dated ? c.doc - docs : c.doc; }
    function key(c) {
      return (byDate ? (c.doc >= dated ? 1 : 0) : 2 * c.cls + (c.page ? 0 : 1)) * 1e9 + sign * age(c);
    }
    queue.sort(function (a, b) { return key(a) - key(b); });
    var out = [];
    function step() {
      while (queue.length && queue[0].resolved && out.length < want) out.push(queue.shift());
      if (out.length >= want || !queue.length) return Promise.resolve();
      // as many texts as results still wanted: reading a few more, in case some fail their
      // check, cost every query a slower second wave of requests (HTTP/1.x: six at a time)
      var need = want - out.length, batch = [];
      for (var i = 0; i < queue.length && batch.length < Math.min(BATCH, need); i++) {
        if (!queue[i].resolved) batch.push(queue[i]);
      }
      return Promise.all(batch.map(function (c) { return self.resolve(c, words); })).then(function (done) {
        batch.forEach(function (c, i) { if (!done[i]) c.dropped = true; });
        queue = queue.filter(function (c) { return !c.dropped; });
        queue.sort(function (a, b) { return key(a) - key(b); });
        return step();
      });
    }
    return step().then(function () {
      var unsure = 0;
      list.forEach(function (c) { if (!c.resolved && !c.dropped && c.words.some(function (w) { return !w.sure && !w.entity; })) unsure++; });
      var total = list.filter(function (c) { return !c.dropped; }).length;
      return { items: out, total: total, approximate: unsure > 0 };
    });
  };

  Engine.prototype.search = function (query, want, order, filter) {
    var self = this;
    return this.candidates(query).then(function (found) {
      var list = filter ? found.list.filter(filter) : found.list;
      return self.rank(found.words, list, want, order || "rank").then(function (ranked) {
        ranked.words = found.words;
        ranked.all = found.list;
        return ranked;
      });
    });
  };

  /* What the search box shows: the first `want` results, without the pages naming an entity
   * only under its other names (class 5: 中芯国际 for SMIC) when the entity's own page is among
   * the results, which lists every article naming it: that result says so (otherNames), and
   * 查看全部 leads to the search page, which lists them after the others. `synonyms` counts
   * the pages left out; `total` includes them. */
  Engine.prototype.box = function (query, want) {
    var self = this;
    return this.candidates(query).then(function (found) {
      var entityPage = found.list.some(function (c) { return c.page; });
      // those that cannot hold the typed string are known before any text is read
      var list = entityPage ? found.list.filter(function (c) { return c.cls !== 5; }) : found.list;
      return self.rank(found.words, list, want, "rank").then(function (ranked) {
        var items = entityPage ? ranked.items.filter(function (c) { return c.cls !== 5; }) : ranked.items;
        ranked.synonyms = found.list.length - list.length + ranked.items.length - items.length;
        ranked.total += found.list.length - list.length;
        ranked.items = items;
        ranked.words = found.words;
        return ranked;
      });
    });
  };

  /* ---- snippets ---- */

  function escapeHTML(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  /* `text` with every occurrence of the keys marked, cut around the first one. */
  Engine.prototype.highlight = function (text, folded, keys, width, body) {
    var ranges = [];
    keys.forEach(function (key) {
      if (!key) return;
      for (var at = folded.s.indexOf(key); at >= 0; at = folded.s.indexOf(key, at + 1))
        ranges.push([folded.p[at], folded.p[at + key.length - 1] + 1]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var start = 0, end = text.length;
    if (width && text.length > width) {
      var first = ranges.length ? ranges[0][0] : 0;
      for (var i = 0; i < ranges.length; i++) if (ranges[i][0] >= (body || 0)) { first = ranges[i][0]; break; }
      start = Math.max(0, first - Math.floor(width / 4));
      end = Math.min(text.length, start + width);
      ranges.forEach(function (r) { if (r[0] < end && r[1] > end) end = r[1]; });
    }
    var html = start > 0 ? "…" : "", at = start;
    ranges.forEach(function (r) {
      if (r[1] <= at || r[0] >= end) return;
      var from = Math.max(r[0], at);
      html += escapeHTML(text.slice(at, from)) + "<mark>" + escapeHTML(text.slice(from, Math.min(r[1], end))) + "</mark>";
      at = Math.min(r[1], end);
    });
    html += escapeHTML(text.slice(at, end)) + (end < text.length ? "…" : "");
    return html.replace(/\s+/g, " ");
  };

  Engine.prototype.present = function (c, words, width) {
    var self = this, seg = c.seg, keys = [];
    words.forEach(function (w) { keys.push.apply(keys, w.names); });
    var title = this.folder.fold(seg.t, seg.f);
    return {
      doc: c.doc,
      url: seg.u,
      title: this.highlight(seg.t, title, keys, 0),
      label: escapeHTML(seg.l),
      snippet: this.highlight(seg.x, seg.folded, keys, width || 110, seg.b),
      cls: c.cls,
    };
  };

  /* ---- role 1: Material's worker ---- */

  function otherNames(words) {
    var names = [];
    words.forEach(function (w) { names.push.apply(names, w.others || []); });
    if (!names.length) return "";
    var listed = names.slice(0, 4).map(escapeHTML).join("、") + (names.length > 4 ? "等" : "");
    return '<span class="tt-sr-also">以其他名称（' + listed + "）提及的文章见本页</span>";
  }

  function runWorker() {
    var engine = new Engine(new URL("../", root.location.href).href), latest = 0;
    root.addEventListener("message", function (ev) {
      var message = ev.data;
      if (message.type === 0) { // SETUP → READY
        var config = message.data && message.data.config;
        if (config && config.tiantang) engine.ready(config.tiantang);
        root.postMessage({ type: 1 });
        return;
      }
      if (message.type !== 2) return; // QUERY
      var query = String(message.data || ""), mine = ++latest;
      if (!query.trim()) { root.postMessage({ type: 3, data: { items: [] } }); return; }
      engine.box(query, 10).then(function (found) {
        if (mine !== latest) return;
        var terms = {};
        found.words.forEach(function (w) { terms[w.raw] = true; });
        var total = '<span hidden data-tt-total="' + found.total + '" data-tt-approx="' + (found.approximate ? 1 : 0) + '"></span>';
        var shown = found.items;
        var items = shown.map(function (c, i) {
          var r = engine.present(c, found.words);
          var also = c.page && found.synonyms ? otherNames(found.words) : "";
          return [{
            location: r.url, title: r.title + (i ? "" : total), score: 1000 - i, terms: terms,
            text: '<span class="tt-sr-label">' + r.label + "</span> " + r.snippet + also,
          }];
        });
        if (found.total > shown.length) items.push([{
          location: "search/?query=" + encodeURIComponent(query), score: 0, terms: {}, text: "",
          title: '<span class="tt-sr-more">查看全部 ' + (found.approximate ? "约 " : "") + found.total + " 条结果 →</span>",
        }]);
        root.postMessage({ type: 3, data: { items: items } });
      }, function (error) {
        if (mine === latest) root.postMessage({ type: 3, data: { items: [] } });
        console.error(error);
      });
    });
  }

  /* ---- role 2: in the page ---- */

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  function patchMaterial(self) {
    var el = document.getElementById("__config");
    if (!el || !self) return;
    var config = JSON.parse(el.textContent);
    config.search = self; // Material builds its search box around this worker
    el.textContent = JSON.stringify(config);
  }

  /* Material counts the items it renders; say how many results there are in all. */
  function fixCount() {
    var list = document.querySelector(".md-search-result__list");
    var meta = document.querySelector(".md-search-result__meta");
    if (!list || !meta) return;
    new MutationObserver(function () {
      var more = list.querySelector("[data-tt-total]");
      if (!more) return;
      var text = "共 " + (more.getAttribute("data-tt-approx") === "1" ? "约 " : "") +
        more.getAttribute("data-tt-total") + " 条结果";
      if (meta.textContent !== text) meta.textContent = text;
    }).observe(list, { childList: true });
  }

  var FACETS = [
    { name: "section", label: "栏目" },
    { name: "year", label: "年份" },
    { name: "company", label: "企业" },
    { name: "level", label: "政策级别" },
  ];
  var LEVELS = { national: "国家级", provincial: "省级", city: "市级", district: "区县级" };

  function facetValues(meta, doc) {
    var row = meta.docs[doc];
    return {
      section: [meta.sections[row[1]]],
      year: row[2] ? [String(row[2])] : [],
      company: row[4].map(function (i) { return meta.companies[i]; }),
      level: row[5].map(function (i) { return LEVELS[meta.levels[i]] || meta.levels[i]; }),
    };
  }

  function runPage(container) {
    var engine = new Engine(siteBase());
    var form = container.querySelector("form"), input = form.q, sort = form.sort;
    var facetsEl = container.querySelector(".tt-facets"), results = container.querySelector(".tt-results");
    var chosen = { section: {}, year: {}, company: {}, level: {} }, shown = 20, latest = 0, meta = null;
    var params = new URLSearchParams(location.search);
    input.value = params.get("query") || "";
    if (params.get("sort")) sort.value = params.get("sort");

    function passes(values, except) {
      return FACETS.every(function (f) {
        if (f.name === except) return true;
        var want = Object.keys(chosen[f.name]);
        return !want.length || values[f.name].some(function (v) { return chosen[f.name][v]; });
      });
    }

    var narrow = window.matchMedia("(max-width: 44.9375em)"), open = null;
    function drawFacets(all) {
      /* On a phone the facets fold away under 筛选, so the results come first. */
      var box = document.createElement("details");
      box.open = open === null ? !narrow.matches : open;
      box.innerHTML = "<summary>筛选</summary>";
      box.addEventListener("toggle", function () { open = box.open; });
      facetsEl.innerHTML = "";
      facetsEl.appendChild(box);
      FACETS.forEach(function (f) {
        var counts = {};
        all.forEach(function (c) {
          if (!passes(c.facets, f.name)) return;
          c.facets[f.name].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        var values = Object.keys(counts).sort(f.name === "year"
          ? function (a, b) { return b.localeCompare(a); }
          : function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); }).slice(0, 15);
        Object.keys(chosen[f.name]).forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
        if (!values.length) return;
        var group = document.createElement("fieldset");
        group.innerHTML = "<legend>" + f.label + "</legend>";
        values.forEach(function (v) {
          var label = document.createElement("label"), box = document.createElement("input");
          box.type = "checkbox"; box.checked = !!chosen[f.name][v];
          box.addEventListener("change", function () {
            if (box.checked) chosen[f.name][v] = true; else delete chosen[f.name][v];
            shown = 20; run();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + v + " "));
          var n = document.createElement("span"); n.className = "tt-count"; n.textContent = counts[v] || 0;
          label.appendChild(n);
          group.appendChild(label);
        });
        box.appendChild(group);
      });
    }

    function run() {
      var query = input.value, mine = ++latest;
      var url = new URL(location.href);
      url.searchParams.set("query", query); // not ?q=: Material opens its own dialog on that
      if (sort.value !== "rank") url.searchParams.set("sort", sort.value); else url.searchParams.delete("sort");
      history.replaceState(null, "", url.href);
      if (!query.trim()) { results.innerHTML = '<p class="tt-results-meta">输入两个字以上开始搜索。</p>'; facetsEl.innerHTML = ""; return; }
      Promise.all([engine.candidates(query), meta || engine.get("search/meta.json")]).then(function (got) {
        meta = got[1];
        var found = got[0];
        found.list.forEach(function (c) { c.facets = facetValues(meta, c.doc); });
        var list = found.list.filter(function (c) { return passes(c.facets); });
        return engine.rank(found.words, list, shown, sort.value).then(function (ranked) {
          if (mine !== latest) return;
          drawFacets(found.list);
          var html = '<p class="tt-results-meta">' + (ranked.total ? "共 " + (ranked.approximate ? "约 " : "") + ranked.total + " 条结果" : (found.words.length ? "没有找到结果。" : "请输入至少两个字。")) + "</p><ol class=\"tt-result-list\">";
          var divided = false;
          ranked.items.forEach(function (c) {
            if (c.cls === 5 && !divided && sort.value === "rank") { // see Engine.box
              divided = true;
              html += '</ol><p class="tt-results-meta tt-synonyms">以下页面以其他名称提及：</p><ol class="tt-result-list">';
            }
            var r = engine.present(c, found.words, 160);
            html += '<li class="tt-result"><a href="' + escapeHTML(new URL(r.url, engine.base).href) + '">' + r.title +
              '</a><div class="tt-sr-label">' + r.label + '</div><p>' + r.snippet + "</p></li>";
          });
          html += "</ol>";
          if (ranked.total > ranked.items.length) html += '<button type="button" class="md-button tt-more">更多结果</button>';
          results.innerHTML = html;
          var more = results.querySelector(".tt-more");
          if (more) more.addEventListener("click", function () { shown += 20; run(); });
        });
      }).catch(function (error) {
        if (mine === latest) results.innerHTML = '<p class="tt-results-meta">搜索出错：' + escapeHTML(String(error)) + "</p>";
      });
    }

    var timer = 0;
    input.addEventListener("input", function () { clearTimeout(timer); shown = 20; timer = setTimeout(run, 60); });
    sort.addEventListener("change", function () { shown = 20; run(); });
    if (input.value) run();
    input.focus();
  }

  root.TTSearch = { Engine: Engine, Folder: Folder, shardOf: shardOf, postings: postings, varints: varints };

  if (typeof document === "undefined") { runWorker(); return; }
  patchMaterial(document.currentScript && document.currentScript.src);
  /* /search/?q=… is the natural link, but Material opens its own dialog on ?q=: on the search
   * page the query moves to ?query= before Material's bundle (after this script) reads it. */
  if (document.getElementById("tt-search") && /[?&]q=/.test(location.search)) {
    var moved = new URL(location.href);
    moved.searchParams.set("query", moved.searchParams.get("q"));
    moved.searchParams.delete("q");
    history.replaceState(null, "", moved.href);
  }
  /* Material reads the query on keyup; text pasted with the mouse or committed by an input
   * method may come without one, so every input counts as a keyup. */
  function forwardInput() {
    var query = document.querySelector("[data-md-component=search-query]");
    if (!query) return;
    query.addEventListener("input", function () {
      query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    });
  }

  function start() {
    fixCount();
    forwardInput();
    var page = document.getElementById("tt-search");
    if (page) runPage(page);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof self !== "undefined" ? self : this);
