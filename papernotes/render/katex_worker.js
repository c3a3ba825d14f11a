// KaTeX worker for papernotes.render.katex: one process renders many batches.
//
// argv: <path of the katex package directory> <JSON render options>
// stdin:  one JSON line per batch: [[tex, displayMode], ...]
// stdout: one JSON line per batch, same order: [{"html": ...} | {"error": ...}, ...]
// A formula KaTeX rejects is reported in its slot; the process keeps running.
"use strict";
const readline = require("readline");
const katex = require(process.argv[2]);
const options = JSON.parse(process.argv[3]);

function renderOne(tex, displayMode) {
  try {
    return { html: katex.renderToString(tex, { ...options, displayMode }) };
  } catch (e) {
    // ParseError is the expected case; anything else is still reported per formula.
    return { error: e instanceof katex.ParseError ? e.message : String(e && e.stack || e) };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let reply;
  try {
    reply = JSON.parse(line).map(([tex, display]) => renderOne(tex, display));
  } catch (e) {
    reply = { fatal: String(e) };  // a malformed batch is a bug on the Python side
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
