/**
 * One job, live: its status and counts, and every file moving through its stages as the events
 * arrive. Failed stages say why; finished files open their results. Cancel and retry from here.
 */
import { useState } from "preact/hooks";
import { isTerminalStatus, type Job, type JobFile } from "sluice-client";
import { bytes, ErrorNotice, ProgressBar, StageChips, StatusBadge, when } from "../components";
import { useSession } from "../context";
import { useLiveJob, type LiveJob } from "../live-job";
import { href } from "../router";

function FileRow({ job, file }: { job: Job; file: JobFile }) {
  const failures = job.stages.flatMap((stage) => {
    const state = file.stages[stage];
    return state?.status === "failed" && state.error
      ? [{ stage, attempts: state.attempts, ...state.error }]
      : [];
  });
  const hasResults = job.stages.some((stage) => file.stages[stage]?.status === "completed");
  return (
    <li class={`file file-${file.status}`} data-file={file.name}>
      <div class="file-head">
        <span class="name">{file.name}</span>
        <span class="muted small">{bytes(file.size)}</span>
        <StatusBadge status={file.status} />
        {hasResults ? (
          <a class="button small" href={href.file(job.id, file.fileId)}>
            Results
          </a>
        ) : null}
      </div>
      <StageChips file={file} stages={job.stages} />
      {failures.map((failure) => (
        <p key={failure.stage} class="error small" role="alert">
          {failure.stage} failed{failure.attempts > 1 ? ` after ${failure.attempts} attempts` : ""}:{" "}
          <strong>{failure.code}</strong> — {failure.message}
        </p>
      ))}
    </li>
  );
}

const LIVE_LABELS: Record<LiveJob["transport"], string> = {
  sse: "live",
  poll: "live (polling)",
  ended: "ended",
  connecting: "connecting…",
};

function LiveIndicator({ transport }: { transport: LiveJob["transport"] }) {
  return <span class={`live live-${transport}`}>{LIVE_LABELS[transport]}</span>;
}

export function JobView({ id }: { id: string }) {
  const { client } = useSession();
  const live = useLiveJob(id);
  const [actionError, setActionError] = useState<unknown>(null);
  const [acting, setActing] = useState(false);
  const job = live.job;

  const act = async (action: "cancel" | "retry") => {
    setActing(true);
    setActionError(null);
    try {
      const updated = action === "cancel" ? await client.jobs.cancel(id) : await client.jobs.retry(id);
      live.replace(updated);
      if (action === "retry") live.restart();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setActing(false);
    }
  };

  if (!job)
    return (
      <section class="card">
        {live.error ? <ErrorNotice error={live.error} /> : <p class="muted">Loading…</p>}
      </section>
    );
  const done = job.counts.completed + job.counts.failed + job.counts.cancelled;
  const terminal = isTerminalStatus(job.status);
  return (
    <section class="card" data-job={job.id} data-status={job.status}>
      <div class="job-head">
        <h2 class="mono">{job.id}</h2>
        <StatusBadge status={job.status} />
        <LiveIndicator transport={terminal ? "ended" : live.transport} />
      </div>
      <p class="muted small">
        {job.stages.join(" → ")} · created {when(job.createdAt)}
        {job.completedAt ? ` · ended ${when(job.completedAt)}` : ""}
      </p>
      <ProgressBar value={done} total={job.counts.total} label="files finished" />
      <p class="small">
        {done} of {job.counts.total} files finished: {job.counts.completed} completed
        {job.counts.failed ? `, ${job.counts.failed} failed` : ""}
        {job.counts.cancelled ? `, ${job.counts.cancelled} cancelled` : ""}
      </p>
      <div class="actions">
        {!terminal ? (
          <button disabled={acting} onClick={() => void act("cancel")}>
            Cancel job
          </button>
        ) : null}
        {job.status === "failed" || job.status === "completed_with_errors" ? (
          <button disabled={acting} onClick={() => void act("retry")}>
            Retry failed files
          </button>
        ) : null}
      </div>
      <ErrorNotice error={actionError ?? live.error} />
      <ul class="files">
        {job.files.map((file) => (
          <FileRow key={file.fileId} job={job} file={file} />
        ))}
      </ul>
    </section>
  );
}
