import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

/**
 * Upserts search attributes only when they changed since the last upsert of this run (each upsert
 * is a history event). `upsertUnchanged` is asked only when they did not change, and only then
 * (it may read a patch, whose place in the history must not move).
 */
export function searchAttributeUpserter(): (attributes: SearchAttributeUpdatePair[], upsertUnchanged?: () => boolean) => void {
  let upserted: string | undefined;
  return (attributes, upsertUnchanged) => {
    const key = JSON.stringify(attributes);
    if (key === upserted && !upsertUnchanged?.()) return;
    upsertSearchAttributes(attributes);
    upserted = key;
  };
}
