/**
 * The fake upstream's behaviour is chosen by the model id the gateway sends, so a test config
 * picks it per model: `kind:positional:key=value…`, e.g. `wire:openai/openai-text`,
 * `status:429:retry-after=1:times=1`, `slow:3000`, `cut:3`, `echo:latency=20:pace=5`.
 * Stream faults take the number of frames sent first: `cut:n` drops the connection, `truncate:n`
 * ends the response cleanly, `error-event:n` sends the wire's in-stream error, `stall:n` goes quiet,
 * `garbage:n` sends an event that is not JSON and `violate:n` one that breaks the wire's event order
 * (both then carry on with the rest of the answer, as a buggy upstream would).
 */
export interface Scenario {
  kind: string;
  args: string[];
  opts: Record<string, string>;
  raw: string;
}

export function parseScenario(model: string): Scenario {
  const [kind = "echo", ...rest] = model.split(":");
  const args: string[] = [];
  const opts: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq > 0) opts[part.slice(0, eq)] = part.slice(eq + 1);
    else args.push(part);
  }
  return { kind, args, opts, raw: model };
}

export function numOpt(s: Scenario, key: string, fallback: number): number {
  const v = s.opts[key];
  return v === undefined || Number.isNaN(Number(v)) ? fallback : Number(v);
}
