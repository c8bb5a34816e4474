/** What the simulator says to a request: a pure function of the request and the model id. */
import { contentText, promptText, requestedMaxTokens, type ChatRequest } from "../../core/chat-request";
import type { ChoiceLogprobs, FinishReason, TokenLogprob, ToolCallOut, Usage } from "../../core/chat-response";
import { fnv1a } from "../../core/hash";
import { estimateTokens } from "../../core/tokens";
import { exampleFromSchema } from "./json-from-schema";
import { seededRng, type Rng } from "../../core/random";
import { fillerTokens } from "./text";
import { chooseTool } from "./tool-choice";

export interface SimulatedChoice {
  /** The answer in token-sized pieces (joined = the content). */
  tokens: string[];
  toolCalls: ToolCallOut[];
  finishReason: FinishReason;
  logprobs: ChoiceLogprobs | null;
}

export interface SimulatedAnswer {
  choices: SimulatedChoice[];
  usage: Usage;
}

const MESSAGE_OVERHEAD_TOKENS = 3;

export function simulateAnswer(request: ChatRequest, modelId: string): SimulatedAnswer {
  const prompt = promptText(request);
  const baseSeed = fnv1a(`${modelId}\n${request.seed ?? ""}\n${prompt}`);
  const n = request.n ?? 1;
  const choices: SimulatedChoice[] = [];
  for (let i = 0; i < n; i++) choices.push(simulateChoice(request, seededRng(baseSeed + i), i));
  const completion = choices.reduce((sum, c) => sum + c.tokens.length + c.toolCalls.reduce((s, t) => s + estimateTokens(t.function.arguments), 0), 0);
  const promptTokens = estimateTokens(prompt) + MESSAGE_OVERHEAD_TOKENS * request.messages.length;
  return { choices, usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion } };
}

function simulateChoice(request: ChatRequest, rng: Rng, index: number): SimulatedChoice {
  const forced = chooseTool(request);
  if (forced) {
    const args = JSON.stringify(exampleFromSchema(forced.parameters ?? { type: "object" }, rng));
    return { tokens: [], toolCalls: [{ id: `call_sim_${index}`, type: "function", function: { name: forced.name, arguments: args } }], finishReason: "tool_calls", logprobs: null };
  }
  let tokens: string[];
  const rf = request.response_format;
  if (rf?.type === "json_schema") tokens = jsonTokens(exampleFromSchema(rf.json_schema.schema ?? { type: "object" }, rng));
  else if (rf?.type === "json_object") tokens = jsonTokens({ answer: fillerTokens(rng, 8).join("") });
  else tokens = [...toolResultLead(request), ...fillerTokens(rng, 24 + Math.floor(rng() * 160))];

  let finishReason: FinishReason = "stop";
  const max = requestedMaxTokens(request);
  if (max !== undefined && tokens.length > max) {
    tokens = tokens.slice(0, max);
    finishReason = "length";
  }
  tokens = cutAtStop(tokens, request.stop);
  const logprobs = request.logprobs ? tokenLogprobs(tokens, rng, request.top_logprobs ?? 0) : null;
  return { tokens, toolCalls: [], finishReason, logprobs };
}

/** After tool results, the answer opens by quoting them (capped), as an agent's final answer would use them. */
function toolResultLead(request: ChatRequest): string[] {
  const results: string[] = [];
  for (let i = request.messages.length - 1; i >= 0 && request.messages[i]?.role === "tool"; i--) results.unshift(contentText(request.messages[i]?.content).slice(0, 200));
  if (results.length === 0) return [];
  return [`Tool result: ${results.join("; ")}.`, " "];
}

function jsonTokens(value: unknown): string[] {
  const text = JSON.stringify(value);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 4) out.push(text.slice(i, i + 4));
  return out;
}

function cutAtStop(tokens: string[], stop: ChatRequest["stop"]): string[] {
  const stops = stop === undefined || stop === null ? [] : typeof stop === "string" ? [stop] : stop;
  if (stops.length === 0) return tokens;
  let text = "";
  for (let i = 0; i < tokens.length; i++) {
    text += tokens[i];
    if (stops.some((s) => s.length > 0 && text.includes(s))) return tokens.slice(0, i);
  }
  return tokens;
}

function tokenLogprobs(tokens: string[], rng: Rng, top: number): ChoiceLogprobs {
  return {
    content: tokens.map((token) => {
      const logprob = -Math.round(rng() * 60) / 100;
      const entry: TokenLogprob = { token, logprob, bytes: null };
      if (top > 0) entry.top_logprobs = [{ token, logprob, bytes: null }, ...Array.from({ length: top - 1 }, (_, k) => ({ token: `${token}~${k}`, logprob: logprob - 1 - k, bytes: null }))];
      return entry;
    }),
    refusal: null,
  };
}
