/**
 * How the dashboard shows a number (the exact value stays in the cell's data-value and the CSV):
 * money to 4 significant digits (2 decimals from $100 on), percentages and rates (fractions) as
 * a percentage with 1 decimal, milliseconds whole (1 decimal under 10 ms), counts whole.
 */
export type ValueKind = "usd" | "rate" | "pct" | "ms" | "score" | "count";

/** The kind of a table column, from its name (the names of src/dashboard/data.ts). */
export function kindOfColumn(column: string): ValueKind {
  const c = column.toLowerCase();
  if (c.includes("usd")) return "usd";
  if (c.endsWith("%")) return "pct";
  if (/\b(rate|share|traffic|accuracy|success)\b/.test(c)) return "rate";
  if (/\b(latency|ttfb|ms)\b/.test(c)) return "ms";
  if (c.includes("score")) return "score";
  return "count";
}

const grouped = (v: number, digits = 0) => v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatUsd(v: number): string {
  const sign = v < 0 ? "-" : "";
  const a = Math.abs(v);
  if (a === 0) return "$0";
  if (a >= 100) return `${sign}$${grouped(a, 2)}`;
  // 4 significant digits, trailing zeros dropped: $12.35, $0.001235, $0.5.
  return `${sign}$${String(Number(a.toPrecision(4)))}`;
}

export function formatValue(kind: ValueKind, v: string | number | null): string {
  if (v === null) return "—";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return String(v);
  switch (kind) {
    case "usd":
      return formatUsd(v);
    case "rate":
      return `${(v * 100).toFixed(1)}%`;
    case "pct":
      return `${v.toFixed(1)}%`;
    case "ms":
      return Math.abs(v) < 10 ? v.toFixed(1) : grouped(v);
    case "score":
      return v.toFixed(2);
    case "count":
      return Number.isInteger(v) ? grouped(v) : String(Number(v.toPrecision(4)));
  }
}
