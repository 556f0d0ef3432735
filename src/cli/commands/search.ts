/**
 * `sluice search QUERY`: full-text search over the tenant's indexed documents, best first, with the
 * matched words marked in each snippet.
 */
import type { SearchResult } from "sluice-client";
import { EXIT, type Cli } from "../context";
import { highlight } from "../format";

export async function searchCommand(cli: Cli, query: string, flags: { limit: number }): Promise<number> {
  const results: SearchResult[] = [];
  for await (const result of cli.client.searchAll(query, { pageSize: Math.min(50, flags.limit) })) {
    results.push(result);
    if (results.length >= flags.limit) break;
  }
  if (cli.json) {
    cli.printJson(results);
    return EXIT.ok;
  }
  if (results.length === 0) {
    cli.out(`no documents match ${JSON.stringify(query)}`);
    return EXIT.ok;
  }
  const plain = !process.stdout.isTTY;
  for (const result of results) {
    const where = result.page === null ? "" : ` page ${result.page}`;
    cli.out(`${cli.c.bold(result.name)}${where}  ${cli.c.dim(`${result.fileId} ${result.jobId}`)}`);
    cli.out(`  ${highlight(result.snippet, result.highlights, cli.c, plain)}`);
  }
  return EXIT.ok;
}
