/** Past jobs, newest first, a page at a time. */
import { useEffect, useState } from "preact/hooks";
import type { JobSummary } from "sluice-client";
import { ErrorNotice, StatusBadge, when } from "../components";
import { useSession } from "../context";
import { href } from "../router";

export function Jobs() {
  const { client } = useSession();
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const page = await client.jobs.list({ limit: 20, ...(after ? { cursor: after } : {}) });
      setJobs((previous) => (after ? [...previous, ...page.jobs] : page.jobs));
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(null);
  }, [client]);

  return (
    <section class="card">
      <h2>Jobs</h2>
      <ErrorNotice error={error} />
      {!loading && jobs.length === 0 ? <p class="muted">No jobs yet.</p> : null}
      <ul class="job-list">
        {jobs.map((job) => (
          <li key={job.id}>
            <a href={href.job(job.id)} class="job-row">
              <span class="mono">{job.id}</span>
              <StatusBadge status={job.status} />
              <span class="muted">
                {job.counts.completed}/{job.counts.total} files
                {job.counts.failed ? `, ${job.counts.failed} failed` : ""}
              </span>
              <span class="muted small">{job.stages.join(" · ")}</span>
              <span class="muted small">{when(job.createdAt)}</span>
            </a>
          </li>
        ))}
      </ul>
      {cursor ? (
        <button disabled={loading} onClick={() => void load(cursor)}>
          {loading ? "Loading…" : "More"}
        </button>
      ) : null}
    </section>
  );
}
