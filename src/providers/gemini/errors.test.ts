import { describe, expect, it } from "vitest";
import { durationMs } from "./errors";

describe("durationMs (google.rpc.RetryInfo retryDelay)", () => {
  it("reads protobuf JSON durations", () => {
    expect(durationMs("26s")).toBe(26_000);
    expect(durationMs("0.5s")).toBe(500);
    expect(durationMs("1.000340s")).toBe(1000);
  });
  it("ignores anything else", () => {
    expect(durationMs(undefined)).toBeUndefined();
    expect(durationMs("26")).toBeUndefined();
    expect(durationMs("soon")).toBeUndefined();
  });
});
