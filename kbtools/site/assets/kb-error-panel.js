/*
 * kbtools: "Pages that match this error", above the theme's search results.
 *
 * A port of kbtools.match (words.py, rank.py) and of kb triage's query parsing, reading the
 * same rules (kb-error/rules.json is kbtools/match/rules.json) and the static index the kb
 * plugin writes for the audience built (kbtools/site/errorindex.py). Python and this file
 * must rank alike: tests/site/test_error_panel.py runs the triage set through both.
 * Not ported: the version tie-breaker (0.02: kb triage reads versions from the parsed
 * sections of a ticket) and the parsing of structured tickets (a Zendesk export is matched
 * as the text it is).
 *
 * In node, `require` it for the ranking alone (`KbError.search(text, source)`).
 */
(function (root) {
  "use strict"

  // ------------------------------------------------------------------ rules

  function regex(spec, global) {
    return new RegExp(spec.pattern, (spec.flags || "") + (global ? "g" : ""))
  }

  function whole(spec) {
    return new RegExp("^(?:" + spec.pattern + ")$", spec.flags || "")
  }

  function compile(data) {
    var errorLine = data.error_line
    return {
      data: data,
      ranking: data.ranking,
      word: regex(data.word, true),
      textWord: regex(data.text_word, true),
      nameWithDigits: whole(data.name_with_digits),
      keyValue: regex(data.key_value, true),
      jsonKeyValue: regex(data.json_key_value, true),
      variable: regex(data.variable, true),
      name: regex(data.name, true),
      chain: regex(data.chain, true),
      frames: data.frame.patterns.map(function (p) { return regex(p, false) }),
      commands: data.command.patterns.map(function (p) { return regex(p, false) }),
      deployments: data.deployment.kinds.map(function (k) { return [k.name, regex(k, false)] }),
      stopwords: new Set(data.stopwords),
      shortForms: data.short_forms,
      levelWords: new Set(data.level_words),
      messageKeys: new Set(data.message_keys),
      stem: data.stem,
      errorLevel: regex(errorLine.level, false),
      errorPhrase: regex(errorLine.phrase, false),
      logPrefix: regex(errorLine.log_prefix, false),
      caseLevels: regex(errorLine.case_levels, false),
      errorMaxLength: errorLine.max_length,
      panel: data.panel,
      punctuation: regex(data.panel.punctuation, false)
    }
  }

  // ------------------------------------------------------------------ words.py

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key)
  }

  function endsWithAny(word, suffixes) {
    for (var i = 0; i < suffixes.length; i++) {
      if (word.endsWith(suffixes[i])) return true
    }
    return false
  }

  function stem(R, word) {
    if (has(R.shortForms, word)) word = R.shortForms[word]
    var rules = R.stem.rules
    for (var i = 0; i < rules.length; i++) {
      var rule = rules[i]
      if (
        word.length > rule.longer_than &&
        endsWithAny(word, rule.suffixes) &&
        !(rule.unless.length && endsWithAny(word, rule.unless))
      ) {
        word = word.slice(0, word.length - rule.cut) + rule.add
        if (rule.final) return word
        break
      }
    }
    var finalE = R.stem.final_e
    if (word.length > finalE.longer_than && word.endsWith("e") && !endsWithAny(word, finalE.unless)) {
      word = word.slice(0, -1)
    }
    return word
  }

  function findAll(pattern, text) {
    return text.match(pattern) || []
  }

  /** words.text_words: runs of letters and digits, stop words out, stemmed; nothing masked. */
  function textWords(R, text) {
    var result = []
    var words = findAll(R.textWord, text.toLowerCase())
    for (var i = 0; i < words.length; i++) {
      if (!R.stopwords.has(words[i])) result.push(stem(R, words[i]))
    }
    return result
  }

  var STRIP = ".:/@-"

  function stripChars(text, chars) {
    var start = 0
    var end = text.length
    while (start < end && chars.indexOf(text[start]) >= 0) start++
    while (end > start && chars.indexOf(text[end - 1]) >= 0) end--
    return text.slice(start, end)
  }

  function pyStrip(text) {
    return text.replace(/^\s+|\s+$/g, "")
  }

  function unquote(value) {
    value = pyStrip(value)
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
      try {
        var loaded = JSON.parse(value)
        return typeof loaded === "string" ? loaded : value.slice(1, -1)
      } catch (e) {
        return value.slice(1, -1)
      }
    }
    if (value.length >= 2 && value[0] === "'" && value[value.length - 1] === "'") {
      return value.slice(1, -1)
    }
    return value
  }

  function startsWithBrace(line) {
    return line.replace(/^\s+/, "").startsWith("{")
  }

  function masked(R, line, names) {
    var keep = names
      ? function (m, key, value) { return R.messageKeys.has(key.toLowerCase()) ? " " + unquote(value) + " " : " " }
      : function (m, key, value) { return R.messageKeys.has(key.toLowerCase()) ? " " + value + " " : " " }
    var text = startsWithBrace(line) ? line.replace(R.jsonKeyValue, keep) : line
    text = text.replace(R.keyValue, keep)
    if (names) text = text.replace(R.name, " ")
    return text.toLowerCase().replace(R.variable, function (m) {
      var word = stripChars(m, STRIP)
      return R.nameWithDigits.test(word) ? " " + word + " " : " "
    })
  }

  function errorSequence(R, line, names) {
    var words = findAll(R.word, masked(R, line, names))
    var seen = new Set()
    var result = []
    for (var i = 0; i < words.length; i++) {
      var w = words[i]
      if (R.stopwords.has(w) || R.levelWords.has(w) || w.length <= 1) continue
      var s = stem(R, w)
      if (!seen.has(s)) {
        seen.add(s)
        result.push(s)
      }
    }
    return result
  }

  function message(R, line) {
    var pattern = startsWithBrace(line) ? R.jsonKeyValue : R.keyValue
    var values = []
    pattern.lastIndex = 0
    var m
    while ((m = pattern.exec(line)) !== null) {
      if (m[0] === "") pattern.lastIndex++
      if (R.messageKeys.has(m[1].toLowerCase())) {
        var v = unquote(m[2])
        if (pyStrip(v)) values.push(v)
      }
    }
    return values.length ? values.join(": ") : line
  }

  // ------------------------------------------------------------------ extract.is_error_line

  function isErrorLine(R, line) {
    var stripped = pyStrip(line)
    if (!stripped || stripped.length > R.errorMaxLength) return false
    return (
      R.errorLevel.test(stripped) ||
      R.errorPhrase.test(stripped) ||
      (R.logPrefix.test(stripped) && R.caseLevels.test(stripped))
    )
  }

  // ------------------------------------------------------------------ rank.query_lines

  function collapse(text) {
    return text.split(/\s+/).filter(Boolean).join(" ")
  }

  function queryLines(R, lines, isError) {
    var ranking = R.ranking
    var weights = ranking.query_line
    var seen = new Set()
    var result = []
    for (var i = 0; i < lines.length; i++) {
      var text = collapse(message(R, lines[i]))
      if (!text || R.frames.some(function (p) { return p.test(text) })) continue
      var error = isError[i]
      var weight = isCommand(R, text) ? weights.command : error ? weights.error : weights.other
      var candidates = [[text, weight]]
      R.chain.lastIndex = 0
      var m
      while ((m = R.chain.exec(text)) !== null) {
        candidates.push([text.slice(m.index + m[0].length), weight * weights.suffix])
      }
      // The last link of a wrapped error is its root cause (rank.query_lines).
      var root = []
      for (var r = candidates.length - 1; r >= 0; r--) {
        root = errorSequence(R, candidates[r][0], true)
        if (root.length >= 2) break
      }
      for (var c = 0; c < candidates.length; c++) {
        var words = errorSequence(R, candidates[c][0], true)
        if (words.length < 2 && c > 0) continue
        var key = words.slice().sort().join("\u0001")
        if (!words.length || seen.has(key)) continue
        seen.add(key)
        var inLine = new Set(words)
        var rootInLine = root.every(function (w) { return inLine.has(w) })
        var lineRoot = rootInLine && new Set(root).size < inLine.size ? root : []
        result.push({ text: candidates[c][0], words: words, weight: candidates[c][1], error: error, root: lineRoot })
      }
      if (result.length >= ranking.max_query_lines) break
    }
    return result
  }

  function isCommand(R, line) {
    return R.commands.some(function (p) { return p.test(line) })
  }

  /** rank.query_words: the prose words of the lines' messages, nothing masked. */
  function queryWords(R, lines) {
    var result = []
    lines.forEach(function (line) {
      textWords(R, message(R, line)).forEach(function (w) {
        if (!R.levelWords.has(w)) result.push(w)
      })
    })
    return result
  }

  function parseQuery(R, text) {
    var raw = text.split("\n").slice(0, 2000)
    var isError = raw.map(function (line) { return isErrorLine(R, line) })
    // extract.deployments over the paste (a plain paste is its own text). Versions are not
    // read here: kb triage takes them from the ticket's parsed sections.
    var deployment = R.deployments.filter(function (k) { return k[1].test(text) }).map(function (k) { return k[0] })
    return {
      lines: queryLines(R, raw, isError),
      words: queryWords(R, raw),
      isError: isError,
      deployment: deployment
    }
  }

  /** True when a search box query should get the panel (see rules.json `panel`). */
  function looksLikeError(R, text) {
    var lines = text.split("\n").filter(function (l) { return pyStrip(l) })
    if (!lines.length) return false
    if (lines.length > 1) return true
    if (lines.some(function (l) { return isErrorLine(R, l) })) return true
    var words = pyStrip(text).split(/\s+/)
    return words.length >= R.panel.min_words && R.punctuation.test(text)
  }

  // ------------------------------------------------------------------ the index

  function fnv1a(text) {
    var bytes = unescape(encodeURIComponent(text))
    var h = 0x811c9dc5
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes.charCodeAt(i)
      h = Math.imul(h, 0x01000193) >>> 0
    }
    return h >>> 0
  }

  /**
   * The index as the search needs it; `load(path)` fetches one JSON file of kb-error/.
   * Files are fetched once and kept.
   */
  function Index(load) {
    this.load = load
    this.files = new Map()
  }

  Index.prototype.file = function (path) {
    var cached = this.files.get(path)
    if (!cached) {
      cached = Promise.resolve(this.load(path))
      this.files.set(path, cached)
    }
    return cached
  }

  Index.prototype.ready = function () {
    var self = this
    return Promise.all([this.file("rules.json"), this.file("manifest.json")]).then(function (r) {
      self.R = self.R || compile(r[0])
      self.manifest = r[1]
      var count = r[1].units
      self.unitCount = count
      self.unseen = 1 + Math.log((count + 1) / 1)
      return self
    })
  }

  /** Term entries `[id, idf, line count, unit postings, short id, title postings]` (t/ shards). */
  Index.prototype.terms = function (words) {
    var self = this
    var shards = this.manifest.shards
    var unique = Array.from(new Set(words))
    var wanted = new Map()
    unique.forEach(function (w) {
      var s = fnv1a(w) % shards
      if (!wanted.has(s)) wanted.set(s, [])
      wanted.get(s).push(w)
    })
    return Promise.all(
      Array.from(wanted.keys()).map(function (s) { return self.file("t/" + s + ".json") })
    ).then(function () {
      var result = new Map()
      var pending = []
      wanted.forEach(function (list, s) {
        pending.push(
          self.file("t/" + s + ".json").then(function (shard) {
            list.forEach(function (w) { if (has(shard, w)) result.set(w, shard[w]) })
          })
        )
      })
      return Promise.all(pending).then(function () { return result })
    })
  }

  /** The lines holding each word: `[line, kind, unit, norm, [short ids]]` (e/ or h/ shards). */
  Index.prototype.lineEntries = function (words, terms) {
    var self = this
    var shards = this.manifest.shards
    var heavy = this.manifest.heavy_lines
    var result = new Map()
    return Promise.all(
      words.map(function (word) {
        var folder = terms.get(word)[2] > heavy ? "h/" : "e/"
        return self.file(folder + (fnv1a(word) % shards) + ".json").then(function (shard) {
          var lines = shard[word] || []
          if (!lines.absolute) {
            // Line and unit numbers are stored as gaps: add them up once, in place (the
            // file is kept).
            var line = 0
            var unit = 0
            lines.forEach(function (entry) {
              line += entry[0]
              unit += entry[2]
              entry[0] = line
              entry[2] = unit
            })
            lines.absolute = true
          }
          result.set(word, lines)
        })
      })
    ).then(function () { return result })
  }

  Index.prototype.units = function (numbers) {
    var self = this
    var block = this.manifest.unit_block
    return Promise.all(
      numbers.map(function (n) {
        return self.file("u/" + Math.floor(n / block) + ".json").then(function (rows) {
          return rows[n % block]
        })
      })
    )
  }

  Index.prototype.lines = function (numbers) {
    var self = this
    var block = this.manifest.line_block
    return Promise.all(
      numbers.map(function (n) {
        return self.file("l/" + Math.floor(n / block) + ".json").then(function (rows) {
          return rows[n % block]
        })
      })
    )
  }

  // ------------------------------------------------------------------ rank.py

  var LINE_KINDS = ["errors", "heading-quote", "heading", "code", "quote", "prose", "command"]

  function pairKey(a, b) {
    return a + "," + b
  }

  function order(pairs, words, weight) {
    if (!pairs.size || words.length < 2) return 1.0
    var same = 0
    for (var i = 0; i + 1 < words.length; i++) {
      if (pairs.has(pairKey(words[i], words[i + 1]))) same++
    }
    var share = Math.min(1.0, same / Math.min(pairs.size, words.length - 1))
    return 1 - weight + weight * share
  }

  /** A query line's known words, rarest first (ties: the lower term id), as rank.py sorts. */
  function rarest(line, terms) {
    var rare = []
    line.words.forEach(function (word) {
      var entry = terms.get(word)
      if (entry) rare.push([-Math.pow(entry[1], 2), entry[0], word])
    })
    rare.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] })
    return rare
  }

  /** The words whose lines the ranking reads: rarest first, up to the first common one. */
  function candidateWords(index, lines, terms) {
    var cap = Math.max(1, Math.trunc(index.R.ranking.candidate_share * index.unitCount))
    var words = new Set()
    lines.forEach(function (line) {
      var rare = rarest(line, terms)
      for (var position = 0; position < rare.length; position++) {
        var lineCount = terms.get(rare[position][2])[2]
        if (position && lineCount > cap * 4) break
        // A word of the pages' text only (no line holds it) has no line shard to fetch.
        if (lineCount) words.add(rare[position][2])
      }
    })
    return Array.from(words)
  }

  function errorScores(index, lines, terms, lineEntries) {
    var R = index.R
    var ranking = R.ranking
    var kindWeight = LINE_KINDS.map(function (k) { return ranking.line_kind[k] })
    var qPower = ranking.query_coverage_power
    var dPower = ranking.doc_coverage_power
    var unseen = index.unseen * ranking.unseen_query_weight
    var reference = ranking.strength_words * Math.pow(index.unseen, 2)
    var strengthPower = ranking.strength_power
    var singleWord = ranking.single_word
    var orderWeight = ranking.order_weight
    var rootPower = ranking.root_power
    var lineFloor = ranking.line_floor
    var rareSingle = Math.pow(ranking.rare_single_word * index.unseen, 2)
    var cap = Math.max(1, Math.trunc(ranking.candidate_share * index.unitCount))
    var perUnit = new Map()
    lines.forEach(function (query, queryNumber) {
      var weights = new Map()
      var queryNorm = 0.0
      query.words.forEach(function (word) {
        var entry = terms.get(word)
        if (!entry) {
          queryNorm += Math.pow(unseen, 2)
          return
        }
        var weight = Math.pow(entry[1], 2)
        weights.set(entry[4], weight)
        queryNorm += weight
      })
      if (!weights.size) return
      var rare = rarest(query, terms)
      var root = new Set()
      var rootNorm = 0.0
      var rootUnknown = 0
      query.root.forEach(function (w) {
        var e = terms.get(w)
        if (!e) rootUnknown++
        else if (!root.has(e[4])) {
          root.add(e[4])
          rootNorm += weights.get(e[4])
        }
      })
      rootNorm += Math.pow(unseen, 2) * rootUnknown
      var sequence = query.words.map(function (w) { var e = terms.get(w); return e ? e[4] : -1 })
      var pairs = new Set()
      for (var i = 0; i + 1 < sequence.length; i++) pairs.add(pairKey(sequence[i], sequence[i + 1]))
      var candidates = new Map()
      for (var position = 0; position < rare.length; position++) {
        var entry = terms.get(rare[position][2])
        if (position && entry[2] > cap * 4) break
        var postings = lineEntries.get(rare[position][2]) || []
        postings.forEach(function (p) { candidates.set(p[0], p) })
      }
      var ordered = Array.from(candidates.keys()).sort(function (a, b) { return a - b })
      ordered.forEach(function (lineNumber) {
        var line = candidates.get(lineNumber)
        var lineWords = line[4]
        var sharedTerms = lineWords.filter(function (w) { return weights.has(w) })
        var shared = 0
        sharedTerms.forEach(function (w) { shared += weights.get(w) })
        var norm = line[3]
        if (!shared || !norm) return
        var strength = Math.pow(Math.min(1.0, shared / reference), strengthPower)
        if (sharedTerms.length < 2 && !(query.words.length <= 2 && shared >= rareSingle)) strength *= singleWord
        var score =
          Math.pow(shared / queryNorm, qPower) *
          Math.pow(shared / norm, dPower) *
          strength *
          kindWeight[line[1]] *
          query.weight
        var unit = line[2]
        if (!perUnit.has(unit)) perUnit.set(unit, new Map())
        var best = perUnit.get(unit)
        var previous = best.get(queryNumber)
        // Word order and the root cause only lower a score: skip what cannot count.
        if (score < lineFloor || (previous !== undefined && score <= previous.score)) return
        if (sharedTerms.length > 1) score *= order(pairs, lineWords, orderWeight)
        if (rootNorm) {
          var covered = 0
          sharedTerms.forEach(function (w) { if (root.has(w)) covered += weights.get(w) })
          score *= Math.pow(covered / rootNorm, rootPower)
        }
        if (previous === undefined || score > previous.score) {
          best.set(queryNumber, {
            query: query.text,
            line: lineNumber,
            kind: LINE_KINDS[line[1]],
            terms: sharedTerms,
            score: score
          })
        }
      })
    })
    var result = new Map()
    perUnit.forEach(function (byQuery, unit) {
      if (!byQuery.size) return
      var matches = Array.from(byQuery.values())
      matches.sort(function (a, b) { return b.score - a.score })
      var distinct = [matches[0]].concat(
        matches.slice(1).filter(function (m) { return m.line !== matches[0].line })
      )
      result.set(unit, distinct)
    })
    return result
  }

  function textScores(index, words, terms) {
    var ranking = index.R.ranking
    var k1 = ranking.bm25_k1
    var b = ranking.bm25_b
    var unseen = index.unseen * ranking.unseen_query_weight
    var average = index.manifest.average_length
    var lengths = index.manifest.unit_length
    var scores = new Map()
    var most = 0.0
    var unique = Array.from(new Set(words.slice(0, ranking.max_query_words)))
    unique.forEach(function (word) {
      var entry = terms.get(word)
      if (!entry) {
        most += unseen * (k1 + 1)
        return
      }
      var weight = entry[1]
      most += weight * (k1 + 1)
      var postings = entry[3]
      var unit = 0
      for (var i = 0; i < postings.length; i += 2) {
        unit += postings[i]
        var tf = postings[i + 1]
        if (!tf) continue
        var norm = k1 * (1 - b + (b * lengths[unit]) / average)
        scores.set(unit, (scores.get(unit) || 0.0) + (weight * tf * (k1 + 1)) / (tf + norm))
      }
    })
    var result = new Map()
    if (!most) return result
    var strength = Math.min(1.0, most / ((k1 + 1) * index.unseen * ranking.text_strength_words))
    scores.forEach(function (s, unit) { result.set(unit, strength * Math.min(1.0, s / most)) })
    return result
  }

  function titleScores(index, words, terms) {
    var ranking = index.R.ranking
    var shared = new Map()
    var unique = Array.from(new Set(words.slice(0, ranking.max_query_words)))
    unique.forEach(function (word) {
      var entry = terms.get(word)
      if (!entry) return
      var weight = entry[1]
      var unit = 0
      entry[5].forEach(function (gap) {
        unit += gap
        shared.set(unit, (shared.get(unit) || 0.0) + weight)
      })
    })
    var reference = ranking.title_strength_words * index.unseen
    var power = ranking.title_power
    var norms = index.manifest.title_norm
    var result = new Map()
    shared.forEach(function (value, unit) {
      var norm = norms[unit]
      if (norm) result.set(unit, Math.pow(value / norm, power) * Math.min(1.0, value / reference))
    })
    return result
  }

  function rank(index, query, terms, lineEntries) {
    var ranking = index.R.ranking
    var manifest = index.manifest
    var errors = errorScores(index, query.lines, terms, lineEntries)
    var texts = textScores(index, query.words, terms)
    var titles = titleScores(index, query.words, terms)
    // The page around a section (rank.rank): the text scores of its units, summed.
    var pages = new Map()
    texts.forEach(function (value, unit) {
      var page = manifest.unit_page[unit]
      pages.set(page, (pages.get(page) || 0.0) + value)
    })
    var pageTop = 0.0
    pages.forEach(function (v) { if (v > pageTop) pageTop = v })
    pageTop = pageTop || 1.0
    var questions = new Set(manifest.questions)
    var deploymentMask = 0
    query.deployment.forEach(function (d) {
      var bit = manifest.deployment_kinds.indexOf(d)
      if (bit >= 0) deploymentMask |= 1 << bit
    })
    var units = new Set(Array.from(errors.keys()).concat(Array.from(texts.keys())))
    var results = []
    units.forEach(function (unit) {
      var matches = errors.get(unit) || []
      var error = 0.0
      if (matches.length) {
        error = matches[0].score
        if (matches.length > 1) error += ranking.second_line_bonus * matches[1].score
      }
      var text = texts.get(unit) || 0.0
      var title = titles.get(unit) || 0.0
      var confidence =
        ranking.error_weight * Math.pow(Math.min(error, 1.0), ranking.error_power) +
        ranking.text_weight * text +
        ranking.title_weight * title
      if (deploymentMask & manifest.deployment[unit]) confidence += ranking.deployment_bonus
      if (questions.has(unit)) confidence += ranking.question_bonus
      var score = confidence + (ranking.page_weight * (pages.get(manifest.unit_page[unit]) || 0.0)) / pageTop
      score = score / ranking.score_scale
      results.push({ unit: unit, score: score, evidence: matches.slice(0, 2) })
    })
    results.sort(function (a, b) { return b.score - a.score || a.unit - b.unit })
    return results
  }

  function perPage(index, ranked, limit) {
    var pages = index.manifest.unit_page
    var seen = new Map()
    return ranked.filter(function (s) {
      var page = pages[s.unit]
      var n = seen.get(page) || 0
      if (n >= limit) return false
      seen.set(page, n + 1)
      return true
    })
  }

  // ------------------------------------------------------------------ one search

  /**
   * Rank the index for a pasted text: `{matches: [{unit, score, path, anchor, title,
   * page_title, url, evidence: [{query, line, line_number, kind, words}]}], abstained}`.
   */
  function search(index, text, top) {
    return index.ready().then(function () {
      var R = index.R
      var ranking = R.ranking
      var query = parseQuery(R, text)
      var words = query.words.slice()
      query.lines.forEach(function (l) { words.push.apply(words, l.words) })
      return index.terms(words).then(function (terms) {
        return index.lineEntries(candidateWords(index, query.lines, terms), terms).then(function (lineEntries) {
          var ranked = perPage(index, rank(index, query, terms, lineEntries), ranking.per_page)
          // triage/search.py: the threshold decides whether to answer; the list keeps
          // the units that hold `list_floor` of it and `list_share` of the best.
          var best = ranked.length ? ranked[0].score : 0.0
          var floor = Math.max(ranking.threshold * ranking.list_floor, best * ranking.list_share)
          var chosen =
            best >= ranking.threshold
              ? ranked.filter(function (s) { return s.score >= floor }).slice(0, top || 5)
              : []
          return describe(index, chosen, terms).then(function (matches) {
            return { matches: matches, abstained: !matches.length }
          })
        })
      })
    })
  }

  function describe(index, chosen, terms) {
    var R = index.R
    var names = new Map()
    terms.forEach(function (entry, word) { names.set(entry[4], word) })
    var lineNumbers = []
    chosen.forEach(function (s) { s.evidence.forEach(function (e) { lineNumbers.push(e.line) }) })
    return Promise.all([
      index.units(chosen.map(function (s) { return s.unit })),
      index.lines(lineNumbers)
    ]).then(function (r) {
      var rows = r[0]
      var texts = new Map()
      lineNumbers.forEach(function (n, i) { texts.set(n, r[1][i]) })
      return chosen.map(function (s, i) {
        var row = rows[i]
        return {
          unit: s.unit,
          score: Math.round(Math.min(1, Math.max(0, s.score)) * 1000) / 1000,
          path: row[0],
          anchor: row[1],
          title: row[2],
          page_title: row[3],
          kind: row[4],
          id: row[5],
          url: row[6],
          evidence: s.evidence.map(function (e) {
            var line = texts.get(e.line)
            var shared = new Set(e.terms.map(function (t) { return names.get(t) }))
            var surface = Array.from(
              new Set(
                findAll(R.word, masked(R, line[0], true)).filter(function (w) { return shared.has(stem(R, w)) })
              )
            )
            return { kind: e.kind, query: e.query, line: line[0], line_number: line[1], words: surface }
          })
        }
      })
    })
  }

  var KbError = {
    compile: compile,
    textWords: textWords,
    masked: masked,
    errorSequence: errorSequence,
    message: message,
    isErrorLine: isErrorLine,
    parseQuery: parseQuery,
    looksLikeError: looksLikeError,
    fnv1a: fnv1a,
    Index: Index,
    search: search
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = KbError
    return
  }
  root.KbError = KbError

  // ------------------------------------------------------------------ the panel

  var script = document.currentScript
  var base = script ? new URL("../../kb-error/", script.src).href : null
  if (!base) return
  var index = new Index(function (path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error("kb-error: " + path + " " + r.status)
      return r.json()
    })
  })
  var siteRoot = new URL("../../", script.src).href
  var pasted = null

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]
    })
  }

  function highlight(line, words) {
    if (!words.length) return escapeHtml(line)
    var escaped = words
      .slice()
      .sort(function (a, b) { return b.length - a.length })
      .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") })
    var pattern = new RegExp("(^|[^A-Za-z0-9])(" + escaped.join("|") + ")(?=[^A-Za-z0-9]|$)", "gi")
    var out = ""
    var last = 0
    var m
    while ((m = pattern.exec(line)) !== null) {
      var start = m.index + m[1].length
      out += escapeHtml(line.slice(last, start)) + "<mark>" + escapeHtml(m[2]) + "</mark>"
      last = start + m[2].length
    }
    return out + escapeHtml(line.slice(last))
  }

  function container() {
    return (
      document.querySelector("[data-md-component=search-result]") ||
      document.querySelector(".pagefind-ui__drawer") ||
      document.querySelector(".pagefind-ui")
    )
  }

  function panelElement() {
    var host = container()
    if (!host) return null
    var panel = host.querySelector(".kb-error-panel")
    if (!panel) {
      panel = document.createElement("div")
      panel.className = "kb-error-panel"
      panel.setAttribute("aria-live", "polite")
      host.insertBefore(panel, host.firstChild)
    }
    return panel
  }

  function clear() {
    var host = container()
    var panel = host && host.querySelector(".kb-error-panel")
    if (panel) panel.remove()
  }

  function render(result) {
    var panel = panelElement()
    if (!panel) return
    if (result.abstained) {
      panel.remove()
      return
    }
    var items = result.matches.map(function (m) {
      var href = new URL(m.url, siteRoot).href
      var title = m.title === m.page_title ? m.title : m.page_title + " \u203a " + m.title
      var evidence = m.evidence[0]
      var line = evidence
        ? '<p class="kb-error-panel__line"><code>' + highlight(evidence.line, evidence.words) + "</code></p>"
        : ""
      return (
        '<li class="kb-error-panel__item"><a class="kb-error-panel__link" href="' +
        escapeHtml(href) + '" data-kb-path="' + escapeHtml(m.path) + '" data-kb-anchor="' +
        escapeHtml(m.anchor || "") + '">' + escapeHtml(title) + "</a>" + line + "</li>"
      )
    })
    panel.innerHTML =
      '<div class="kb-error-panel__title">Pages that match this error</div><ol class="kb-error-panel__list">' +
      items.join("") + "</ol>"
  }

  function queryText(input) {
    var value = input.value
    if (pasted !== null && pasted.replace(/\s+/g, " ").trim() === value.replace(/\s+/g, " ").trim()) {
      return pasted
    }
    return value
  }

  // What a test or a curious reader can look at: the last query's number, the number of
  // the last one answered, and how long that took (ms from the keystroke to the panel).
  var state = (root.kbErrorPanel = { generation: 0, done: 0, ms: null, shown: false })

  function finish(mine, started, shown) {
    if (mine !== state.generation) return
    state.done = mine
    state.shown = shown
    state.ms = Math.round(performance.now() - started)
    release()
  }

  // The theme's search answers the same keystroke (on keyup), and drawing its results for
  // a long paste blocks the page for 100-300 ms, which would hold the panel back. So while
  // the panel is still ranking, the keyup waits: it is sent on when the panel is done, or
  // after HOLD_MS at most. A word query is done before its keyup and is never held.
  var HOLD_MS = 1000
  var held = null
  var releasing = false

  function release() {
    if (!held) return
    var input = held.input
    clearTimeout(held.timer)
    held = null
    releasing = true
    try {
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
    } finally {
      releasing = false
    }
  }

  function holdKeyup(event) {
    var input = event.target
    if (releasing || !input || !input.kbErrorPanel || state.done === state.generation) return
    event.stopImmediatePropagation()
    if (!held) held = { input: input, timer: setTimeout(release, HOLD_MS) }
  }

  function onQuery(input) {
    var started = performance.now()
    var mine = ++state.generation
    var text = queryText(input)
    index.ready().then(function () {
      if (mine !== state.generation) return
      if (!looksLikeError(index.R, text)) {
        clear()
        finish(mine, started, false)
        return
      }
      return search(index, text, index.R.panel.top).then(function (result) {
        if (mine !== state.generation) return
        render(result)
        finish(mine, started, !result.abstained)
      })
    }).catch(function (error) {
      finish(mine, started, false)
      if (root.console) root.console.warn(error)
    })
  }

  function onPaste(event) {
    var data = event.clipboardData || root.clipboardData
    var text = data ? data.getData("text") : ""
    if (!text || text.indexOf("\n") < 0) {
      pasted = text || null
      return
    }
    // A text input drops the line breaks of a paste; keep the lines for matching and show
    // them as spaces.
    event.preventDefault()
    var input = event.target
    pasted = text
    var flat = text.replace(/\r?\n/g, " ")
    var start = input.selectionStart || 0
    var end = input.selectionEnd || 0
    input.value = input.value.slice(0, start) + flat + input.value.slice(end)
    input.dispatchEvent(new Event("input", { bubbles: true }))
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }

  function attach() {
    var inputs = document.querySelectorAll("[data-md-component=search-query], .pagefind-ui__search-input")
    inputs.forEach(function (input) {
      if (input.kbErrorPanel) return
      input.kbErrorPanel = true
      input.addEventListener("paste", onPaste)
      input.addEventListener("input", function () { onQuery(input) })
      // Rules and manifest load when the visitor comes to the box, not after the paste.
      input.addEventListener("focus", function () { index.ready().catch(function () {}) })
    })
  }

  var style = document.createElement("style")
  style.textContent =
    ".kb-error-panel{padding:.6rem .8rem;border-bottom:.05rem solid var(--md-default-fg-color--lightest,#ddd);font-size:.7rem}" +
    ".kb-error-panel__title{font-weight:700;margin-bottom:.3rem}" +
    ".kb-error-panel__list{margin:0;padding-left:1.2rem}" +
    ".kb-error-panel__item{margin:.2rem 0}" +
    ".kb-error-panel__line{margin:.1rem 0;overflow-wrap:anywhere}" +
    ".kb-error-panel mark{background:var(--md-accent-fg-color--transparent,#ff0);color:inherit}"
  document.head.appendChild(style)

  document.addEventListener("keyup", holdKeyup, true)

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attach)
  } else {
    attach()
  }
  // Pagefind's UI and Material's instant navigation add their search boxes later.
  new MutationObserver(attach).observe(document.documentElement, { childList: true, subtree: true })
})(this)
