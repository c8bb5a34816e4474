/**
 * Bad input: a corpus of malformed requests and config documents, then property-based fuzzing
 * (fast-check) of request bodies and config documents. Every bad request gets a 4xx with an
 * OpenAI-style error body (never a 5xx, never a hang); every bad config PUT is rejected and the
 * last valid config keeps serving; configs written straight into KV are reported, not served.
 * Afterwards /healthz is ok, a normal request succeeds and every chat request has its ledger row.
 */
import { Agent } from "node:http";
import fc from "fast-check";
import { adminHeaders, configStatus, putConfig, storeConfig } from "../lib/admin";
import { BENCH_CLIENT_HEADERS } from "../lib/client-key";
import { auditLedger, ledgerMark, type LedgerAudit } from "../lib/ledger";
import { send, type RequestSpec } from "../lib/http-load";
import { BENCH_UPSTREAM_API_KEY, type MiniflareGateway } from "../lib/gateway-miniflare";
import type { ConfigInput } from "../../src/config/schema";
import { BAD_REQUESTS, ODD_REQUESTS, type BadRequestCase } from "../corpus/requests";
import { badConfigs, KV_CASES } from "../corpus/configs";

export interface BadInputParams {
  requestRuns: number;
  configRuns: number;
  seed: number;
}

export interface CaseResult {
  name: string;
  status: number;
  ok: boolean;
  why?: string;
}

export interface BadInputResult {
  params: BadInputParams;
  requestCorpus: { cases: number; passed: number; failures: CaseResult[]; statuses: Record<string, number> };
  oddRequests: { cases: number; passed: number; failures: CaseResult[]; statuses: Record<string, number> };
  configCorpus: { cases: number; passed: number; failures: CaseResult[] };
  kvEdits: { cases: number; passed: number; failures: CaseResult[] };
  requestFuzz: { runs: number; passed: boolean; counterexample?: string; statuses: Record<string, number> };
  configFuzz: { runs: number; passed: boolean; counterexample?: string; rejected: number; accepted: number };
  secretEchoes: { cases: number; passed: number; failures: CaseResult[] };
  afterwards: { healthz: number; normalRequest: number; ok: boolean };
  chatRequests: number;
  ledger: LedgerAudit;
  internalErrorsLogged: number;
  ok: boolean;
}

const CLIENT_TIMEOUT_MS = 15_000;
const CHAT = "/v1/chat/completions";
const NORMAL = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "still there?" }] });

interface Answer {
  status: number;
  body: string;
  requestId: string | null;
}

// A fresh connection per call: after an early answer (413 before the body was read) the server
// may close a kept-alive connection, and a reused one would fail the next case for the client's reasons.
const agent = new Agent({ keepAlive: false });

async function call(origin: string, path: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> }): Promise<Answer> {
  const method = init.method ?? "POST";
  const s = await send(agent, origin, { path, method, headers: { "content-type": "application/json", ...BENCH_CLIENT_HEADERS, ...init.headers }, ...(method === "GET" ? {} : { body: init.body ?? "" }) } as RequestSpec, { timeoutMs: CLIENT_TIMEOUT_MS, keepBody: true });
  if (s.status === 0) throw new Error(`no answer: ${s.error ?? "?"}`);
  return { status: s.status, body: s.body ?? "", requestId: s.requestId };
}

/** `null` when the body is an OpenAI-style error, else what is wrong with it. */
function errorBodyProblem(body: string): string | null {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown; type?: unknown; code?: unknown } }).error;
    if (typeof e?.message !== "string" || e.message === "") return "no error.message";
    if (typeof e.type !== "string") return "no error.type";
    if (typeof e.code !== "string") return "no error.code";
    return null;
  } catch {
    return "body is not JSON";
  }
}

function judgeRejection(a: Answer, expected?: number): string | null {
  if (a.status >= 500) return `server error ${a.status}: ${a.body.slice(0, 200)}`;
  if (expected !== undefined && a.status !== expected) return `status ${a.status}, expected ${expected}: ${a.body.slice(0, 200)}`;
  if (a.status < 400) return `accepted with ${a.status}`;
  return errorBodyProblem(a.body);
}

const count = (m: Record<string, number>, k: string | number) => (m[String(k)] = (m[String(k)] ?? 0) + 1);

export async function runBadInput(gw: MiniflareGateway, valid: ConfigInput, p: BadInputParams, internalErrors: () => number, log: (m: string) => void): Promise<BadInputResult> {
  const origin = gw.origin;
  const validHash = await storeConfig(origin, valid);
  const mark = await ledgerMark(gw.ledger);
  const errorsBefore = internalErrors();
  let chatRequests = 0;
  const responses: Answer[] = [];
  const send = async (c: Pick<BadRequestCase, "body" | "method" | "path" | "headers">) => {
    const path = c.path ?? CHAT;
    const method = c.method ?? "POST";
    if (path === CHAT && method === "POST") chatRequests++;
    const a = await call(origin, path, { method, body: c.body, headers: c.headers ?? {} });
    if (path === CHAT && method === "POST") responses.push(a);
    return a;
  };
  /** The last valid config is what serves: status unchanged and a normal request answered. */
  const stillServing = async (): Promise<string | null> => {
    const s = await configStatus(origin);
    if (s.hash !== validHash) return `active config hash ${s.hash}, expected ${validHash}`;
    const a = await send({ body: NORMAL });
    return a.status === 200 ? null : `a normal request got ${a.status}: ${a.body.slice(0, 200)}`;
  };

  // 1. Request corpus.
  const corpus = { cases: BAD_REQUESTS.length, passed: 0, failures: [] as CaseResult[], statuses: {} as Record<string, number> };
  for (const c of BAD_REQUESTS) {
    const a = await send(c).catch((e: unknown) => ({ status: 0, body: String(e), requestId: null }));
    count(corpus.statuses, a.status);
    const why = a.status === 0 ? `no answer: ${a.body}` : judgeRejection(a, c.status);
    if (why) corpus.failures.push({ name: c.name, status: a.status, ok: false, why });
    else corpus.passed++;
  }
  const odd = { cases: ODD_REQUESTS.length, passed: 0, failures: [] as CaseResult[], statuses: {} as Record<string, number> };
  for (const c of ODD_REQUESTS) {
    const a = await send(c).catch((e: unknown) => ({ status: 0, body: String(e), requestId: null }));
    count(odd.statuses, a.status);
    const why = a.status === 0 ? `no answer: ${a.body}` : a.status >= 500 ? `server error ${a.status}: ${a.body.slice(0, 200)}` : a.status >= 400 ? errorBodyProblem(a.body) : null;
    if (why) odd.failures.push({ name: c.name, status: a.status, ok: false, why });
    else odd.passed++;
  }
  log(`  request corpus: ${corpus.passed}/${corpus.cases} rejected properly; odd-but-valid requests: ${odd.passed}/${odd.cases} answered without a server error`);
  for (const f of [...corpus.failures, ...odd.failures]) log(`    FAIL ${f.name}: ${f.why}`);

  // 2. Config corpus through the admin API, then the same mistakes written straight into KV.
  const configCases = badConfigs(valid);
  const configs = { cases: configCases.length, passed: 0, failures: [] as CaseResult[] };
  for (const c of configCases) {
    const r = await call(origin, "/admin/config", { method: "PUT", body: c.text, headers: adminHeaders }).catch((e: unknown) => ({ status: 0, body: String(e), requestId: null }));
    const why = (r.status === 0 ? `no answer: ${r.body}` : judgeRejection(r, c.status)) ?? (await stillServing());
    if (why) configs.failures.push({ name: c.name, status: r.status, ok: false, why });
    else configs.passed++;
  }
  const kvEdits = { cases: 0, passed: 0, failures: [] as CaseResult[] };
  for (const c of configCases.filter((x) => KV_CASES.includes(x.name))) {
    kvEdits.cases++;
    await gw.kv.put("config", c.text);
    const s = await configStatus(origin);
    const health = await call(origin, "/healthz", { method: "GET" });
    const chat = await send({ body: NORMAL });
    const why: string[] = [];
    if (s.ok || s.source !== "last-valid" || s.hash !== validHash) why.push(`status ok=${s.ok} source=${s.source} hash=${s.hash}`);
    if (s.problem === null) why.push("no problem reported");
    if (health.status !== 200 || !health.body.includes('"degraded"')) why.push(`/healthz ${health.status} ${health.body.slice(0, 120)}`);
    if (chat.status !== 200) why.push(`a normal request got ${chat.status}`);
    if (why.length) kvEdits.failures.push({ name: c.name, status: chat.status, ok: false, why: why.join("; ") });
    else kvEdits.passed++;
    await storeConfig(origin, valid);
  }
  log(`  config corpus: ${configs.passed}/${configs.cases} rejected with the last valid config serving; KV edits: ${kvEdits.passed}/${kvEdits.cases} reported and not served`);
  for (const f of [...configs.failures, ...kvEdits.failures]) log(`    FAIL ${f.name}: ${f.why}`);

  // 3. Fuzzing request bodies.
  const fuzzStatuses: Record<string, number> = {};
  const requestFuzz = await fuzz("requests", p.seed, p.requestRuns, fc.asyncProperty(requestBodies(), async (g) => {
    const a = await send({ body: g.body });
    count(fuzzStatuses, a.status);
    if (g.invalid) {
      const why = judgeRejection(a, 400);
      if (why) throw new Error(why);
    } else if (a.status >= 500 || (a.status >= 400 && errorBodyProblem(a.body))) {
      throw new Error(`status ${a.status}: ${a.body.slice(0, 200)}`);
    }
  }));
  log(`  request fuzzing: ${requestFuzz.runs} bodies, ${requestFuzz.passed ? "every answer well-formed" : `FAILED: ${requestFuzz.counterexample}`} ${JSON.stringify(fuzzStatuses)}`);

  // 4. Fuzzing config documents: arbitrary JSON and mutations of the valid one.
  let rejected = 0;
  let accepted = 0;
  const configFuzz = await fuzz("configs", p.seed + 1, p.configRuns, fc.asyncProperty(configDocs(valid), fc.boolean(), async (doc, validateOnly) => {
    const r = await call(origin, `/admin/config${validateOnly ? "?validate=only" : ""}`, { method: "PUT", body: doc, headers: adminHeaders });
    if (r.status === 200) {
      // A mutation that is still a valid document: put the real one back before anything is served with it.
      accepted++;
      if (!validateOnly) await storeConfig(origin, valid);
      return;
    }
    rejected++;
    const why = judgeRejection(r) ?? (r.status === 400 && !Array.isArray((JSON.parse(r.body) as { issues?: unknown }).issues) ? "400 without issues" : null) ?? (await stillServing());
    if (why) throw new Error(why);
  }));
  log(`  config fuzzing: ${configFuzz.runs} documents (${rejected} rejected, ${accepted} still valid), ${configFuzz.passed ? "last valid config served throughout" : `FAILED: ${configFuzz.counterexample}`}`);

  // 5. Secret echoes: an upstream quoting its key in every error field, upper-cased, in a non-JSON
  // body at the 300-character cut, in a stream error event. No trace of the key may come back.
  const echoes = await secretEchoes(valid, async (doc) => void (await storeConfig(origin, doc)), async (body) => {
    chatRequests++;
    const a = await call(origin, CHAT, { body: JSON.stringify(body) });
    responses.push(a);
    return a;
  });
  log(`  secret echoes: ${echoes.passed}/${echoes.cases} without a trace of the key${echoes.failures.length ? `; FAILED: ${echoes.failures.map((f) => `${f.name}: ${f.why}`).join("; ")}` : ""}`);

  // 6. Still serving, and every chat request recorded.
  await storeConfig(origin, valid);
  const healthz = (await call(origin, "/healthz", { method: "GET" })).status;
  const normal = (await send({ body: NORMAL })).status;
  const ledger = await auditLedger(gw.ledger, mark, chatRequests, []);
  const missing = responses.filter((a) => a.requestId === null).length;
  const internalErrorsLogged = internalErrors() - errorsBefore;
  const result: BadInputResult = {
    params: p,
    requestCorpus: corpus, oddRequests: odd, configCorpus: configs, kvEdits,
    requestFuzz: { ...requestFuzz, statuses: fuzzStatuses },
    configFuzz: { ...configFuzz, rejected, accepted },
    secretEchoes: echoes,
    afterwards: { healthz, normalRequest: normal, ok: healthz === 200 && normal === 200 },
    chatRequests, ledger, internalErrorsLogged,
    ok: false,
  };
  result.ok = corpus.failures.length === 0 && odd.failures.length === 0 && configs.failures.length === 0 && kvEdits.failures.length === 0 && echoes.failures.length === 0 &&
    requestFuzz.passed && configFuzz.passed && result.afterwards.ok && ledger.ok && missing === 0 && internalErrorsLogged === 0;
  log(`  afterwards: /healthz ${healthz}, normal request ${normal}; ledger ${ledger.rowsAfterDrain}/${chatRequests} rows for chat requests; internal errors logged ${internalErrorsLogged}`);
  return result;
}

/** Every 12-character stretch of the key, of its upper case and of its base64: none may appear in an answer. */
function keyTraces(text: string): string[] {
  const forms = [BENCH_UPSTREAM_API_KEY, BENCH_UPSTREAM_API_KEY.toUpperCase(), Buffer.from(BENCH_UPSTREAM_API_KEY).toString("base64").slice(0, -4)];
  const found: string[] = [];
  for (const f of forms) for (let i = 0; i + 12 <= f.length; i++) if (text.includes(f.slice(i, i + 12))) found.push(f.slice(i, i + 12));
  return found;
}

async function secretEchoes(valid: ConfigInput, store: (doc: ConfigInput) => Promise<void>, chat: (body: unknown) => Promise<Answer>): Promise<{ cases: number; passed: number; failures: CaseResult[] }> {
  const up = valid.providers.up as { baseUrl?: string };
  const price = { input: 1, output: 2 };
  const cases: Array<[string, string, boolean]> = [
    ["every error field", "leak:fields", false], ["upper case and base64", "leak:upper", false],
    ["non-JSON body at the cut", "leak:text:at=295", false], ["stream error event", "leak:stream:n=2", true], ["quoted key", "leak", false],
  ];
  const models = Object.fromEntries(cases.map(([, id], i) => [`leak${i}`, { provider: "leaky", id, price }]));
  await store({ ...valid, providers: { ...valid.providers, leaky: { type: "openai", baseUrl: up.baseUrl ?? "", keySecret: "BENCH_UPSTREAM_API_KEY" } }, models: { ...valid.models, ...models } });
  const out = { cases: cases.length, passed: 0, failures: [] as CaseResult[] };
  for (const [i, [name, , stream]] of cases.entries()) {
    const a = await chat({ model: `leak${i}`, messages: [{ role: "user", content: "hi" }], stream });
    const traces = keyTraces(a.body);
    const why = traces.length > 0 ? `the key came back: ${traces[0]}` : a.status > 502 || (a.status >= 500 && a.status !== 502) ? `status ${a.status}` : null;
    if (why) out.failures.push({ name, status: a.status, ok: false, why });
    else out.passed++;
  }
  return out;
}

async function fuzz<T extends unknown[]>(name: string, seed: number, runs: number, prop: fc.IAsyncProperty<T>): Promise<{ runs: number; passed: boolean; counterexample?: string }> {
  const details = await fc.check(prop, { numRuns: runs, seed, endOnFailure: true });
  if (!details.failed) return { runs, passed: true };
  const example = JSON.stringify(details.counterexample)?.slice(0, 500);
  return { runs, passed: false, counterexample: `${name}: seed ${details.seed}, path ${details.counterexamplePath}: ${example} → ${String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance)}` };
}

// ---- generators ------------------------------------------------------------------------------

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];
const smallDict = fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 });
const smallArray = fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 });
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const notNumber = fc.oneof(fc.string(), fc.boolean(), smallArray, smallDict);
const notBoolean = fc.oneof(fc.string(), fc.integer(), smallArray, smallDict);
const fractional = finite(0.001, 1e6).filter((x) => !Number.isInteger(x));

/** A valid request with one field given a value of the wrong type or out of range: always a 400. */
const wrongTyped: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant("model"), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), smallArray, smallDict, fc.constant(""))),
  fc.tuple(fc.constant("messages"), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant([]), smallDict)),
  fc.tuple(fc.constant("temperature"), fc.oneof(notNumber, finite(2.0001, 1e300), finite(-1e300, -0.0001))),
  fc.tuple(fc.constant("top_p"), fc.oneof(notNumber, finite(1.0001, 1e300), finite(-1e300, -0.0001))),
  fc.tuple(fc.constant("max_tokens"), fc.oneof(notNumber, fc.integer({ max: 0 }), fractional)),
  fc.tuple(fc.constant("n"), fc.oneof(notNumber, fc.integer({ max: 0 }), fc.integer({ min: 129 }), fractional)),
  fc.tuple(fc.constant("stream"), notBoolean),
  fc.tuple(fc.constant("tools"), fc.oneof(fc.string(), fc.integer(), fc.boolean(), smallDict)),
  fc.tuple(fc.constant("stop"), fc.oneof(fc.integer(), fc.boolean(), smallDict, fc.array(fc.string(), { minLength: 5, maxLength: 8 }))),
  fc.tuple(fc.constant("seed"), fc.oneof(fc.string(), fc.boolean(), smallDict, fractional)),
  fc.tuple(fc.constant("logprobs"), fc.oneof(fc.string(), fc.integer(), smallArray, smallDict)),
  fc.tuple(fc.constant("messages.0.role"), fc.oneof(fc.string().filter((r) => !ROLES.includes(r)), fc.integer(), fc.constant(null))),
  fc.tuple(fc.constant("messages.0.content"), fc.oneof(fc.integer(), fc.boolean(), smallDict, fc.constant(null))),
);

function requestBodies(): fc.Arbitrary<{ body: string | Uint8Array; invalid: boolean }> {
  const base = () => ({ model: "auto", messages: [{ role: "user", content: "fuzz" }] as Array<Record<string, unknown>> });
  return fc.oneof(
    // Anything JSON: almost always invalid; must never be a 5xx.
    fc.jsonValue().map((v) => ({ body: JSON.stringify(v) ?? "", invalid: false })),
    // Near-valid objects with extra or odd fields: valid or a clean 4xx.
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }).map((extra) => ({ body: JSON.stringify({ ...extra, ...base() }), invalid: false })),
    fc.string({ maxLength: 300 }).map((s) => ({ body: s, invalid: !isJson(s) })),
    fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: b, invalid: !isJson(new TextDecoder().decode(b)) })),
    wrongTyped.map(([field, value]) => {
      const doc = base();
      if (field === "messages.0.role") doc.messages[0] = { role: value, content: "fuzz" };
      else if (field === "messages.0.content") doc.messages[0] = { role: "user", content: value };
      else (doc as Record<string, unknown>)[field] = value;
      return { body: JSON.stringify(doc), invalid: true };
    }),
  );
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (object keys and array indices) in a document. */
function paths(doc: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (doc === null || typeof doc !== "object") return [prefix];
  const entries: Array<[string | number, Json]> = Array.isArray(doc) ? doc.map((v, i) => [i, v]) : Object.entries(doc);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

type Mutation = { at: number; op: "delete" | "replace" | "add"; value: Json; key: string };

function mutate(doc: Json, muts: Mutation[]): Json {
  const out = JSON.parse(JSON.stringify(doc)) as Json;
  for (const m of muts) {
    const all = paths(out).filter((p) => p.length > 0);
    const path = all[m.at % Math.max(1, all.length)];
    if (!path) continue;
    let parent = out as Record<string | number, Json>;
    for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, Json>;
    const last = path[path.length - 1] as string | number;
    if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.op === "replace") parent[last] = m.value;
    else {
      const target = parent[last];
      if (target && typeof target === "object" && !Array.isArray(target)) (target as Record<string, Json>)[m.key] = m.value;
      else parent[last] = m.value;
    }
  }
  return out;
}

function configDocs(valid: ConfigInput): fc.Arbitrary<string> {
  const doc = JSON.parse(JSON.stringify(valid)) as Json;
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Mutation["op"]>("delete", "replace", "add"),
    value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    key: fc.string({ maxLength: 10 }),
  });
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
    fc.array(mutation, { minLength: 1, maxLength: 3 }).map((m) => JSON.stringify(mutate(doc, m))),
  );
}
