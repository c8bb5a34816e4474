/**
 * One Durable Object per spend scope (`key:<id>`, `team:<name>`, `tier:<n>`): rate windows,
 * requests in flight and budgets (access/spend-ledger.ts). A Durable Object because concurrent
 * requests from every isolate and location must see one count — KV is eventually consistent and
 * the Rate Limiting binding is per location and approximate. Each object runs its calls one at a
 * time, so admission is strongly consistent per scope. Budget spend and fired alerts are also
 * written to the object's storage, so they survive eviction; rate windows are soft state.
 */
import { DurableObject } from "cloudflare:workers";
import { SpendLedger, type AdmitRequest, type AdmitResult, type BudgetRule, type BudgetView, type SpendSnapshot } from "../access/spend-ledger";

export class SpendObject extends DurableObject {
  private readonly ledger = new SpendLedger();
  private loaded = false;

  private async load(): Promise<void> {
    if (this.loaded) return;
    const saved = await this.ctx.storage.get<SpendSnapshot>("budget");
    if (saved) this.ledger.snapshot = saved;
    this.loaded = true;
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    await this.load();
    return this.ledger.admit(req);
  }

  /** Releases the reservation and counts the cost; thresholds newly reached come back with the spend they were reached at. */
  async settle(id: string, actualUsd: number, now: number, budget: BudgetRule | null): Promise<{ fired: number[]; spentUsd: number; periodStart: number }> {
    await this.load();
    const fired = this.ledger.settle(id, actualUsd, now, budget);
    if (budget) await this.ctx.storage.put("budget", this.ledger.snapshot);
    return { fired, spentUsd: this.ledger.snapshot.spentUsd, periodStart: this.ledger.snapshot.periodStart };
  }

  /** Gives back an admission another scope refused (no spend, no place in the rate window). */
  async release(id: string, now: number): Promise<void> {
    await this.load();
    this.ledger.release(id, now);
  }

  async view(now: number, budget: BudgetRule | null): Promise<BudgetView> {
    await this.load();
    return this.ledger.view(now, budget);
  }
}
