/** Request ids: sortable by time, unique across isolates. */
export function newRequestId(nowMs: number = Date.now()): string {
  const rand = crypto.getRandomValues(new Uint8Array(8));
  let hex = "";
  for (const b of rand) hex += b.toString(16).padStart(2, "0");
  return `req_${nowMs.toString(36)}${hex}`;
}
