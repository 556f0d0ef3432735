/**
 * Deleting known R2 keys in as few calls as R2 allows: one `delete` per 1,000 keys (R2's limit per
 * call), never a listing. Erasing a job of 1,000 files therefore costs a handful of subrequests
 * instead of one listing per file.
 */
export const R2_DELETE_BATCH = 1000;

/** Deletes `keys` (duplicates removed) in batches of up to 1,000; returns the number of delete calls. */
export async function deleteKeys(bucket: Pick<R2Bucket, "delete">, keys: readonly string[]): Promise<number> {
  const unique = [...new Set(keys)];
  let calls = 0;
  for (let start = 0; start < unique.length; start += R2_DELETE_BATCH) {
    await bucket.delete(unique.slice(start, start + R2_DELETE_BATCH));
    calls++;
  }
  return calls;
}
