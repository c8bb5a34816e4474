/**
 * The Vercel AI SDK (`ai` 6.0.325 + `@ai-sdk/openai` 3.0.141, the newest that run on Node 20),
 * whose default `openai("…")` provider calls POST /v1/responses: generateText, streamText,
 * generateObject and a multi-step tool loop (tool_choice auto) against the simulator; text from
 * the fake upstream and the recordings of each wire. Also the openai SDK's runTools agent loop on
 * chat completions. Everything unchanged but the base URL, the key and the fetch that reaches the worker.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, lastUpstreamRequest, putConfig, TEST_CLIENT_KEY, uniq, wireAvailable } from "../support/gateway";

const provider = createOpenAI({ baseURL: `${GATEWAY}/v1`, apiKey: TEST_CLIENT_KEY, fetch: gatewayFetch });
const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });

let run: string;
beforeEach(async () => {
  run = uniq();
  await putConfig(baseConfig({ up: fake(`echo:${run}`) }));
});

describe("the AI SDK's default openai() provider through /v1/responses", () => {
  it("generateText and streamText give the same simulated answer; the request went to /v1/responses", async () => {
    const g = await generateText({ model: provider("sim-small"), system: "Be brief.", prompt: "Explain tides in one paragraph.", maxRetries: 0 });
    expect(g.text.length).toBeGreaterThan(0);
    expect(g.finishReason).toBe("stop");
    expect(g.usage.inputTokens).toBeGreaterThan(0);
    expect(g.response.headers?.["x-tiergate-model"]).toBe("sim-small");
    // A Responses API id: the default provider called /v1/responses, not chat completions.
    expect(g.response.id).toMatch(/^resp_/);
    const s = streamText({ model: provider("sim-small"), system: "Be brief.", prompt: "Explain tides in one paragraph.", maxRetries: 0 });
    let streamed = "";
    for await (const t of s.textStream) streamed += t;
    expect(streamed).toBe(g.text);
    expect((await s.usage).outputTokens).toBe(g.usage.outputTokens);
  });

  it("generateText from an upstream: the echo of the prompt", async () => {
    const g = await generateText({ model: provider("up"), prompt: "hello ai sdk", maxRetries: 0 });
    expect(g.text).toBe("echo: hello ai sdk");
    expect((await lastUpstreamRequest(`echo:${run}`)).path).toMatch(/\/chat\/completions$/);
  });

  it("generateObject: an object valid against the zod schema, integers within their bounds", async () => {
    const schema = z.object({ name: z.string(), age: z.number().int(), tags: z.array(z.string()).max(3), score: z.number().min(0).max(1) });
    const { object } = await generateObject({ model: provider("sim-small"), schema, prompt: "Make up a person.", maxRetries: 0 });
    expect(schema.safeParse(object).success).toBe(true);
    expect(Math.abs(object.age)).toBeLessThan(1_000);
  });

  it("a multi-step tool loop completes: the simulator calls the tool (tool_choice auto), then answers from its result", async () => {
    const calls: string[] = [];
    const result = await generateText({
      model: provider("sim-small"),
      tools: {
        get_weather: tool({
          description: "The current weather in a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            calls.push(city);
            return `sunny and 24C in ${city}`;
          },
        }),
      },
      stopWhen: stepCountIs(5),
      prompt: "What is the weather in Paris right now?",
      maxRetries: 0,
    });
    expect(calls).toHaveLength(1);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]?.toolName).toBe("get_weather");
    expect(result.finishReason).toBe("stop");
    expect(result.text).toContain("sunny and 24C");
  });

  it("streamText with tools streams the call and the final answer", async () => {
    const s = streamText({
      model: provider("sim-small"),
      tools: { get_weather: tool({ description: "Weather in a city", inputSchema: z.object({ city: z.string() }), execute: async () => "rainy" }) },
      stopWhen: stepCountIs(3),
      prompt: "weather in Bergen?",
      maxRetries: 0,
    });
    const parts: string[] = [];
    for await (const p of s.fullStream) parts.push(p.type);
    expect(parts).toContain("tool-call");
    expect(parts).toContain("tool-result");
    expect(await s.text).toContain("rainy");
  });
});

describe("the openai SDK's runTools agent loop (chat completions) against the simulator", () => {
  it("calls the tool with tool_choice auto, then finishes with an answer", async () => {
    const seen: unknown[] = [];
    const runner = openai.chat.completions.runTools({
      model: "sim-small",
      messages: [{ role: "user", content: "Look up the weather in Lisbon, please." }],
      tools: [{
        type: "function",
        function: {
          name: "lookup_weather",
          description: "Weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          parse: JSON.parse,
          function: (args: unknown) => {
            seen.push(args);
            return "foggy, 15C";
          },
        },
      }],
    });
    const content = await runner.finalContent();
    expect(seen).toHaveLength(1);
    expect(content).toContain("foggy, 15C");
  });
});

describe.skipIf(!wireAvailable())("the AI SDK on models answered from the recordings", () => {
  it.each([
    ["openai", fake, "wire:openai/openai-text"],
    ["anthropic", fakeAnthropic, "wire:anthropic/anthropic-text"],
    ["gemini", fakeGemini, "wire:google/google-text"],
  ] as const)("%s: generateText equals the chat endpoint's answer", async (_wire, make, scenario) => {
    await putConfig(baseConfig({ rec: make(scenario) }));
    const viaChat = (await (await chat({ model: "rec", messages: [{ role: "user", content: "hi" }] })).json()) as { choices: Array<{ message: { content: string } }> };
    const g = await generateText({ model: provider("rec"), prompt: "hi", maxRetries: 0 });
    expect(g.text).toBe(viaChat.choices[0]?.message.content);
  });
});
