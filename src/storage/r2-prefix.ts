/** Deletes every object under a prefix, a listing page (up to 1,000 keys) at a time. */
export async function deletePrefix(
  bucket: Pick<R2Bucket, "list" | "delete">,
  prefix: string,
): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length > 0) {
      await bucket.delete(page.objects.map((object) => object.key));
      deleted += page.objects.length;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}
