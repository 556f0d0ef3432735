// Requests no well-behaved HTTP client can send, written byte by byte to the server's socket:
// conflicting Content-Length and Transfer-Encoding, two Content-Lengths, a negative or non-numeric
// length, broken chunked framing, a body shorter than announced. (Inside workerd, where the test
// suite runs, a Request never carries these: its HTTP parser is the server's, so they are tested
// here, against the real server.) Each must get a 4xx or a closed connection, never a 5xx from
// Sluice, and the server must keep answering afterwards. Whether Sluice answered (its responses carry
// X-Request-Id) or the server in front of it did is recorded: under `wrangler dev` a body that breaks
// off mid-request is answered 500 by wrangler's local proxy before the request reaches the Worker.
import { connect } from "node:net";

/**
 * @typedef {object} RawCase
 * @property {string} name
 * @property {string} request
 */

/** @param {string} key */
function cases(key) {
  const auth = `Authorization: Bearer ${key}\r\n`;
  const upload = `POST /v1/files?name=raw.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: text/plain\r\n`;
  /** @type {RawCase[]} */
  const list = [
    {
      name: "Content-Length and Transfer-Encoding: chunked together",
      request: `${upload}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    },
    {
      name: "two different Content-Length headers",
      request: `${upload}Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello!!`,
    },
    { name: "negative Content-Length", request: `${upload}Content-Length: -5\r\n\r\nhello` },
    { name: "non-numeric Content-Length", request: `${upload}Content-Length: 5x\r\n\r\nhello` },
    {
      name: "Transfer-Encoding other than chunked",
      request: `${upload}Transfer-Encoding: gzip, identity\r\n\r\nhello`,
    },
    {
      name: "chunk size that is not hexadecimal",
      request: `${upload}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`,
    },
    {
      name: "body shorter than its Content-Length (client goes away)",
      request: `${upload}Content-Length: 100\r\n\r\nhello`,
    },
    {
      name: "JSON job with a chunked body and a lying Content-Length",
      request:
        `POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\n` +
        `Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    },
  ];
  return list;
}

/**
 * Sends one raw request; resolves with the status line's code (0 when the server closed the
 * connection without an answer, which is a fine way to refuse a malformed request) and whether the
 * answer came from Sluice.
 * @param {number} port
 * @param {string} request
 * @returns {Promise<{ status: number, bySluice: boolean }>}
 */
function send(port, request) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    const finish = () => {
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      resolve({ status: status ? Number(status) : 0, bySluice: /\r\nx-request-id:/i.test(received) });
    };
    socket.setTimeout(5000, finish);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    // A body shorter than announced: the client stops writing and half-closes.
    socket.end(request);
  });
}

/**
 * Runs every case; returns the results and whether the server still answered /healthz at the end.
 * @param {number} port
 * @param {string} key  an API key of a tenant
 * @param {() => Promise<boolean>} healthy
 */
export async function probeFraming(port, key, healthy) {
  const results = [];
  for (const { name, request } of cases(key)) results.push({ name, ...(await send(port, request)) });
  return { results, healthyAfter: await healthy() };
}
