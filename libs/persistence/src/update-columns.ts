import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * UPDATEs the row `row.id` with the named columns' values only: a repository's save lists what its callers may change,
 * and the rest of the row (tenant, creation time) is never rewritten.
 */
export async function updateColumns<R extends { id: string }, K extends keyof R>(
  tx: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  row: R,
  columns: readonly K[],
): Promise<void> {
  await tx.update(target, { id: row.id }, Object.fromEntries(columns.map((c) => [c, row[c]])));
}
