/**
 * Routes that learn (issue 13) through the gateway: what a classifier route records per request (the
 * prior's score, a text-free summary, exploration, the thresholds' source — never the prompt), and the
 * exploration share run as a cascade with its verdict in the ledger.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq, userMessage } from "../support/gateway";

/** Tier 1 echoes the prompt verbatim; its check fails answers containing HARD; tier 2 is a healthy echo. */
function learningConfig(classifier: Record<string, unknown> = {}) {
  return baseConfig({ cheap: fake(`echo:raw:${uniq()}`, { input: 0.1, output: 0.2 }), strong: fake(`echo:${uniq()}`, { input: 5, output: 10 }) }, [
    {
      name: "auto",
      match: {},
      classifier: { type: "local", thresholds: { "2": 0.99, "3": 0.999 }, tiers: { "1": "cheap", "2": "strong" }, explore: { share: 1, checks: [{ type: "regex", pattern: "HARD", negate: true }] }, ...classifier },
    },
  ] as never);
}

describe("what a classifier route records per request", () => {
  it("prior score, text-free features, thresholds' source — and no word of the prompt", async () => {
    await putConfig(learningConfig({ explore: undefined }));
    const prompt = "Quokkas of Rottnest: how many are there in 2024? Count them.";
    const res = await chat({ messages: userMessage(prompt) });
    expect(res.status).toBe(200);
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ classifier: "local", classifier_tier: 1, explored: 0, thresholds_source: "thresholds", head_score: null });
    expect(Number(request.classifier_score)).toBeGreaterThan(0);
    const features = JSON.parse(String(request.features)) as Record<string, number>;
    expect(features).toMatchObject({ chars: prompt.length, digits: 4, questions: 1, messages: 1 });
    const row = JSON.stringify(request);
    for (const word of ["Quokkas", "Rottnest", "Count them"]) expect(row).not.toContain(word);
  });
});

describe("exploration", () => {
  it("an exploring request runs tier 1 first, checked: a pass stays cheap, a failure escalates; both recorded as exploration", async () => {
    await putConfig(learningConfig());
    const easy = await chat({ messages: userMessage("an easy question") });
    expect(easy.headers.get("x-tiergate-model")).toBe("cheap");
    const e = await ledger(easy.headers.get("x-tiergate-request-id"));
    expect(e.request).toMatchObject({ strategy: "classifier", explored: 1, served_model: "cheap", quality: "passed", escalations: 0 });

    const hard = await chat({ messages: userMessage("a HARD question") });
    expect(hard.headers.get("x-tiergate-model")).toBe("strong");
    const h = await ledger(hard.headers.get("x-tiergate-request-id"));
    expect(h.request).toMatchObject({ explored: 1, served_model: "strong", escalations: 1 });
    expect(h.attempts.map((a) => [a.kind, a.model])).toEqual([["primary", "cheap"], ["escalation", "strong"]]);
    // the exploration's cost is both calls
    expect(Number(h.request.cost_usd)).toBeCloseTo(Number(h.attempts[0]?.cost_usd) + Number(h.attempts[1]?.cost_usd), 12);
  });

  it("explain shows the prior score, the thresholds in force and their source", async () => {
    await putConfig(learningConfig({ explore: undefined, tuning: { id: "tune-42", date: "2026-12-02T20:00:00.000Z" } }));
    const res = await gw("/admin/explain", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ model: "auto", messages: userMessage("hello") }) });
    const { plan } = (await res.json()) as { plan: { classifier: Record<string, unknown> } };
    expect(plan.classifier).toMatchObject({ type: "local", tier: 1, thresholds: { "2": 0.99, "3": 0.999 }, thresholdsSource: { kind: "tuning", id: "tune-42", date: "2026-12-02T20:00:00.000Z" } });
    expect(typeof plan.classifier.score).toBe("number");
  });
});

describe("POST /admin/routes/:name/tune refuses clearly", () => {
  const tune = (name: string, body: unknown = {}) => gw(`/admin/routes/${name}/tune`, { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(body) });

  it("404 for an unknown route, 422 for a route without a local classifier or without labels, 400 for a bad body, 401 without the admin token", async () => {
    await putConfig(baseConfig({ cheap: fake(`echo:${uniq()}`), strong: fake(`echo:${uniq()}`) }, [
      { name: "plain", match: { feature: "plain" }, model: "cheap" },
      { name: "unlabelled", match: {}, classifier: { type: "local", tiers: { "1": "cheap", "2": "strong" } } },
    ] as never));
    expect((await tune("nope")).status).toBe(404);
    const plain = await tune("plain");
    expect(plain.status).toBe(422);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("route_not_tunable");
    await chat({ messages: userMessage("one request, no label") });
    const none = await tune("unlabelled");
    expect(none.status).toBe(422);
    const err = ((await none.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe("too_few_labels");
    expect(err.message).toMatch(/explore/);
    expect((await tune("unlabelled", { target: 2 })).status).toBe(400);
    expect((await gw("/admin/routes/unlabelled/tune", { method: "POST" })).status).toBe(401);
  });
});
