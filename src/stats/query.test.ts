import { describe, expect, it } from "vitest";
import { GatewayError } from "../core/errors";
import { DEFAULT_WINDOW_MS, parseStatsQuery } from "./query";

const parse = (q: Record<string, string>, now = Date.UTC(2026, 3, 1)) => parseStatsQuery((n) => q[n], now);

describe("the stats query", () => {
  it("defaults to the last 30 days, one period, no grouping", () => {
    const now = Date.UTC(2026, 3, 1);
    expect(parse({}, now)).toEqual({ from: now - DEFAULT_WINDOW_MS, to: now, group: [], interval: null, filters: {}, source: "auto" });
  });

  it("reads ISO and ms bounds, two group levels, an interval and comma-separated filters", () => {
    expect(parse({ from: "2026-03-01", to: "1775001600000", group: "route, model", interval: "day", team: "a,b", feature: "x" })).toEqual({
      from: Date.UTC(2026, 2, 1), to: 1775001600000, group: ["route", "model"], interval: "day", filters: { team: ["a", "b"], feature: ["x"] }, source: "auto",
    });
  });

  it("refuses an unknown dimension with the list of known ones", () => {
    try {
      parse({ group: "colour" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError);
      expect((e as GatewayError).message).toMatch(/route, model, tier, feature, team, key, provider/);
    }
  });
});
