/**
 * Table I over several seeds (issue 13, item 3): each seed is a full `reproduceTable1`; the
 * predictions are averaged over them and each claim is judged on its margins (predictions.ts).
 */
import { acrossSeeds, claimMargins, predictions, verdictOf, type SeedPrediction } from "./predictions.js";
import type { ClaimVerdict } from "./predictions-text.js";
import { reproduceTable1, type ReproductionOptions, type Table1Result } from "./table1.js";

/** Table I on several seeds, summarized. */
export interface SeedsResult {
  seeds: number[];
  results: Table1Result[];
  predictions: SeedPrediction[];
  verdicts: ClaimVerdict[];
}

/**
 * The predictions and claim verdicts of several seeds' results (pure). `fitted` lists the
 * prediction ids a calibration matched.
 */
export function judgeSeeds(results: readonly Table1Result[], fitted: readonly string[] = []): Omit<SeedsResult, "results"> {
  const perSeed = results.map((r) => claimMargins(r.outcomes, r.probe ?? undefined));
  const ids = Object.keys(perSeed[0] ?? {});
  return {
    seeds: results.map((r) => r.seed),
    predictions: acrossSeeds(results.map((r) => predictions(r.outcomes, fitted))),
    verdicts: ids.map((id) => {
      const margins = perSeed.map((m) => m[id]!);
      const { verdict, mean, sd } = verdictOf(margins);
      return { id, verdict, margins, mean, sd };
    }),
  };
}

/** Runs `reproduceTable1` for each seed of `seeds`, one after the other, and judges them. */
export async function reproduceSeeds(seeds: readonly number[], options: ReproductionOptions, fitted: readonly string[] = []): Promise<SeedsResult> {
  const results: Table1Result[] = [];
  for (const seed of seeds) results.push(await reproduceTable1({ ...options, seed }));
  return { ...judgeSeeds(results, fitted), results };
}
