/**
 * npm run bench:classifier [-- --write-benchmarks]
 *
 * Per-request time of complexityScore (prompt flattening + features + scoring) over realistic request
 * shapes: short chat, a question with options, code, a long document (40k chars) and multi-turn
 * messages arrays with content parts. Prompts are generated here (seeded), no shared data needed.
 * Reports median and p99 per shape and over the mixed set.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { complexityScore, promptText, type PromptInput } from "../src/classifier/index";
import { machineLine, writeBlock } from "../scripts/lib/benchmarks-md";
import { REPO_ROOT } from "../scripts/lib/shared-dir";
import { LinearScorer, type ModelFile } from "../src/classifier/model";
import modelJson from "../src/classifier/model.json";
import { seededRng } from "../src/core/random";

const rng = seededRng;

const WORDS = "the of and to in is that for it as with was on be by this are from at or an which have not can but all their more one will would about there has other into when what time only some could these two may first then do any like our over such new also most after use well where how because between each very through many before should must system data model value process result number function question answer energy market law court patient cell rate".split(" ");

function prose(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let w = WORDS[Math.floor(rand() * WORDS.length)] as string;
    if (i % 14 === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
    out.push(w);
    if (i % 14 === 13) out[out.length - 1] += ".";
    if (i % 120 === 119) out[out.length - 1] += "\n\n";
  }
  return out.join(" ");
}

const CODE = `Why does this TypeScript throw "Cannot read properties of undefined" on the second call?

\`\`\`ts
export async function loadUser(id: string, cache: Map<string, User>): Promise<User> {
  if (cache.has(id)) return cache.get(id)!;
  const res = await fetch(\`/api/users/\${id}\`);
  if (!res.ok) throw new Error(\`status \${res.status}\`);
  const user = (await res.json()) as User;
  cache.set(user.id, user);
  return user.profile.name ? user : { ...user, profile: { name: "anonymous" } };
}
\`\`\`
I call it twice in a row with the same id and the second one fails inside the map lookup.`;

function shapes(): Record<string, PromptInput[]> {
  const rand = rng(42);
  const short = ["hi", "What's the capital of Australia?", "Translate 'good morning' into Spanish.", "Give me three names for a grey cat.", "thanks, that works!", "Summarise the plot of Hamlet in one sentence."];
  const question = Array.from({ length: 6 }, (_, k) => `${prose(rand, 40 + 10 * k)}?\n\nOptions:\n${"ABCDEFGHIJ".split("").map((l) => `${l}. ${prose(rand, 6)}`).join("\n")}`);
  const code = [CODE, CODE.replace(/User/g, "Account"), `Refactor this Python to be O(n log n):\n\n\`\`\`python\n${Array.from({ length: 40 }, (_, i) => `    for j in range(i${i}, n):\n        if a[j] < a[i${i}]: a[i${i}], a[j] = a[j], a[i${i}]`).join("\n")}\n\`\`\``];
  const longDoc = [0, 1, 2].map(() => `Summarise the key obligations in this contract and flag anything unusual.\n\n${prose(rand, 6500)}`);
  const messages: PromptInput[] = [0, 1, 2, 3].map((k) => [
    { role: "system", content: "You are a careful assistant for a logistics company. Answer briefly and cite the policy section." },
    ...Array.from({ length: 2 + 2 * k }, (_, t) => ({ role: t % 2 === 0 ? "user" : "assistant", content: prose(rand, 30 + 20 * t) })),
    { role: "user", content: [{ type: "text", text: "Given the above, what is the maximum liability if the shipment in the photo arrives late?" }, { type: "image_url", image_url: { url: "https://example.invalid/x.png" } }] },
  ]);
  return { "short chat": short, "question with options": question, code, "long document": longDoc, "messages array (multi-turn, parts)": messages };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Cold start: decoding the weights when the module is first imported (once per isolate). */
function loadLine(): string {
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = process.hrtime.bigint();
    new LinearScorer(modelJson as ModelFile);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return `Model load (base64 decode of ${(1 << (modelJson as ModelFile).hashBits) + (modelJson as ModelFile).numBins} int8 weights, once per isolate): median ${quantile(times, 0.5).toFixed(3)} ms.`;
}

/** Size of src/classifier bundled alone (esbuild, as wrangler bundles), minified and gzipped. */
function bundleLine(): string {
  const bin = join(REPO_ROOT, "node_modules", ".bin", "esbuild");
  if (!existsSync(bin)) return "Bundle size: esbuild not found, not measured.";
  const r = spawnSync(bin, [join(REPO_ROOT, "src", "classifier", "index.ts"), "--bundle", "--format=esm", "--minify", "--log-level=warning"], { maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) return `Bundle size: esbuild failed (${String(r.stderr)}).`;
  return `Bundle size of src/classifier alone (esbuild --bundle --minify, weights included): ${(r.stdout.length / 1024).toFixed(1)} KiB, ${(gzipSync(r.stdout, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped (Workers limit: 3 MiB gzipped on the free plan).`;
}

function main(): void {
  const args = process.argv.slice(2);
  const all = shapes();
  const ROUNDS = 2000;
  // warm up the JIT the way a long-lived Worker isolate would be
  for (let r = 0; r < 300; r++) for (const list of Object.values(all)) for (const p of list) complexityScore(p);
  const rows: string[] = [];
  const mixed: number[] = [];
  for (const [name, list] of Object.entries(all)) {
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const p = list[r % list.length] as PromptInput;
      const t0 = process.hrtime.bigint();
      complexityScore(p);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    mixed.push(...times);
    times.sort((a, b) => a - b);
    const chars = Math.round(list.reduce((n, p) => n + promptText(p).length, 0) / list.length);
    rows.push(`| ${name} | ${list.length} | ${chars} | ${ROUNDS} | ${quantile(times, 0.5).toFixed(4)} | ${quantile(times, 0.99).toFixed(4)} |`);
  }
  mixed.sort((a, b) => a - b);
  rows.push(`| **all shapes mixed** | ${Object.values(all).reduce((s, l) => s + l.length, 0)} | | ${mixed.length} | **${quantile(mixed, 0.5).toFixed(4)}** | **${quantile(mixed, 0.99).toFixed(4)}** |`);
  const md = [
    `Scoring speed — command: \`npm run bench:classifier${args.length ? " -- " + args.join(" ") : ""}\`; date ${new Date().toISOString()}; machine: ${machineLine()}.`,
    "Per-request time of `complexityScore` (message flattening, features, scoring) after warm-up, single thread, in Node (the Worker runs the same code on V8).",
    "",
    "| request shape | distinct prompts | mean chars | calls | median ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    loadLine(),
    bundleLine(),
  ].join("\n");
  process.stdout.write(md + "\n");
  if (args.includes("--write-benchmarks")) {
    writeBlock("classifier-bench", md);
    process.stderr.write("wrote the classifier-bench block of BENCHMARKS.md\n");
  }
}

main();
