/**
 * The seam between a cut answer and its continuation. A model asked to continue may repeat the
 * end of what was written (or start over); the client must see each character once. The
 * continuation's first text is held back while it could still be such a repeat — while it occurs
 * inside the partial answer short of its end — and then the longest overlap between the end of
 * the partial and the start of the continuation is dropped.
 */

export interface SeamVerdict {
  /** Still undecided: hold the text back and wait for more (unless the continuation ended). */
  pending: boolean;
  /** Characters to drop from the start of the continuation once decided. */
  strip: number;
}

/** Overlaps shorter than this count only when they are whitespace (a space the prefill dropped); a repeated "e" is not a repeat. */
const MIN_OVERLAP = 3;

export function seamOverlap(partial: string, held: string, final: boolean): SeamVerdict {
  if (!final) {
    if (held === "") return { pending: true, strip: 0 };
    const at = partial.indexOf(held);
    if (at !== -1 && at + held.length < partial.length) return { pending: true, strip: 0 };
  }
  for (let o = Math.min(partial.length, held.length); o > 0; o--) {
    const head = held.slice(0, o);
    if (!partial.endsWith(head)) continue;
    if (o >= MIN_OVERLAP || /^\s+$/.test(head)) return { pending: false, strip: o };
  }
  return { pending: false, strip: 0 };
}
