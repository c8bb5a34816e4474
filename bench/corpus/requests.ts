/**
 * Malformed chat requests. Each must get a 4xx with an OpenAI-style error body (never a 5xx,
 * never a hang), and the gateway must keep serving. `status` pins the exact code where one is
 * the only right answer.
 */
export interface BadRequestCase {
  name: string;
  body: string | Uint8Array;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  status?: number;
}

const user = [{ role: "user", content: "hi" }];
const valid = { model: "auto", messages: user };
const withField = (k: string, v: unknown) => JSON.stringify({ ...valid, [k]: v });
const withMessage = (m: unknown) => JSON.stringify({ model: "auto", messages: [m] });
const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

export const BAD_REQUESTS: BadRequestCase[] = [
  { name: "empty body", body: "", status: 400 },
  { name: "whitespace body", body: "  \n\t ", status: 400 },
  { name: "JSON null", body: "null", status: 400 },
  { name: "JSON array", body: "[]", status: 400 },
  { name: "JSON number", body: "42", status: 400 },
  { name: "JSON string", body: '"hello"', status: 400 },
  { name: "empty object", body: "{}", status: 400 },
  { name: "truncated JSON", body: '{"model":"auto","messages":[{"role":"user","content":"hi"', status: 400 },
  { name: "trailing garbage", body: `${JSON.stringify(valid)}xyz`, status: 400 },
  { name: "single-quoted JSON", body: "{'model':'auto','messages':[]}", status: 400 },
  { name: "invalid UTF-8", body: new Uint8Array([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), status: 400 },
  { name: "messages is a string", body: JSON.stringify({ model: "auto", messages: "hello" }), status: 400 },
  { name: "messages is empty", body: JSON.stringify({ model: "auto", messages: [] }), status: 400 },
  { name: "message is null", body: withMessage(null), status: 400 },
  { name: "message without role", body: withMessage({ content: "hi" }), status: 400 },
  { name: "unknown role", body: withMessage({ role: "wizard", content: "hi" }), status: 400 },
  { name: "user content is a number", body: withMessage({ role: "user", content: 42 }), status: 400 },
  { name: "user content is null", body: withMessage({ role: "user", content: null }), status: 400 },
  { name: "text part without text", body: withMessage({ role: "user", content: [{ type: "text" }] }), status: 400 },
  { name: "image part without url", body: withMessage({ role: "user", content: [{ type: "image_url", image_url: {} }] }), status: 400 },
  { name: "tool message without tool_call_id", body: JSON.stringify({ model: "auto", messages: [...user, { role: "tool", content: "x" }] }), status: 400 },
  { name: "malformed tool call", body: JSON.stringify({ model: "auto", messages: [...user, { role: "assistant", tool_calls: [{ id: 1, type: "function" }] }] }), status: 400 },
  { name: "model is a number", body: withField("model", 42), status: 400 },
  { name: "model is empty", body: withField("model", ""), status: 400 },
  { name: "model is null", body: withField("model", null), status: 400 },
  { name: "unknown model", body: withField("model", "no-such-model") },
  { name: "unknown route", body: withField("model", "route:no-such-route") },
  { name: "temperature is a string", body: withField("temperature", "hot"), status: 400 },
  { name: "temperature above 2", body: withField("temperature", 3), status: 400 },
  { name: "temperature overflows to Infinity", body: `{"model":"auto","messages":[{"role":"user","content":"hi"}],"temperature":1e400}`, status: 400 },
  { name: "top_p above 1", body: withField("top_p", 1.5), status: 400 },
  { name: "max_tokens negative", body: withField("max_tokens", -5), status: 400 },
  { name: "max_tokens fractional", body: withField("max_tokens", 1.5), status: 400 },
  { name: "max_tokens is a string", body: withField("max_tokens", "10"), status: 400 },
  { name: "n is zero", body: withField("n", 0), status: 400 },
  { name: "stream is a string", body: withField("stream", "yes"), status: 400 },
  { name: "stream_options is a string", body: withField("stream_options", "x"), status: 400 },
  { name: "five stop sequences", body: withField("stop", ["a", "b", "c", "d", "e"]), status: 400 },
  { name: "tools is an object", body: withField("tools", {}), status: 400 },
  { name: "tool name with spaces", body: withField("tools", [{ type: "function", function: { name: "bad name!" } }]), status: 400 },
  { name: "tool_choice unknown", body: withField("tool_choice", "sometimes"), status: 400 },
  { name: "response_format unknown type", body: withField("response_format", { type: "xml" }), status: 400 },
  { name: "metadata with a number value", body: withField("metadata", { a: 1 }), status: 400 },
  { name: "top_logprobs above 20", body: withField("top_logprobs", 50), status: 400 },
  { name: "content nested 10 000 arrays deep", body: `{"model":"auto","messages":[{"role":"user","content":${nested(10_000, "[", "]")}}]}`, status: 400 },
  { name: "body over the 1 MiB limit", body: withField("padding", "x".repeat(1_100_000)), status: 413 },
  { name: "GET on the chat endpoint", body: "", method: "GET", status: 404 },
  { name: "unknown endpoint", body: JSON.stringify(valid), path: "/v1/chat/complete", status: 404 },
  { name: "admin without a token", body: "{}", method: "PUT", path: "/admin/config", status: 401 },
  // Hardening (issue 11): patterns the linear-time engine cannot run, and prototype member names.
  { name: "client schema pattern with lookahead", body: withField("response_format", { type: "json_schema", json_schema: { name: "s", schema: { type: "object", properties: { v: { type: "string", pattern: "^(?!admin).*$" } } } } }), status: 400 },
  { name: "client schema patternProperties with a backreference", body: withField("response_format", { type: "json_schema", json_schema: { name: "s", schema: { type: "object", patternProperties: { "(a)\\1": {} } } } }), status: 400 },
  ...["__proto__", "constructor", "toString", "hasOwnProperty", "route:__proto__", "route:constructor"].map((model) => ({ name: `model ${model}`, body: withField("model", model), status: 404 })),
];

/** Odd but well-formed requests: not errors, but the gateway must answer them without a 5xx. */
export const ODD_REQUESTS: BadRequestCase[] = [
  { name: "__proto__ key in the body", body: `{"__proto__":{"stream":true},"model":"auto","messages":[{"role":"user","content":"hi"}]}` },
  { name: "constructor key in a message", body: withMessage({ role: "user", content: "hi", constructor: { prototype: { x: 1 } } }) },
  // Built as text: JSON.stringify itself overflows the stack on documents this deep.
  { name: "pass-through field nested 5 000 deep", body: `{"model":"auto","messages":[{"role":"user","content":"hi"}],"vendor_extension":${nested(5_000, "[", "]")}}` },
  { name: "2 000 messages", body: JSON.stringify({ model: "auto", messages: Array.from({ length: 2_000 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` })) }) },
  { name: "lone surrogate escape in content", body: '{"model":"auto","messages":[{"role":"user","content":"\\ud800"}]}' },
  { name: "unicode and NUL in content", body: withMessage({ role: "user", content: "\u0000\u202e𝔘𝔫𝔦𝔠𝔬𝔡𝔢\uffff" }) },
  // Exponential for a backtracking engine; linear under RE2, so answered at once.
  { name: "exponential client schema pattern on a 10 KB message", body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "a".repeat(10_240) + "!" }], response_format: { type: "json_schema", json_schema: { name: "s", schema: { type: "object", properties: { v: { type: "string", pattern: "^(a+)+$" } }, patternProperties: { "^(a|aa)+$": {} } } } } }) },
  { name: "feature tag with ANSI escapes, 5 000 chars", body: withField("metadata", { feature: "\u001b[31m=HYPERLINK(1)" + "x".repeat(5_000) }) },
];
