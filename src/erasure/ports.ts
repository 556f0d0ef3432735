/**
 * What deleting a file or job reaches besides D1 and the Job DOs: the tenant's R2 bucket. It is a port
 * so a test can count (or fail) the calls on the real bucket; production passes the bucket itself.
 */
import { filesBucket, type Tenant } from "../tenancy/tenant";
import type { ErasureBucket } from "./delete-keys";

export interface ErasurePorts {
  bucket(tenant: Tenant): ErasureBucket;
}

export const erasurePorts = (env: Env): ErasurePorts => ({ bucket: (tenant) => filesBucket(env, tenant) });
