/*
 * kbtools: Material's search reads a pasted error line as plain words.
 *
 * Material parses a query with Lunr's query syntax before its separator splits the words,
 * so the punctuation of log lines turns into operators:
 *   - `word:` names a field: in `exit status 128: fatal: early EOF` the words `128` and
 *     `fatal` are dropped; in `dial tcp 10.0.3.44:9000: connect` the address, the port
 *     and `connect` are.
 *   - `"..."` makes every word inside required, so `user "acme_app"` (the customer's own
 *     value) or `"repo not cloneable"` (a stop word) finds nothing at all.
 *   - `\` escapes the next letter (`failed\ncaused` becomes one word), `--flag` and
 *     `-bash:` exclude the word, and a stray `~` or `^` (`~/.kube/config`) breaks the query.
 * This script rewrites each query on its way to the search worker so that those characters
 * count as punctuation. A deliberate `title:helm`, `+word`, `-word`, `word~1` and `word^2`
 * keep their meaning.
 *
 * Each answer is also announced as a `kb:search-results` event on `document` with
 * `detail: {query, items}` (items in the shape of Material's search worker: one list per
 * page, the page first, then its sections). kb-pagefind.js announces its answers through
 * the same function, so a script that adds to the results (such as a panel above them)
 * listens to one event whichever backend answers.
 */
(function () {
  "use strict"

  var QUERY = 2 // Material's SearchMessageType.QUERY
  var FIELD = /^[+-]?(?:title|text|tags):(?=[^\s:])/
  var SIGNS = /^[+-]+/
  var PUNCTUATION = /[:\\]/
  var STRAY_MODIFIER = /[~^](?!\d*$)/g

  function plainWord(word) {
    var field = FIELD.exec(word)
    var prefix = field ? field[0] : ""
    var rest = word.slice(prefix.length)
    var signs = prefix ? null : SIGNS.exec(rest)
    if (signs) {
      rest = rest.slice(signs[0].length)
      // One sign before a plain word is an operator; `--flag` and `-bash:` are text.
      if (signs[0].length === 1 && !PUNCTUATION.test(rest))
        prefix = signs[0]
    }
    return prefix + rest.split(PUNCTUATION).map(function (part) {
      return part.replace(STRAY_MODIFIER, " ")
    }).join(" ")
  }

  function kbSearchQuery(query) {
    return query.replace(/"/g, " ").split(/(\s+)/).map(function (word) {
      return /^\s*$/.test(word) ? word : plainWord(word)
    }).join("")
  }

  var RESULT = 3 // Material's SearchMessageType.RESULT

  function kbAnnounceResults(query, items) {
    if (typeof document === "undefined" || typeof CustomEvent === "undefined") return
    document.dispatchEvent(
      new CustomEvent("kb:search-results", { detail: { query: query, items: items } })
    )
  }

  var root = typeof window !== "undefined" ? window : globalThis
  root.kbSearchQuery = kbSearchQuery
  root.kbAnnounceResults = kbAnnounceResults

  // Material talks to its search worker with postMessage; the method is looked up on each
  // call, so patching the prototype after Material's bundle has run still takes effect.
  var Worker = root.Worker
  if (!Worker || !Worker.prototype || Worker.prototype.postMessage.kbSearchQuery)
    return
  var postMessage = Worker.prototype.postMessage
  var patched = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var worker = this
      worker.kbQuery = message.data
      if (!worker.kbAnnounces) {
        worker.kbAnnounces = true
        worker.addEventListener("message", function (event) {
          var answer = event.data
          if (answer && answer.type === RESULT && answer.data)
            kbAnnounceResults(worker.kbQuery, answer.data.items || [])
        })
      }
      var args = Array.prototype.slice.call(arguments)
      args[0] = { type: QUERY, data: kbSearchQuery(message.data) }
      return postMessage.apply(this, args)
    }
    return postMessage.apply(this, arguments)
  }
  patched.kbSearchQuery = true
  Worker.prototype.postMessage = patched
})()
