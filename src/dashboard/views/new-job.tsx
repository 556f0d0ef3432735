/**
 * A new job: drop files (or choose them) and they upload at once, straight to storage, each with its
 * progress; pick the stages (a stage brings the stages it needs); start the job and watch it.
 */
import { useState } from "preact/hooks";
import { STAGE_DEPENDENCIES, STAGE_NAMES, type StageName } from "sluice-client";
import { bytes, ErrorNotice, ProgressBar } from "../components";
import { useSession } from "../context";
import { href } from "../router";
import { useUploader, type UploadItem } from "../uploader";

const STAGE_HELP: Record<StageName, string> = {
  extract: "text, pages and facts of PDFs, text files and images",
  analyze: "language, counts and entities (emails, dates, amounts, …)",
  enrich: "keywords, a summary and the kind of document",
  thumbnail: "a small preview of images",
  index: "make the text searchable",
};

/** Adds a stage with what it needs, or removes it with what needs it. */
export function toggleStage(selected: StageName[], stage: StageName, on: boolean): StageName[] {
  const next = new Set(selected);
  const add = (name: StageName): void => {
    next.add(name);
    STAGE_DEPENDENCIES[name].forEach(add);
  };
  const remove = (name: StageName): void => {
    next.delete(name);
    STAGE_NAMES.filter((other) => STAGE_DEPENDENCIES[other].includes(name)).forEach(remove);
  };
  if (on) add(stage);
  else remove(stage);
  return STAGE_NAMES.filter((name) => next.has(name));
}

function UploadRow({ item }: { item: UploadItem }) {
  const state =
    item.state === "done"
      ? "uploaded"
      : item.state === "verifying"
        ? "verifying…"
        : item.state === "failed"
          ? "failed"
          : `${bytes(item.loaded)} of ${bytes(item.size)}`;
  return (
    <li class={`upload upload-${item.state}`} data-upload={item.name}>
      <div class="upload-head">
        <span class="name">{item.name}</span>
        <span class="muted">
          {state}
          {item.multipart ? " · multipart" : ""}
        </span>
      </div>
      <ProgressBar
        value={item.state === "uploading" ? item.loaded : item.size}
        total={item.size}
        label={item.name}
      />
      {item.error ? <p class="error small">{item.error}</p> : null}
    </li>
  );
}

export function NewJob() {
  const { client, apiKey } = useSession();
  const { uploader, items } = useUploader(client, apiKey);
  const [stages, setStages] = useState<StageName[]>(["extract", "thumbnail", "index"]);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const add = (files: FileList | null | undefined) => {
    if (!files) return;
    const problems = uploader.add(Array.from(files));
    setError(problems.length ? new Error(problems.join("; ")) : null);
  };
  const ready = items.filter((item) => item.state === "done");
  const busy = items.some((item) => item.state === "uploading" || item.state === "verifying");

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const job = await client.jobs.create({ files: ready.map((item) => item.fileId ?? ""), stages });
      uploader.reset();
      location.hash = href.job(job.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div class="stack">
      <section class="card">
        <h2>Files</h2>
        <label
          class={`dropzone${dragging ? " dragging" : ""}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => {
            setDragging(false);
          }}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            add(event.dataTransfer?.files);
          }}
        >
          <input
            type="file"
            multiple
            data-testid="file-input"
            onChange={(event) => {
              add(event.currentTarget.files);
              event.currentTarget.value = "";
            }}
          />
          <strong>Drop files here</strong> or <span class="link">choose them</span>
          <span class="muted small">PDFs, text and images go straight to storage; big files in parts.</span>
        </label>
        {items.length > 0 ? (
          <ul class="uploads">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} />
            ))}
          </ul>
        ) : null}
      </section>
      <section class="card">
        <h2>Stages</h2>
        <div class="stage-picker">
          {STAGE_NAMES.map((stage) => (
            <label key={stage} class="check">
              <input
                type="checkbox"
                name="stage"
                value={stage}
                checked={stages.includes(stage)}
                onChange={(event) => {
                  setStages(toggleStage(stages, stage, event.currentTarget.checked));
                }}
              />
              <span>
                <strong>{stage}</strong> <span class="muted small">{STAGE_HELP[stage]}</span>
              </span>
            </label>
          ))}
        </div>
      </section>
      <ErrorNotice error={error} />
      <button
        class="primary"
        disabled={starting || busy || ready.length === 0 || stages.length === 0}
        onClick={() => void start()}
      >
        {busy ? "Uploading…" : `Start job (${ready.length} file${ready.length === 1 ? "" : "s"})`}
      </button>
    </div>
  );
}
