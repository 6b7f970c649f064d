/*
 * kbtools: Material's search box and result list, answered by Pagefind.
 *
 * Material's bundle sends its search worker three kinds of message: SETUP (the index it
 * downloaded), then one QUERY per keystroke, and renders each RESULT it gets back. This
 * script intercepts the messages for that worker: SETUP is answered READY at once (the
 * index kb build leaves there is empty), and each QUERY is answered from Pagefind's chunked
 * index (pagefind/ at the site root), loaded on the first query. The results are handed to
 * Material in the shape its own worker uses, so the result list and keyboard navigation
 * work as with Material's index, and announced through `window.kbAnnounceResults`
 * (kb-search.js: the `kb:search-results` event), as Material's own answers are.
 *
 * Queries are cleaned as for Material's search (window.kbSearchQuery, kb-search.js): the
 * quotes and colons of a pasted log line are punctuation. Pagefind finds only pages that
 * hold every word, and a pasted line carries the customer's own host and user names, so a
 * query with no such page is answered by the pages holding the most of its words.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3 // Material's SearchMessageType
  var PAGES = 10 // result pages shown (Material shows 10 before "more")
  var SECTIONS = 3 // matching sections shown under each page
  var MAX_TERMS = 8 // words of a query searched at most: each one may fetch an index chunk
  var STOP = {}
  ;("a an and are as at be by for from in is it no not of on or that the this to was were " +
    "will with error failed fatal").split(" ").forEach(function (word) { STOP[word] = true })

  var Worker = window.Worker
  if (!Worker || !Worker.prototype || Worker.prototype.postMessage.kbPagefind)
    return

  var here = document.currentScript ? document.currentScript.src : location.href
  var siteRoot = new URL("../../", here) // this script is assets/javascripts/kb-pagefind.js
  var loading = null

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pf) {
        // noWorker: Pagefind's own worker script would add 41 KB to the first search.
        var options = { baseUrl: siteRoot.pathname, excerptLength: 24, noWorker: true }
        return Promise.resolve(pf.options(options))
          .then(function () { return pf.init() })
          .then(function () { return pf })
      })
    }
    return loading
  }

  // Lunr-only syntax (fields, required and excluded words, fuzziness, boosts) means nothing
  // to Pagefind: keep the words.
  function words(query) {
    var clean = window.kbSearchQuery ? window.kbSearchQuery(query) : query.replace(/"/g, " ")
    return clean.split(/\s+/).map(function (word) {
      return word
        .replace(/^[+-]?(?:title|text|tags):/, "")
        .replace(/^[+-]+/, "")
        .replace(/[~^]\d*$/, "")
    }).filter(function (word) { return /[\p{L}\p{N}]/u.test(word) })
  }

  function unique(list) {
    var seen = {}
    return list.filter(function (item) {
      var key = item.toLowerCase()
      if (seen[key]) return false
      seen[key] = true
      return true
    })
  }

  // The words of a long query that say the most: Pagefind fetches the index chunk of every
  // word it searches (about 20 KB each at 2,000 articles), so a pasted block of log lines
  // is searched by MAX_TERMS of its words that are not stop words or bare numbers (customer
  // values such as ports and sizes are the least likely to be in an article), spread evenly
  // over the whole paste: the lines after the first tell similar errors apart.
  function keyTerms(terms) {
    terms = unique(terms)
    if (terms.length <= MAX_TERMS) return terms
    var words = terms.filter(function (term) {
      return !STOP[term.toLowerCase()] && /\p{L}/u.test(term) && term.length > 2
    })
    if (!words.length) words = terms
    if (words.length <= MAX_TERMS) return words
    var picked = []
    for (var i = 0; i < MAX_TERMS; i++)
      picked.push(words[Math.floor((i * words.length) / MAX_TERMS)])
    return picked
  }

  // Pages holding every word, as Pagefind ranks them; when there are none, the pages that
  // hold the most of the words (Pagefind's score breaking ties).
  function rank(pf, terms) {
    terms = keyTerms(terms)
    return pf.search(terms.join(" ")).then(function (search) {
      if (search.results.length || terms.length < 2) return search.results
      return Promise.all(terms.map(function (term) { return pf.search(term) }))
        .then(function (searches) {
          var pages = {}
          searches.forEach(function (one) {
            one.results.forEach(function (result) {
              var page = pages[result.id] || (pages[result.id] = { result: result, hits: 0, score: 0 })
              page.hits += 1
              page.score += result.score
            })
          })
          return Object.keys(pages).map(function (id) { return pages[id] })
            .sort(function (a, b) { return b.hits - a.hits || b.score - a.score })
            .map(function (page) {
              return { id: page.result.id, score: page.hits + page.score / 1000, data: page.result.data }
            })
        })
    })
  }

  function location_(url) {
    return url // an absolute path under the site root: Material resolves it against its base
  }

  function toItems(results) {
    var top = results.slice(0, PAGES)
    return Promise.all(top.map(function (result) { return result.data() })).then(function (pages) {
      return pages.map(function (page, i) {
        var score = top[i].score
        var title = (page.meta && page.meta.title) || page.url
        var item = [{ location: location_(page.url), title: title, text: page.excerpt, score: score, terms: {} }]
        ;(page.sub_results || []).filter(function (sub) {
          return sub.url.indexOf("#") >= 0 && sub.title !== title
        }).slice(0, SECTIONS).forEach(function (sub) {
          // A lower score: Material folds sections below the page's own score under "more".
          item.push({ location: location_(sub.url), title: sub.title, text: sub.excerpt, score: score / 2, terms: {} })
        })
        return item
      })
    })
  }

  function answer(query) {
    var terms = words(query)
    if (!terms.length) return Promise.resolve([])
    return pagefind().then(function (pf) { return rank(pf, terms) }).then(toItems)
  }

  function reply(worker, message) {
    setTimeout(function () {
      worker.dispatchEvent(new MessageEvent("message", { data: message }))
    }, 0)
  }

  var searchWorkers = new WeakSet()
  var latest = 0
  var postMessage = Worker.prototype.postMessage
  var patched = function (message) {
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      searchWorkers.add(this)
      reply(this, { type: READY })
      return
    }
    if (message && message.type === QUERY && searchWorkers.has(this)) {
      var worker = this
      var query = String(message.data)
      // Answers can finish out of order (the first one loads Pagefind): only the answer to
      // the latest query is drawn, or an earlier one would replace it.
      var seq = ++latest
      answer(query).then(function (items) {
        if (seq !== latest) return
        reply(worker, { type: RESULT, data: { items: items } })
        if (window.kbAnnounceResults) window.kbAnnounceResults(query, items)
      }, function (error) {
        console.warn("kb: Pagefind search failed", error)
        if (seq === latest) reply(worker, { type: RESULT, data: { items: [] } })
      })
      return
    }
    return postMessage.apply(this, arguments)
  }
  patched.kbPagefind = true
  Worker.prototype.postMessage = patched
})()
