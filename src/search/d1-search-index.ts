/**
 * The search index's writer over D1 (the `SearchIndexPort` the index stage writes through). One instance
 * is scoped to one tenant, job and file. `replace` deletes the file's sections and inserts the new ones
 * in one D1 batch, which is atomic: a retried or duplicated task, or a later job indexing the same file,
 * leaves exactly one copy. Both statements write only while the file exists and its job was not erased
 * (checked in the statement itself), so a deleted file or job is never indexed again by a late consumer. Sections travel as one JSON parameter per statement (expanded with
 * `json_each`), which keeps every statement far below D1's 100 bound parameters whatever the page count.
 */
import type {
  IndexSection,
  IndexSummary,
  IndexUsage,
  SearchIndexPort,
} from "../pipeline/indexing/search-port";
import { indexedBytes } from "../storage/quota-usage-repo";
import { segmentWords } from "./segment";

export interface IndexScope {
  tenantId: string;
  jobId: string;
  fileId: string;
  /** The file's display name, shown with every hit. */
  fileName: string;
  /** The tenant's index quota in bytes, looked up only when a file is indexed; none when absent. */
  quotaBytes?: () => Promise<number>;
}

/** Characters of section text sent in one INSERT statement (D1 caps a value at 2 MB). */
const CHARS_PER_STATEMENT = 200_000;

/**
 * The condition every write of a consumer checks in its own statement: the file still exists and the
 * job was not erased. Deleting a file or a job removes its entries after taking that away (D1 runs
 * statements one at a time), so a consumer still running a deleted file or job never indexes it again.
 */
const STILL_WANTED = `EXISTS (SELECT 1 FROM files WHERE tenant_id = ?1 AND id = ?2)
  AND NOT EXISTS (SELECT 1 FROM erased_jobs WHERE tenant_id = ?1 AND job_id = ?3)`;

const INSERT_SECTIONS = `
  INSERT INTO search_sections (tenant_id, file_id, job_id, name, page, seq, body, indexed_at)
  SELECT ?1, ?2, ?3, ?4, json_extract(value, '$.p'), json_extract(value, '$.s'), json_extract(value, '$.t'), ?5
  FROM json_each(?6) WHERE ${STILL_WANTED}`;

/** A replacing write clears the file's earlier entries, unless the writing job was erased. */
const CLEAR_SECTIONS = `DELETE FROM search_sections WHERE tenant_id = ?1 AND file_id = ?2 AND ${STILL_WANTED}`;

export class D1SearchIndex implements SearchIndexPort {
  constructor(
    private readonly db: D1Database,
    private readonly scope: IndexScope,
  ) {}

  async replace(sections: IndexSection[]): Promise<IndexSummary> {
    const { tenantId, jobId, fileId, fileName } = this.scope;
    const rows = sections
      .filter((section) => /[\p{L}\p{N}]/u.test(section.text))
      // NFKC: PDF text often has decomposed accents (which unicode61 would split words at) and ligatures.
      .map((section, seq) => ({ p: section.page, s: seq, t: segmentWords(section.text.normalize("NFKC")) }));
    const now = Date.now();
    const statements = [this.db.prepare(CLEAR_SECTIONS).bind(tenantId, fileId, jobId)];
    for (const chunk of chunkRows(rows)) {
      statements.push(
        this.db.prepare(INSERT_SECTIONS).bind(tenantId, fileId, jobId, fileName, now, JSON.stringify(chunk)),
      );
    }
    await this.db.batch(statements);
    return {
      sections: rows.length,
      characters: sections.reduce((sum, section) => sum + section.text.length, 0),
    };
  }

  async usage(): Promise<IndexUsage> {
    const [used, limitBytes] = await Promise.all([
      indexedBytes(this.db, this.scope.tenantId, this.scope.fileId),
      this.scope.quotaBytes ? this.scope.quotaBytes() : Promise.resolve(Number.POSITIVE_INFINITY),
    ]);
    return { limitBytes, tenantBytes: used.tenant, fileBytes: used.file };
  }
}

/** Statement removing everything indexed for a file (when the file is deleted). */
export function removeFileFromIndexStatement(
  db: D1Database,
  tenantId: string,
  fileId: string,
): D1PreparedStatement {
  return db.prepare("DELETE FROM search_sections WHERE tenant_id = ? AND file_id = ?").bind(tenantId, fileId);
}

/** Statement removing what one job indexed for one file (a consumer whose report was refused for good). */
export function removeFileOfJobFromIndexStatement(
  db: D1Database,
  scope: { tenantId: string; jobId: string; fileId: string },
): D1PreparedStatement {
  return db
    .prepare("DELETE FROM search_sections WHERE tenant_id = ? AND file_id = ? AND job_id = ?")
    .bind(scope.tenantId, scope.fileId, scope.jobId);
}

/** Statement removing the entries a job wrote (a later job that indexed the same file keeps its own). */
export function removeJobFromIndexStatement(
  db: D1Database,
  tenantId: string,
  jobId: string,
): D1PreparedStatement {
  return db.prepare("DELETE FROM search_sections WHERE tenant_id = ? AND job_id = ?").bind(tenantId, jobId);
}

function chunkRows<T extends { t: string }>(rows: T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    if (current.length > 0 && size + row.t.length > CHARS_PER_STATEMENT) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += row.t.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
