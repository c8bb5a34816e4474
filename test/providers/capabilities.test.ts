/** Logprobs are passed through where the provider offers them; where it does not, the model's capabilities say so. */
import { describe, expect, it } from "vitest";
import { baseConfig, chat, fake, fakeAnthropic, fakeGemini, gw, putConfig, uniq, upstreamRequests } from "../support/gateway";

describe("logprobs capabilities", () => {
  it("GET /v1/models says which models return logprobs", async () => {
    await putConfig(baseConfig({
      claude: fakeAnthropic("echo"),
      "gem-2": fakeGemini("echo"),
      "gem-25": fakeGemini("echo", undefined, { capabilities: { logprobs: false } }),
      gpt: fake("echo"),
      "claude-claims": fakeAnthropic("echo", undefined, { capabilities: { logprobs: true, jsonSchema: true } }),
    }));
    const body = (await (await gw("/v1/models")).json()) as { data: Array<{ id: string; capabilities?: Record<string, boolean> }> };
    const caps = Object.fromEntries(body.data.filter((m) => m.capabilities).map((m) => [m.id, m.capabilities]));
    expect(caps).toMatchObject({
      claude: { logprobs: false },
      "gem-2": { logprobs: true },
      "gem-25": { logprobs: false },
      gpt: { logprobs: true },
      // An entry cannot give logprobs to a provider that has none.
      "claude-claims": { logprobs: false, jsonSchema: true },
    });
  });

  it("passes OpenAI-wire logprobs through, and does not ask models that have none", async () => {
    const gpt = `echo:${uniq()}`;
    const claude = `echo:${uniq()}`;
    const gem = `echo:${uniq()}`;
    await putConfig(baseConfig({ gpt: fake(gpt), claude: fakeAnthropic(claude), gem: fakeGemini(gem, undefined, { capabilities: { logprobs: false } }) }));
    const req = (model: string) => chat({ model, messages: [{ role: "user", content: "yes" }], logprobs: true, top_logprobs: 2 });
    const viaGpt = (await (await req("gpt")).json()) as { choices: Array<{ logprobs: { content: Array<{ token: string }> } | null }> };
    expect(viaGpt.choices[0]?.logprobs?.content.map((t) => t.token)).toEqual(["echo:", " yes"]);
    expect((await upstreamRequests(gpt)).at(-1)?.body).toMatchObject({ logprobs: true, top_logprobs: 2 });

    const viaClaude = (await (await req("claude")).json()) as { choices: Array<{ logprobs: unknown }> };
    expect(viaClaude.choices[0]?.logprobs).toBeNull();
    expect((await upstreamRequests(claude)).at(-1)?.body).not.toHaveProperty("logprobs");

    expect((await req("gem")).status).toBe(200);
    expect((await upstreamRequests(gem)).at(-1)?.body).not.toHaveProperty("generationConfig");
  });
});
