/**
 * The built-in simulator: lets the gateway run with no provider key at all. Answers are
 * deterministic filler (valid JSON or tool calls when the request demands them), usage is
 * realistic, and latency, stream pacing and failure rate come from the provider entry.
 * Responses say they are simulated: model `simulator/<id>`, fingerprint `tiergate-simulator`.
 */
import { GatewayError } from "../../core/errors";
import type { ChatCompletion, ChatCompletionChunk } from "../../core/chat-response";
import type { ProviderAdapter, ProviderOf, UpstreamTarget } from "../types";
import { simulateEmbeddings } from "./embed";
import { simulateAnswer, type SimulatedAnswer } from "./answer";

type SimulatorProvider = ProviderOf<"simulator">;

export const SIMULATOR_FINGERPRINT = "tiergate-simulator";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function maybeFail(target: UpstreamTarget<SimulatorProvider>): void {
  const s = target.provider;
  if (s.failureRate > 0 && Math.random() < s.failureRate) {
    throw new GatewayError({
      status: s.failureStatus,
      type: s.failureStatus === 429 ? "rate_limit_error" : "upstream_error",
      code: "simulated_failure",
      message: `simulator (${target.model.id}): simulated failure (failureRate ${s.failureRate})`,
      errorClass: s.failureStatus === 429 ? "rate_limited" : s.failureStatus >= 500 ? "upstream_5xx" : "upstream_4xx",
      provider: target.providerName,
    });
  }
}

function toCompletion(answer: SimulatedAnswer, id: string, model: string, created: number): ChatCompletion {
  return {
    id,
    object: "chat.completion",
    created,
    model,
    system_fingerprint: SIMULATOR_FINGERPRINT,
    choices: answer.choices.map((c, index) => ({
      index,
      message: { role: "assistant", content: c.toolCalls.length > 0 ? null : c.tokens.join(""), ...(c.toolCalls.length > 0 ? { tool_calls: c.toolCalls } : {}) },
      finish_reason: c.finishReason,
      logprobs: c.logprobs,
    })),
    usage: answer.usage,
  };
}

function toChunks(answer: SimulatedAnswer, id: string, model: string, created: number): ChatCompletionChunk[] {
  const chunk = (choices: ChatCompletionChunk["choices"], usage?: ChatCompletionChunk["usage"]): ChatCompletionChunk => ({
    id, object: "chat.completion.chunk", created, model, system_fingerprint: SIMULATOR_FINGERPRINT, choices, ...(usage ? { usage } : {}),
  });
  const out: ChatCompletionChunk[] = [];
  answer.choices.forEach((c, index) => {
    out.push(chunk([{ index, delta: { role: "assistant", content: "" }, finish_reason: null }]));
    c.toolCalls.forEach((tc, k) => out.push(chunk([{ index, delta: { tool_calls: [{ index: k, id: tc.id, type: "function", function: { name: tc.function.name, arguments: tc.function.arguments } }] }, finish_reason: null }])));
    c.tokens.forEach((token, t) => {
      const lp = c.logprobs?.content?.[t];
      out.push(chunk([{ index, delta: { content: token }, finish_reason: null, ...(lp ? { logprobs: { content: [lp] } } : {}) }]));
    });
    out.push(chunk([{ index, delta: {}, finish_reason: c.finishReason }]));
  });
  out.push(chunk([], answer.usage));
  return out;
}

export const simulatorAdapter: ProviderAdapter<SimulatorProvider> = {
  kind: "simulator",
  simulated: true,
  capabilities: () => ({ logprobs: true }),
  async embed(request, target, options) {
    maybeFail(target);
    await sleep(target.provider.latencyMs, options.signal);
    return simulateEmbeddings(request, target.model);
  },
  continuation: () => "instruction",
  async call(request, target, options) {
    const s = target.provider;
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-sim-${crypto.randomUUID()}`;
    const model = `simulator/${target.model.id}`;
    maybeFail(target);
    const answer = simulateAnswer(request, target.model.id);
    const perTokenMs = 1000 / s.tokensPerSecond;
    if (!options.stream) {
      const tokens = answer.usage.completion_tokens;
      await sleep(s.latencyMs + Math.round(tokens * perTokenMs), options.signal);
      return { kind: "completion", completion: toCompletion(answer, id, model, created) };
    }
    const chunks = toChunks(answer, id, model, created);
    let i = 0;
    const stream = new ReadableStream<ChatCompletionChunk>({
      async pull(controller) {
        const next = chunks[i];
        if (next === undefined) return controller.close();
        // The first chunk waits for time-to-first-token; content chunks are paced.
        await sleep(i === 0 ? s.latencyMs : next.choices[0]?.delta.content ? perTokenMs : 0, options.signal);
        i++;
        controller.enqueue(next);
      },
    });
    return { kind: "stream", chunks: stream };
  },
};
