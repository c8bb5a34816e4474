import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, rememberSecrets, scrubDeep, scrubSecrets, secretForms } from "./secrets";

const KEY = "sk-live-Zq8pW3nX7vB2mK9tR4yL";
const ADMIN = "admin-token-7f3a9c2e1b";

afterEach(() => forgetSecrets());

describe("scrubSecrets: key-shaped tokens", () => {
  it.each([
    ["Incorrect API key provided: sk-proj-abcdEFGH12345678", "Incorrect API key provided: [redacted]"],
    ["key sk-ant-api03-abcdefghijklmnop rejected", "key [redacted] rejected"],
    ["KEY SK-ANT-API03-ABCDEFGHIJKLMNOP REJECTED", "KEY [redacted] REJECTED"],
    ["groq gsk_ABCDEFGH12345678 bad", "groq [redacted] bad"],
    ["https://x/v1beta/models/m:generateContent?key=AIzaSyA-1234567890abcdefghijk", "https://x/v1beta/models/m:generateContent?key=[redacted]"],
    ["Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer [redacted]"],
    ['{"x-api-key": "abcdefgh12345678"}', '{"x-api-key": "[redacted]"}'],
  ])("%s", (input, output) => {
    expect(scrubSecrets(input)).toBe(output);
  });

  it("leaves ordinary text alone", () => {
    const text = "The model risk-assessment-framework answered 42 tokens; see https://example.test/docs?page=2";
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe("scrubSecrets: the values of the secrets in use", () => {
  const bytes = new TextEncoder().encode(KEY);
  const encodings: Array<[string, string]> = [
    ["exact", KEY],
    ["upper case", KEY.toUpperCase()],
    ["lower case", KEY.toLowerCase()],
    ["base64", btoa(KEY)],
    ["base64 at offset 1", btoa("x" + KEY)],
    ["base64 at offset 2", btoa("xy" + KEY)],
    ["base64url", btoa(KEY).replace(/\+/g, "-").replace(/\//g, "_")],
    ["percent-encoded", [...bytes].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("")],
    ["hex", [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")],
  ];
  it.each(encodings)("%s", (_name, form) => {
    rememberSecrets({ OPENAI_API_KEY: KEY });
    const out = scrubSecrets(`before ${form} after`);
    expect(out).toContain("[redacted]");
    // No 8-character stretch of the encoded form survives.
    for (let i = 0; i + 8 <= form.length; i += 4) expect(out).not.toContain(form.slice(i, i + 8));
  });

  it("remembers tokens named like secrets, not ordinary vars", () => {
    rememberSecrets({ ADMIN_TOKEN: ADMIN, CONFIG_CACHE_TTL_SECONDS: "10000000000", TEST_UPSTREAM_URL: "http://127.0.0.1:1234" });
    expect(scrubSecrets(`token ${ADMIN} at http://127.0.0.1:1234 ttl 10000000000`)).toBe("token [redacted] at http://127.0.0.1:1234 ttl 10000000000");
  });

  it("takes a call's own key, even a short one", () => {
    expect(scrubSecrets("bad key abc123", ["abc123"])).toBe("bad key [redacted]");
  });

  it("every form of a key is at least 8 characters (short forms would redact words)", () => {
    for (const f of secretForms(KEY)) expect(f.length).toBeGreaterThanOrEqual(8);
  });
});

describe("scrubDeep", () => {
  it("scrubs every string of a nested value and keeps the rest", () => {
    rememberSecrets({ OPENAI_API_KEY: KEY });
    const out = scrubDeep({ a: [`x ${KEY}`, 3, null, { b: KEY.toUpperCase(), c: true }], [KEY]: "k" });
    expect(out).toEqual({ a: ["x [redacted]", 3, null, { b: "[redacted]", c: true }], "[redacted]": "k" });
  });
});
