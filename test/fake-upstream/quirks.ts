/**
 * Quirks real upstreams have, applied to any stream the fake sends (echo answers and replayed
 * recordings alike): `quirks=<a>+<b>` on the scenario, e.g. `wire:xai/xai-tool-call:quirks=no-role+tools-from-1`.
 *   no-role       the first delta names no role (OpenAI-wire proxies; Anthropic / Gemini: the role field left out)
 *   role-every    OpenAI wire: `role` repeated in every delta
 *   tools-from-1  OpenAI wire: tool-call indices counted from 1; Anthropic: content-block indices from 1
 *   two-finish    the finish sent twice (OpenAI: a second finish chunk; Anthropic: message_delta twice; Gemini: a second finishing candidate)
 *   usage-early   OpenAI wire: the usage chunk before the finish chunk, and usage on the finish chunk too
 *   no-usage      OpenAI wire: no usage at all, even when asked (as some compatible servers do)
 * Each turns the events of one wire into the events that wire's quirky upstream sends.
 */
import type { Scenario } from "./scenario";

/** The loose shapes of each wire's events, as far as the quirks touch them. */
interface OAChoice { index?: number; delta?: { role?: string; tool_calls?: Array<{ index?: number }>; [k: string]: unknown }; finish_reason?: string | null; [k: string]: unknown }
interface OAChunk { choices?: OAChoice[]; usage?: unknown; [k: string]: unknown }
interface AEvent { type?: string; index?: number; message?: { role?: string; [k: string]: unknown }; delta?: { stop_reason?: string | null; [k: string]: unknown }; [k: string]: unknown }
interface GCandidate { content?: { role?: string; parts?: unknown[] }; finishReason?: string; index?: number; [k: string]: unknown }
interface GEvent { candidates?: GCandidate[]; [k: string]: unknown }

export function quirksOf(s: Scenario): Set<string> {
  return new Set((s.opts.quirks ?? "").split("+").filter(Boolean));
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function openAI(events: OAChunk[], q: Set<string>): OAChunk[] {
  let out = events.map(copy);
  for (const e of out) {
    for (const c of e.choices ?? []) {
      const d = (c.delta ??= {});
      if (q.has("no-role")) delete d.role;
      if (q.has("role-every")) d.role = "assistant";
      if (q.has("tools-from-1")) for (const tc of d.tool_calls ?? []) tc.index = (tc.index ?? 0) + 1;
    }
  }
  if (q.has("no-usage")) {
    out = out.filter((e) => (e.choices ?? []).length > 0);
    for (const e of out) delete e.usage;
  }
  if (q.has("usage-early")) {
    const at = out.findIndex((e) => (e.choices ?? []).length === 0 && e.usage);
    const finish = out.findIndex((e) => (e.choices ?? []).some((c) => c.finish_reason));
    if (at > finish && finish >= 0) {
      const [u] = out.splice(at, 1) as [OAChunk];
      (out[finish] as OAChunk).usage = u.usage;
      out.splice(finish, 0, u);
    }
  }
  if (q.has("two-finish")) {
    const finish = out.findIndex((e) => (e.choices ?? []).some((c) => c.finish_reason));
    if (finish >= 0) {
      const f = out[finish] as OAChunk;
      const again: OAChunk = { ...copy(f), choices: (f.choices ?? []).filter((c) => c.finish_reason).map((c) => ({ index: c.index ?? 0, delta: {}, finish_reason: c.finish_reason ?? null })) };
      delete again.usage;
      out = [...out.slice(0, finish + 1), again, ...out.slice(finish + 1)];
    }
  }
  return out;
}

function anthropic(events: AEvent[], q: Set<string>): AEvent[] {
  const out: AEvent[] = [];
  for (const original of events) {
    const e = copy(original);
    if (q.has("no-role") && e.type === "message_start") delete e.message?.role;
    if (q.has("tools-from-1") && typeof e.index === "number") e.index += 1;
    out.push(e);
    if (q.has("two-finish") && e.type === "message_delta" && e.delta?.stop_reason) out.push(copy(e));
  }
  return out;
}

function gemini(events: GEvent[], q: Set<string>): GEvent[] {
  const out: GEvent[] = [];
  for (const original of events) {
    const e = copy(original);
    if (q.has("no-role")) for (const c of e.candidates ?? []) delete c.content?.role;
    out.push(e);
    const finishing = (e.candidates ?? []).filter((c) => c.finishReason);
    if (q.has("two-finish") && finishing.length > 0) {
      out.push({ ...e, candidates: finishing.map((c) => ({ content: { parts: [{ text: "" }], role: "model" }, finishReason: c.finishReason, index: c.index ?? 0 })) });
    }
  }
  return out;
}

export function withQuirks(wire: "openai" | "anthropic" | "gemini", events: unknown[], q: Set<string>): unknown[] {
  if (q.size === 0) return events;
  if (wire === "anthropic") return anthropic(events as AEvent[], q);
  return wire === "gemini" ? gemini(events as GEvent[], q) : openAI(events as OAChunk[], q);
}
