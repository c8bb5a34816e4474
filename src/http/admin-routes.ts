/**
 * /admin/routes/:name — a classifier route that learns from its outcomes (issue 13):
 *   POST /tune     fit thresholds (and optionally a head) from the route's labels in D1; stores and returns
 *                  the run: cost–quality curve, current and proposed points, warnings, and the one PUT that applies it
 *   PUT  /tuning   {"id", "mode": "apply" | "shadow" | "clear"}: apply a run's proposal, evaluate it in shadow, or stop
 *   GET  /tuning   thresholds in force and their source, the proposal in shadow with its projected cost and quality, recent runs
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { tierSteps, type Config, type Route } from "../config/schema";
import { GatewayError } from "../core/errors";
import { validateConfigText } from "../config/validate";
import { modelNamed } from "../config/lookup";
import type { AppEnv } from "../env";
import { readConfigText, storeConfig } from "../storage/config-store";
import { listTunings, readShadowRows, readTuneRows, readTuning, saveTuning, setTuningStatus } from "../storage/route-tunings";
import { thresholdsSource } from "../routing/learning";
import { meanCostOn, routeSetup, withProposal, type RouteSetup } from "../tuning/route-setup";
import { tuneRoute } from "../tuning/run";
import { shadowFigures } from "../tuning/shadow";
import { configUnavailable, loadConfig, reloadConfig } from "./config-access";
import { invalidBody } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";

export const adminRoutes = new Hono<AppEnv>();

const TuneBody = z.strictObject({
  /** Share of requests that must be answered well (cheap answers good enough, or sent strong). */
  target: z.number().gt(0).max(1).default(0.95),
  fitShare: z.number().gt(0).lt(1).default(0.7),
  minLabels: z.number().int().min(2).default(200),
  minFailures: z.number().int().min(0).default(20),
  head: z.enum(["auto", "on", "off"]).default("auto"),
  /** Only requests newer than this many days. */
  days: z.optional(z.number().positive().max(3650)),
});
const ApplyBody = z.strictObject({ id: z.string().min(1), mode: z.enum(["apply", "shadow", "clear"]) });

const notFound = (message: string, code: string) => new GatewayError({ status: 404, type: "not_found_error", code, message, param: "name", errorClass: "not_found", retryable: false });
const unprocessable = (message: string, code: string) => new GatewayError({ status: 422, type: "invalid_request_error", code, message, param: null, errorClass: "bad_request", retryable: false });

async function body<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  const text = await readBodyText(c.req.raw, 16_384);
  const parsed = schema.safeParse(text.trim() === "" ? {} : parseJsonBody(text));
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

async function tunable(c: Context<AppEnv>): Promise<{ config: Config; route: Route; setup: RouteSetup }> {
  const state = await loadConfig(c);
  if (!state.config) throw configUnavailable(state);
  const name = c.req.param("name") ?? "";
  const route = state.config.routes.find((r) => r.name === name);
  if (!route) throw notFound(`no route named "${name}"`, "route_not_found");
  const setup = routeSetup(route);
  if (typeof setup === "string") throw unprocessable(setup, "route_not_tunable");
  return { config: state.config, route, setup };
}

adminRoutes.post("/:name/tune", async (c) => {
  const opts = await body(c, TuneBody);
  const { config, route, setup } = await tunable(c);
  const now = new Date();
  const rows = await readTuneRows(c.env.LEDGER, route.name, opts.days ? now.getTime() - opts.days * 86_400_000 : 0);
  let tuning;
  try {
    tuning = tuneRoute({
      route: route.name, rows, cheapModel: setup.cheapModel,
      cheapCost: meanCostOn(config, setup.cheapModel, rows), strongCost: meanCostOn(config, setup.strongModel, rows),
      current: setup.current, ...(setup.currentHead ? { currentHead: setup.currentHead } : {}),
      target: opts.target, fitShare: opts.fitShare, minLabels: opts.minLabels, minFailures: opts.minFailures, head: opts.head,
      now, id: `tune-${now.getTime().toString(36)}-${crypto.randomUUID().slice(0, 6)}`,
    });
  } catch (err) {
    throw unprocessable(`${(err as Error).message}; ${rows.length} requests on the route have a prior score (turn on \`explore\` so labels arrive)`, "too_few_labels");
  }
  await saveTuning(c.env.LEDGER, tuning);
  const put = (mode: "apply" | "shadow") => ({ method: "PUT", path: `/admin/routes/${route.name}/tuning`, body: { id: tuning.id, mode } });
  return c.json({ tuning, apply: put("apply"), shadow: put("shadow") }, 201);
});

adminRoutes.put("/:name/tuning", async (c) => {
  const { id, mode } = await body(c, ApplyBody);
  const { route } = await tunable(c);
  const stored = await readTuning(c.env.LEDGER, id);
  if (!stored || stored.route !== route.name) throw notFound(`no tuning run "${id}" for route "${route.name}"`, "tuning_not_found");
  const text = (await readConfigText(c.env.CONFIG)).config;
  if (text === null) throw configUnavailable(await reloadConfig(c));
  const next = JSON.stringify(withProposal(JSON.parse(text), route.name, stored.tuning, mode), null, 2);
  const result = validateConfigText(next);
  if (!result.ok) throw unprocessable(`the proposal does not make a valid config: ${result.message}`, "invalid_proposal");
  const hash = await storeConfig(c.env.CONFIG, next);
  await reloadConfig(c);
  await setTuningStatus(c.env.LEDGER, id, mode === "apply" ? "applied" : mode === "shadow" ? "shadow" : "proposed", Date.now());
  const classifier = (JSON.parse(next) as { routes: Array<{ name: string; classifier: unknown }> }).routes.find((r) => r.name === route.name)?.classifier;
  return c.json({ id, mode, stored: true, hash, classifier });
});

adminRoutes.get("/:name/tuning", async (c) => {
  const { config, route, setup } = await tunable(c);
  const spec = setup.spec;
  const tierPrice = (tier: number) => {
    const target = spec.tiers[String(tier) as "1" | "2" | "3"];
    return target ? modelNamed(config, tierSteps(target)[0]!.model)?.price : undefined;
  };
  const shadow = spec.proposal
    ? { ...spec.proposal, figures: shadowFigures(await readShadowRows(c.env.LEDGER, route.name, spec.proposal.id), setup.cheapModel, tierPrice) }
    : null;
  const runs = (await listTunings(c.env.LEDGER, route.name)).map((r) => ({
    id: r.id, date: r.tuning.date, status: r.status, statusAt: r.statusTs ? new Date(r.statusTs).toISOString() : null,
    target: r.tuning.target, labels: r.tuning.labels, trustworthy: r.tuning.trustworthy, chosen: r.tuning.chosen,
    thresholds: r.tuning.proposal.thresholds, proposed: r.tuning.proposed.test, current: r.tuning.current?.test ?? null, warnings: r.tuning.warnings,
  }));
  return c.json({ route: route.name, inForce: { thresholds: setup.current, head: spec.head ?? null, source: thresholdsSource(spec) }, shadow, runs });
});
