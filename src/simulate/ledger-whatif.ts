/**
 * "What if I change these rules": re-plans answered ledger rows under another config and compares
 * what they would cost with what they did cost. The ledger has no prompt text, so routing sees:
 * the recorded feature, requested model, user tier, team and key; a prompt length of
 * `input_tokens` (× 4 chars); no tools, no response_format, an empty last user message; for
 * classifier routes the recorded local score (re-tiered) or the recorded tier.
 */
import { GatewayError } from "../core/errors";
import type { Config } from "../config/schema";
import type { RequestMeta } from "../routing/request-meta";
import { decide, type Decision, type DecisionInput } from "./decide";
import type { LedgerRow } from "./ledger-export";
import { COMMON_NOTES, FlagCounter } from "./notes";
import { baselineCost, tierOf } from "./price-plan";
import { Tally, type SimulationReport } from "./report";

export function rowDecisionInput(row: LedgerRow): DecisionInput {
  const meta: RequestMeta = {
    requestId: row.id,
    receivedAt: row.ts,
    promptChars: row.inputTokens * 4,
    promptTokens: row.inputTokens,
    hasTools: false,
    hasResponseFormat: false,
    lastUserText: "",
  };
  if (row.feature) meta.feature = row.feature;
  if (row.userTier) meta.userTier = row.userTier;
  if (row.team) meta.team = row.team;
  if (row.keyName) meta.keyName = row.keyName;
  const input: DecisionInput = {
    request: { model: row.requestedModel ?? "auto", messages: [{ role: "user", content: "" }] },
    meta,
    hasText: false,
    escalate: row.escalations,
    escalateKnown: row.quality === "passed" || row.quality === "failed",
    tokens: { input: row.inputTokens, output: row.outputTokens, cachedInput: row.cachedInputTokens, cachedFor: row.servedModel ?? "" },
    ratedChars: Math.min(row.inputTokens * 4, 4_000),
  };
  if (row.classifierTier !== null) input.tier = row.classifierTier;
  if (row.classifier === "local" && row.classifierScore !== null) input.localScore = row.classifierScore;
  return input;
}

/** What the ledger cannot tell a config's matchers, as notes (only for matchers the config uses). */
function blindSpots(config: Config): string[] {
  const using = (pred: (m: Config["routes"][number]["match"]) => boolean) => config.routes.filter((r) => pred(r.match)).map((r) => r.name);
  const notes: string[] = [];
  const length = using((m) => [m.minPromptChars, m.maxPromptChars, m.minPromptTokens, m.maxPromptTokens].some((v) => v !== undefined));
  if (length.length > 0) notes.push(`the ledger has no prompt length: routes ${length.join(", ")} match on input_tokens (and input_tokens × 4 chars)`);
  const tools = using((m) => m.hasTools !== undefined || m.hasResponseFormat !== undefined);
  if (tools.length > 0) notes.push(`the ledger does not record tools or response_format: routes ${tools.join(", ")} see neither`);
  const text = using((m) => m.lastUserMessage !== undefined);
  if (text.length > 0) notes.push(`the ledger has no prompt text: routes ${text.join(", ")} match lastUserMessage against an empty message`);
  const split = using((m) => m.split?.by === "user");
  if (split.length > 0) notes.push(`the ledger does not record the end user: split routes ${split.join(", ")} bucket by key, else request id`);
  return notes;
}

export class LedgerWhatIf {
  private readonly tally = new Tally();
  private readonly flags = new FlagCounter();
  private readonly unroutable: SimulationReport["unroutable"] = { requests: 0, examples: [] };
  private readonly skipped: Record<string, number> = {};
  private rows = 0;
  private readonly range = { from: Infinity, to: -Infinity };

  constructor(
    private readonly config: Config,
    private readonly baseline: string,
    private readonly source = "ledger export",
  ) {}

  add(row: LedgerRow, index: number): { ok: true; decisions: Decision[] } | { ok: false; message: string } {
    this.rows++;
    if (row.status !== "ok" || row.servedModel === null || row.requestedModel === null) {
      const reason = row.status !== "ok" ? `status ${row.status}` : "no model recorded";
      this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
      return { ok: false, message: `skipped: ${reason}` };
    }
    this.range.from = Math.min(this.range.from, row.ts);
    this.range.to = Math.max(this.range.to, row.ts);
    let decisions: Decision[];
    try {
      decisions = decide(rowDecisionInput(row), this.config);
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      this.unroutable.requests++;
      if (this.unroutable.examples.length < 5) this.unroutable.examples.push({ line: index, message: `${row.where}: ${e.message}` });
      return { ok: false, message: e.message };
    }
    const baselineUsd = baselineCost(this.config, this.baseline, row.inputTokens, row.outputTokens);
    for (const d of decisions) {
      this.tally.add({
        weight: d.weight,
        model: d.priced.served,
        tier: tierOf(this.config, d.priced.served),
        feature: row.feature,
        route: d.plan.route,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        costUsd: d.costUsd,
        baselineCostUsd: baselineUsd,
        escalated: d.priced.escalations > 0,
        actual: { costUsd: row.costUsd, model: row.servedModel },
      });
    }
    this.flags.add(decisions.flatMap((d) => d.flags));
    return { ok: true, decisions };
  }

  report(): SimulationReport {
    const answered = this.tally.requests;
    const period = answered > 0 ? ` from ${new Date(this.range.from).toISOString()} to ${new Date(this.range.to).toISOString()}` : "";
    return this.tally.report({
      kind: "ledger",
      description: `${Math.round(answered).toLocaleString("en-US")} answered requests of ${this.rows.toLocaleString("en-US")} ledger rows (${this.source})${period}, re-planned under the config`,
      baseline: this.baseline,
      notes: [
        "actual = the recorded cost_usd (every attempt: fallbacks, retries, escalations, samples, rating calls); what-if = the same tokens under the re-planned route",
        "prompt-cache reads (cached_input_tokens) keep their discount only where the what-if model is the one that answered",
        ...blindSpots(this.config),
        ...this.flags.notes("rows", "ledger"),
        ...COMMON_NOTES,
      ],
      unroutable: this.unroutable,
      skipped: this.skipped,
      sections: ["feature", "route"],
    });
  }
}
