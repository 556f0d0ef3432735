-- Presigned and multipart uploads that have not become files yet. The client sends the bytes straight to
-- R2 (under the key Sluice chose: t/{tenant}/f/{file_id}/source); completing the upload verifies what
-- arrived and only then inserts the `files` row, so a pending, rejected or aborted upload is never a
-- usable file. `file_id` is fixed when the upload is created, which makes completing twice idempotent.
-- Uploads that never became files are removed (rows and bytes) by src/uploads/sweep.ts after expires_at.
CREATE TABLE uploads (
  tenant_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('single', 'multipart')),
  -- R2's id of the multipart upload (multipart only); never shown to clients.
  r2_upload_id TEXT,
  name TEXT NOT NULL,
  content_type TEXT,
  -- What the client declared (NULL when it did not say); verified on completion.
  size INTEGER,
  sha256 TEXT,
  r2_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'completed', 'rejected', 'aborted')),
  -- Why completion refused the upload (a stable error code and its detail).
  error_code TEXT,
  error_detail TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, file_id)
);
CREATE INDEX uploads_by_state_expiry ON uploads (state, expires_at);

-- Parts a multipart client reported after uploading them. Only consulted when the S3 endpoint cannot
-- list parts itself (wrangler's local endpoint does not implement ListParts; R2 does).
CREATE TABLE upload_parts (
  tenant_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  part_number INTEGER NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, file_id, part_number)
);
