/**
 * Exact endings on the OpenAI wire. The wire itself says when an answer is whole: every choice
 * that began ends with a finish reason (then `[DONE]`). A stream that simply stops before that
 * is cut, however cleanly the connection closed; and an event that cannot follow the ones before
 * it (more answer after a choice's finish reason, arguments for a tool call never opened, anything
 * after `[DONE]`) is a broken stream, not part of the answer. Either is a failure of the attempt.
 */
import type { ChatCompletionChunk } from "../../core/chat-response";
import { inStreamError, protocolError } from "../http-adapter";
import type { UpstreamTarget } from "../types";

interface ChoiceState {
  finished: boolean;
  /** Tool-call indices opened (with a function name) so far. */
  tools: Set<number>;
}

export interface OpenAIStreamEnding {
  /** True for the `[DONE]` sentinel (nothing to translate); throws for an event after it. */
  done(data: string): boolean;
  /** Throws when this chunk cannot follow what came before. */
  check(chunk: ChatCompletionChunk): void;
  /** At the end of the stream: throws unless every choice that began has finished. */
  finish(): void;
}

function carriesAnswer(delta: ChatCompletionChunk["choices"][number]["delta"]): boolean {
  return Boolean(delta.content || delta.reasoning_content || delta.refusal || (delta.tool_calls && delta.tool_calls.length > 0));
}

export function openAIStreamEnding(target: UpstreamTarget): OpenAIStreamEnding {
  let sawDone = false;
  const choices = new Map<number, ChoiceState>();
  return {
    done(data) {
      if (sawDone) throw protocolError(target, "an event after [DONE]");
      if (data !== "[DONE]") return false;
      sawDone = true;
      return true;
    },
    check(chunk) {
      for (const c of chunk.choices) {
        let state = choices.get(c.index);
        if (!state) choices.set(c.index, (state = { finished: false, tools: new Set() }));
        if (state.finished && carriesAnswer(c.delta)) throw protocolError(target, `choice ${c.index} went on after its finish reason`);
        for (const tc of c.delta.tool_calls ?? []) {
          if (state.tools.has(tc.index)) continue;
          if (!tc.function?.name) throw protocolError(target, `arguments for tool call ${tc.index}, which was never opened`);
          state.tools.add(tc.index);
        }
        if (c.finish_reason) state.finished = true;
      }
    },
    finish() {
      const open = [...choices.entries()].filter(([, s]) => !s.finished).map(([i]) => i);
      if (open.length === 0) return;
      const how = sawDone ? "[DONE] came" : "the stream ended";
      throw inStreamError(target, `${how} without a finish reason for choice ${open.join(", ")}`, { code: "upstream_stream_truncated" });
    },
  };
}
