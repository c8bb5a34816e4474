/**
 * npm run bench:routing [-- --write-benchmarks]
 *
 * Cost of the routing decision per request: request metadata + route selection over a 20-route
 * config (rules of every kind, an A/B split, a cascade, and a `local` classifier route near the
 * end) + the plan. The same code the Worker runs, timed in Node (V8, like workerd; workerd's
 * timers are too coarse for sub-millisecond figures). Target: median under 0.2 ms.
 */
import { ChatRequestSchema, type ChatRequest } from "../src/core/chat-request";
import { ConfigSchema, type ConfigInput } from "../src/config/schema";
import { planRequest } from "../src/routing/plan";
import { requestMeta } from "../src/routing/request-meta";
import { machineLine, writeBlock } from "../scripts/lib/benchmarks-md";
import { seededRng } from "../src/core/random";

const m = (input: number, output: number) => ({ provider: "p", id: "x", price: { input, output } });
const routes: ConfigInput["routes"] = [
  { name: "legacy-gpt4", match: { model: ["gpt-4", "gpt-4-turbo"] }, model: "mid" },
  { name: "ab-test", match: { feature: "chat", split: { percent: 10, by: "user" } }, model: "mid" },
  ...["classify", "tag", "moderate", "route", "detect-language", "sentiment"].map((f) => ({ name: f, match: { feature: f, maxPromptChars: 4_000 }, model: "small", fallbacks: ["mid"] })),
  { name: "extract", match: { feature: "extract", hasResponseFormat: true }, steps: [{ model: "small", checks: [{ type: "json_schema" as const }] }, { model: "big" }] },
  { name: "tools", match: { hasTools: true, userTier: ["pro", "enterprise"] }, model: "big", fallbacks: ["mid"] },
  { name: "translate", match: { lastUserMessage: { pattern: "^(translate|traduce|übersetze)\\b", flags: "i" } }, model: "small" },
  { name: "team-search", match: { team: "search", maxPromptTokens: 2_000 }, model: "small" },
  { name: "enterprise-long", match: { userTier: "enterprise", minPromptTokens: 8_000 }, model: "big" },
  { name: "key-batch", match: { key: "batch-backend" }, model: "small" },
  { name: "summarize", match: { feature: "summarize", maxPromptChars: 48_000 }, model: "small", fallbacks: ["mid"] },
  { name: "code", match: { feature: "code" }, model: "mid", fallbacks: ["big"] },
  { name: "analysis", match: { feature: "analysis" }, model: "big" },
  { name: "long-context", match: { minPromptChars: 48_000 }, model: "big" },
  { name: "auto-tiered", match: { feature: ["chat", "assistant"] }, classifier: { type: "local", shares: { "2": 0.3, "3": 0.1 }, tiers: { "1": "small", "2": "mid", "3": ["big", "mid"] } } },
  { name: "default", match: {}, model: "small", fallbacks: ["mid", "big"] },
];
const config = ConfigSchema.parse({ baseline: "mid", providers: { p: { type: "simulator" } }, models: { small: m(0.15, 0.6), mid: m(2.5, 10), big: m(15, 75) }, routes });
if (config.routes.length !== 20) throw new Error(`expected 20 routes, got ${config.routes.length}`);

const rng = seededRng;
const rand = rng(7);
const words = "the model request answer route cost token quality data result user system value check simple complex design prove explain why how compare".split(" ");
const prose = (n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ");

interface Case { name: string; request: ChatRequest; headers: Headers }
const mk = (name: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Case => ({ name, request: ChatRequestSchema.parse(body), headers: new Headers(headers) });
const cases: Case[] = [];
for (let i = 0; i < 200; i++) {
  const kind = i % 8;
  if (kind === 0) cases.push(mk("classify", { messages: [{ role: "user", content: prose(30) }] }, { "x-tiergate-feature": "classify" }));
  else if (kind === 1) cases.push(mk("chat → local classifier (route 19)", { user: `u${i}`, messages: [{ role: "system", content: "You are helpful." }, { role: "user", content: prose(60 + (i % 200)) }] }, { "x-tiergate-feature": "chat" }));
  else if (kind === 2) cases.push(mk("default (falls through all 20)", { messages: [{ role: "user", content: prose(120) }] }));
  else if (kind === 3) cases.push(mk("long document (~55k chars) → long-context", { messages: [{ role: "user", content: prose(9000) }] }));
  else if (kind === 4) cases.push(mk("tools", { messages: [{ role: "user", content: prose(40) }], tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }] }, { "x-tiergate-user-tier": "pro" }));
  else if (kind === 5) cases.push(mk("extract (cascade)", { messages: [{ role: "user", content: prose(80) }], response_format: { type: "json_object" } }, { "x-tiergate-feature": "extract" }));
  else if (kind === 6) cases.push(mk("translate (regex)", { messages: [{ role: "user", content: `Translate ${prose(20)}` }] }));
  else cases.push(mk("multi-turn chat → local classifier", { user: `u${i}`, messages: [{ role: "user", content: prose(30) }, { role: "assistant", content: prose(80) }, { role: "user", content: prose(40) }] }, { "x-tiergate-feature": "assistant" }));
}

function decide(c: Case, i: number): string {
  const meta = requestMeta(c.request, c.headers, {}, `req-${i}`, 0);
  return planRequest(c.request, meta, config).route;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
function measure(list: Case[], iterations: number) {
  for (let i = 0; i < 2_000; i++) decide(list[i % list.length] as Case, i); // warm up the JIT
  const times: number[] = [];
  const routesHit = new Map<string, number>();
  for (let i = 0; i < iterations; i++) {
    const c = list[i % list.length] as Case;
    const t0 = process.hrtime.bigint();
    const route = decide(c, i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    routesHit.set(route, (routesHit.get(route) ?? 0) + 1);
  }
  times.sort((a, b) => a - b);
  return { median: pct(times, 0.5), p99: pct(times, 0.99), routesHit };
}

const iterations = Number(process.argv.find((a) => a.startsWith("--iterations="))?.split("=")[1] ?? 20_000);
const all = measure(cases, iterations);
const byKind = [...new Set(cases.map((c) => c.name))].map((name) => ({ name, ...measure(cases.filter((c) => c.name === name), Math.max(2_000, iterations / 8)) }));
const fmt = (ms: number) => ms.toFixed(4);
const date = new Date().toISOString();
const lines = [
  `Command: \`npm run bench:routing -- --write-benchmarks\`; date ${date}; machine: ${machineLine()}; ${iterations} decisions over 200 generated requests, after 2,000 warm-up decisions.`,
  "",
  "Decision = request metadata + first-match over the 20 routes + plan (including the local classifier's score where the route uses it). Target: median under 0.2 ms.",
  "",
  "| requests | median ms | p99 ms |",
  "|---|---:|---:|",
  `| **mixed (all below)** | **${fmt(all.median)}** | **${fmt(all.p99)}** |`,
  ...byKind.map((k) => `| ${k.name} | ${fmt(k.median)} | ${fmt(k.p99)} |`),
];
console.log(lines.join("\n"));
console.log("\nroutes hit:", Object.fromEntries(all.routesHit));
if (process.argv.includes("--write-benchmarks")) {
  writeBlock("routing-decision", lines.join("\n"), undefined, "## Routing decision cost (issue 4)");
  console.log("\nwrote BENCHMARKS.md");
}
