/**
 * Clients that leave: before the first content, mid-stream, on either inbound format. Each time the
 * upstream call is cancelled at once (the fake upstream sees its connection close within 1 s) and
 * the ledger has exactly one row with status `aborted`, carrying the tokens and cost so far —
 * estimated, and marked so, when the upstream reported no usage.
 */
import { describe, expect, it } from "vitest";
import { baseConfig, chat, fake, ledger, ledgerByFeature, messages, putConfig, uniq, upstreamRequests, type UpstreamRequest } from "../support/gateway";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prompt = [{ role: "user", content: "a question worth a long answer" }];

/** The fake upstream's record of this model's call, once its connection has closed. */
async function closedCall(model: string): Promise<UpstreamRequest> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const call = (await upstreamRequests(model)).at(-1);
    if (call?.closedAt !== undefined) return call;
    if (Date.now() > deadline) throw new Error(`the upstream call for ${model} is still open`);
    await sleep(20);
  }
}

async function expectCancelledUpstream(model: string, leftAt: number) {
  const call = await closedCall(model);
  expect(call.finished).toBe(false);
  expect((call.closedAt ?? Infinity) - leftAt).toBeLessThan(1_000);
}

describe("a client that leaves before the first content", () => {
  it.each([true, false])("stream=%s: upstream cancelled, one aborted row with the prompt estimated", async (stream) => {
    const id = `slow:5000:${uniq()}`;
    const feature = uniq();
    await putConfig(baseConfig({ p: fake(id, { input: 1_000, output: 2_000 }) }, [{ name: "default", match: {}, model: "p" }]));
    const client = new AbortController();
    const pending = chat({ model: "auto", messages: prompt, stream }, { "x-tiergate-feature": feature }, { signal: client.signal });
    await sleep(300);
    const leftAt = Date.now();
    client.abort();
    await expect(pending).rejects.toThrow();
    await expectCancelledUpstream(id, leftAt);
    const rows = await ledgerByFeature(feature);
    expect(rows).toHaveLength(1);
    const { request, attempts } = rows[0]!;
    expect(request).toMatchObject({ status: "aborted", error_class: "client_aborted", served_model: null, usage_estimated: 1, output_tokens: 0, attempts: 1 });
    expect(request.input_tokens).toBeGreaterThan(0);
    expect(request.cost_usd).toBeCloseTo((request.input_tokens as number) * 1_000 / 1e6, 12);
    expect(attempts).toMatchObject([{ ok: 0, error_class: "client_aborted", usage_estimated: 1 }]);
  });
});

describe("a client that leaves mid-stream", () => {
  // The answer has begun (3 frames sent), then the upstream keeps the connection open.
  const begun = () => `stall:3:${uniq()}`;

  async function readFirstContent(res: Response): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const reader = res.body!.getReader();
    let seen = "";
    while (!seen.includes("echo:")) seen += new TextDecoder().decode((await reader.read()).value);
    return reader;
  }

  async function expectAbortedRow(requestId: string | null) {
    const { request, attempts } = await ledger(requestId);
    expect(request).toMatchObject({ status: "aborted", served_model: "p", usage_estimated: 1 });
    expect(request.output_tokens).toBeGreaterThan(0);
    expect(request.cost_usd).toBeGreaterThan(0);
    expect(attempts).toMatchObject([{ ok: 0, error_class: "client_aborted" }]);
  }

  it("cancelling the body: upstream cancelled, one aborted row (not partial) with output so far", async () => {
    const id = begun();
    await putConfig(baseConfig({ p: fake(id) }, [{ name: "default", match: {}, model: "p" }]));
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    const reader = await readFirstContent(res);
    const leftAt = Date.now();
    await reader.cancel();
    await expectCancelledUpstream(id, leftAt);
    await expectAbortedRow(res.headers.get("x-tiergate-request-id"));
  });

  it("the connection going away (request signal): still aborted, not partial", async () => {
    const id = begun();
    await putConfig(baseConfig({ p: fake(id) }, [{ name: "default", match: {}, model: "p" }]));
    const client = new AbortController();
    const res = await chat({ model: "auto", messages: prompt, stream: true }, {}, { signal: client.signal });
    await readFirstContent(res);
    const leftAt = Date.now();
    client.abort();
    await expectCancelledUpstream(id, leftAt);
    await expectAbortedRow(res.headers.get("x-tiergate-request-id"));
  });

  it("on /v1/messages too", async () => {
    const id = begun();
    await putConfig(baseConfig({ p: fake(id) }, [{ name: "default", match: {}, model: "p" }]));
    const client = new AbortController();
    const res = await messages({ model: "auto", max_tokens: 50, messages: prompt, stream: true }, {}, { signal: client.signal });
    await readFirstContent(res);
    const leftAt = Date.now();
    client.abort();
    await expectCancelledUpstream(id, leftAt);
    await expectAbortedRow(res.headers.get("x-tiergate-request-id"));
  });
});
