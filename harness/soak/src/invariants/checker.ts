import { products } from "@microshop/seed-data/catalog";
import { storeInvariants, type Facts, type Invariant } from "./checks";
import { readSnapshot, type Snapshot } from "./snapshot";

export interface CheckResult {
  readonly name: string;
  readonly violations: readonly string[];
}

/** The facts the demo stack starts from: every seed product's initial stock. */
export function seedFacts(): Facts {
  return { initialStock: new Map(products.map((product) => [product.id, product.initialStock])) };
}

export function runInvariants(
  snapshot: Snapshot,
  facts: Facts,
  invariants: readonly Invariant[] = storeInvariants,
): CheckResult[] {
  return invariants.map((invariant) => ({ name: invariant.name, violations: invariant.check(snapshot, facts) }));
}

/** Reads every database of a stopped (or running) stack's data directory and checks the store's invariants. */
export function checkDataDir(dataDir: string, facts: Facts = seedFacts()): CheckResult[] {
  return runInvariants(readSnapshot(dataDir), facts);
}
