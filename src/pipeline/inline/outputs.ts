/**
 * Where stage outputs go when nothing may be persisted (POST /v1/process): kept in memory and returned
 * inline in the response. Text outputs come back as strings (cut at a documented size), binary outputs
 * (thumbnails) as base64, JSON outputs as JSON. Output URLs in stage results read `inline:<name>`:
 * the output is in the same file's `outputs[<name>]`.
 */
import type { OutputRef, OutputStore } from "../stage";
import type { StageName } from "../stage-names";

/** Text outputs longer than this are cut in the response (and marked `truncated`). */
export const MAX_INLINE_TEXT_CHARS = 1_000_000;

interface Stored {
  stage: StageName;
  body: Uint8Array;
  contentType: string;
}

export type InlineOutput =
  | { contentType: string; bytes: number; text: string; truncated: boolean }
  | { contentType: string; bytes: number; json: unknown }
  | { contentType: string; bytes: number; base64: string };

export class InlineOutputStore {
  private readonly stored = new Map<string, Stored>();

  forStage(stage: StageName): OutputStore {
    return {
      write: (name, body, contentType) => Promise.resolve(this.write(stage, name, body, contentType)),
      read: (fromStage, name) => {
        const found = this.stored.get(name);
        return Promise.resolve(found?.stage === fromStage ? found.body : null);
      },
    };
  }

  private write(stage: StageName, name: string, body: Uint8Array | string, contentType: string): OutputRef {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    this.stored.set(name, { stage, body: bytes, contentType });
    return { name, url: `inline:${name}`, contentType, bytes: bytes.byteLength };
  }

  /** Every output, ready to be put in a JSON response. */
  inline(): Record<string, InlineOutput> {
    const outputs: Record<string, InlineOutput> = {};
    for (const [name, { body, contentType }] of this.stored) {
      const bytes = body.byteLength;
      if (contentType.startsWith("text/")) {
        const text = new TextDecoder().decode(body);
        const truncated = text.length > MAX_INLINE_TEXT_CHARS;
        outputs[name] = {
          contentType,
          bytes,
          text: truncated ? text.slice(0, MAX_INLINE_TEXT_CHARS) : text,
          truncated,
        };
      } else if (contentType === "application/json") {
        outputs[name] = { contentType, bytes, json: JSON.parse(new TextDecoder().decode(body)) as unknown };
      } else {
        outputs[name] = { contentType, bytes, base64: toBase64(body) };
      }
    }
    return outputs;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
