-- Bytes of text each tenant keeps in the search index, for its quota (src/tenancy/quotas.ts). Triggers
-- keep it in step with search_sections whatever writes or deletes rows (indexing, file and job
-- deletion, retention), so the quota check reads one row instead of summing the tenant's index.
CREATE TABLE tenant_index_usage (
  tenant_id TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL DEFAULT 0
);

INSERT INTO tenant_index_usage (tenant_id, bytes)
SELECT tenant_id, sum(length(CAST(body AS BLOB))) FROM search_sections GROUP BY tenant_id;

CREATE TRIGGER tenant_index_usage_after_insert AFTER INSERT ON search_sections BEGIN
  INSERT INTO tenant_index_usage (tenant_id, bytes) VALUES (new.tenant_id, length(CAST(new.body AS BLOB)))
  ON CONFLICT (tenant_id) DO UPDATE SET bytes = bytes + excluded.bytes;
END;

CREATE TRIGGER tenant_index_usage_after_delete AFTER DELETE ON search_sections BEGIN
  UPDATE tenant_index_usage SET bytes = bytes - length(CAST(old.body AS BLOB)) WHERE tenant_id = old.tenant_id;
END;

CREATE TRIGGER tenant_index_usage_after_update AFTER UPDATE OF body ON search_sections BEGIN
  UPDATE tenant_index_usage
  SET bytes = bytes - length(CAST(old.body AS BLOB)) + length(CAST(new.body AS BLOB))
  WHERE tenant_id = new.tenant_id;
END;
