/** The official `openai` npm client, pointed at the gateway, works unchanged. */
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { baseConfig, GATEWAY, gatewayFetch, putConfig, TEST_CLIENT_KEY } from "../support/gateway";

const client = new OpenAI({
  apiKey: TEST_CLIENT_KEY,
  baseURL: `${GATEWAY}/v1`,
  fetch: gatewayFetch,
  maxRetries: 0,
});

beforeAll(async () => putConfig(baseConfig({}, [{ name: "default", match: {}, model: "echo" }])));

describe("openai SDK as a client", () => {
  it("non-stream", async () => {
    const completion = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "sdk says hi" }] });
    expect(completion.choices[0]?.message.content).toBe("echo: sdk says hi");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("stream, with usage", async () => {
    const stream = await client.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "stream it" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("echo: stream it");
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBe(3);
  });

  it("raises the SDK's typed error for an OpenAI-style 404", async () => {
    await expect(client.chat.completions.create({ model: "no-such", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("lists models", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain("auto");
  });
});
