// Rank texts with kbtools/site/assets/kb-error-panel.js over a built site's kb-error/ folder.
// Usage: node error_panel_node.js SITE_DIR [TOP] [--first] < texts.json  (a JSON list of strings)
// Prints a JSON list, one item per text: {matches: [{path, anchor, score, evidence}],
// abstained}. With --first each text is a first search (nothing fetched before it) and
// the item also says which files it fetched, their bytes (raw and gzip) and the time.
"use strict"
const fs = require("fs")
const path = require("path")
const zlib = require("zlib")
const KbError = require(path.join(__dirname, "..", "..", "kbtools", "site", "assets", "kb-error-panel.js"))

const args = process.argv.slice(2)
const first = args.includes("--first")
const [site, topArg] = args.filter((a) => a !== "--first")
const folder = path.join(site, "kb-error")
const texts = JSON.parse(fs.readFileSync(0, "utf8"))
const top = Number(topArg || 5)

function newIndex(fetched) {
  return new KbError.Index((rel) => {
    const data = fs.readFileSync(path.join(folder, rel))
    fetched.push([rel, data.length, zlib.gzipSync(data).length])
    return JSON.parse(data.toString("utf8"))
  })
}

;(async () => {
  const out = []
  let fetched = []
  let index = newIndex(fetched)
  for (const text of texts) {
    if (first) {
      fetched = []
      index = newIndex(fetched)
    }
    const started = process.hrtime.bigint()
    const result = await KbError.search(index, text, top)
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const item = {
      abstained: result.abstained,
      matches: result.matches.map((m) => ({ path: m.path, anchor: m.anchor, score: m.score, evidence: m.evidence })),
    }
    if (first) {
      item.files = fetched.length
      item.bytes = fetched.reduce((s, f) => s + f[1], 0)
      item.gzip_bytes = fetched.reduce((s, f) => s + f[2], 0)
      item.ms = Math.round(ms)
      item.largest = fetched.slice().sort((a, b) => b[1] - a[1]).slice(0, 3)
    }
    out.push(item)
  }
  process.stdout.write(JSON.stringify(out))
})()
