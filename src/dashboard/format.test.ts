import { describe, expect, it } from "vitest";
import { formatUsd, formatValue, kindOfColumn } from "./format";
import { METRIC_COLUMNS } from "./data";

describe("dashboard number formatting", () => {
  it("shows money to 4 significant digits, 2 decimals from $100", () => {
    expect([0, 0.5, 12.3456, 0.00123456, 99.99, 1234.567, -0.0215].map(formatUsd)).toEqual(["$0", "$0.5", "$12.35", "$0.001235", "$99.99", "$1,234.57", "-$0.0215"]);
  });

  it("shows rates as percentages with 1 decimal, percentages with 1 decimal, ms whole", () => {
    expect(formatValue("rate", 0.333333)).toBe("33.3%");
    expect(formatValue("rate", 1)).toBe("100.0%");
    expect(formatValue("pct", 61.4286)).toBe("61.4%");
    expect(formatValue("ms", 1234.56)).toBe("1,235");
    expect(formatValue("ms", 4.26)).toBe("4.3");
    expect(formatValue("count", 12345)).toBe("12,345");
    expect(formatValue("score", 0.7)).toBe("0.70");
    expect(formatValue("usd", null)).toBe("—");
  });

  it("knows every per-route column's kind", () => {
    const kinds = Object.fromEntries(METRIC_COLUMNS.map(([name]) => [name, kindOfColumn(name)]));
    expect(kinds).toMatchObject({
      requests: "count", share: "rate", "input tokens": "count", "cost usd": "usd", "savings usd": "usd", "savings %": "pct",
      "tier 1 traffic": "rate", "tier 1 cost share": "rate", "check pass rate": "rate", "served failed": "count", "feedback success": "rate",
      "mean score": "score", "routing accuracy": "rate", "latency p99": "ms", "ttfb p50": "ms", "recovered-stream rate": "rate", "shadow savings usd": "usd",
    });
  });
});
