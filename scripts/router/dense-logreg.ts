/**
 * Small dense logistic regression (soft labels, example weights, L2) solved by Newton's method, with
 * chosen coefficients constrained to be >= 0 (an active set: a coefficient at 0 whose gradient pushes it
 * negative stays there). Used for the classifier's head, which has a few dozen coefficients.
 */

export interface DenseExample {
  x: Float64Array;
  target: number;
  weight: number;
}

export interface DenseFitOptions {
  l2: number;
  /** Indices of coefficients constrained to be >= 0. */
  nonNegative?: readonly number[];
  /** Indices exempt from the L2 penalty (e.g. the intercept). */
  unpenalised?: readonly number[];
  iterations?: number;
}

/** Solve A x = b for a small symmetric positive-definite A (Gaussian elimination with partial pivoting). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[p] as number[])[c] as number)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = (m[c] as number[])[c] as number;
    if (Math.abs(pivot) < 1e-300) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => {
    const d = row[i] as number;
    return Math.abs(d) < 1e-300 ? 0 : (row[n] as number) / d;
  });
}

function lossAndDerivatives(ex: readonly DenseExample[], beta: Float64Array, penalty: Float64Array, wantHessian: boolean): { f: number; g: Float64Array; h: number[][] } {
  const d = beta.length;
  const g = new Float64Array(d);
  const h: number[][] = wantHessian ? Array.from({ length: d }, () => new Array<number>(d).fill(0)) : [];
  let f = 0, total = 0;
  for (const e of ex) total += e.weight;
  for (const e of ex) {
    let z = 0;
    for (let j = 0; j < d; j++) z += (e.x[j] as number) * (beta[j] as number);
    const lse = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    f += (e.weight * (lse - e.target * z)) / total;
    const p = 1 / (1 + Math.exp(-z));
    const r = (e.weight * (p - e.target)) / total;
    const w = (e.weight * p * (1 - p)) / total;
    for (let j = 0; j < d; j++) {
      const xj = e.x[j] as number;
      if (xj === 0) continue;
      g[j] = (g[j] as number) + r * xj;
      if (wantHessian) {
        const row = h[j] as number[];
        for (let k = 0; k < d; k++) {
          const xk = e.x[k] as number;
          if (xk !== 0) row[k] = (row[k] as number) + w * xj * xk;
        }
      }
    }
  }
  for (let j = 0; j < d; j++) {
    const pj = penalty[j] as number;
    f += 0.5 * pj * (beta[j] as number) ** 2;
    g[j] = (g[j] as number) + pj * (beta[j] as number);
    if (wantHessian) (h[j] as number[])[j] = ((h[j] as number[])[j] as number) + pj + 1e-9;
  }
  return { f, g, h };
}

/** Fit the coefficients (the caller includes an intercept column in x if it wants one). Deterministic. */
export function fitDenseLogReg(ex: readonly DenseExample[], dim: number, opt: DenseFitOptions): Float64Array {
  const nonNeg = new Set(opt.nonNegative ?? []);
  const penalty = new Float64Array(dim).fill(opt.l2);
  for (const j of opt.unpenalised ?? []) penalty[j] = 0;
  const beta = new Float64Array(dim);
  let cur = lossAndDerivatives(ex, beta, penalty, true);
  for (let it = 0; it < (opt.iterations ?? 40); it++) {
    const free: number[] = [];
    for (let j = 0; j < dim; j++) if (!(nonNeg.has(j) && (beta[j] as number) <= 0 && (cur.g[j] as number) > 0)) free.push(j);
    const step = solve(free.map((j) => free.map((k) => (cur.h[j] as number[])[k] as number)), free.map((j) => -(cur.g[j] as number)));
    let t = 1, next = cur, trial = beta;
    for (let ls = 0; ls < 30; ls++) {
      trial = Float64Array.from(beta);
      free.forEach((j, k) => {
        let v = (beta[j] as number) + t * (step[k] as number);
        if (nonNeg.has(j) && v < 0) v = 0;
        trial[j] = v;
      });
      next = lossAndDerivatives(ex, trial, penalty, true);
      if (next.f <= cur.f) break;
      t /= 2;
    }
    const gain = cur.f - next.f;
    if (!(next.f <= cur.f)) break;
    beta.set(trial);
    cur = next;
    if (gain < 1e-12) break;
  }
  return beta;
}
