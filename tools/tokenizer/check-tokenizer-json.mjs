// Checks that a tokenizer.json (e.g. one written by Andes.ModelBuilder's TokenizerJsonBuilder) loads in Hugging Face
// tokenizers and gives the committed fixture's ids for every fixture string.
//
//   node check-tokenizer-json.mjs path/to/tokenizer.json
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const target = process.argv[2];
if (!target) {
  console.error('usage: node check-tokenizer-json.mjs path/to/tokenizer.json');
  process.exit(2);
}

const fixturePath = path.join(here, '..', '..', 'tests', 'Andes.GenAI.Tests', 'Tokenization', 'Fixtures', 'hf-tokenizer-fixture.json');
const fixture = JSON.parse(fs.readFileSync(fixturePath, 'utf8'));
const tokenizer = Tokenizer.fromFile(target);
let failed = 0;
for (const c of fixture.cases) {
  const ids = Array.from((await tokenizer.encode(c.text, null, { addSpecialTokens: false })).getIds());
  if (ids.join(',') !== c.ids.join(',')) {
    if (failed++ < 10) console.error(`differs: ${JSON.stringify(c.text)}: ${ids} vs ${c.ids}`);
  }
}
console.log(`${fixture.cases.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
