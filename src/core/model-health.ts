/** Circuit-breaker state, as execution sees it: read synchronously, reported to off the path. */
export interface ModelHealth {
  cooldowns(): Readonly<Record<string, number>>;
  report(model: string, ok: boolean): void;
}
