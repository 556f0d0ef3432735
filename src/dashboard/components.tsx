/** Small pieces shared by the views: status badges, stage chips, progress bars, errors, images. */
import { useEffect, useState } from "preact/hooks";
import { isApiError, type JobFile, type StageName } from "sluice-client";
import { useSession } from "./context";

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  const units = ["KiB", "MiB", "GiB"];
  let scaled = value / 1024;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${units[unit] ?? "GiB"}`;
}

export const when = (iso: string | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status.replaceAll("_", " ")}</span>;
}

const MARKS: Record<string, string> = {
  pending: "·",
  started: "…",
  completed: "✓",
  failed: "✗",
  skipped: "–",
  cancelled: "⊘",
};

export function StageChips({ file, stages }: { file: JobFile; stages: StageName[] }) {
  return (
    <ul class="stages">
      {stages.map((stage) => {
        const state = file.stages[stage];
        const status = state?.status ?? "pending";
        const problem = state?.error ?? state?.reason;
        return (
          <li
            key={stage}
            class={`stage stage-${status}`}
            title={problem ? `${problem.code}: ${problem.message}` : status}
          >
            {MARKS[status]} {stage}
            {status === "failed" && problem ? <span class="code"> {problem.code}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function ProgressBar({ value, total, label }: { value: number; total: number; label: string }) {
  const percent = total > 0 ? Math.min(100, Math.round((value / total) * 100)) : 0;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div class="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  if (isApiError(error)) {
    return (
      <p class="error" role="alert">
        <strong>{error.code}</strong>: {error.detail}
        {error.requestId ? <span class="muted"> (request {error.requestId})</span> : null}
      </p>
    );
  }
  return (
    <p class="error" role="alert">
      {error instanceof Error ? error.message : JSON.stringify(error)}
    </p>
  );
}

/** An image behind the API key: fetched with it, shown from a blob URL. */
export function AuthImage({
  url,
  alt,
  width,
  height,
}: {
  url: string;
  alt: string;
  width?: number;
  height?: number;
}) {
  const { client } = useSession();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    client
      .download(url)
      .then((response) => response.blob())
      .then((blob) => {
        objectUrl = URL.createObjectURL(blob);
        if (live) setSrc(objectUrl);
      })
      .catch((caught: unknown) => {
        if (live) setError(caught);
      });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [client, url]);
  if (error) return <ErrorNotice error={error} />;
  return src ? (
    <img src={src} alt={alt} width={width} height={height} class="thumbnail" />
  ) : (
    <div class="thumbnail placeholder" />
  );
}
