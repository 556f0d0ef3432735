/**
 * The search index's writer over D1 (the `SearchIndexPort` the index stage writes through). One instance
 * is scoped to one tenant, job and file. `replace` deletes the file's sections and inserts the new ones
 * in one D1 batch, which is atomic: a retried or duplicated task, or a later job indexing the same file,
 * leaves exactly one copy. Sections travel as one JSON parameter per statement (expanded with
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

const INSERT_SECTIONS = `
  INSERT INTO search_sections (tenant_id, file_id, job_id, name, page, seq, body, indexed_at)
  SELECT ?1, ?2, ?3, ?4, json_extract(value, '$.p'), json_extract(value, '$.s'), json_extract(value, '$.t'), ?5
  FROM json_each(?6)`;

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
    const statements = [deleteStatement(this.db, tenantId, fileId)];
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

/** Removes everything indexed for a file (when the file is deleted). */
export async function removeFileFromIndex(db: D1Database, tenantId: string, fileId: string): Promise<void> {
  await deleteStatement(db, tenantId, fileId).run();
}

/** Statement removing the entries a job wrote (a later job that indexed the same file keeps its own). */
export function removeJobFromIndexStatement(
  db: D1Database,
  tenantId: string,
  jobId: string,
): D1PreparedStatement {
  return db.prepare("DELETE FROM search_sections WHERE tenant_id = ? AND job_id = ?").bind(tenantId, jobId);
}

function deleteStatement(db: D1Database, tenantId: string, fileId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM search_sections WHERE tenant_id = ? AND file_id = ?").bind(tenantId, fileId);
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
