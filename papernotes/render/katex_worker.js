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
const CHUNK = 1 << 16; // characters of reply written at a time

// Each result is serialised as soon as it is made: renderToString returns a string built of many
// small pieces, and keeping a batch of them alive until one JSON.stringify at the end made V8's
// collector move them again and again (twice the CPU of KaTeX itself, and ~1 GB of memory).
function renderOne(tex, displayMode) {
  let result;
  try {
    result = { html: katex.renderToString(tex, { ...options, displayMode }) };
  } catch (e) {
    // ParseError is the expected case; anything else is still reported per formula.
    result = { error: e instanceof katex.ParseError ? e.message : String((e && e.stack) || e) };
  }
  return JSON.stringify(result);
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let batch;
  try {
    batch = JSON.parse(line).map(([tex, display]) => [tex, display]);
  } catch (e) {
    process.stdout.write(JSON.stringify({ fatal: String(e) }) + "\n"); // a malformed batch is a bug on the Python side
    return;
  }
  // The reply goes out in chunks as it is made, so no batch is held whole in memory.
  let chunk = "[";
  batch.forEach(([tex, display], i) => {
    chunk += (i ? "," : "") + renderOne(tex, display);
    if (chunk.length >= CHUNK) {
      process.stdout.write(chunk);
      chunk = "";
    }
  });
  process.stdout.write(chunk + "]\n");
});
