/**
 * Structured output through the forced-tool path on Anthropic models (no native JSON schema):
 * the answer is only the tool's JSON. Text blocks the model wrote beside the call — before it,
 * after it — are dropped, stream and non-stream, on every client format, and counted in the
 * request's ledger row (`dropped_blocks`). Text beside a client tool call is the answer's and stays.
 */
import { describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fakeAnthropic, gw, ledger, messages, putConfig, sseEvents, uniq } from "../support/gateway";

const schema = { type: "object", properties: { text: { type: "string" } }, required: ["text"] };
const response_format = { type: "json_schema", json_schema: { name: "answer", schema } };
const prompt = [{ role: "user", content: "one two three" }];
const JSON_ANSWER = { text: "echo: one two three" };

async function claude(scenario: string) {
  await putConfig(baseConfig({ claude: fakeAnthropic(`${scenario}:${uniq()}`) }, [{ name: "default", match: {}, model: "claude" }]));
}

describe("text beside the forced JSON tool", () => {
  const BESIDE: Array<[string, string, number]> = [
    ["a preamble", "echo:tool=json:preamble=Here_is_the_JSON:", 1],
    ["a preamble and a postscript", "echo:tool=json:preamble=Sure.:postscript=Hope_that_helps.", 2],
    ["nothing", "echo:tool=json", 0],
  ];

  it.each(BESIDE)("with %s: chat completions non-stream answers only the JSON; dropped_blocks counts it", async (_what, scenario, dropped) => {
    await claude(scenario);
    const res = await chat({ model: "auto", messages: prompt, response_format });
    const body = (await res.json()) as { choices: Array<{ message: { content: string; tool_calls?: unknown }; finish_reason: string }> };
    expect(JSON.parse(body.choices[0]?.message.content ?? "")).toEqual(JSON_ANSWER);
    expect(body.choices[0]).toMatchObject({ finish_reason: "stop" });
    expect(body.choices[0]?.message.tool_calls).toBeUndefined();
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "ok", dropped_blocks: dropped });
  });

  it.each(BESIDE)("with %s: chat completions stream answers only the JSON; dropped_blocks counts it", async (_what, scenario, dropped) => {
    await claude(scenario);
    const res = await chat({ model: "auto", messages: prompt, response_format, stream: true });
    const a = await assembleStream(res);
    expect(JSON.parse(a.text)).toEqual(JSON_ANSWER);
    expect(a).toMatchObject({ finishReason: "stop", toolCalls: [], done: true });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "ok", dropped_blocks: dropped });
  });

  it("/v1/messages with output_config.format: one text block of only the JSON, stream and non-stream", async () => {
    await claude("echo:tool=json:preamble=Sure.:postscript=Done.");
    const ask = { model: "auto", max_tokens: 100, messages: prompt, output_config: { format: { type: "json_schema", schema } } };
    const res = await messages(ask);
    const body = (await res.json()) as { content: Array<{ type: string; text?: string }>; stop_reason: string };
    expect(body.content.map((b) => b.type)).toEqual(["text"]);
    expect(JSON.parse(body.content[0]?.text ?? "")).toEqual(JSON_ANSWER);
    expect(body.stop_reason).toBe("end_turn");
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ dropped_blocks: 2 });

    const streamed = await messages({ ...ask, stream: true });
    const events = await sseEvents(streamed);
    expect(events.filter((e) => e.event === "content_block_start")).toHaveLength(1);
    const text = events.filter((e) => e.event === "content_block_delta").map((e) => (JSON.parse(e.data) as { delta: { text: string } }).delta.text).join("");
    expect(JSON.parse(text)).toEqual(JSON_ANSWER);
    expect((await ledger(streamed.headers.get("x-tiergate-request-id"))).request).toMatchObject({ dropped_blocks: 2 });
  });

  it("/v1/responses with text.format json_schema: output_text is only the JSON, stream and non-stream", async () => {
    await claude("echo:tool=json:preamble=Sure.:postscript=Done.");
    const ask = { model: "auto", input: "one two three", text: { format: { type: "json_schema", name: "answer", schema } } };
    const res = await gw("/v1/responses", { method: "POST", body: JSON.stringify(ask) });
    const body = (await res.json()) as { output: Array<{ type: string; content?: Array<{ text: string }> }> };
    const text = body.output.filter((o) => o.type === "message").flatMap((o) => o.content ?? []).map((c) => c.text).join("");
    expect(JSON.parse(text)).toEqual(JSON_ANSWER);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ dropped_blocks: 2 });

    const streamed = await gw("/v1/responses", { method: "POST", body: JSON.stringify({ ...ask, stream: true }) });
    const deltas = (await sseEvents(streamed)).filter((e) => e.event === "response.output_text.delta").map((e) => (JSON.parse(e.data) as { delta: string }).delta);
    expect(JSON.parse(deltas.join(""))).toEqual(JSON_ANSWER);
    expect((await ledger(streamed.headers.get("x-tiergate-request-id"))).request).toMatchObject({ dropped_blocks: 2 });
  });

  it("text beside a client tool the model called instead is the answer's: kept, nothing counted", async () => {
    await claude("echo:tool=lookup:preamble=Let_me_look.");
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    for (const stream of [false, true]) {
      const res = await chat({ model: "auto", messages: prompt, response_format, tools, stream });
      if (stream) {
        const a = await assembleStream(res);
        expect(a).toMatchObject({ text: "Let me look.", finishReason: "tool_calls" });
        expect(a.toolCalls.map((t) => t.name)).toEqual(["lookup"]);
      } else {
        const body = (await res.json()) as { choices: Array<{ message: { content: string; tool_calls: Array<{ function: { name: string } }> } }> };
        expect(body.choices[0]?.message.content).toBe("Let me look.");
        expect(body.choices[0]?.message.tool_calls.map((t) => t.function.name)).toEqual(["lookup"]);
      }
      expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ dropped_blocks: 0 });
    }
  });
});
