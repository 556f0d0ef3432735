/**
 * Checks a streamed upload against its declared content type as soon as the first bytes are in:
 * chunks are held back until `SNIFF_BYTES` have arrived (or the body ends), the prefix is sniffed,
 * and a mismatch fails the stream before the rest is read or stored. Memory stays at one sniff
 * window; everything after it passes straight through.
 */
import { sniff, SNIFF_BYTES } from "../pipeline/sniff";
import { typeMismatch } from "./type-family";

export class ContentTypeMismatchError extends Error {
  override readonly name = "ContentTypeMismatchError";
}

export function guardDeclaredType(
  body: ReadableStream<Uint8Array>,
  declared: string | null,
): ReadableStream<Uint8Array> {
  if (declared === null) return body;
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let checked = false;

  const check = (controller: TransformStreamDefaultController<Uint8Array>) => {
    checked = true;
    const prefix = new Uint8Array(heldBytes);
    let offset = 0;
    for (const chunk of held) {
      prefix.set(chunk, offset);
      offset += chunk.byteLength;
    }
    held = [];
    const mismatch = typeMismatch(declared, sniff(prefix));
    if (mismatch) throw new ContentTypeMismatchError(mismatch);
    if (prefix.byteLength > 0) controller.enqueue(prefix);
  };

  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (checked) {
          controller.enqueue(chunk);
          return;
        }
        held.push(chunk);
        heldBytes += chunk.byteLength;
        if (heldBytes >= SNIFF_BYTES) check(controller);
      },
      flush(controller) {
        if (!checked) check(controller);
      },
    }),
  );
}
