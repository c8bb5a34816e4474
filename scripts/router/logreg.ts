/**
 * Logistic regression with soft labels on sparse features (hashed n-grams sharing one value, plus one-hot
 * bins), solved by L-BFGS: deterministic for a given data order and hyper-parameters.
 */
import { extractFeatures, FeatureBuffer, NUM_BINS } from "../../src/classifier/features";

export interface Example {
  /** Hashed n-gram indices (may repeat), all with value `ngramValue`. */
  ngrams: Int32Array;
  ngramValue: number;
  /** Absolute indices of active bin features (value 1). */
  bins: Int32Array;
  /** Soft label in [0,1]. */
  target: number;
  weight: number;
}

export interface LinearModel {
  hashBits: number;
  bias: number;
  /** 2^hashBits hashed weights followed by NUM_BINS bin weights. */
  weights: Float64Array;
}

export function featurize(text: string, hashBits: number, buf: FeatureBuffer): Omit<Example, "target" | "weight"> {
  extractFeatures(text, hashBits, buf);
  const base = 1 << hashBits;
  const bins = new Int32Array(buf.binLen);
  for (let k = 0; k < buf.binLen; k++) bins[k] = base + (buf.binIdx[k] as number);
  return { ngrams: buf.ngramIdx.slice(0, buf.ngramLen), ngramValue: buf.ngramValue, bins };
}

export function linearLogit(model: LinearModel, ex: Omit<Example, "target" | "weight">): number {
  const w = model.weights;
  let s = 0;
  for (let k = 0; k < ex.ngrams.length; k++) s += w[ex.ngrams[k] as number] as number;
  let z = model.bias + s * ex.ngramValue;
  for (let k = 0; k < ex.bins.length; k++) z += w[ex.bins[k] as number] as number;
  return z;
}

export interface LbfgsOptions {
  hashBits: number;
  /** L2 penalty on all weights but the bias, relative to the mean loss. */
  l2: number;
  maxIterations: number;
  /** Multiplier on the n-gram block's feature values (their penalty relative to the bin features). */
  ngramScale: number;
}

/**
 * L2-regularised logistic regression (soft labels, example weights) solved to convergence with L-BFGS:
 * deterministic, no learning rate or shuffle; the only knobs are l2 and ngramScale.
 */
export function trainLogRegLbfgs(examples: readonly Example[], opt: LbfgsOptions): LinearModel {
  const nw = (1 << opt.hashBits) + NUM_BINS;
  const dim = nw + 1; // last = bias
  const totalWeight = examples.reduce((s, e) => s + e.weight, 0);
  const evaluate = (x: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const bias = x[nw] as number;
    for (const ex of examples) {
      const v = ex.ngramValue * opt.ngramScale;
      let s = 0;
      for (let k = 0; k < ex.ngrams.length; k++) s += x[ex.ngrams[k] as number] as number;
      let z = bias + s * v;
      for (let k = 0; k < ex.bins.length; k++) z += x[ex.bins[k] as number] as number;
      // soft-label cross-entropy, numerically stable
      const lse = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      loss += ex.weight * (lse - ex.target * z);
      const p = 1 / (1 + Math.exp(-z));
      const g = (ex.weight * (p - ex.target)) / totalWeight;
      const gv = g * v;
      for (let k = 0; k < ex.ngrams.length; k++) {
        const j = ex.ngrams[k] as number;
        grad[j] = (grad[j] as number) + gv;
      }
      for (let k = 0; k < ex.bins.length; k++) {
        const j = ex.bins[k] as number;
        grad[j] = (grad[j] as number) + g;
      }
      grad[nw] = (grad[nw] as number) + g;
    }
    loss /= totalWeight;
    let reg = 0;
    for (let j = 0; j < nw; j++) {
      const w = x[j] as number;
      reg += w * w;
      grad[j] = (grad[j] as number) + opt.l2 * w;
    }
    return loss + 0.5 * opt.l2 * reg;
  };

  const m = 10;
  const x = new Float64Array(dim);
  const g = new Float64Array(dim);
  let f = evaluate(x, g);
  const sHist: Float64Array[] = [], yHist: Float64Array[] = [], rhoHist: number[] = [];
  const dir = new Float64Array(dim);
  const xNew = new Float64Array(dim);
  const gNew = new Float64Array(dim);
  const alpha = new Float64Array(m);
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
    return s;
  };
  for (let iter = 0; iter < opt.maxIterations; iter++) {
    // two-loop recursion: dir = -H g
    for (let i = 0; i < dim; i++) dir[i] = -(g[i] as number);
    for (let k = sHist.length - 1; k >= 0; k--) {
      const a = (rhoHist[k] as number) * dot(sHist[k] as Float64Array, dir);
      alpha[k] = a;
      const y = yHist[k] as Float64Array;
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) - a * (y[i] as number);
    }
    if (sHist.length > 0) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last] as Float64Array, yHist[last] as Float64Array) / dot(yHist[last] as Float64Array, yHist[last] as Float64Array);
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) * gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) / Math.max(gn, 1e-12);
    }
    for (let k = 0; k < sHist.length; k++) {
      const b = (rhoHist[k] as number) * dot(yHist[k] as Float64Array, dir);
      const s = sHist[k] as Float64Array;
      const c = (alpha[k] as number) - b;
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) + c * (s[i] as number);
    }
    const slope = dot(g, dir);
    if (!(slope < 0)) break;
    // backtracking Armijo line search
    let step = 1;
    let fNew = 0;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < dim; i++) xNew[i] = (x[i] as number) + step * (dir[i] as number);
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    const s = new Float64Array(dim), y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    x.set(xNew);
    g.set(gNew);
    const improvement = f - fNew;
    f = fNew;
    if (sy > 1e-12) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
      if (sHist.length > m) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    if (improvement < 1e-10 * Math.max(1, Math.abs(f))) break;
  }
  const weights = new Float64Array(nw);
  for (let j = 0; j < nw; j++) {
    const inNgramBlock = j < 1 << opt.hashBits;
    weights[j] = (x[j] as number) * (inNgramBlock ? opt.ngramScale : 1);
  }
  return { hashBits: opt.hashBits, bias: x[nw] as number, weights };
}
