// Rank texts with kbtools/site/assets/kb-error-panel.js over a built site's kb-error/ folder.
// Usage: node error_panel_node.js SITE_DIR < texts.json  (a JSON list of strings)
// Prints a JSON list of {matches: [{path, anchor, score}], abstained} (one per text).
"use strict"
const fs = require("fs")
const path = require("path")
const KbError = require(path.join(__dirname, "..", "..", "kbtools", "site", "assets", "kb-error-panel.js"))

const folder = path.join(process.argv[2], "kb-error")
const texts = JSON.parse(fs.readFileSync(0, "utf8"))
const index = new KbError.Index((rel) => JSON.parse(fs.readFileSync(path.join(folder, rel), "utf8")))
const top = Number(process.argv[3] || 5)

;(async () => {
  const out = []
  for (const text of texts) {
    const result = await KbError.search(index, text, top)
    out.push({
      abstained: result.abstained,
      matches: result.matches.map((m) => ({ path: m.path, anchor: m.anchor, score: m.score, evidence: m.evidence })),
    })
  }
  process.stdout.write(JSON.stringify(out))
})()
