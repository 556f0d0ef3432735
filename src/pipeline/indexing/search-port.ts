/**
 * The port through which the index stage writes a file's searchable text. The pipeline only knows this
 * interface; the search module implements it over D1 and hands one instance, already scoped to the
 * tenant, job and file being processed, to each run. Writing replaces whatever was indexed for the file
 * before, so a retried or duplicated task leaves one copy, never two.
 */

/** A searchable piece of a document: one PDF page, or one chunk of a text file. */
export interface IndexSection {
  /** The PDF page (1-based), or null for text that has no pages. */
  page: number | null;
  text: string;
}

export interface IndexSummary {
  /** Sections stored (pages or chunks with text). */
  sections: number;
  /** Characters stored, across all sections. */
  characters: number;
}

/** What the tenant has in the index, against its quota (UTF-8 bytes of section text). */
export interface IndexUsage {
  /** The tenant's quota; Infinity when there is none. */
  limitBytes: number;
  /** Everything the tenant has indexed, this file's current sections included. */
  tenantBytes: number;
  /** This file's current sections (replaced by the next `replace`). */
  fileBytes: number;
}

export interface SearchIndexPort {
  /** Replaces everything indexed for this file with `sections`, atomically. */
  replace(sections: IndexSection[]): Promise<IndexSummary>;
  /** The tenant's use of the index, read before writing so the stage can respect the quota. */
  usage(): Promise<IndexUsage>;
}
