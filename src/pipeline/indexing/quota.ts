/**
 * The index stage's quota check: before a file's sections are written, the tenant's indexed bytes
 * (without this file's current sections, which the write replaces) plus the new sections must stay
 * within the tenant's quota. Past it the stage fails with `index_quota_exceeded`, a permanent error of
 * this file's stage only, and nothing is written; other tenants index as before. Concurrent index runs
 * of one tenant can each pass and overshoot by at most one file's text each (2,000,000 characters).
 */
import { StageError } from "../stage";
import type { IndexSection, SearchIndexPort } from "./search-port";

export async function assertWithinIndexQuota(port: SearchIndexPort, sections: IndexSection[]): Promise<void> {
  const adding = sections.reduce((sum, section) => sum + utf8Length(section.text), 0);
  const usage = await port.usage();
  const after = usage.tenantBytes - usage.fileBytes + adding;
  if (after > usage.limitBytes) {
    throw new StageError(
      "index_quota_exceeded",
      `indexing this file needs ${adding} bytes; the tenant has ${usage.tenantBytes - usage.fileBytes} of ` +
        `${usage.limitBytes} bytes indexed`,
    );
  }
}

/** UTF-8 length of a string without encoding it (the index can hold 2,000,000 characters per file). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte code point; skip its low half
      i++;
    } else bytes += 3;
  }
  return bytes;
}
