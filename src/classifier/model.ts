/**
 * The shipped model: logistic regression over the features of features.ts, weights quantised to int8.
 * index.ts loads model.json (bundled into the Worker); scoring sums integers before one multiply, so it
 * is identical in Node and workerd.
 */
import { extractFeatures, FeatureBuffer, NUM_BINS } from "./features";

export interface ModelFile {
  format: string;
  version: string;
  hashBits: number;
  numBins: number;
  bias: number;
  /** Real weight = int8 weight * scale. */
  scale: number;
  /** Base64 of the int8 weights: 2^hashBits hashed n-gram weights, then numBins bin weights. */
  weights: string;
  calibration: { source: string; n: number; quantiles: number[] };
  info: Record<string, unknown>;
}

export const MODEL_FORMAT = "tiergate-complexity-logreg-int8/1";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 to bytes, without relying on atob/Buffer (same code in every runtime). */
export function decodeBase64(s: string): Uint8Array {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, acc = 0, o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = lookup[clean.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Error(`invalid base64 at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number, b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (b === undefined ? "=" : B64[(n >> 6) & 63]!) + (c === undefined ? "=" : B64[n & 63]!);
  }
  return out;
}

export class LinearScorer {
  private readonly q: Int8Array;
  private readonly base: number;
  private readonly buf = new FeatureBuffer();
  constructor(readonly file: ModelFile) {
    if (file.format !== MODEL_FORMAT) throw new Error(`unsupported model format ${file.format}`);
    if (file.numBins !== NUM_BINS) throw new Error(`model has ${file.numBins} bin features, code has ${NUM_BINS}`);
    const bytes = decodeBase64(file.weights);
    this.base = 1 << file.hashBits;
    if (bytes.length !== this.base + NUM_BINS) throw new Error(`model has ${bytes.length} weights, expected ${this.base + NUM_BINS}`);
    this.q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** The logit before the sigmoid. */
  logit(text: string): number {
    const f = extractFeatures(text, this.file.hashBits, this.buf);
    const q = this.q;
    let ngramSum = 0;
    for (let k = 0; k < f.ngramLen; k++) ngramSum += q[f.ngramIdx[k] as number] as number;
    let binSum = 0;
    for (let k = 0; k < f.binLen; k++) binSum += q[this.base + (f.binIdx[k] as number)] as number;
    return this.file.bias + this.file.scale * (ngramSum * f.ngramValue + binSum);
  }

  /** Probability-like score in (0,1): sigmoid of the logit, clamped so it never reaches 0 or 1. */
  score(text: string): number {
    const z = Math.max(-30, Math.min(30, this.logit(text)));
    return 1 / (1 + Math.exp(-z));
  }
}
