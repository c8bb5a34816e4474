/** The Gemini adapter against a fake Gemini API: what it sends, and how its answers, blocks and errors come back. */
import { describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fakeGemini, lastUpstreamRequest, putConfig, uniq } from "../support/gateway";

const KEY = "sk-test-upstream-secret-0123456789";

async function withModel(scenario = `echo:${uniq()}`, entry: Parameters<typeof fakeGemini>[2] = {}) {
  await putConfig(baseConfig({ gem: fakeGemini(scenario, { input: 1, output: 2 }, entry) }));
  return scenario;
}

interface Completion {
  choices: Array<{ message: { content: string | null; refusal?: string; tool_calls?: unknown[] }; finish_reason: string; logprobs: { content: Array<{ token: string; logprob: number; top_logprobs: Array<{ token: string; logprob: number }> }> } | null }>;
  usage: { prompt_tokens: number; completion_tokens: number };
}

describe("Gemini requests carry what the API requires", () => {
  it("posts contents to models/{id}:generateContent with the key in x-goog-api-key, never in the URL", async () => {
    const id = await withModel();
    const res = await chat({ model: "gem", messages: [{ role: "user", content: "ping" }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Completion).choices[0]?.message.content).toBe("echo: ping");
    const sent = await lastUpstreamRequest(id);
    expect(sent.path).toBe(`/v1beta/models/${encodeURIComponent(id)}:generateContent`);
    expect(sent.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent.path).not.toContain(KEY);
    expect(sent.body).toEqual({ contents: [{ role: "user", parts: [{ text: "ping" }] }] });
  });

  it("streams from streamGenerateContent?alt=sse", async () => {
    const id = await withModel();
    const a = await assembleStream(await chat({ model: "gem", messages: [{ role: "user", content: "one two" }], stream: true, stream_options: { include_usage: true } }));
    expect(a).toMatchObject({ text: "echo: one two", finishReason: "stop", done: true, roles: 1 });
    expect(a.usage).toMatchObject({ completion_tokens: 3 });
    const sent = await lastUpstreamRequest(id);
    expect(sent.path).toBe(`/v1beta/models/${encodeURIComponent(id)}:streamGenerateContent?alt=sse`);
    expect(sent.headers.accept).toBe("text/event-stream");
  });

  it("translates system, tools, tool results and generation settings", async () => {
    const id = await withModel();
    const schema = { type: "object", properties: { city: { type: ["string", "null"] }, unit: { const: "C" } }, required: ["city"], additionalProperties: false, $schema: "http://json-schema.org/draft-07/schema#" };
    const res = await chat({
      model: "gem",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Weather?" }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } }] },
        { role: "assistant", content: "Checking.", tool_calls: [{ id: "call_a", type: "function", function: { name: "weather", arguments: "{\"city\":\"Paris\"}" } }] },
        { role: "tool", tool_call_id: "call_a", content: "{\"temp\":18}" },
      ],
      tools: [
        { type: "function", function: { name: "weather", description: "Weather for a city", parameters: schema } },
        { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } },
      ],
      tool_choice: "required", temperature: 0.3, top_p: 0.8, max_tokens: 99, stop: ["END"], n: 2, seed: 7, presence_penalty: 0.5, frequency_penalty: 0.25,
      response_format: { type: "json_schema", json_schema: { name: "w", schema } },
    });
    expect(res.status).toBe(200);
    const geminiSchema = { type: "object", properties: { city: { type: "string", nullable: true }, unit: { enum: ["C"] } }, required: ["city"] };
    expect((await lastUpstreamRequest(id)).body).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [
        { role: "user", parts: [{ text: "Weather?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } }] },
        { role: "model", parts: [{ text: "Checking." }, { functionCall: { name: "weather", args: { city: "Paris" } }, thoughtSignature: "skip_thought_signature_validator" }] },
        { role: "user", parts: [{ functionResponse: { name: "weather", response: { output: { temp: 18 } } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: "weather", description: "Weather for a city", parameters: geminiSchema }, { name: "now" }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY" } },
      generationConfig: {
        temperature: 0.3, topP: 0.8, maxOutputTokens: 99, stopSequences: ["END"], candidateCount: 2, seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.25,
        responseMimeType: "application/json", responseSchema: geminiSchema,
      },
    });
  });

  it("rejects a tool result that answers no earlier call", async () => {
    await withModel();
    const res = await chat({ model: "gem", messages: [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "nope", content: "1" }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("nope");
  });
});

describe("Gemini answers", () => {
  it("asks for logprobs and passes them through in OpenAI's shape", async () => {
    const id = await withModel("fixture:gemini-logprobs");
    const body = (await (await chat({ model: "gem", messages: [{ role: "user", content: "Yes or no?" }], logprobs: true, top_logprobs: 2 })).json()) as Completion;
    expect((await lastUpstreamRequest(id)).body.generationConfig).toEqual({ responseLogprobs: true, logprobs: 2 });
    expect(body.choices[0]?.logprobs?.content).toEqual([
      { token: "Yes", logprob: -0.01, bytes: null, top_logprobs: [{ token: "Yes", logprob: -0.01, bytes: null }, { token: "No", logprob: -4.6, bytes: null }] },
      { token: ".", logprob: -0.21, bytes: null, top_logprobs: [{ token: ".", logprob: -0.21, bytes: null }, { token: "!", logprob: -1.7, bytes: null }] },
    ]);
  });

  it("maps a safety block of the answer to content_filter with a visible refusal, stream and non-stream", async () => {
    await withModel("fixture:gemini-safety");
    const body = (await (await chat({ model: "gem", messages: [{ role: "user", content: "x" }] })).json()) as Completion;
    expect(body.choices[0]).toMatchObject({ finish_reason: "content_filter", message: { content: "Here is how", refusal: expect.stringContaining("SAFETY") } });
    const a = await assembleStream(await chat({ model: "gem", messages: [{ role: "user", content: "x" }], stream: true }));
    expect(a).toMatchObject({ text: "Here is how", finishReason: "content_filter", done: true });
    expect(a.refusal).toContain("SAFETY");
  });

  it("maps a blocked prompt (no candidates) to content_filter with a refusal, stream and non-stream", async () => {
    await withModel("fixture:gemini-prompt-blocked");
    const body = (await (await chat({ model: "gem", messages: [{ role: "user", content: "x" }] })).json()) as Completion;
    expect(body.choices[0]).toMatchObject({ finish_reason: "content_filter", message: { content: null, refusal: "The prompt was blocked by the provider (SAFETY)." } });
    expect(body.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 0 });
    const a = await assembleStream(await chat({ model: "gem", messages: [{ role: "user", content: "x" }], stream: true }));
    expect(a).toMatchObject({ text: "", finishReason: "content_filter", refusal: "The prompt was blocked by the provider (SAFETY).", done: true });
  });

  it("reports a malformed function call as finish_reason error", async () => {
    await withModel("fixture:gemini-malformed-call");
    const body = (await (await chat({ model: "gem", messages: [{ role: "user", content: "x" }] })).json()) as Completion;
    expect(body.choices[0]?.finish_reason).toBe("error");
  });

  it("reports a stream that ends without a finish reason as cut, not complete", async () => {
    await withModel(`truncate:2:${uniq()}`);
    const a = await assembleStream(await chat({ model: "gem", messages: [{ role: "user", content: "one two three" }], stream: true }));
    expect(a.text).toBe("echo: one");
    expect(a).toMatchObject({ done: false, error: { code: "upstream_stream_truncated" } });
  });
});

describe("Gemini errors", () => {
  it("waits as RetryInfo says on a 429 and retries the same model", async () => {
    const id = `status:429:retry-delay=0.3s:times=1:${uniq()}`;
    await withModel(id);
    const started = Date.now();
    const res = await chat({ model: "gem", messages: [{ role: "user", content: "again" }] });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("gem:429,gem:ok");
  });

  it("passes RetryInfo on to the client as Retry-After when it is too long to wait", async () => {
    await withModel(`status:429:retry-delay=26s:${uniq()}`);
    const res = await chat({ model: "gem", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("26");
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");
  });

  it("fails the attempt on an error object inside the stream before content", async () => {
    await putConfig(baseConfig({ gem: fakeGemini(`error-event:0:${uniq()}`), other: fakeGemini("echo") }, [{ name: "default", match: {}, model: "gem", fallbacks: ["other"] }]));
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "hi" }], stream: true });
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: hi", done: true });
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("gem:stream_interrupted,other:ok");
  });
});
