/**
 * The seam between a cut answer and its continuation. A model asked to continue may repeat the
 * end of what was written (or start over); the client must see each character once. The
 * continuation's first text is held back while it could still be such a repeat — while it occurs
 * inside the partial answer short of its end — and then an overlap between the end of the
 * partial and the start of the continuation is dropped when it is clearly a repeat: the whole
 * partial again (a restart), a long tail (MIN_TAIL characters or more), or whitespace (the space
 * a prefill had to leave out). Shorter overlaps are kept: in repetitive text ("tok tok tok") a
 * continuation that merely looks like a repeat is the answer going on.
 */

export interface SeamVerdict {
  /** Still undecided: hold the text back and wait for more (unless the continuation ended). */
  pending: boolean;
  /** Characters to drop from the start of the continuation once decided. */
  strip: number;
}

/** A repeated tail shorter than this (and not the whole partial) is not treated as a repeat. */
const MIN_TAIL = 24;

export function seamOverlap(partial: string, held: string, final: boolean): SeamVerdict {
  if (!final) {
    if (held === "") return { pending: true, strip: 0 };
    const at = partial.indexOf(held);
    if (at !== -1 && at + held.length < partial.length) return { pending: true, strip: 0 };
  }
  for (let o = Math.min(partial.length, held.length); o > 0; o--) {
    const head = held.slice(0, o);
    if (!partial.endsWith(head)) continue;
    if (o === partial.length || o >= MIN_TAIL || /^\s+$/.test(head)) return { pending: false, strip: o };
  }
  return { pending: false, strip: 0 };
}
