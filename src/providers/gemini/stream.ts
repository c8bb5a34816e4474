/**
 * Gemini stream events (each a partial `GenerateContentResponse`) → canonical chunks. Text and
 * thought parts become content and reasoning deltas; a function call becomes a tool-call delta,
 * its arguments whole or, when streamed as `partialArgs`, collected until the call closes; the
 * finish reason closes each candidate, and the last usage seen is sent once at the end.
 */
import type { ChatCompletionChunk, ChunkDelta, ToolCallDelta, Usage } from "../../core/chat-response";
import type { EventTranslator } from "../../core/sse";
import { eventJson, inStreamError, protocolError, readWire } from "../http-adapter";
import type { UpstreamTarget } from "../types";
import { geminiStreamError } from "./errors";
import { blockedMessage, mapFinishReason, responseKeyOf, toLogprobs, toolCallId, toUsage } from "./normalize";
import { PartialArgs } from "./partial-args";
import { WireResponse, type WireCandidateT, type WirePartT } from "./wire-schema";

interface CandidateState {
  started: boolean;
  finished: boolean;
  toolCount: number;
  /** A function call whose arguments are still streaming. */
  open: { toolIndex: number; args: PartialArgs } | null;
}

// long-function: one closure holds the stream's state (open function call, tool count, usage) across chunks.
export function geminiStreamTransformer(target: UpstreamTarget): EventTranslator<ChatCompletionChunk> {
  const created = Math.floor(Date.now() / 1000);
  let id = "";
  let model = target.model.id;
  let responseKey: string | undefined;
  let usage: Usage | undefined;
  let promptBlocked = false;
  const states = new Map<number, CandidateState>();

  const chunk = (choices: ChatCompletionChunk["choices"]): ChatCompletionChunk => ({ id, object: "chat.completion.chunk", created, model, choices });
  const stateOf = (index: number): CandidateState => {
    let s = states.get(index);
    if (!s) states.set(index, (s = { started: false, finished: false, toolCount: 0, open: null }));
    return s;
  };
  const close = (s: CandidateState, out: ToolCallDelta[]) => {
    if (!s.open) return;
    out.push({ index: s.open.toolIndex, function: { arguments: JSON.stringify(s.open.args.object()) } });
    s.open = null;
  };

  function functionCallDeltas(part: WirePartT, s: CandidateState, candidate: number, out: ToolCallDelta[]): void {
    const fc = part.functionCall;
    if (!fc) return;
    if (fc.name) {
      close(s, out);
      const toolIndex = s.toolCount++;
      const callId = toolCallId(fc.id, responseKey ?? "", candidate, toolIndex);
      if (fc.willContinue) {
        s.open = { toolIndex, args: new PartialArgs() };
        s.open.args.add(fc.partialArgs);
        out.push({ index: toolIndex, id: callId, type: "function", function: { name: fc.name, arguments: "" } });
      } else {
        out.push({ index: toolIndex, id: callId, type: "function", function: { name: fc.name, arguments: JSON.stringify(fc.args ?? {}) } });
      }
    } else if (s.open) {
      s.open.args.add(fc.partialArgs);
      if (!fc.willContinue) close(s, out);
    } else {
      throw protocolError(target, `function-call arguments for candidate ${candidate} with no call open`);
    }
  }

  function candidateChoice(c: WireCandidateT, index: number): ChatCompletionChunk["choices"][number] | null {
    const s = stateOf(index);
    const carries = (c.content?.parts ?? []).some((p) => p.functionCall || (typeof p.text === "string" && p.text !== ""));
    if (s.finished && carries) throw protocolError(target, `candidate ${index} went on after its finish reason`);
    const delta: ChunkDelta = {};
    if (!s.started) {
      s.started = true;
      delta.role = "assistant";
    }
    const tools: ToolCallDelta[] = [];
    for (const part of c.content?.parts ?? []) {
      if (part.functionCall) functionCallDeltas(part, s, index, tools);
      else if (typeof part.text === "string" && part.text !== "") {
        if (part.thought === true) delta.reasoning_content = (delta.reasoning_content ?? "") + part.text;
        else delta.content = (delta.content ?? "") + part.text;
      }
    }
    const finish = mapFinishReason(c.finishReason, s.toolCount > 0);
    if (finish !== null) {
      close(s, tools);
      s.finished = true;
      if (finish === "content_filter") delta.refusal = blockedMessage(c.finishReason ?? "", c.finishMessage, "response");
    }
    if (tools.length > 0) delta.tool_calls = tools;
    const logprobs = toLogprobs(c.logprobsResult);
    if (Object.keys(delta).length === 0 && finish === null && logprobs === null) return null;
    return { index, delta, finish_reason: finish, ...(logprobs ? { logprobs } : {}) };
  }

  return {
    transform(event, controller) {
      const w = readWire(WireResponse, eventJson(event, target), target);
      if (w.error !== undefined) throw geminiStreamError(target, w.error);
      if (promptBlocked) throw protocolError(target, "an event after the prompt was blocked");
      responseKey ??= responseKeyOf(w.responseId);
      if (w.responseId) id = w.responseId;
      if (w.modelVersion) model = w.modelVersion;
      usage = toUsage(w.usageMetadata) ?? usage;

      const candidates = w.candidates ?? [];
      if (candidates.length === 0 && w.promptFeedback?.blockReason) {
        promptBlocked = true;
        const refusal = blockedMessage(w.promptFeedback.blockReason, w.promptFeedback.blockReasonMessage, "prompt");
        controller.enqueue(chunk([{ index: 0, delta: { role: "assistant", refusal }, finish_reason: "content_filter" }]));
        return;
      }
      candidates.forEach((c, i) => {
        const choice = candidateChoice(c, c.index ?? i);
        if (choice) controller.enqueue(chunk([choice]));
      });
    },
    flush(controller) {
      // Gemini ends every complete stream with a finish reason; without one the answer was cut short.
      const open = [...states.entries()].filter(([, st]) => !st.finished).map(([i]) => i);
      if (open.length > 0) throw inStreamError(target, `the stream ended without a finish reason for candidate ${open.join(", ")}`, { code: "upstream_stream_truncated" });
      if (usage) controller.enqueue({ ...chunk([]), usage });
    },
  };
}
