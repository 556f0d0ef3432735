/**
 * Streams an R2 object as an HTTP response, with `Range` support (206 + Content-Range), an ETag, and
 * a Content-Disposition carrying the file's display name.
 */
import type { Context } from "hono";
import { ApiError, notFound } from "../errors";
import type { AppEnv } from "./app-env";

interface ServeOptions {
  contentType: string;
  fileName?: string;
}

const BYTES_RANGE = /^bytes=(\d*)-(\d*)$/;

export async function serveObject(
  c: Context<AppEnv>,
  bucket: R2Bucket,
  key: string,
  options: ServeOptions,
): Promise<Response> {
  const rangeHeader = c.req.header("Range");
  if (rangeHeader !== undefined && !BYTES_RANGE.test(rangeHeader.trim())) {
    throw new ApiError("range_not_satisfiable", "only a single `bytes=start-end` range is supported");
  }
  const head = rangeHeader ? await bucket.head(key) : null;
  if (rangeHeader && !head) throw notFound("the content");
  const range = head && rangeHeader ? parseRange(rangeHeader, head.size) : undefined;
  const object = await bucket.get(key, range ? { range } : {});
  if (!object) throw notFound("the content");

  const headers = new Headers({
    "Content-Type": options.contentType,
    "Accept-Ranges": "bytes",
    ETag: object.httpEtag,
  });
  if (options.fileName) {
    headers.set("Content-Disposition", `inline; filename*=UTF-8''${encodeURIComponent(options.fileName)}`);
  }
  if (range) {
    headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
    headers.set("Content-Length", String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

function parseRange(header: string, size: number): { offset: number; length: number } {
  const [, startText = "", endText = ""] = BYTES_RANGE.exec(header.trim()) ?? [];
  let start: number;
  let end: number;
  if (startText === "") {
    const suffix = Number(endText);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(startText);
    end = endText === "" ? size - 1 : Math.min(Number(endText), size - 1);
  }
  if (startText === "" && endText === "") start = size;
  if (start >= size || end < start) {
    throw new ApiError(
      "range_not_satisfiable",
      `the range is outside the ${size} bytes of the content`,
      {},
      {
        "Content-Range": `bytes */${size}`,
      },
    );
  }
  return { offset: start, length: end - start + 1 };
}
