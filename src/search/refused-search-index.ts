/**
 * The search index an EU tenant's claims get: it refuses to be read or written, so even a job that
 * reached the queue without the API's residency check (one created before it, or a retry of such a
 * job) cannot put the tenant's text into the non-EU D1 database. The index stage fails with the
 * permanent stage error `index_not_allowed_in_jurisdiction`; the file's other stages run as usual.
 */
import type { IndexSummary, IndexUsage, SearchIndexPort } from "../pipeline/indexing/search-port";
import { StageError } from "../pipeline/stage";

export class RefusedSearchIndex implements SearchIndexPort {
  constructor(private readonly jurisdiction: string) {}

  replace(): Promise<IndexSummary> {
    return Promise.reject(this.refusal());
  }

  usage(): Promise<IndexUsage> {
    return Promise.reject(this.refusal());
  }

  private refusal(): StageError {
    return new StageError(
      "index_not_allowed_in_jurisdiction",
      `the search database is not in the '${this.jurisdiction}' jurisdiction; this tenant's files are not indexed`,
    );
  }
}
