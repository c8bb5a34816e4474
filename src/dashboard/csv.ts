/** A dashboard table as CSV (RFC 4180: quoted when needed, CRLF line ends). */
import type { Cell, Table } from "./data";

const field = (v: Cell): string => {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(t: Table): string {
  return [t.columns, ...t.rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
