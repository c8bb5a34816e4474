/**
 * Train / validation / test splits BY QUESTION, with near-duplicates kept on one side.
 *
 * Near-duplicates: MMLU-Pro repeats stems (same question with other options, STEMEZ problems reworded),
 * LLMRouter's train.json contains 119 of its test.json prompts verbatim (and more with a suffix added), and
 * LLMRouter reuses MMLU questions. Items are grouped (union-find) when their stems are equal after
 * normalisation, or their word-4-gram shingle sets have Jaccard >= 0.6, or (both having >= 8 shingles)
 * one is >= 80% contained in the other. Shingles shared by > 50 items (templates like "There are 3 houses
 * in a row") are ignored so that template families are not merged into one group.
 *
 * Assignment, per group: a group holding any LLMRouter test.json item is "test" (those items are the
 * LLMRouter held-out split; any other member is excluded from training). Other groups go by a seeded hash
 * of the group's smallest key: 20% test, 15% validation, 65% train. MMLU-Pro items in test groups form the
 * MMLU-Pro held-out split; LLMRouter train.json items in test groups are "excluded" (never trained on).
 */
import type { Item } from "./data";

export type Split = "train" | "val" | "test" | "excluded";

const SPLIT_SEED = "tiergate-router-split-v1";
const TEST_SHARE = 0.2;
const VAL_SHARE = 0.15;
const SHINGLE = 4;
const MAX_SHINGLE_FREQ = 50;
const JACCARD_MIN = 0.6;
const CONTAIN_MIN = 0.8;
const CONTAIN_MIN_SIZE = 8;

/** 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Deterministic value in [0,1) from a string (used for split and subsample assignment). */
export function unitHash(s: string): number {
  let h = fnv1a(s);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function normWords(s: string): string[] {
  return s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function shingles(words: string[]): Set<number> {
  const out = new Set<number>();
  if (words.length < SHINGLE) {
    out.add(fnv1a(words.join(" ")));
    return out;
  }
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(fnv1a(words.slice(i, i + SHINGLE).join(" ")));
  return out;
}

class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(a: number): number {
    let r = a;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[a] !== r) {
      const next = this.parent[a] as number;
      this.parent[a] = r;
      a = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Group index per item: items in one group are near-duplicates (transitively). */
export function nearDuplicateGroups(items: readonly Item[]): Int32Array {
  const n = items.length;
  const uf = new UnionFind(n);
  const sets: Set<number>[] = [];
  const byNorm = new Map<string, number>();
  const posting = new Map<number, number[]>();
  items.forEach((item, i) => {
    const words = normWords(item.stem);
    const norm = words.join(" ");
    const seen = byNorm.get(norm);
    if (seen !== undefined) uf.union(seen, i);
    else byNorm.set(norm, i);
    const set = shingles(words);
    sets.push(set);
    for (const h of set) {
      const list = posting.get(h);
      if (list) list.push(i);
      else posting.set(h, [i]);
    }
  });
  const shared = new Map<number, number>(); // a * n + b -> shared shingles
  for (const list of posting.values()) {
    if (list.length < 2 || list.length > MAX_SHINGLE_FREQ) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const k = (list[x] as number) * n + (list[y] as number);
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
    }
  }
  for (const [k, c] of shared) {
    const a = Math.floor(k / n), b = k % n;
    const sa = (sets[a] as Set<number>).size, sb = (sets[b] as Set<number>).size;
    const jaccard = c / (sa + sb - c);
    const containment = c / Math.min(sa, sb);
    if (jaccard >= JACCARD_MIN || (Math.min(sa, sb) >= CONTAIN_MIN_SIZE && containment >= CONTAIN_MIN)) uf.union(a, b);
  }
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[i] = uf.find(i);
  return group;
}

export interface SplitResult {
  split: Split[];
  /** Number of near-duplicate groups with more than one item. */
  multiGroups: number;
  /** Digest of the held-out and validation keys: training records it, evaluation checks it. */
  digest: string;
}

export function assignSplits(items: readonly Item[]): SplitResult {
  const group = nearDuplicateGroups(items);
  const members = new Map<number, number[]>();
  group.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const split: Split[] = new Array<Split>(items.length).fill("train");
  let multiGroups = 0;
  for (const [, list] of members) {
    if (list.length > 1) multiGroups++;
    const keys = list.map((i) => (items[i] as Item).key).sort();
    const holdsLrTest = list.some((i) => (items[i] as Item).origin === "lr-test");
    const u = unitHash(`${SPLIT_SEED}:${keys[0] as string}`);
    const side: Split = holdsLrTest || u < TEST_SHARE ? "test" : u < TEST_SHARE + VAL_SHARE ? "val" : "train";
    for (const i of list) {
      const item = items[i] as Item;
      if (side === "test") split[i] = item.origin === "lr-train" ? "excluded" : "test";
      else split[i] = item.origin === "lr-test" ? "test" : side;
    }
  }
  const digestKeys = items
    .map((it, i) => `${split[i] as string}:${it.key}`)
    .filter((s) => !s.startsWith("train:"))
    .sort()
    .join("\n");
  return { split, multiGroups, digest: fnv1a(digestKeys).toString(16).padStart(8, "0") + ":" + digestKeys.length };
}
