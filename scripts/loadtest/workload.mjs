// The clients of a load run: tenants created through the admin API, a pool of uploaded files per
// tenant, then many clients that each submit jobs (with an Idempotency-Key, retried until answered,
// so a crash never makes a client give up or submit twice) and follow them to their end.
import { setTimeout as sleep } from "node:timers/promises";

const TERMINAL = new Set(["completed", "completed_with_errors", "failed", "cancelled"]);
const STAGE_SETS = [["extract"], ["extract", "thumbnail"], ["thumbnail"], ["extract", "thumbnail"]];
/** Answers after which the same request is simply sent again. */
const RETRYABLE = (/** @type {number} */ status) =>
  status === 0 || status >= 500 || status === 429 || status === 409;

/**
 * @typedef {import("./client.mjs").Client} Client
 * @typedef {import("./corpus.mjs").CorpusFile} CorpusFile
 * @typedef {import("./random.mjs").Random} Random
 * @typedef {{ id: string, key: string, jurisdiction: string }} Tenant
 * @typedef {{ id: string, path: string }} UploadedFile
 * @typedef {object} AcceptedJob
 * @property {string} id
 * @property {Tenant} tenant
 * @property {UploadedFile[]} files
 * @property {string[]} stages
 * @property {number} acceptedAt   client clock, ms
 * @property {any} last            the last job object seen
 * @property {number | null} endedAt  client clock when first seen terminal
 */

export const isTerminal = (/** @type {string | undefined} */ status) => TERMINAL.has(status ?? "");

/**
 * Sends a request until it gets an answer that is not worth retrying, or the deadline passes.
 * @param {() => Promise<import("./client.mjs").Answer>} send
 * @param {number} deadline
 */
export async function persist(send, deadline) {
  for (let attempt = 0; ; attempt++) {
    const answer = await send();
    if (!RETRYABLE(answer.status) || Date.now() > deadline) return answer;
    await sleep(Math.min(2000, 100 * 2 ** attempt));
  }
}

/**
 * @param {Client} client
 * @param {string} adminToken
 * @param {number} count
 * @param {string} runId
 * @returns {Promise<Tenant[]>}
 */
export async function createTenants(client, adminToken, count, runId) {
  const headers = { Authorization: `Bearer ${adminToken}` };
  const deadline = Date.now() + 60_000;
  /** @type {Tenant[]} */
  const tenants = [];
  for (let index = 0; index < count; index++) {
    const jurisdiction = count > 1 && index === count - 1 ? "eu" : "default";
    const created = await persist(
      () =>
        client.call("admin", "POST", "/admin/tenants", {
          headers,
          json: { name: `load test ${runId} #${index + 1}`, jurisdiction },
        }),
      deadline,
    );
    if (created.status !== 201)
      throw new Error(`creating a tenant answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = String(created.body.id);
    const key = await persist(
      () =>
        client.call("admin", "POST", `/admin/tenants/${id}/keys`, { headers, json: { name: "load test" } }),
      deadline,
    );
    if (key.status !== 201)
      throw new Error(`creating a key answered ${key.status}: ${JSON.stringify(key.body)}`);
    tenants.push({ id, key: String(key.body.key), jurisdiction });
  }
  return tenants;
}

/**
 * Uploads one file (again until answered); null when the server refused it.
 * @param {Client} client
 * @param {Tenant} tenant
 * @param {CorpusFile} file
 * @param {number} deadline
 * @returns {Promise<UploadedFile | null>}
 */
export async function uploadFile(client, tenant, file, deadline) {
  const name = encodeURIComponent(file.path.split("/").pop() ?? "file");
  const answer = await persist(
    () =>
      client.call("upload", "POST", `/v1/files?name=${name}`, {
        key: tenant.key,
        body: file.bytes,
        headers: { "Content-Type": file.contentType },
      }),
    deadline,
  );
  if (answer.status !== 201) {
    console.log(`  upload of ${file.path} answered ${answer.status} ${answer.body?.code ?? ""}`);
    return null;
  }
  return { id: String(answer.body.id), path: file.path };
}

/**
 * @param {object} context
 * @param {Client} context.client
 * @param {Tenant[]} context.tenants
 * @param {CorpusFile[]} context.files
 * @param {number} context.concurrency
 * @param {number} context.deadline
 * @returns {Promise<Map<string, UploadedFile[]>>} the pool of each tenant
 */
export async function uploadPools({ client, tenants, files, concurrency, deadline }) {
  const pools = new Map(tenants.map((tenant) => [tenant.id, /** @type {UploadedFile[]} */ ([])]));
  const work = tenants.flatMap((tenant) => files.map((file) => ({ tenant, file })));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = work.shift(); item; item = work.shift()) {
        const uploaded = await uploadFile(client, item.tenant, item.file, deadline);
        if (uploaded) pools.get(item.tenant.id)?.push(uploaded);
      }
    }),
  );
  return pools;
}

/**
 * Refreshes a job from the API; returns true when it has ended.
 * @param {Client} client
 * @param {AcceptedJob} job
 */
export async function poll(client, job) {
  const answer = await client.call("get_job", "GET", `/v1/jobs/${job.id}?filesLimit=1000`, {
    key: job.tenant.key,
  });
  if (answer.status === 200) {
    job.last = answer.body;
    if (isTerminal(answer.body.status) && job.endedAt === null) job.endedAt = Date.now();
  }
  return isTerminal(job.last?.status);
}

/**
 * @typedef {object} ClientPlan
 * @property {Client} client
 * @property {Tenant} tenant
 * @property {UploadedFile[]} pool
 * @property {CorpusFile[]} corpus
 * @property {number} jobs        how many jobs this client submits
 * @property {number} maxFiles
 * @property {number} inflight
 * @property {Random} random
 * @property {string} keyPrefix   Idempotency-Key prefix (unique per client and run)
 * @property {{ deadline: number }} progress  client clock after which clients stop following their jobs
 * @property {Map<string, AcceptedJob>} accepted  where accepted jobs are recorded
 * @property {{ refused: number }} tally
 */

/** One client: keeps up to `inflight` jobs running, submitting the next when one ends. @param {ClientPlan} plan */
export async function runClient(plan) {
  const { client, random, accepted } = plan;
  /** @type {AcceptedJob[]} */
  let running = [];
  let submitted = 0;
  while ((submitted < plan.jobs || running.length > 0) && Date.now() < plan.progress.deadline) {
    while (running.length < plan.inflight && submitted < plan.jobs) {
      submitted += 1;
      const job = await submitJob(plan, `${plan.keyPrefix}-${submitted}`);
      if (job) {
        accepted.set(job.id, job);
        running.push(job);
      }
    }
    await sleep(random.int(300, 700));
    const ended = await Promise.all(running.map((job) => poll(client, job)));
    running = running.filter((_job, index) => !ended[index]);
  }
}

/** @param {ClientPlan} plan @param {string} idempotencyKey @returns {Promise<AcceptedJob | null>} */
async function submitJob(plan, idempotencyKey) {
  const { client, tenant, random } = plan;
  // A third of the jobs bring a fresh upload, so uploads keep running alongside processing.
  if (random.next() < 1 / 3) {
    const fresh = await uploadFile(client, tenant, random.pick(plan.corpus), plan.progress.deadline);
    if (fresh) plan.pool.push(fresh);
  }
  const files = random.sample(plan.pool, random.int(1, Math.min(plan.maxFiles, plan.pool.length)));
  const stages = random.pick(STAGE_SETS);
  const answer = await persist(
    () =>
      client.call("create_job", "POST", "/v1/jobs", {
        key: tenant.key,
        json: { files: files.map((file) => file.id), stages },
        headers: { "Idempotency-Key": idempotencyKey },
      }),
    plan.progress.deadline,
  );
  if (answer.status !== 202) {
    plan.tally.refused += 1;
    console.log(`  job refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    return null;
  }
  return {
    id: String(answer.body.id),
    tenant,
    files,
    stages,
    acceptedAt: Date.now(),
    last: answer.body,
    endedAt: null,
  };
}
