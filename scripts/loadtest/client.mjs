// HTTP access to the server under test, recording every operation (what, status, latency) for the
// figures and in `ops.jsonl` of the run directory. A connection that fails (the server is down) is
// recorded with status 0; it is never confused with an HTTP error.
import { createWriteStream } from "node:fs";
import { performance } from "node:perf_hooks";
import { TextDecoder } from "node:util";

/**
 * @typedef {object} Operation
 * @property {number} at       ms since the run started
 * @property {string} op       kind: upload, create_job, get_job, events, list_jobs, output, …
 * @property {string} method
 * @property {string} path
 * @property {number} status   0 when no HTTP answer came
 * @property {number} ms
 * @property {boolean} [fromProxy]  a 5xx without X-Request-Id: answered by the dev server in front of
 *                                  the Worker (e.g. while it restarts), not by Sluice
 * @property {string} [error]
 */

export class Recorder {
  /** @param {string} path */
  constructor(path) {
    this.started = performance.now();
    /** @type {Operation[]} */
    this.operations = [];
    this.out = createWriteStream(path);
  }

  /** @param {Operation} operation */
  record(operation) {
    this.operations.push(operation);
    this.out.write(`${JSON.stringify(operation)}\n`);
  }

  /** @returns {Promise<void>} */
  close() {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {any} body    parsed JSON when the answer was JSON, else null
 * @property {Uint8Array | null} bytes  raw bytes when asked for
 * @property {string | null} error
 */

export class Client {
  /**
   * @param {string} baseUrl
   * @param {Recorder} recorder
   */
  constructor(baseUrl, recorder) {
    this.baseUrl = baseUrl;
    this.recorder = recorder;
  }

  /**
   * @param {string} op
   * @param {string} method
   * @param {string} path
   * @param {{ key?: string, json?: unknown, body?: Uint8Array<ArrayBuffer>, headers?: Record<string, string>, raw?: boolean }} [init]
   * @returns {Promise<Answer>}
   */
  async call(op, method, path, init = {}) {
    /** @type {Record<string, string>} */
    const headers = { ...init.headers };
    if (init.key) headers["Authorization"] = `Bearer ${init.key}`;
    /** @type {Uint8Array<ArrayBuffer> | string | undefined} */
    let body = init.body;
    if (init.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const start = performance.now();
    const at = Math.round(start - this.recorder.started);
    try {
      const response = await globalThis.fetch(this.baseUrl + path, {
        method,
        headers,
        body,
        signal: globalThis.AbortSignal.timeout(120_000),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const ms = performance.now() - start;
      const fromProxy = response.status >= 500 && !response.headers.has("X-Request-Id");
      this.recorder.record({
        at,
        op,
        method,
        path,
        status: response.status,
        ms: Math.round(ms * 10) / 10,
        ...(fromProxy ? { fromProxy } : {}),
      });
      const type = response.headers.get("Content-Type") ?? "";
      const parsed = type.includes("json") && !init.raw ? JSON.parse(new TextDecoder().decode(bytes)) : null;
      return { status: response.status, body: parsed, bytes: init.raw ? bytes : null, error: null };
    } catch (error) {
      const ms = performance.now() - start;
      const message =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      this.recorder.record({ at, op, method, path, status: 0, ms: Math.round(ms), error: message });
      return { status: 0, body: null, bytes: null, error: message };
    }
  }
}
