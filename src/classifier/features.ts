/**
 * Feature extraction for the complexity classifier: hashed word unigrams/bigrams plus one-hot bins of
 * text statistics (length, lines, digits, LaTeX/code markers, option lists...). Computed from the text
 * alone, so it works on any chat prompt. Pure, allocation-light and deterministic (ASCII-only case folding,
 * integer hashing with Math.imul), so the Worker, Node and the trainer compute identical features.
 */

/** Only this many characters are tokenised: the first HEAD and the last TAIL of longer texts. */
export const HEAD_CHARS = 3000;
export const TAIL_CHARS = 2000;

/** One-hot bin groups over text statistics; each group contributes exactly one active feature. */
const BIN_GROUPS = {
  log2Chars: 17, // floor(log2(chars + 1)), capped
  lines: 8,
  wordsPerLine: 6,
  digitShare: 7,
  upperShare: 6,
  dollar: 5, // LaTeX inline math
  backslash: 5, // LaTeX commands
  braces: 5, // code: { } ;
  equals: 4,
  question: 4,
  backtick: 3,
  nonAscii: 4,
  avgWordLen: 6,
  optionLines: 5, // "A. ...", "(b) ..." lines: multiple choice
  lastChar: 5, // '?', '.', ':', other, none
  numbers: 6, // count of numeric tokens
} as const;

type BinGroup = keyof typeof BIN_GROUPS;
const BIN_OFFSETS = {} as Record<BinGroup, number>;
let binTotal = 0;
for (const g of Object.keys(BIN_GROUPS) as BinGroup[]) {
  BIN_OFFSETS[g] = binTotal;
  binTotal += BIN_GROUPS[g];
}
/** Number of bin features; they live after the hashed region, at indices [2^hashBits, 2^hashBits + NUM_BINS). */
export const NUM_BINS = binTotal;
export const BIN_GROUP_NAMES: readonly string[] = Object.keys(BIN_GROUPS);
/** [start, end) of a bin group inside the bin region (the trainer uses it to leave a group out). */
export function binGroupRange(name: BinGroup): [number, number] {
  return [BIN_OFFSETS[name], BIN_OFFSETS[name] + BIN_GROUPS[name]];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const BOS = 0x2f1a3c5d; // pseudo-token before the first token
const NEWLINE_TOKEN = 0x5e0a0a0a; // one token per run of newlines

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Reusable output of extractFeatures. The n-gram entries all carry the same value (1/sqrt(count)). */
export class FeatureBuffer {
  ngramIdx: Int32Array;
  ngramLen = 0;
  ngramValue = 0;
  readonly binIdx = new Int32Array(Object.keys(BIN_GROUPS).length);
  binLen = 0;
  constructor(capacity = 2 * (HEAD_CHARS + TAIL_CHARS) + 16) {
    this.ngramIdx = new Int32Array(capacity);
  }
}

function bucket(value: number, edges: readonly number[]): number {
  // index of the first edge that value is below; edges ascending; result in [0, edges.length]
  let i = 0;
  while (i < edges.length && value >= (edges[i] as number)) i++;
  return i;
}

function isCjk(c: number): boolean {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef);
}

function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000 || c === 0xfeff;
}

/** Text actually tokenised: the whole text if short, else its head and tail. */
export function clipText(text: string): string {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return text;
  return text.slice(0, HEAD_CHARS) + "\n" + text.slice(text.length - TAIL_CHARS);
}

/**
 * Extract features of `text` into `out` (reused to avoid allocation). Hashed indices fall in
 * [0, 2^hashBits); bin indices are returned relative to the bin region (add 2^hashBits).
 */
// long-function: one pass over the text fills every feature in the order the trained weights expect; split, the
// parts would have to share the cursor and the buffer, and the order would be spread over several places.
export function extractFeatures(text: string, hashBits: number, out: FeatureBuffer = new FeatureBuffer()): FeatureBuffer {
  const mask = (1 << hashBits) - 1;
  const totalChars = text.length;
  let lines = 1;
  for (let p = text.indexOf("\n"); p !== -1; p = text.indexOf("\n", p + 1)) lines++;

  const s = clipText(text);
  const n = s.length;
  if (out.ngramIdx.length < 2 * n + 8) out.ngramIdx = new Int32Array(2 * n + 8);
  const idx = out.ngramIdx;
  let len = 0;

  let digits = 0, upper = 0, letters = 0, dollar = 0, backslash = 0, braces = 0, equals = 0, question = 0, backtick = 0, nonAscii = 0;
  let words = 0, wordChars = 0, numbers = 0, optionLines = 0;

  let prev = BOS;
  let h = FNV_OFFSET;
  let inWord = false;
  let wordHasLetter = false;
  let lastNewline = false;
  // Option-line detector state: at line start, skip spaces, optional '(', one letter A-J, then '.' or ')'.
  let lineState = 0; // 0 = at line start (after spaces), 1 = saw '(', 2 = saw letter, 3 = done for this line

  const emit = (tok: number): void => {
    idx[len++] = fmix32(tok ^ 0x9747b28c) & mask;
    idx[len++] = fmix32((Math.imul(prev, 0x9e3779b1) ^ tok) + 0x7f4a7c15) & mask;
    prev = tok;
  };
  const endWord = (): void => {
    if (!inWord) return;
    emit(h >>> 0);
    words++;
    if (!wordHasLetter) numbers++;
    inWord = false;
    wordHasLetter = false;
    h = FNV_OFFSET;
  };

  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c === 10) {
      endWord();
      if (!lastNewline) emit(NEWLINE_TOKEN);
      lastNewline = true;
      lineState = 0;
      continue;
    }
    if (isSpace(c)) {
      endWord();
      continue;
    }
    lastNewline = false;
    // option-line detection
    if (lineState === 0) {
      if (c === 40) lineState = 1;
      else if ((c >= 65 && c <= 74) || (c >= 97 && c <= 106)) lineState = 2;
      else lineState = 3;
    } else if (lineState === 1) {
      lineState = (c >= 65 && c <= 74) || (c >= 97 && c <= 106) ? 2 : 3;
    } else if (lineState === 2) {
      if (c === 46 || c === 41) optionLines++;
      lineState = 3;
    }

    if (c < 128) {
      const isDigit = c >= 48 && c <= 57;
      const isUpper = c >= 65 && c <= 90;
      const isLower = c >= 97 && c <= 122;
      if (isDigit || isUpper || isLower || c === 95) {
        if (isDigit) {
          digits++;
          c = 48; // all digits hash alike: numbers keep only their shape
        } else if (isUpper) {
          upper++;
          letters++;
          wordHasLetter = true;
          c += 32;
        } else if (isLower) {
          letters++;
          wordHasLetter = true;
        }
        h = Math.imul(h ^ c, FNV_PRIME);
        inWord = true;
        wordChars++;
        continue;
      }
      // ASCII punctuation: its own token
      endWord();
      switch (c) {
        case 36: dollar++; break;
        case 92: backslash++; break;
        case 123: case 125: case 59: braces++; break;
        case 61: equals++; break;
        case 63: question++; break;
        case 96: backtick++; break;
      }
      emit(Math.imul(FNV_OFFSET ^ (c + 0x10000), FNV_PRIME) >>> 0);
      continue;
    }
    nonAscii++;
    if (isCjk(c)) {
      endWord();
      emit(Math.imul(FNV_OFFSET ^ (c + 0x20000), FNV_PRIME) >>> 0);
      continue;
    }
    letters++;
    wordHasLetter = true;
    h = Math.imul(h ^ c, FNV_PRIME);
    inWord = true;
    wordChars++;
  }
  endWord();

  out.ngramLen = len;
  out.ngramValue = len > 0 ? 1 / Math.sqrt(len) : 0;

  // Last non-space character of the whole text.
  let lastChar = -1;
  for (let i = totalChars - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (!isSpace(c)) {
      lastChar = c;
      break;
    }
  }

  const bins = out.binIdx;
  let b = 0;
  const put = (g: BinGroup, k: number): void => {
    const size = BIN_GROUPS[g];
    bins[b++] = BIN_OFFSETS[g] + (k < 0 ? 0 : k >= size ? size - 1 : k);
  };
  const visible = Math.max(1, n);
  put("log2Chars", Math.floor(Math.log2(totalChars + 1)));
  put("lines", bucket(lines, [2, 3, 4, 6, 10, 20, 50]));
  put("wordsPerLine", bucket(words / lines, [3, 8, 15, 30, 60]));
  put("digitShare", bucket(digits / visible, [0.001, 0.01, 0.03, 0.06, 0.12, 0.25]));
  put("upperShare", bucket(upper / Math.max(1, letters), [0.01, 0.03, 0.06, 0.12, 0.25]));
  put("dollar", bucket(dollar, [1, 2, 4, 8]));
  put("backslash", bucket(backslash, [1, 3, 10, 30]));
  put("braces", bucket(braces, [1, 3, 10, 30]));
  put("equals", bucket(equals, [1, 3, 10]));
  put("question", bucket(question, [1, 2, 3]));
  put("backtick", bucket(backtick, [1, 3]));
  put("nonAscii", bucket(nonAscii / visible, [0.001, 0.05, 0.2]));
  put("avgWordLen", bucket(wordChars / Math.max(1, words), [3, 4, 5, 6, 8]));
  put("optionLines", bucket(optionLines, [1, 3, 5, 8]));
  put("lastChar", lastChar === -1 ? 4 : lastChar === 63 ? 0 : lastChar === 46 ? 1 : lastChar === 58 ? 2 : 3);
  put("numbers", bucket(numbers, [1, 2, 4, 8, 16]));
  out.binLen = b;
  return out;
}
