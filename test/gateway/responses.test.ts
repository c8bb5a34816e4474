/**
 * POST /v1/responses through the openai SDK (responses.create, stream: true, responses.stream):
 * text, a function-call round trip, structured output and errors, answered by the simulator and
 * the fake upstream (each wire), and — for every recording in ../shared/wire with a text or tool
 * answer — the same answer the chat endpoint gives for that model.
 */
import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, gw, lastUpstreamRequest, ledger, putConfig, sseEvents, TEST_CLIENT_KEY, uniq, wireAvailable } from "../support/gateway";

const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city",
  strict: true,
  parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1, maximum: 7 } }, required: ["city", "days"], additionalProperties: false },
};

const postResponses = (body: unknown) => gw("/v1/responses", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

let run: string;
beforeEach(async () => {
  run = uniq();
  await putConfig(baseConfig({ up: fake(`echo:${run}`), claude: fakeAnthropic(`echo:${run}`), gem: fakeGemini(`echo:${run}`), cut: fake(`cut:2:${run}`) }));
});

describe("responses.create (non-stream)", () => {
  it("answers a simulated model with the same text the chat endpoint gives, in the Responses shape", async () => {
    const r = await openai.responses.create({ model: "sim-small", instructions: "Be brief.", input: "Tell me about tides." });
    expect(r.object).toBe("response");
    expect(r.status).toBe("completed");
    expect(r.id).toMatch(/^resp_/);
    expect((r as unknown as { store: boolean }).store).toBe(false);
    expect(r.instructions).toBe("Be brief.");
    const viaChat = await (await chat({ model: "sim-small", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Tell me about tides." }] })).json() as { choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(r.output_text).toBe(viaChat.choices[0]?.message.content);
    expect(r.output_text.length).toBeGreaterThan(0);
    expect(r.usage).toMatchObject({ input_tokens: viaChat.usage.prompt_tokens, output_tokens: viaChat.usage.completion_tokens });
    expect(r.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text" }] });
  });

  it.each([["up", "openai"], ["claude", "anthropic"], ["gem", "gemini"]])("translates input items and settings for the %s upstream (%s wire)", async (model) => {
    const r = await openai.responses.create({
      model, instructions: "Answer in French.", max_output_tokens: 50, temperature: 0.5, metadata: { feature: "faq" },
      input: [{ role: "developer", content: "Be polite." }, { role: "user", content: [{ type: "input_text", text: "bonjour tout le monde" }] }],
    });
    expect(r.output_text).toBe("echo: bonjour tout le monde");
    const sent = await lastUpstreamRequest(`echo:${run}`);
    const body = JSON.stringify(sent.body);
    expect(body).toContain("Answer in French.");
    expect(body).toContain("Be polite.");
    for (const field of ["instructions", "input", "max_output_tokens", "text", "metadata"]) expect(Object.keys(sent.body)).not.toContain(field);
    expect(body).not.toContain("max_output_tokens");
    if (model === "up") expect(sent.body).toMatchObject({ max_tokens: 50, temperature: 0.5 });
  });

  it("ends incomplete with max_output_tokens when the answer was cut by the limit", async () => {
    const r = await openai.responses.create({ model: "sim-small", input: "Write a long story.", max_output_tokens: 3 });
    expect(r.status).toBe("incomplete");
    expect(r.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("records a ledger row like any chat request", async () => {
    const { response } = await openai.responses.create({ model: "up", input: "ledger me" }).withResponse();
    const { request } = await ledger(response.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ kind: "chat", status: "ok", served_model: "up", requested_model: "up" });
  });
});

describe("function calling round trip", () => {
  it("returns a function_call item whose arguments fit the schema, then answers from the function_call_output", async () => {
    const first = await openai.responses.create({ model: "sim-small", input: "What is the weather in Paris?", tools: [weatherTool], tool_choice: { type: "function", name: "get_weather" } });
    const call = first.output.find((o) => o.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", status: "completed" });
    if (call?.type !== "function_call") throw new Error("no function call");
    const args = JSON.parse(call.arguments) as { city: string; days: number };
    expect(typeof args.city).toBe("string");
    expect(Number.isInteger(args.days) && args.days >= 1 && args.days <= 7).toBe(true);

    const second = await openai.responses.create({
      model: "up",
      tools: [weatherTool],
      input: [{ role: "user", content: "What is the weather in Paris?" }, call, { type: "function_call_output", call_id: call.call_id, output: "sunny, 24C" }],
    });
    expect(second.status).toBe("completed");
    const sent = await lastUpstreamRequest(`echo:${run}`);
    const msgs = sent.body.messages as Array<{ role: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string; content?: unknown }>;
    expect(msgs.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(msgs[1]?.tool_calls?.[0]).toMatchObject({ id: call.call_id, function: { name: "get_weather", arguments: call.arguments } });
    expect(msgs[2]).toMatchObject({ tool_call_id: call.call_id, content: "sunny, 24C" });
  });

  it("streams a function call as output_item.added, function_call_arguments.delta/.done and output_item.done", async () => {
    const stream = await openai.responses.create({ model: "sim-small", input: "Weather in Oslo?", tools: [weatherTool], tool_choice: "required", stream: true });
    const types: string[] = [];
    let args = "";
    let done: { arguments: string; name: string } | undefined;
    let final: OpenAI.Responses.Response | undefined;
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "response.function_call_arguments.delta") args += ev.delta;
      if (ev.type === "response.output_item.done" && ev.item.type === "function_call") done = ev.item;
      if (ev.type === "response.completed") final = ev.response;
    }
    expect(types.slice(0, 3)).toEqual(["response.created", "response.in_progress", "response.output_item.added"]);
    expect(types).toContain("response.function_call_arguments.done");
    expect(types.at(-1)).toBe("response.completed");
    expect(done?.name).toBe("get_weather");
    expect(done?.arguments).toBe(args);
    expect(JSON.parse(args)).toHaveProperty("city");
    expect(final?.output.find((o) => o.type === "function_call")).toMatchObject({ arguments: args });
  });
});

describe("streaming text", () => {
  it("stream: true gives the event sequence the SDK reads, deltas adding up to the final text, usage at the end", async () => {
    const stream = await openai.responses.create({ model: "sim-small", input: "Stream a few words.", stream: true });
    const types: string[] = [];
    let text = "";
    let final: OpenAI.Responses.Response | undefined;
    const seqs: number[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      seqs.push(ev.sequence_number);
      if (ev.type === "response.output_text.delta") text += ev.delta;
      if (ev.type === "response.completed") final = ev.response;
    }
    expect(types.slice(0, 4)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const nonStream = await openai.responses.create({ model: "sim-small", input: "Stream a few words." });
    expect(text).toBe(nonStream.output_text);
    expect(final?.usage?.output_tokens).toBe(nonStream.usage?.output_tokens);
    expect(final?.status).toBe("completed");
  });

  it("responses.stream() helper: text events and finalResponse()", async () => {
    let deltas = "";
    const stream = openai.responses.stream({ model: "claude", input: "hello from the helper" }).on("response.output_text.delta", (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("echo: hello from the helper");
    expect(deltas).toBe(final.output_text);
  });

  it("a stream cut mid-answer ends with an error event and no response.completed", async () => {
    const res = await postResponses({ model: "cut", input: "one two three four five six", stream: true });
    expect(res.status).toBe(200);
    const events = await sseEvents(res);
    const types = events.map((e) => e.event);
    expect(types).toContain("error");
    expect(types).not.toContain("response.completed");
    expect(JSON.parse(events.at(-1)?.data ?? "{}")).toMatchObject({ type: "error" });
  });
});

describe("structured output (text.format json_schema)", () => {
  const format = { type: "json_schema" as const, name: "city", strict: true, schema: { type: "object", properties: { name: { type: "string" }, population: { type: "integer", minimum: 0, maximum: 40_000_000 } }, required: ["name", "population"], additionalProperties: false } };

  it("the simulator answers JSON valid against the schema; OpenAI-wire upstreams get response_format", async () => {
    const r = await openai.responses.create({ model: "sim-small", input: "Describe a city as JSON.", text: { format } });
    const city = JSON.parse(r.output_text) as { name: string; population: number };
    expect(typeof city.name).toBe("string");
    expect(Number.isInteger(city.population) && city.population >= 0 && city.population <= 40_000_000).toBe(true);
    expect(r.text?.format).toMatchObject({ type: "json_schema", name: "city" });
    await openai.responses.create({ model: "up", input: "json please", text: { format } });
    expect((await lastUpstreamRequest(`echo:${run}`)).body.response_format).toEqual({ type: "json_schema", json_schema: { name: "city", schema: format.schema, strict: true } });
  });
});

describe("errors in the Responses shape", () => {
  it.each([
    [{ model: "up", input: "x", previous_response_id: "resp_123" }, 400, "previous_response_unsupported"],
    [{ model: "up", input: [{ type: "item_reference", id: "msg_1" }] }, 400, "item_reference_unsupported"],
    [{ model: "up", input: "x", tools: [{ type: "file_search" }] }, 400, "invalid_request"],
    // Web search is billable: refused unless the model's entry allows it (test/gateway/billable-fields.test.ts).
    [{ model: "up", input: "x", tools: [{ type: "web_search" }] }, 400, "billable_field_not_allowed"],
    [{ model: "up" }, 400, "invalid_request_body"],
    [{ model: "nope", input: "x" }, 404, "model_not_found"],
  ])("%# → %s %s", async (body, status, code) => {
    const res = await postResponses(body);
    expect(res.status).toBe(status);
    const err = (await res.json()) as { error: { code: string; message: string; type: string } };
    expect(err.error.code).toBe(code);
    expect(err.error.message.length).toBeGreaterThan(10);
  });

  it("the SDK raises them as APIErrors", async () => {
    await expect(openai.responses.create({ model: "up", input: "x", previous_response_id: "resp_1" })).rejects.toMatchObject({ status: 400 });
  });
});

describe.skipIf(!wireAvailable())("recordings through /v1/responses equal the chat endpoint's answer", () => {
  const cases = [
    ["openai", fake, "wire:openai/openai-text"],
    ["anthropic", fakeAnthropic, "wire:anthropic/anthropic-text"],
    ["anthropic tool", fakeAnthropic, "wire:anthropic/anthropic-tool-no-args"],
    ["gemini", fakeGemini, "wire:google/google-text"],
    ["gemini tool", fakeGemini, "wire:google/google-tool-call"],
    ["deepseek tool", fake, "wire:deepseek/deepseek-tool-call"],
  ] as const;

  it.each(cases)("%s (non-stream and stream)", async (_name, make, scenario) => {
    await putConfig(baseConfig({ rec: make(scenario) }));
    const input = [{ role: "user" as const, content: "What is the weather in Paris?" }];
    const tools = [{ type: "function" as const, name: "get_weather", parameters: { type: "object", properties: {} }, strict: false }];
    const viaChat = (await (await chat({ model: "rec", messages: input, tools: tools.map((t) => ({ type: "function", function: { name: t.name, parameters: t.parameters } })) })).json()) as {
      choices: Array<{ message: { content: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> } }>;
    };
    const want = viaChat.choices[0]?.message;
    const r = await openai.responses.create({ model: "rec", input, tools });
    expect(r.output_text).toBe(want?.content ?? "");
    const calls = r.output.filter((o) => o.type === "function_call").map((o) => (o.type === "function_call" ? [o.call_id, o.name, o.arguments] : []));
    expect(calls).toEqual((want?.tool_calls ?? []).map((t) => [t.id, t.function.name, t.function.arguments]));

    // The stream recordings are other answers than the JSON ones: compare with the chat stream.
    const chatStream = await assembleStream(await chat({ model: "rec", messages: input, stream: true, tools: tools.map((t) => ({ type: "function", function: { name: t.name, parameters: t.parameters } })) }));
    const stream = openai.responses.stream({ model: "rec", input, tools });
    let deltas = "";
    stream.on("response.output_text.delta", (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(chatStream.text);
    expect(deltas).toBe(chatStream.text);
    expect(final.output.filter((o) => o.type === "function_call").map((o) => (o.type === "function_call" ? [o.name, o.arguments] : []))).toEqual(chatStream.toolCalls.map((t) => [t.name, t.arguments]));
  });
});
