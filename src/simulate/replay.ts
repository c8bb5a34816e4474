/**
 * Replays a traffic log through the gateway's routing: each line becomes the ChatRequest and
 * RequestMeta the gateway would build (`requestMeta`, as for a real request), is planned by
 * `planRequest`, and priced.
 */
import { lastUserText } from "../core/chat-request";
import { GatewayError } from "../core/errors";
import { estimateTokensFromChars } from "../core/tokens";
import type { Config } from "../config/schema";
import { FEATURE_HEADER, requestMeta, type ClientIdentity, type RequestMeta } from "../routing/request-meta";
import { decide, type Decision, type DecisionInput } from "./decide";
import { FlagCounter, COMMON_NOTES } from "./notes";
import { baselineCost, tierOf } from "./price-plan";
import { Tally, type SimulationReport } from "./report";
import type { TrafficLine } from "./traffic-log";

/** The RequestMeta the gateway would build for this line. */
export function lineMeta(line: TrafficLine, config: Config): RequestMeta {
  const headers = new Headers();
  if (line.feature) headers.set(FEATURE_HEADER, line.feature);
  // A key named in the config lends its team and user tier, as on a real request; the line's own values win.
  const key = line.key ? config.access.keys.find((k) => k.name === line.key) : undefined;
  const identity: ClientIdentity = {};
  if (line.key) identity.keyName = line.key;
  const team = line.team ?? key?.team;
  const userTier = line.userTier ?? key?.userTier;
  if (team) identity.team = team;
  if (userTier) identity.userTier = userTier;
  const meta = requestMeta(line.request, headers, identity, line.id !== undefined ? String(line.id) : `line-${line.line}`, 0);
  if (line.promptChars !== undefined) {
    meta.promptChars = line.promptChars;
    meta.promptTokens = estimateTokensFromChars(line.promptChars);
  }
  if (line.hasTools) meta.hasTools = true;
  return meta;
}

export function lineDecisionInput(line: TrafficLine, config: Config): DecisionInput {
  const input: DecisionInput = {
    request: line.request,
    meta: lineMeta(line, config),
    hasText: line.promptChars === undefined,
    escalate: line.labels.escalate,
    escalateKnown: line.labels.checkKnown,
    tokens: { input: line.inputTokens, output: line.outputTokens },
    ratedChars: line.promptChars ?? lastUserText(line.request).length,
  };
  if (line.labels.tier !== undefined) input.tier = line.labels.tier;
  return input;
}

export type LineOutcome = { ok: true; decisions: Decision[] } | { ok: false; message: string };

/** One line of a `--decisions` file: what the gateway would do with the line and what it costs. */
export function decisionRecord(line: TrafficLine, d: Decision, baselineUsd: number): Record<string, unknown> {
  const rec: Record<string, unknown> = { line: line.line };
  if (line.id !== undefined) rec.id = line.id;
  if (d.weight !== 1) rec.weight = d.weight;
  rec.route = d.plan.route;
  rec.strategy = d.plan.strategy;
  rec.served = d.priced.served;
  rec.calls = d.priced.calls;
  rec.escalations = d.priced.escalations;
  if (d.ratingCall) rec.rating_call = d.ratingCall.model;
  rec.cost_usd = d.costUsd;
  rec.baseline_cost_usd = baselineUsd;
  if (d.flags.length > 0) rec.flags = d.flags;
  rec.plan = d.plan;
  return rec;
}

export class Replay {
  private readonly tally = new Tally();
  private readonly flags = new FlagCounter();
  private readonly unroutable: SimulationReport["unroutable"] = { requests: 0, examples: [] };
  private lines = 0;
  private lengthOnly = 0;

  constructor(
    private readonly config: Config,
    private readonly baseline: string,
    private readonly source = "traffic log",
  ) {}

  /** Plans and prices one line, adds it to the report, and returns its decisions (an unroutable line: the gateway's error). */
  add(line: TrafficLine): LineOutcome {
    this.lines++;
    if (line.promptChars !== undefined) this.lengthOnly++;
    let decisions: Decision[];
    try {
      decisions = decide(lineDecisionInput(line, this.config), this.config);
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      this.unroutable.requests++;
      if (this.unroutable.examples.length < 5) this.unroutable.examples.push({ line: line.line, message: e.message });
      return { ok: false, message: e.message };
    }
    const baselineUsd = this.baselineCost(line);
    for (const d of decisions) {
      this.tally.add({
        weight: d.weight,
        model: d.priced.served,
        tier: tierOf(this.config, d.priced.served),
        feature: line.feature ?? null,
        route: d.plan.route,
        inputTokens: line.inputTokens,
        outputTokens: line.outputTokens,
        costUsd: d.costUsd,
        baselineCostUsd: baselineUsd,
        escalated: d.priced.escalations > 0,
      });
    }
    this.flags.add(decisions.flatMap((d) => d.flags));
    return { ok: true, decisions };
  }

  baselineCost(line: TrafficLine): number {
    return baselineCost(this.config, this.baseline, line.inputTokens, line.outputTokens);
  }

  report(): SimulationReport {
    const notes = [...this.flags.notes("lines", "labels"), ...COMMON_NOTES];
    if (this.lengthOnly > 0) notes.push(`${this.lengthOnly.toLocaleString("en-US")} lines gave prompt_chars only: length matchers use it (tokens estimated at 4 chars); lastUserMessage matchers see an empty message`);
    return this.tally.report({
      kind: "replay",
      description: `${this.lines.toLocaleString("en-US")} requests from ${this.source} replayed through the routing config` + (this.unroutable.requests > 0 ? ` (${this.unroutable.requests.toLocaleString("en-US")} unroutable)` : ""),
      baseline: this.baseline,
      notes,
      unroutable: this.unroutable,
      sections: ["feature", "route"],
    });
  }
}
