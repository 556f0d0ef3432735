import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  armFault,
  configureFaults,
  disarmFaults,
  FAULT_POINTS,
  faultAt,
  InjectedFault,
  parseFaultConfig,
  duplicatesOf,
} from "../../src/faults";
import type { TaskMessage } from "../../src/queue/messages";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, upload } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { seedFile } from "../helpers/seed";
import { ageJob, jobDurableObject, runAlarm, sql } from "../helpers/jobs";
import { allEvents, expectJobIntact } from "./helpers/integrity";

afterEach(() => {
  disarmFaults();
  vi.restoreAllMocks();
});

const TERMINAL = new Set(["completed", "completed_with_errors", "failed", "cancelled"]);

async function jobStatus(jobId: string): Promise<JobObject> {
  return json<JobObject>(await api(`/v1/jobs/${jobId}`), 200);
}

/**
 * Follows a job to its end the way time would: whenever it makes no progress on its own, its
 * deadlines are moved into the past and its alarm runs (an expired lease or a lost message is
 * re-driven). A round waits long enough for a live consumer on a busy machine, so a nudge only
 * ever replaces a dead one. Gives up after `rounds` such nudges, so a stuck job fails the test.
 */
async function driveToEnd(jobId: string, rounds = 20): Promise<JobObject> {
  for (let round = 0; round < rounds; round++) {
    try {
      return await vi.waitFor(
        async () => {
          const job = await jobStatus(jobId);
          if (!TERMINAL.has(job.status)) throw new Error(`job is ${job.status}`);
          return job;
        },
        { timeout: 5000, interval: 25 },
      );
    } catch {
      await ageJob(jobId);
      await runAlarm(jobId).catch((error: unknown) => {
        if (!(error instanceof InjectedFault)) throw error;
      });
    }
  }
  throw new Error(`job ${jobId} did not end after ${rounds} rounds of re-driving`);
}

async function imageJob(): Promise<JobObject> {
  const image = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
  return json<JobObject>(await createJob({ files: [image.id], stages: ["extract", "thumbnail"] }), 202);
}

async function imageAndTextJob(): Promise<{ job: JobObject; files: string[] }> {
  const image = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg");
  const text = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
  const job = await json<JobObject>(
    await createJob({ files: [image.id, text.id], stages: ["extract", "thumbnail"] }),
    202,
  );
  return { job, files: [image.id, text.id] };
}

describe("fault configuration", () => {
  it("is off without FAULT_INJECTION and refuses a setting it cannot read", () => {
    expect(parseFaultConfig(undefined)).toBeNull();
    expect(parseFaultConfig("  ")).toBeNull();
    expect(() => parseFaultConfig("{seed: 1")).toThrow(/not valid JSON/);
    expect(() => parseFaultConfig('{"seed": 1, "points": ["nowhere"]}')).toThrow();
    expect(() => parseFaultConfig('{"seed": 1, "probability": 2}')).toThrow();
    expect(parseFaultConfig('{"seed": 42, "probability": 0.1, "points": ["alarm"]}')).toEqual({
      seed: 42,
      probability: 0.1,
      points: ["alarm"],
      duplicateDelivery: false,
    });
    for (const point of FAULT_POINTS) expect(faultAt(point)).toBe(false);
  });

  it("makes the same decisions from the same seed, and only at the listed points", () => {
    const decisions = () => {
      configureFaults({ seed: 1234, probability: 0.5, points: ["alarm"], duplicateDelivery: false });
      return Array.from({ length: 64 }, () => faultAt("alarm"));
    };
    const first = decisions();
    expect(decisions()).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(10);
    expect(first.filter(Boolean).length).toBeLessThan(54);
    expect(faultAt("consumer.before_ack")).toBe(false);
    configureFaults({ seed: 1235, probability: 0.5, points: ["alarm"], duplicateDelivery: false });
    expect(Array.from({ length: 64 }, () => faultAt("alarm"))).not.toEqual(first);
  });

  it("makes a second copy of each message, 0 to 2 seconds later, in duplicate-delivery mode", () => {
    const messages = [{ body: 1 }, { body: 2 }];
    expect(duplicatesOf(messages)).toEqual([]);
    configureFaults({ seed: 9, probability: 0, points: [], duplicateDelivery: true });
    const copies = duplicatesOf(messages);
    expect(copies.map((message) => message.body)).toEqual([1, 2]);
    for (const copy of copies) expect([0, 1, 2]).toContain(copy.delaySeconds);
  });
});

describe("each fault point, fired once, loses and duplicates nothing", () => {
  it("output.after_write: the stage is retried and overwrites its own output", async () => {
    armFault("output.after_write");
    const job = await imageJob();
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    // The thumbnail was written, then its stage crashed: that stage ran twice; extract (done) once.
    expect(done.files[0]?.stages.thumbnail).toMatchObject({ status: "completed", attempts: 2 });
    expect(done.files[0]?.stages.extract?.attempts).toBe(1);
    await expectJobIntact(job.id);
  });

  it("consumer.before_report: the redelivery finds the file leased; the alarm re-drives it when the lease ends", async () => {
    armFault("consumer.before_report");
    const job = await imageJob();
    await expect.poll(async () => (await jobStatus(job.id)).status, { timeout: 10_000 }).toBe("processing");
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.attempts).toBe(2);
    await expectJobIntact(job.id);
  });

  it("consumer.before_ack: the redelivered messages find their files done and are acked", async () => {
    armFault("consumer.before_ack");
    const job = await imageJob();
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.attempts).toBe(1);
    await expectJobIntact(job.id);
  });

  it("alarm: a crashed alarm leaves its sweep committed; the next touch re-arms it and it finishes", async () => {
    armFault("dispatch.drop");
    const { job } = await imageAndTextJob();
    await ageJob(job.id);
    armFault("alarm");
    await expect(runAlarm(job.id)).rejects.toThrow(/injected fault at alarm/);
    // The sweep committed (a new dispatch waits in the outbox) but nothing was sent, and no alarm is set.
    expect(await sql(job.id, "SELECT kind FROM outbox WHERE kind = 'dispatch'")).toHaveLength(2);
    const alarm = () =>
      runInDurableObject(jobDurableObject(job.id), (_instance, state) => state.storage.getAlarm());
    expect(await alarm()).toBeNull();
    expect((await jobStatus(job.id)).status).toBe("pending");
    expect(await alarm()).not.toBeNull();
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    await expectJobIntact(job.id);
  });

  it("dispatch.drop and consumer.after_claim: the alarm re-sends and re-leases", async () => {
    armFault("dispatch.drop");
    armFault("consumer.after_claim");
    const job = await imageJob();
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    expect(done.files[0]?.attempts).toBe(2);
    await expectJobIntact(job.id);
  });
});

describe("double delivery", () => {
  it("every task message arrives twice; each file is still claimed and processed once", async () => {
    const sent = vi.spyOn(env.TASKS, "sendBatch");
    configureFaults({ seed: 5, probability: 0, points: [], duplicateDelivery: true });
    const { job, files } = await imageAndTextJob();
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    expect(done.files.map((file) => file.attempts)).toEqual([1, 1]);
    // The queue was given two copies of the message of every file.
    const bodies = sent.mock.calls.flatMap(([messages]) => [...messages].map((m) => m.body as TaskMessage));
    for (const fileId of files) expect(bodies.filter((body) => body.fileId === fileId)).toHaveLength(2);
    await expectJobIntact(job.id);
  });

  it("doubles a large job's dispatch without going over the queue's 100 messages per batch", async () => {
    const sent = vi.spyOn(env.TASKS, "sendBatch");
    configureFaults({ seed: 6, probability: 0, points: [], duplicateDelivery: true });
    const text = new TextEncoder().encode("a small text file\n");
    const files = await Promise.all(
      Array.from({ length: 60 }, (_, index) => seedFile(text, `${index}.txt`, "text/plain")),
    );
    const job = await json<JobObject>(
      await createJob({ files: files.map((file) => file.id), stages: ["extract"] }),
      202,
    );
    const done = await driveToEnd(job.id);
    expect(done.status).toBe("completed");
    expect(done.files.filter((file) => file.attempts !== 1)).toEqual([]);
    const batches = sent.mock.calls.map(([messages]) => [...messages]);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(100);
    expect(batches.flat()).toHaveLength(120);
  });
});

describe("a seeded storm of faults with double delivery", () => {
  it("ends every job with every file completed, once", async () => {
    const seed = 20261121;
    console.log(`fault storm seed ${seed}`);
    const warnings = vi.spyOn(console, "warn");
    configureFaults({
      seed,
      probability: 0.25,
      points: ["output.after_write", "consumer.before_report", "consumer.before_ack", "alarm"],
      duplicateDelivery: true,
    });
    const jobs = await Promise.all(Array.from({ length: 4 }, () => imageAndTextJob()));
    for (const { job } of jobs) {
      const done = await driveToEnd(job.id, 40);
      expect(done.status).toBe("completed");
      await expectJobIntact(job.id);
      const events = await allEvents(job.id);
      expect(events.filter((event) => event.type === "job.completed")).toHaveLength(1);
    }
    const fired = warnings.mock.calls
      .map(([line]) => JSON.parse(String(line)) as { msg: string; point?: string })
      .filter((line) => line.msg === "fault injected")
      .map((line) => line.point);
    console.log(`faults fired: ${fired.join(", ")}`);
    expect(new Set(fired).size).toBeGreaterThanOrEqual(3);
    const deadLetters = await env.DB.prepare("SELECT count(*) AS n FROM dead_letters").first<{ n: number }>();
    expect(deadLetters?.n).toBe(0);
  }, 180_000);
});
