/** The stats row: answered requests of one ledger group, as storage sums them and the traffic-mix report reads them. */
export interface TrafficGroupRow {
  feature: string | null;
  bucket: number;
  servedModel: string | null;
  clean: boolean;
  ratedTier1: boolean;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}
