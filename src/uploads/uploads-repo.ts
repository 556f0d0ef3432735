/**
 * D1 access for pending uploads (`uploads`) and the parts multipart clients report (`upload_parts`).
 * Every query is scoped by tenant. State changes are conditional on the current state, so two
 * concurrent completions (or a completion racing an abort) cannot both win.
 */
import type { FileRecord } from "../storage/files-repo";

export type UploadKind = "single" | "multipart";
export type UploadState = "pending" | "completed" | "rejected" | "aborted";

export interface UploadRecord {
  tenantId: string;
  fileId: string;
  kind: UploadKind;
  r2UploadId: string | null;
  name: string;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  r2Key: string;
  state: UploadState;
  errorCode: string | null;
  errorDetail: string | null;
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

export interface UploadPart {
  partNumber: number;
  etag: string;
  size: number;
}

interface UploadRow {
  tenant_id: string;
  file_id: string;
  kind: UploadKind;
  r2_upload_id: string | null;
  name: string;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  r2_key: string;
  state: UploadState;
  error_code: string | null;
  error_detail: string | null;
  created_at: number;
  expires_at: number;
  updated_at: number;
}

const fromRow = (row: UploadRow): UploadRecord => ({
  tenantId: row.tenant_id,
  fileId: row.file_id,
  kind: row.kind,
  r2UploadId: row.r2_upload_id,
  name: row.name,
  contentType: row.content_type,
  size: row.size,
  sha256: row.sha256,
  r2Key: row.r2_key,
  state: row.state,
  errorCode: row.error_code,
  errorDetail: row.error_detail,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  updatedAt: row.updated_at,
});

export async function insertUpload(db: D1Database, upload: UploadRecord): Promise<void> {
  await db
    .prepare(
      `INSERT INTO uploads (tenant_id, file_id, kind, r2_upload_id, name, content_type, size, sha256, r2_key,
         state, error_code, error_detail, created_at, expires_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      upload.tenantId,
      upload.fileId,
      upload.kind,
      upload.r2UploadId,
      upload.name,
      upload.contentType,
      upload.size,
      upload.sha256,
      upload.r2Key,
      upload.state,
      upload.errorCode,
      upload.errorDetail,
      upload.createdAt,
      upload.expiresAt,
      upload.updatedAt,
    )
    .run();
}

export async function getUpload(
  db: D1Database,
  tenantId: string,
  fileId: string,
): Promise<UploadRecord | null> {
  const row = await db
    .prepare("SELECT * FROM uploads WHERE tenant_id = ? AND file_id = ?")
    .bind(tenantId, fileId)
    .first<UploadRow>();
  return row ? fromRow(row) : null;
}

/** Moves a pending upload to `rejected` or `aborted`; false when it was no longer pending. */
export async function endUpload(
  db: D1Database,
  tenantId: string,
  fileId: string,
  state: "rejected" | "aborted",
  error: { code: string; detail: string } | null = null,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE uploads SET state = ?, error_code = ?, error_detail = ?, updated_at = ?
       WHERE tenant_id = ? AND file_id = ? AND state = 'pending'`,
    )
    .bind(state, error?.code ?? null, error?.detail ?? null, Date.now(), tenantId, fileId)
    .run();
  return result.meta.changes > 0;
}

/**
 * Turns a pending (or already completed) upload into its file: inserts the `files` row and marks the
 * upload completed in one atomic batch. The insert is guarded by the upload's state, so an upload
 * aborted meanwhile never becomes a file, and `OR IGNORE` lets a repeated completion find the row
 * the first one wrote. Returns false when the upload was no longer completable.
 */
export async function finishUpload(db: D1Database, file: FileRecord): Promise<boolean> {
  const completable = `EXISTS (SELECT 1 FROM uploads WHERE tenant_id = ? AND file_id = ? AND state IN ('pending', 'completed'))`;
  const [inserted, updated] = await db.batch([
    db
      .prepare(
        `INSERT OR IGNORE INTO files (tenant_id, id, name, size, content_type, sha256, r2_key, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${completable}`,
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
        file.tenantId,
        file.id,
      ),
    db
      .prepare(
        `UPDATE uploads SET state = 'completed', updated_at = ?
         WHERE tenant_id = ? AND file_id = ? AND state IN ('pending', 'completed')`,
      )
      .bind(Date.now(), file.tenantId, file.id),
  ]);
  return (inserted?.meta.changes ?? 0) > 0 || (updated?.meta.changes ?? 0) > 0;
}

export async function recordPart(
  db: D1Database,
  tenantId: string,
  fileId: string,
  part: UploadPart,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO upload_parts (tenant_id, file_id, part_number, etag, size, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, file_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size,
         created_at = excluded.created_at`,
    )
    .bind(tenantId, fileId, part.partNumber, part.etag, part.size, Date.now())
    .run();
}

export async function listRecordedParts(
  db: D1Database,
  tenantId: string,
  fileId: string,
): Promise<UploadPart[]> {
  const { results } = await db
    .prepare(
      `SELECT part_number AS partNumber, etag, size FROM upload_parts
       WHERE tenant_id = ? AND file_id = ? ORDER BY part_number`,
    )
    .bind(tenantId, fileId)
    .all<UploadPart>();
  return results;
}

export async function deleteRecordedParts(db: D1Database, tenantId: string, fileId: string): Promise<void> {
  await db
    .prepare("DELETE FROM upload_parts WHERE tenant_id = ? AND file_id = ?")
    .bind(tenantId, fileId)
    .run();
}
