/**
 * Item difficulty fitted across many models (a Rasch / one-parameter IRT model), the classifier's target.
 *
 * Per dataset, every (item i, model m) cell with a recorded quality y in [0,1] is modelled as
 * P(correct) = sigmoid(theta_m - b_i): theta_m = the model's ability, b_i = the item's difficulty. Fitted by
 * penalised joint maximum likelihood (alternating one-dimensional Newton steps, Gaussian priors on b and
 * theta so that items every model answers right or wrong get a finite difficulty). Soft qualities
 * (LLMRouter's 0..1 scores) enter as fractional outcomes.
 *
 * Why this target and not "strong minus cheap" (the issue 6 target): a gain averaged over six pairs is
 * exactly zero on 42% of the items and nearly uncorrelated with how hard a prompt is for any one cheap
 * model; the difficulty uses all 32 MMLU-Pro models (9 on LLMRouter) and is a property of the question,
 * not of a pair, so it carries over to a pair it was never fitted on (leave-one-pair-out).
 */
import type { Item } from "./data";

export interface RaschFit {
  /** Difficulty per item (NaN when the item has no cell among the models used). */
  b: Float64Array;
  /** Ability per model used. */
  theta: Map<string, number>;
}

export interface RaschOptions {
  /** Models whose outcomes may be used (others are ignored, e.g. a left-out pair). */
  models: readonly string[];
  /** Precision (1/variance) of the N(0, 1/priorB) prior on b, and of theta. */
  priorB?: number;
  priorTheta?: number;
  iterations?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Penalised JML Rasch fit over `items` (one dataset) using only `opts.models`. Deterministic. */
export function fitRasch(items: readonly Item[], opts: RaschOptions): RaschFit {
  const models = opts.models;
  const priorB = opts.priorB ?? 0.5, priorTheta = opts.priorTheta ?? 0.1;
  const cells: { i: number; m: number; y: number }[] = [];
  items.forEach((it, i) => {
    models.forEach((name, m) => {
      const y = it.quality[name];
      if (y !== undefined && Number.isFinite(y)) cells.push({ i, m, y: Math.min(1, Math.max(0, y)) });
    });
  });
  const b = new Float64Array(items.length);
  const theta = new Float64Array(models.length);
  const gb = new Float64Array(items.length), hb = new Float64Array(items.length), nb = new Int32Array(items.length);
  const gt = new Float64Array(models.length), ht = new Float64Array(models.length);
  for (const c of cells) nb[c.i] = (nb[c.i] as number) + 1;
  for (let iter = 0; iter < (opts.iterations ?? 30); iter++) {
    // item step (theta fixed)
    gb.fill(0);
    hb.fill(0);
    for (const c of cells) {
      const p = sigmoid((theta[c.m] as number) - (b[c.i] as number));
      gb[c.i] = (gb[c.i] as number) + (p - c.y); // d(-loglik)/db = p - y... sign: dP/db = -p(1-p)
      hb[c.i] = (hb[c.i] as number) + p * (1 - p);
    }
    for (let i = 0; i < b.length; i++) {
      // minimise sum(-loglik) + priorB/2 b^2; gradient wrt b of -loglik is (p - y) * (-1) * (-1) = y - p? see below
      const g = -(gb[i] as number) + priorB * (b[i] as number);
      const h = (hb[i] as number) + priorB;
      b[i] = (b[i] as number) - g / h;
    }
    // model step (b fixed)
    gt.fill(0);
    ht.fill(0);
    for (const c of cells) {
      const p = sigmoid((theta[c.m] as number) - (b[c.i] as number));
      gt[c.m] = (gt[c.m] as number) + (p - c.y);
      ht[c.m] = (ht[c.m] as number) + p * (1 - p);
    }
    for (let m = 0; m < theta.length; m++) {
      const g = (gt[m] as number) + priorTheta * (theta[m] as number);
      const h = (ht[m] as number) + priorTheta;
      theta[m] = (theta[m] as number) - g / h;
    }
  }
  for (let i = 0; i < b.length; i++) if (nb[i] === 0) b[i] = Number.NaN;
  return { b, theta: new Map(models.map((name, m) => [name, theta[m] as number])) };
}

/** The models of a dataset: every quality key seen on its items, sorted. */
export function modelsOf(items: readonly Item[]): string[] {
  const set = new Set<string>();
  for (const it of items) for (const k of Object.keys(it.quality)) set.add(k);
  return [...set].sort();
}
