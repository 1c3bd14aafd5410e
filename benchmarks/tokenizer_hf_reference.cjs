// The Rust `tokenizers` library (Hugging Face's napi-rs binding, npm package `tokenizers`) on the
// corpus that `anatomist-cli tokenize --file F --bench --chunk lines` encodes: every non-empty line
// encoded by itself, without special tokens, on one thread (run with TOKENIZERS_PARALLELISM=false,
// RAYON_RS_NUM_CPUS=1, UV_THREADPOOL_SIZE=1). Prints one JSON object with the same fields and the
// same ids hash (FNV-1a of id + 1 per token, 0 per chunk end) as anatomist-cli.
// Two ways to call it, both timed: `encode` once per line, awaited one after the other (each call
// crosses to a libuv worker thread and back), and one `encodeBatch` over all lines, which runs the
// same per-line encode serially inside Rust when parallelism is off. The faster is the reference.
// Usage: node tokenizer_hf_reference.cjs NODE_MODULES_DIR TOKENIZER_JSON CORPUS [PASSES]
'use strict';
const fs = require('fs');
const path = require('path');
const [modulesDir, tokenizerFile, corpusFile, passesArg] = process.argv.slice(2);
const { Tokenizer } = require(path.join(modulesDir, 'tokenizers'));
const passes = Number(passesArg || 3);

function hashIds(hash, ids) {
  for (const id of ids) hash = Math.imul(hash ^ (id + 1), 16777619) >>> 0;
  return Math.imul(hash, 16777619) >>> 0;
}

function summary(encodings) {
  let hash = 2166136261, tokens = 0;
  for (const e of encodings) {
    const ids = e.getIds();
    tokens += ids.length;
    hash = hashIds(hash, ids);
  }
  return { tokens, hash: hash.toString(16).padStart(8, '0') };
}

const options = { addSpecialTokens: false };
async function perCall(tok, lines) {
  const out = new Array(lines.length);
  for (let i = 0; i < lines.length; ++i) out[i] = await tok.encode(lines[i], null, options);
  return out;
}
const batch = (tok, lines) => tok.encodeBatch(lines, options);

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const encodings = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, encodings };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b), n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

(async () => {
  const tok = Tokenizer.fromFile(tokenizerFile);
  const lines = fs.readFileSync(corpusFile, 'utf8').split('\n').filter((l) => l.length > 0);
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l, 'utf8'), 0);
  const mb = bytes / 1e6;
  const first = await timed(() => batch(tok, lines)); // fills the word cache
  const reference = summary(first.encodings);
  const result = {};
  for (const [name, fn] of [['encode', perCall], ['batch', batch]]) {
    const walls = [], cpus = [];
    for (let p = 0; p < passes; ++p) {
      const pass = await timed(() => fn(tok, lines));
      const s = summary(pass.encodings);
      if (s.hash !== reference.hash || s.tokens !== reference.tokens)
        throw new Error(`${name}: a pass gave other ids than the first`);
      walls.push(pass.wall);
      cpus.push(pass.cpu);
    }
    result[name] = { seconds: median(walls), cpu_seconds: median(cpus) };
  }
  const best = Math.min(result.encode.seconds, result.batch.seconds);
  console.log(JSON.stringify({
    bytes, chunks: lines.length, tokens: reference.tokens, ids_hash: reference.hash,
    first_pass_seconds: first.wall, first_pass_mb_per_s: mb / first.wall,
    seconds: best, steady_mb_per_s: mb / best,
    encode_mb_per_s: mb / result.encode.seconds, batch_mb_per_s: mb / result.batch.seconds,
    encode_cpu_mb_per_s: mb / result.encode.cpu_seconds,
    batch_cpu_mb_per_s: mb / result.batch.cpu_seconds, passes,
  }));
})().catch((e) => { console.error(String(e)); process.exit(1); });
