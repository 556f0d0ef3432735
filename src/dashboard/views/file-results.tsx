/** A file's results in one job: what every stage found or made, and why a stage failed or was skipped. */
import { useEffect, useState } from "preact/hooks";
import type { Job } from "sluice-client";
import { bytes, ErrorNotice, StageChips, StatusBadge } from "../components";
import { useSession } from "../context";
import { href } from "../router";
import { Analysis, Enrichment, ExtractFacts, outputUrl, TextPages, Thumbnails } from "./results-parts";

export function FileResults({ jobId, fileId, page }: { jobId: string; fileId: string; page: number | null }) {
  const { client } = useSession();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    client.jobs.getWithAllFiles(jobId).then(setJob, setError);
  }, [client, jobId]);

  const file = job?.files.find((candidate) => candidate.fileId === fileId);
  if (!job || !file) {
    return (
      <section class="card">
        {error ? (
          <ErrorNotice error={error} />
        ) : job ? (
          <p class="error">This job has no such file.</p>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
    );
  }
  const result = (stage: "extract" | "analyze" | "enrich" | "thumbnail") => {
    const state = file.stages[stage];
    return state?.status === "completed" ? (state.result ?? {}) : null;
  };
  const extract = result("extract");
  const analyze = result("analyze");
  const enrich = result("enrich");
  const thumbnail = result("thumbnail");
  const textUrl = extract ? outputUrl(extract, "text") : null;
  return (
    <section class="card results" data-results={file.name}>
      <p class="small">
        <a href={href.job(job.id)}>← {job.id}</a>
      </p>
      <div class="file-head">
        <h2>{file.name}</h2>
        <span class="muted small">
          {bytes(file.size)} · {file.contentType}
        </span>
        <StatusBadge status={file.status} />
      </div>
      <StageChips file={file} stages={job.stages} />
      {job.stages.map((stage) => {
        const state = file.stages[stage];
        const problem =
          state?.status === "failed" ? state.error : state?.status === "skipped" ? state.reason : null;
        return problem ? (
          <p key={stage} class={state?.status === "failed" ? "error small" : "muted small"}>
            {stage} {state?.status}: <strong>{problem.code}</strong> — {problem.message}
          </p>
        ) : null;
      })}
      {thumbnail ? (
        <>
          <h3>Thumbnail</h3>
          <Thumbnails result={thumbnail} name={file.name} />
        </>
      ) : null}
      {enrich ? (
        <>
          <h3>Summary and keywords</h3>
          <Enrichment result={enrich} />
        </>
      ) : null}
      {analyze ? (
        <>
          <h3>Entities</h3>
          <Analysis result={analyze} />
        </>
      ) : null}
      {extract ? (
        <>
          <h3>Extracted</h3>
          <ExtractFacts result={extract} />
        </>
      ) : null}
      {textUrl ? (
        <>
          <h3>Text</h3>
          <TextPages url={textUrl} focusPage={page} />
        </>
      ) : null}
    </section>
  );
}
