/**
 * Where a tenant's objects live in R2's S3 API, and the SigV4 client that signs for it. One code path
 * for production and local development: only the endpoint base differs.
 *
 * - Production: `https://<account>.r2.cloudflarestorage.com/<bucket>` (`.eu.` for EU tenants), from
 *   R2_ACCOUNT_ID, or R2_S3_ENDPOINT / R2_S3_ENDPOINT_EU when set explicitly.
 * - Locally (none of those set): wrangler's S3-compatible endpoint on the origin the request came in
 *   on, `<origin>/cdn-cgi/local/r2/s3/<bucket>` (path style; enabled by `local_dev` in wrangler.toml).
 *
 * Credentials are R2 API tokens (R2_ACCESS_KEY_ID / R2_SECRET_ACCESS_KEY); without them presigned
 * uploads are switched off and answer 503.
 */
import { AwsClient } from "aws4fetch";
import type { Config } from "../config";
import { ApiError } from "../errors";
import type { Tenant } from "../tenancy/tenant";

const LOCAL_S3_PATH = "/cdn-cgi/local/r2/s3";

export interface S3Target {
  client: AwsClient;
  bucketName: string;
  /** The S3 URL of an object key (path style, each key segment percent-encoded). */
  objectUrl(key: string): URL;
}

export function s3Target(config: Config, tenant: Tenant, requestUrl: string): S3Target {
  if (!config.R2_ACCESS_KEY_ID || !config.R2_SECRET_ACCESS_KEY) {
    throw new ApiError(
      "uploads_not_configured",
      "presigned uploads need R2 S3 credentials (R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY)",
    );
  }
  const eu = tenant.jurisdiction === "eu";
  const base = endpointBase(config, eu, requestUrl);
  const bucketName = eu ? config.R2_BUCKET_NAME_EU : config.R2_BUCKET_NAME;
  return {
    // No retries: a client waiting on an API call should get an answer, not 10 backoff rounds.
    client: new AwsClient({
      accessKeyId: config.R2_ACCESS_KEY_ID,
      secretAccessKey: config.R2_SECRET_ACCESS_KEY,
      service: "s3",
      region: "auto",
      retries: 0,
    }),
    bucketName,
    objectUrl: (key) =>
      new URL(
        `${base}/${encodeURIComponent(bucketName)}/${key.split("/").map(encodeURIComponent).join("/")}`,
      ),
  };
}

function endpointBase(config: Config, eu: boolean, requestUrl: string): string {
  const explicit = eu ? config.R2_S3_ENDPOINT_EU : config.R2_S3_ENDPOINT;
  if (explicit) return explicit.replace(/\/+$/, "");
  if (config.R2_ACCOUNT_ID) {
    return `https://${config.R2_ACCOUNT_ID}.${eu ? "eu." : ""}r2.cloudflarestorage.com`;
  }
  return `${new URL(requestUrl).origin}${LOCAL_S3_PATH}`;
}
