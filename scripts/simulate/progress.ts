/** A progress bar on stderr, drawn only when stderr is a terminal (never in pipes, files or tests), at most 10 times a second. */
import type { WriteStream } from "node:tty";

export class Progress {
  private last = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number | null,
    private readonly unit: string,
    private readonly stream: NodeJS.WriteStream | WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
  }

  /** @param done how far (same unit as total: bytes, rows); @param items items handled so far, shown beside the bar */
  update(done: number, items: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const label = `${items.toLocaleString("en-US")} ${this.unit}`;
    if (this.total === null || this.total <= 0) {
      this.stream.write(`\r${label}`);
    } else {
      const f = Math.min(1, done / this.total);
      const width = 30;
      const full = Math.round(f * width);
      this.stream.write(`\r[${"#".repeat(full)}${".".repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${label}`);
    }
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write("\r\x1b[2K");
  }
}
