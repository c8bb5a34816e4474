/**
 * The one way the gateway writes a log line: one JSON object per line, scrubbed of secrets
 * (core/secrets.ts) after it is serialised, so no field, nested value or error text can carry a key.
 */
import { scrubSecrets } from "./secrets";

export type LogLevel = "info" | "warn" | "error";

export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  let line: string;
  try {
    line = JSON.stringify({ event, ...fields });
  } catch {
    line = JSON.stringify({ event, unserialisable: true });
  }
  const scrubbed = scrubSecrets(line);
  if (level === "error") console.error(scrubbed);
  else if (level === "warn") console.warn(scrubbed);
  else console.log(scrubbed);
}
