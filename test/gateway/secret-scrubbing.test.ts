/**
 * No provider key leaves the gateway: upstreams echo the key in every error field, in non-JSON
 * bodies around the 300-character cut, upper-cased and base64-encoded, and in stream error events;
 * a scan of everything each request produced (status line, headers, body, ledger rows, log lines)
 * finds no trace of it. keySecret may name only provider-key secrets, and a key goes only to its hosts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { secretForms } from "../../src/core/secrets";
import { ADMIN, baseConfig, chat, fake, fakeAnthropic, fakeGemini, gw, ledger, messages, putConfig, uniq, upstreamRequests } from "../support/gateway";
import { testEnv } from "../support/env";

const KEY = testEnv().TEST_UPSTREAM_API_KEY;

/** Every trace of the key: 12-character windows of each of its forms (any case), and its prefixes of 6+ characters. */
function traces(text: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const form of secretForms(KEY)) {
    for (let i = 0; i + 12 <= form.length; i++) if (lower.includes(form.slice(i, i + 12).toLowerCase())) found.push(form.slice(i, i + 12));
  }
  for (let n = 6; n <= KEY.length; n++) if (lower.includes(KEY.slice(0, n).toLowerCase())) found.push(KEY.slice(0, n));
  return found;
}

let logLines: string[] = [];
beforeEach(() => {
  logLines = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logLines.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

/** Everything one request produced, as one text to scan. */
async function produced(res: Response): Promise<{ status: number; text: string; all: string }> {
  const text = await res.text();
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  const row = await ledger(res.headers.get("x-tiergate-request-id"));
  return { status: res.status, text, all: [res.status, headers, text, JSON.stringify(row), ...logLines].join("\n") };
}

const WIRES = [["OpenAI", fake], ["Anthropic", fakeAnthropic], ["Gemini", fakeGemini]] as const;

describe("an upstream that echoes its key never gets it to the client, the ledger or a log", () => {
  for (const [wire, model] of WIRES) {
    for (const variant of ["leak:fields", "leak:upper"]) {
      it(`${wire}: ${variant} (JSON error body), stream and not`, async () => {
        await putConfig(baseConfig({ m: model(`${variant}:${uniq()}`) }));
        for (const stream of [false, true]) {
          const out = await produced(await chat({ model: "m", messages: [{ role: "user", content: "x" }], stream }));
          expect(out.status).toBe(502);
          expect(out.text).toContain("[redacted]");
          expect(traces(out.all)).toEqual([]);
        }
      });
    }

    it(`${wire}: a non-JSON body with the key at every position around the 300-character cut`, async () => {
      const positions = [250, 270, 280, 285, 290, 295, 298, 299, 300, 301];
      await putConfig(baseConfig(Object.fromEntries(positions.map((at) => [`m${at}`, model(`leak:text:at=${at}:${uniq()}`)]))));
      for (const at of positions) {
        const out = await produced(await chat({ model: `m${at}`, messages: [{ role: "user", content: "x" }] }));
        expect(out.status).toBe(502);
        expect(traces(out.all), `key at ${at}`).toEqual([]);
      }
    });

    for (const n of [0, 2]) {
      it(`${wire}: a stream error event quoting the key after ${n} frames`, async () => {
        await putConfig(baseConfig({ m: model(`leak:stream:n=${n}:${uniq()}`) }));
        const out = await produced(await chat({ model: "m", messages: [{ role: "user", content: "x" }], stream: true }));
        expect(out.text).toMatch(/error/);
        expect(traces(out.all)).toEqual([]);
      });
    }
  }

  it("the Anthropic-format endpoint scrubs the same way, streamed and not", async () => {
    await putConfig(baseConfig({ m: fake(`leak:fields:${uniq()}`), s: fake(`leak:stream:n=2:${uniq()}`) }));
    for (const [m, stream] of [["m", false], ["m", true], ["s", true]] as const) {
      const out = await produced(await messages({ model: m, max_tokens: 20, messages: [{ role: "user", content: "x" }], stream }));
      expect(out.text).toMatch(/error/);
      expect(traces(out.all)).toEqual([]);
    }
  });
});

describe("the Responses endpoint scrubs the same way", () => {
  it("POST /v1/responses: error fields and stream error events, streamed and not", async () => {
    await putConfig(baseConfig({ m: fake(`leak:fields:${uniq()}`), s: fake(`leak:stream:n=2:${uniq()}`) }));
    for (const [model, stream] of [["m", false], ["m", true], ["s", true]] as const) {
      const res = await gw("/v1/responses", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, input: "x", stream }) });
      const out = await produced(res);
      expect(out.text).toMatch(/error/);
      expect(traces(out.all)).toEqual([]);
    }
  });
});

describe("keySecret names only provider-key secrets", () => {
  for (const name of ["ADMIN_TOKEN", "DASHBOARD_TOKEN", "TEST_UPSTREAM_URL", "SIGNING_SECRET"]) {
    it(`a provider naming ${name} is rejected with its path`, async () => {
      const doc = baseConfig();
      (doc.providers.up as { keySecret?: string }).keySecret = name;
      const res = await gw("/admin/config", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(doc) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toContain("$.providers.up.keySecret");
      expect(body.error.message).toContain("_API_KEY");
    });
  }
});

describe("a key goes only to the hosts bound to its secret name", () => {
  it("a baseUrl moved to another host does not get the key: the call is refused before it is sent", async () => {
    const id = `echo:${uniq()}`;
    const moved = testEnv().TEST_UPSTREAM_URL.replace("127.0.0.1", "localhost");
    const doc = baseConfig({ m: { provider: "moved", id, price: { input: 1, output: 2 } } });
    doc.providers.moved = { type: "openai", baseUrl: `${moved}/v1`, keySecret: "TEST_UPSTREAM_API_KEY" };
    await putConfig(doc);
    const res = await chat({ model: "m", messages: [{ role: "user", content: "x" }] });
    const body = (await res.json()) as { error: { message: string } };
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(body.error.message).toContain("may not be sent to localhost");
    expect(await upstreamRequests(id)).toEqual([]);
    const row = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(row.attempts[0]?.error_class).toBe("config");
  });

  it("the same provider on its bound host works", async () => {
    await putConfig(baseConfig({ m: fake(`echo:${uniq()}`) }));
    const res = await chat({ model: "m", messages: [{ role: "user", content: "hello" }] });
    expect(res.status).toBe(200);
  });
});
