/** The D1 file listing: one row per uploaded file, always scoped by tenant. */
import type { PageAfter } from "../http/cursor";
import { newestFirst } from "./newest-first";

export interface FileRecord {
  tenantId: string;
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  r2Key: string;
  createdAt: number;
}

interface FileRow {
  tenant_id: string;
  id: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string;
  r2_key: string;
  created_at: number;
}

const fromRow = (row: FileRow): FileRecord => ({
  tenantId: row.tenant_id,
  id: row.id,
  name: row.name,
  size: row.size,
  contentType: row.content_type,
  sha256: row.sha256,
  r2Key: row.r2_key,
  createdAt: row.created_at,
});

export async function insertFiles(db: D1Database, files: readonly FileRecord[]): Promise<void> {
  if (files.length === 0) return;
  await db.batch(
    files.map((file) =>
      db
        .prepare(
          `INSERT INTO files (tenant_id, id, name, size, content_type, sha256, r2_key, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          file.tenantId,
          file.id,
          file.name,
          file.size,
          file.contentType,
          file.sha256,
          file.r2Key,
          file.createdAt,
        ),
    ),
  );
}

export async function getFile(db: D1Database, tenantId: string, id: string): Promise<FileRecord | null> {
  const row = await db
    .prepare("SELECT * FROM files WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<FileRow>();
  return row ? fromRow(row) : null;
}

/**
 * Looks up many files in one statement: the ids travel as one JSON parameter, so a job of 1,000 files
 * stays one round trip and far below D1's 100-parameter limit.
 */
export async function getFilesByIds(
  db: D1Database,
  tenantId: string,
  ids: readonly string[],
): Promise<FileRecord[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare("SELECT * FROM files WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))")
    .bind(tenantId, JSON.stringify(ids))
    .all<FileRow>();
  return results.map(fromRow);
}

/** Newest first; `after` continues from the last row of the previous page. */
export async function listFiles(
  db: D1Database,
  tenantId: string,
  limit: number,
  after: PageAfter | null,
): Promise<FileRecord[]> {
  const rows = await newestFirst<FileRow>(db, "files", {
    where: { tenant_id: tenantId },
    timeColumn: "created_at",
    limit,
    after,
  });
  return rows.map(fromRow);
}

/** Statement removing the file's listing row (for a batch that removes what hangs on it too). */
export const deleteFileRowStatement = (db: D1Database, tenantId: string, id: string): D1PreparedStatement =>
  db.prepare("DELETE FROM files WHERE tenant_id = ? AND id = ?").bind(tenantId, id);

export async function deleteFileRow(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await deleteFileRowStatement(db, tenantId, id).run();
  return result.meta.changes > 0;
}
