/**
 * The unit project runs pure code in plain Node. The one Workers-runtime extension that code uses,
 * `crypto.subtle.timingSafeEqual`, is supplied here from node:crypto, with the runtime's contract
 * (equal-length buffers, else a TypeError).
 */
import { timingSafeEqual } from "node:crypto";

type Subtle = SubtleCrypto & { timingSafeEqual?: (a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView) => boolean };
const subtle = crypto.subtle as Subtle;

const bytes = (x: ArrayBuffer | ArrayBufferView): Uint8Array =>
  x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

if (!subtle.timingSafeEqual) {
  subtle.timingSafeEqual = (a, b) => {
    const x = bytes(a);
    const y = bytes(b);
    if (x.byteLength !== y.byteLength) throw new TypeError("Input buffers must have the same byte length");
    return timingSafeEqual(x, y);
  };
}
