/**
 * A job kept live: fetched once with all its files, then updated from its event stream (SSE over
 * fetch, polling when streaming fails) without a request per event. When a file finishes, or an event
 * says the view is stale, the job is fetched again (at most twice a second) so stage results appear.
 * `restart()` follows again after a retry has set the ended job running.
 */
import { useEffect, useState } from "preact/hooks";
import { applyEvent, TERMINAL_EVENT_TYPES, type Job } from "sluice-client";
import { useSession } from "./context";

export interface LiveJob {
  job: Job | null;
  transport: "sse" | "poll" | "ended" | "connecting";
  error: unknown;
  restart: () => void;
  replace: (job: Job) => void;
}

const REFRESH_MS = 500;

export function useLiveJob(id: string): LiveJob {
  const { client } = useSession();
  const [job, setJob] = useState<Job | null>(null);
  const [, setVersion] = useState(0);
  const [transport, setTransport] = useState<LiveJob["transport"]>("connecting");
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    let current: Job | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchJob = async () => {
      current = await client.jobs.getWithAllFiles(id, abort.signal);
      setJob(current);
    };
    const scheduleFetch = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        fetchJob().catch(() => undefined);
      }, REFRESH_MS);
    };
    const follow = async () => {
      await fetchJob();
      for await (const event of client.jobs.follow(id, { signal: abort.signal, onTransport: setTransport })) {
        if (!current) continue;
        const { stale } = applyEvent(current, event);
        setVersion((version) => version + 1);
        const fileEnded = event.type === "job.file_completed" || event.type === "job.file_failed";
        if (stale || fileEnded || TERMINAL_EVENT_TYPES.includes(event.type)) scheduleFetch();
      }
      clearTimeout(timer);
      timer = undefined;
      await fetchJob();
      setTransport("ended");
    };
    setError(null);
    setTransport("connecting");
    follow().catch((caught: unknown) => {
      if (!abort.signal.aborted) setError(caught);
    });
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [client, id, generation]);

  return {
    job,
    transport,
    error,
    restart: () => {
      setGeneration((value) => value + 1);
    },
    replace: setJob,
  };
}
