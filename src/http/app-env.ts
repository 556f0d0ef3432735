/** The Hono environment of the API: the Worker's bindings plus what middleware puts on the context. */
import type { RequestIdVariables } from "hono/request-id";
import type { Tenant } from "../tenancy/tenant";

export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    /** The tenant the request's API key belongs to (set by the auth middleware). */
    tenant: Tenant;
    /** Whether the request's API key is still valid now (long-lived streams ask again later). */
    stillAuthorized: () => Promise<boolean>;
    /** The request's W3C trace id (from `traceparent`, else new), handed on to the jobs it creates. */
    traceId: string;
  };
}
