-- Full-text search over what the index stage extracted: one row per PDF page, or per chunk of a text
-- file. `search_sections` holds the rows (and is the FTS5 table's external content); `search_fts` is
-- the FTS5 index, kept in step by the triggers below. A file's rows are replaced as a whole (delete and
-- insert in one batch), so re-indexing never duplicates.
--
-- Tokenizer: unicode61 with remove_diacritics 2 (case- and accent-insensitive words for Latin, Greek
-- and Cyrillic scripts). Chinese and Japanese have no spaces between words: the indexer splits their
-- runs into words with the ICU word segmenter before storing (a zero-width space between words, which
-- unicode61 treats as a separator), and queries are split the same way. See src/search/segment.ts.
CREATE TABLE search_sections (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- PDF page (1-based); NULL for text without pages.
  page INTEGER,
  -- Order of the section within the file.
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  indexed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX search_sections_by_file ON search_sections (tenant_id, file_id, seq);

-- `tenant_id` is indexed too, so a query's tenant filter is part of the MATCH (cheap at any index
-- size); the SQL also filters on search_sections.tenant_id, which is the authoritative check.
CREATE VIRTUAL TABLE search_fts USING fts5(
  body,
  tenant_id,
  content = 'search_sections',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_sections_after_insert AFTER INSERT ON search_sections BEGIN
  INSERT INTO search_fts (rowid, body, tenant_id) VALUES (new.id, new.body, new.tenant_id);
END;

CREATE TRIGGER search_sections_after_delete AFTER DELETE ON search_sections BEGIN
  INSERT INTO search_fts (search_fts, rowid, body, tenant_id)
  VALUES ('delete', old.id, old.body, old.tenant_id);
END;

CREATE TRIGGER search_sections_after_update AFTER UPDATE ON search_sections BEGIN
  INSERT INTO search_fts (search_fts, rowid, body, tenant_id)
  VALUES ('delete', old.id, old.body, old.tenant_id);
  INSERT INTO search_fts (rowid, body, tenant_id) VALUES (new.id, new.body, new.tenant_id);
END;
