import { describe, expect, it } from "vitest";
import { ChatRequestSchema } from "../core/chat-request";
import { cacheScope, canonicalJson, exactCacheKey, uncacheableReason } from "./key";
import { completionFromChunks } from "./entry";
import { completionChunks } from "../execution/replay-stream";

const req = (extra: Record<string, unknown> = {}) => ChatRequestSchema.parse({ model: "auto", temperature: 0, messages: [{ role: "user", content: "hi" }], ...extra });
const spec = { ttlSeconds: 60, scope: "team" as const, temperatureAbove0: false, maxEntryBytes: 1000 };

describe("exact cache key", () => {
  it("sorts object keys, so field order does not matter", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it("ignores user, metadata and streaming, and keeps everything that changes the answer", async () => {
    const k = (r: ReturnType<typeof req>, route = "r", version = "v1", scope = "team:a") => exactCacheKey(r, route, version, scope);
    const base = await k(req());
    expect(await k(req({ user: "u", metadata: { a: "b" }, stream: true, stream_options: { include_usage: true } }))).toBe(base);
    for (const changed of [{ temperature: 0.1 }, { max_tokens: 5 }, { seed: 1 }, { tools: [{ type: "function", function: { name: "f" } }] }, { response_format: { type: "json_object" } }, { some_passthrough: 1 }]) {
      expect(await k(req(changed))).not.toBe(base);
    }
    expect(await k(req(), "other")).not.toBe(base);
    expect(await k(req(), "r", "v2")).not.toBe(base);
    expect(await k(req(), "r", "v1", "team:b")).not.toBe(base);
  });

  it("scopes by team, by key, and not at all for an anonymous caller", () => {
    expect(cacheScope(spec, { team: "t", keyName: "k" })).toBe("team:t");
    expect(cacheScope({ ...spec, scope: "key" }, { team: "t", keyName: "k" })).toBe("key:k");
    expect(cacheScope(spec, { keyName: "k" })).toBe("key:k");
    expect(cacheScope(spec, {})).toBeNull();
  });

  it("treats an unset temperature as above 0", () => {
    expect(uncacheableReason(spec, req())).toBeNull();
    expect(uncacheableReason(spec, req({ temperature: undefined }))).not.toBeNull();
    expect(uncacheableReason({ ...spec, temperatureAbove0: true }, req({ temperature: 1 }))).toBeNull();
  });

  it("rebuilds a streamed completion from its chunks", () => {
    const completion = {
      id: "c1", object: "chat.completion" as const, created: 1, model: "m",
      choices: [{ index: 0, message: { role: "assistant" as const, content: "hello", tool_calls: [{ id: "t1", type: "function" as const, function: { name: "f", arguments: "{}" } }] }, finish_reason: "tool_calls" as const, logprobs: null }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    expect(completionFromChunks(completionChunks(completion))).toEqual(completion);
  });
});
