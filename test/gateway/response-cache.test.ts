/**
 * The exact response cache (a route's `cache`): identical requests within a scope are answered
 * from KV without an upstream call, streamed or not; another team, another config version or an
 * expired entry misses; `cache-control: no-cache` looks past the cache and refreshes the entry,
 * `no-store` neither reads nor writes; the ledger prices a hit at zero and credits the saving.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, assembleStream, baseConfig, chat, fake, gw, ledger, messages, putConfig, upstreamRequests, uniq, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";
import type { ConfigInput } from "../../src/config/schema";

type CacheInput = NonNullable<ConfigInput["routes"][number]["cache"]>;

/** A config whose one route caches, on a model id of its own (so upstream calls can be counted). */
function cachingConfig(cache: Partial<CacheInput> = {}, price = { input: 1, output: 2 }) {
  const id = `echo:${uniq()}`;
  return { id, config: baseConfig({ cached: fake(id, price) }, [{ name: "cached", match: {}, model: "cached", cache: { ttlSeconds: 3600, scope: "team", ...cache } }]) };
}

const ask = (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, key?: string) =>
  chat({ model: "auto", temperature: 0, messages: userMessage(content), ...extra }, headers, key ? { key } : {});

const calls = async (id: string) => (await upstreamRequests(id)).length;

/** Entries are written after the response (waitUntil): wait until the namespace holds `n` more than `before`. */
async function stored(before: number, n = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    if ((await testEnv().RESPONSE_CACHE.list()).keys.length >= before + n) return;
    if (Date.now() > deadline) throw new Error("the cache entry was not written");
    await new Promise((r) => setTimeout(r, 20));
  }
}
const entryCount = async () => (await testEnv().RESPONSE_CACHE.list()).keys.length;

async function createKey(settings: Record<string, unknown>): Promise<string> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

describe("exact response cache", () => {
  it("answers an identical request from the cache: same content, no upstream call, age, and a ledger row at zero cost with the saving", async () => {
    const { id, config } = cachingConfig();
    await putConfig(config);
    const before = await entryCount();
    const first = await ask("what is the capital of France");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-tiergate-cache")).toBe("miss");
    const firstBody = (await first.json()) as { choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number; completion_tokens: number } };
    await stored(before);

    // `user` and metadata do not change the answer, so they do not change the key.
    const second = await ask("what is the capital of France", { user: "someone-else", metadata: { trace: "x" } });
    expect(second.status).toBe(200);
    expect(second.headers.get("x-tiergate-cache")).toBe("hit");
    expect(Number(second.headers.get("age"))).toBeGreaterThanOrEqual(0);
    const firstId = first.headers.get("x-tiergate-request-id");
    expect(second.headers.get("x-tiergate-cache-source")).toBe(firstId);
    expect(second.headers.get("x-tiergate-model")).toBe("cached");
    expect(second.headers.get("x-tiergate-cost-usd")).toBe((0).toFixed(8));
    const secondBody = (await second.json()) as typeof firstBody;
    expect(secondBody).toEqual(firstBody);
    expect(await calls(id)).toBe(1);

    const miss = (await ledger(firstId)).request;
    const hit = (await ledger(second.headers.get("x-tiergate-request-id"))).request;
    expect(miss.cache_status).toBe("miss");
    expect(miss.cost_usd).toBeGreaterThan(0);
    expect(hit).toMatchObject({ cache_status: "hit", cache_kind: "exact", cache_source: firstId, cost_usd: 0, attempts: 0, status: "ok", served_model: "cached" });
    expect(hit.input_tokens).toBe(firstBody.usage.prompt_tokens);
    expect(hit.output_tokens).toBe(firstBody.usage.completion_tokens);
    // Zero upstream cost, the baseline's price for the same tokens as the saving, and the original answer's cost not spent again.
    expect(hit.baseline_cost_usd).toBeCloseTo(miss.baseline_cost_usd as number, 12);
    expect(hit.baseline_cost_usd).toBeGreaterThan(0);
    expect(hit.cache_saved_usd).toBeCloseTo(miss.cost_usd as number, 12);
  });

  it("replays a hit as a proper SSE stream for a streaming client, with the same content as the streamed miss", async () => {
    const { id, config } = cachingConfig();
    await putConfig(config);
    const before = await entryCount();
    const first = await ask("stream me a short answer", { stream: true, stream_options: { include_usage: true } });
    expect(first.headers.get("x-tiergate-cache")).toBe("miss");
    const a = await assembleStream(first);
    expect(a.done).toBe(true);
    await stored(before);

    const second = await ask("stream me a short answer", { stream: true, stream_options: { include_usage: true } });
    expect(second.headers.get("x-tiergate-cache")).toBe("hit");
    expect(second.headers.get("content-type")).toContain("text/event-stream");
    const b = await assembleStream(second);
    expect(b).toMatchObject({ text: a.text, finishReason: a.finishReason, done: true, error: null, roles: 1 });
    expect(b.usage).toEqual(a.usage);
    expect(a.text.length).toBeGreaterThan(0);

    // The same request without streaming reads the same entry (streaming does not change the answer).
    const plain = await ask("stream me a short answer");
    expect(plain.headers.get("x-tiergate-cache")).toBe("hit");
    expect(((await plain.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe(a.text);
    expect(await calls(id)).toBe(1);
  });

  it("serves a hit on /v1/messages in the Anthropic format", async () => {
    const { id, config } = cachingConfig();
    await putConfig(config);
    const before = await entryCount();
    const body = { model: "auto", max_tokens: 50, temperature: 0, messages: [{ role: "user", content: "hello from claude code" }] };
    const first = await messages(body);
    expect(first.headers.get("x-tiergate-cache")).toBe("miss");
    const firstBody = (await first.json()) as { content: Array<{ text: string }> };
    await stored(before);
    const second = await messages(body);
    expect(second.headers.get("x-tiergate-cache")).toBe("hit");
    expect(((await second.json()) as typeof firstBody).content).toEqual(firstBody.content);
    expect(await calls(id)).toBe(1);
  });

  it("never serves one team's entry to another team; scope key keeps even a team's keys apart", async () => {
    const { id, config } = cachingConfig();
    await putConfig(config);
    const t = `team-${uniq().slice(4)}`;
    const a = await createKey({ name: `a-${t}`, team: t });
    const a2 = await createKey({ name: `a2-${t}`, team: t });
    const other = await createKey({ name: `o-${t}`, team: `${t}-other` });
    let before = await entryCount();
    expect((await ask("tenant question", {}, {}, a)).headers.get("x-tiergate-cache")).toBe("miss");
    await stored(before);
    expect((await ask("tenant question", {}, {}, a2)).headers.get("x-tiergate-cache")).toBe("hit");
    before = await entryCount();
    const elsewhere = await ask("tenant question", {}, {}, other);
    expect(elsewhere.headers.get("x-tiergate-cache")).toBe("miss");
    await elsewhere.text();
    expect(await calls(id)).toBe(2);

    const byKey = cachingConfig({ scope: "key" });
    await putConfig(byKey.config);
    before = await entryCount();
    expect((await ask("key question", {}, {}, a)).headers.get("x-tiergate-cache")).toBe("miss");
    await stored(before);
    expect((await ask("key question", {}, {}, a2)).headers.get("x-tiergate-cache")).toBe("miss");
    expect((await ask("key question", {}, {}, a)).headers.get("x-tiergate-cache")).toBe("hit");
    expect(await calls(byKey.id)).toBe(2);
  });

  it("misses after the config version changes and after the entry's TTL", async () => {
    const { id, config } = cachingConfig({ ttlSeconds: 1 });
    await putConfig(config);
    let before = await entryCount();
    expect((await ask("versioned")).headers.get("x-tiergate-cache")).toBe("miss");
    await stored(before);
    expect((await ask("versioned")).headers.get("x-tiergate-cache")).toBe("hit");
    // Any edit is a new config version (its hash): a changed price may mean a changed model.
    await putConfig({ ...config, models: { ...config.models, cached: fake(id, { input: 1.5, output: 2 }) } });
    before = await entryCount();
    expect((await ask("versioned")).headers.get("x-tiergate-cache")).toBe("miss");
    await stored(before);
    expect((await ask("versioned")).headers.get("x-tiergate-cache")).toBe("hit");
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await ask("versioned")).headers.get("x-tiergate-cache")).toBe("miss");
    expect(await calls(id)).toBe(3);
  });

  it("cache-control: no-cache looks past the cache and refreshes the entry; no-store neither reads nor writes", async () => {
    const { id, config } = cachingConfig();
    await putConfig(config);
    let before = await entryCount();
    const first = await ask("fresh please");
    await first.text();
    await stored(before);
    const fresh = await ask("fresh please", {}, { "cache-control": "no-cache" });
    expect(fresh.headers.get("x-tiergate-cache")).toBe("refresh");
    await fresh.text();
    expect(await calls(id)).toBe(2);
    // The refreshed entry is the fresh answer's: the next hit names it as its source.
    const freshId = fresh.headers.get("x-tiergate-request-id");
    const deadline = Date.now() + 5_000;
    let source: string | null = null;
    while (source !== freshId && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      const probe = await ask("fresh please");
      expect(probe.headers.get("x-tiergate-cache")).toBe("hit");
      source = probe.headers.get("x-tiergate-cache-source");
    }
    expect(source).toBe(freshId);

    before = await entryCount();
    const bypass = await ask("never stored", {}, { "cache-control": "no-store" });
    expect(bypass.headers.get("x-tiergate-cache")).toBe("bypass");
    await bypass.text();
    await new Promise((r) => setTimeout(r, 100));
    expect(await entryCount()).toBe(before);
    expect((await ledger(bypass.headers.get("x-tiergate-request-id"))).request.cache_status).toBe("bypass");
    expect(await calls(id)).toBe(3);
  });

  it("caches temperature > 0 (or unset) only when the route says so, and never stores an entry over maxEntryBytes", async () => {
    const warm = cachingConfig();
    await putConfig(warm.config);
    const res = await ask("warm answer", { temperature: 0.7 });
    expect(res.headers.get("x-tiergate-cache")).toBe("skip");
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request.cache_status).toBe("skip");
    expect((await chat({ model: "auto", messages: userMessage("warm answer") })).headers.get("x-tiergate-cache")).toBe("skip");

    const allowed = cachingConfig({ temperatureAbove0: true });
    await putConfig(allowed.config);
    const before = await entryCount();
    await (await ask("warm answer", { temperature: 0.7 })).text();
    await stored(before);
    expect((await ask("warm answer", { temperature: 0.7 })).headers.get("x-tiergate-cache")).toBe("hit");
    // A different sampling parameter is a different request.
    expect((await ask("warm answer", { temperature: 0.9 })).headers.get("x-tiergate-cache")).toBe("miss");

    const tiny = cachingConfig({ maxEntryBytes: 64 });
    await putConfig(tiny.config);
    await (await ask("too big to keep")).text();
    await new Promise((r) => setTimeout(r, 100));
    expect((await ask("too big to keep")).headers.get("x-tiergate-cache")).toBe("miss");
    expect(await calls(tiny.id)).toBe(2);
  });

  it("rejects a cache setting that is not valid with its path", async () => {
    const { config } = cachingConfig();
    const bad = { ...config, routes: [{ name: "cached", match: {}, model: "cached", cache: { ttlSeconds: 0, scope: "everyone" } }] };
    const res = await gw("/admin/config", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/routes\[0\]\.cache\.(ttlSeconds|scope)/);
  });
});
