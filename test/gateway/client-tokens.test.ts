/** Short-lived client tokens for browsers: minted by POST /admin/tokens, verified without a storage read, capped, scoped, expiring. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { signToken, verifyToken } from "../../src/access/client-token";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq, userMessage } from "../support/gateway";

const APP = "https://app.example.com";
const json = { ...ADMIN, "content-type": "application/json" };

async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await gw("/admin/keys", { method: "POST", headers: json, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}
async function mint(body: Record<string, unknown>): Promise<Response> {
  return gw("/admin/tokens", { method: "POST", headers: json, body: JSON.stringify(body) });
}
const ask = (token: string, headers: Record<string, string> = { origin: APP }) => chat({ model: "auto", max_tokens: 5, messages: userMessage("count these words please") }, headers, { key: token });

beforeEach(async () =>
  putConfig(baseConfig({ pricey: fake(`echo:${uniq()}`, { input: 1_000, output: 1_000 }) }, [{ name: "other", match: { feature: "other" }, model: "echo" }, { name: "default", match: {}, model: "pricey" }])),
);

describe("client tokens", () => {
  it("a minted token works from its origin, is attributed to its key, and is refused from an unlisted origin", async () => {
    const { id } = await createKey({ name: `web-${uniq().slice(4)}`, team: "web", origins: [APP, "https://other.example.com"] });
    const res = await mint({ keyId: id, origins: [APP], spendCapUsd: 1, expiresInSeconds: 900 });
    expect(res.status).toBe(201);
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(800_000);
    const ok = await ask(token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect((await ledger(ok.headers.get("x-tiergate-request-id"))).request).toMatchObject({ team: "web" });
    expect((await ask(token, { origin: "https://other.example.com" })).status).toBe(403);
  });

  it("refuses an expired token and a tampered one with 401", async () => {
    const { id } = await createKey({ name: `exp-${uniq().slice(4)}`, origins: [APP] });
    const { token } = (await (await mint({ keyId: id, spendCapUsd: 1, expiresInSeconds: 60 })).json()) as { token: string };
    const claims = await verifyToken(token, "test-token-signing-secret", Date.now());
    const expired = await signToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }, "test-token-signing-secret");
    const res = await ask(expired);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    const forged = await signToken({ ...claims, cap: 1_000 }, "not-the-secret");
    expect((await ask(forged)).status).toBe(401);
    await expect(verifyToken(token, "test-token-signing-secret", (claims.exp + 1) * 1000)).rejects.toThrow(/expired/);
  });

  it("holds its spend cap: requests past it get 429 budget_exceeded and the spend stays under the cap", async () => {
    const { id } = await createKey({ name: `cap-${uniq().slice(4)}`, origins: [APP] });
    const cap = 0.06;
    const { token, tokenId } = (await (await mint({ keyId: id, spendCapUsd: cap, expiresInSeconds: 600 })).json()) as { token: string; tokenId: string };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await ask(token);
      statuses.push(r.status);
      await ledger(r.headers.get("x-tiergate-request-id"));
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.at(-1)).toBe(429);
    const view = await env.SPEND.get(env.SPEND.idFromName(`token:${tokenId}`)).view(Date.now(), null);
    console.log(`token cap $${cap}: spent $${view.spentUsd.toFixed(6)}, statuses ${statuses.join(",")}`);
    expect(view.spentUsd).toBeGreaterThan(0);
    expect(view.spentUsd).toBeLessThanOrEqual(cap);
  });

  it("can only narrow its key: scoped routes give 403 elsewhere; wider origins are refused at mint", async () => {
    const { id } = await createKey({ name: `narrow-${uniq().slice(4)}`, origins: [APP] });
    expect((await mint({ keyId: id, origins: ["https://evil.example.net"], spendCapUsd: 1, expiresInSeconds: 600 })).status).toBe(400);
    expect((await mint({ keyId: id, spendCapUsd: 1, expiresInSeconds: 7 * 24 * 3600 })).status).toBe(400);
    const { token } = (await (await mint({ keyId: id, routes: ["default"], spendCapUsd: 1, expiresInSeconds: 600 })).json()) as { token: string };
    expect((await ask(token)).status).toBe(200);
    expect((await chat({ model: "auto", messages: userMessage() }, { origin: APP, "x-tiergate-feature": "other" }, { key: token })).status).toBe(403);
  });
});
