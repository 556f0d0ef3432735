/**
 * The typed client inside workerd (it is runtime-neutral): typed errors, a job's final state rebuilt from its
 * events alone with `applyEvent`, and pagination, against the Worker's real entry point and bindings.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  collect,
  isApiError,
  SluiceApiError,
  SluiceClient,
  type Job,
  type JobEvent,
} from "../../src/client";
import { DEV_KEY } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

/** The client inside workerd, talking to the Worker's real entry point with its real bindings. */
const client = new SluiceClient({
  baseUrl: "http://sluice.test",
  apiKey: DEV_KEY,
  fetch: (input, init) => exports.default.fetch(new Request(input, init)),
});

async function uploadFixture(path: string, name: string, type: string) {
  return client.files.upload(new Blob([await fixture(path)], { type }), { name });
}

describe("the typed client in workerd", () => {
  it("turns problem documents into typed errors", async () => {
    const error = await client.jobs.get("job_01JD3Z7A2B4C6D8E0F1G3H5J7K").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SluiceApiError);
    expect(isApiError(error, "not_found")).toBe(true);
    const anonymous = new SluiceClient({
      baseUrl: "http://sluice.test",
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    await expect(anonymous.files.list()).rejects.toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("rebuilds a job's final per-file, per-stage state from its events alone", async () => {
    const pdf = await uploadFixture("pdf/pdfjs_tracemonkey.pdf", "tracemonkey.pdf", "application/pdf");
    const broken = await uploadFixture(
      "malformed/freeculture_truncated.pdf",
      "broken.pdf",
      "application/pdf",
    );
    const photo = await uploadFixture("image/imagers_progressive_cat.jpg", "cat.jpg", "image/jpeg");
    const created = await client.jobs.create({
      files: [pdf.id, broken.id, photo.id],
      stages: ["extract", "analyze", "thumbnail"],
    });
    const state: Job = structuredClone(created);
    const events: JobEvent[] = [];
    const stale: boolean[] = [];
    const final = await client.jobs.wait(created.id, {
      onEvent: (event) => {
        events.push(event);
        stale.push(applyEvent(state, event).stale);
      },
    });
    expect(final.status).toBe("completed_with_errors");
    expect(stale.every((value) => !value)).toBe(true);
    const view = (job: Job) => ({
      status: job.status,
      counts: job.counts,
      files: job.files.map((file) => ({
        status: file.status,
        stages: Object.fromEntries(
          Object.entries(file.stages).map(([stage, s]) => [
            stage,
            { status: s.status, error: s.error?.code, reason: s.reason?.code },
          ]),
        ),
      })),
    });
    expect(view(state)).toEqual(view(final));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    // Replayed onto a snapshot that already holds them (a live view opened after the job started), the
    // events leave every stage's attempts as they are.
    const replayed: Job = structuredClone(final);
    for (const event of events) applyEvent(replayed, event);
    const attempts = (job: Job) => job.files.map((file) => Object.values(file.stages).map((s) => s.attempts));
    expect(attempts(replayed)).toEqual(attempts(final));
  });

  it("iterates pages until the last one", async () => {
    const ids: string[] = [];
    for (const name of ["a.md", "b.md", "c.md"]) {
      ids.push((await uploadFixture("text/libjpeg-turbo_README.md", name, "text/markdown")).id);
    }
    const listed = await collect(client.files.iterate({ pageSize: 1 }));
    expect(listed.map((file) => file.id).slice(0, 3)).toEqual([...ids].reverse());
  });
});
