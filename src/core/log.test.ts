import { afterEach, describe, expect, it, vi } from "vitest";
import { logEvent } from "./log";
import { forgetSecrets, rememberSecrets } from "./secrets";

afterEach(() => {
  vi.restoreAllMocks();
  forgetSecrets();
});

describe("logEvent", () => {
  it("writes one JSON line with no secret in any field, nested or in error text", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    rememberSecrets({ ANTHROPIC_API_KEY: "sk-ant-api03-Secret123456" });
    logEvent("error", "ledger_write_failed", { error: String(new Error("auth failed for SK-ANT-API03-SECRET123456")), entry: { nested: ["sk-ant-api03-Secret123456"] } });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0] as string) as { event: string; error: string; entry: { nested: string[] } };
    expect(parsed.event).toBe("ledger_write_failed");
    expect(parsed.error).toBe("Error: auth failed for [redacted]");
    expect(parsed.entry.nested).toEqual(["[redacted]"]);
  });
});
