/**
 * The scanlines of a PNG, inflated as they are needed: the IDAT chunks are streamed through workerd's
 * native `DecompressionStream("deflate")` (zlib format, as PNG stores it), and each scanline (its
 * filter-type byte, then the filtered bytes) is handed out in turn in one reused buffer, so memory is a
 * scanline and the stream's own window whatever the image's size. A stream that fails or ends before
 * the last scanline means damaged or missing image data: `corrupt_file`.
 */
import { StageError } from "../../stage";

/** A run of scanlines of one length: the whole image, or one Adam7 pass. */
export interface ScanlineRun {
  rowBytes: number;
  rows: number;
}

/** Calls `take(run, row, line)` for every scanline of every run, in order; `line` is reused. */
export async function forEachScanline(
  idat: Uint8Array[],
  runs: ScanlineRun[],
  take: (run: number, row: number, line: Uint8Array) => void,
): Promise<void> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of idat) controller.enqueue(chunk);
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream("deflate")).getReader();
  const pending = runs.filter((r) => r.rows > 0 && r.rowBytes > 0);
  let runIndex = 0;
  let row = 0;
  let line = new Uint8Array((pending[0]?.rowBytes ?? 0) + 1);
  let filled = 0;
  try {
    while (runIndex < pending.length) {
      const { done, value } = await reader.read().catch((error: unknown) => {
        throw new StageError("corrupt_file", `the PNG image data cannot be inflated (${String(error)})`);
      });
      if (done) {
        throw new StageError(
          "corrupt_file",
          "the PNG image data ends before its last row (the file is damaged)",
        );
      }
      let at = 0;
      while (at < value.byteLength && runIndex < pending.length) {
        const n = Math.min(line.byteLength - filled, value.byteLength - at);
        line.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < line.byteLength) break;
        take(runs.indexOf(pending[runIndex] as ScanlineRun), row, line);
        filled = 0;
        row += 1;
        if (row === pending[runIndex]?.rows) {
          row = 0;
          runIndex += 1;
          const next = pending[runIndex];
          if (next && next.rowBytes + 1 !== line.byteLength) line = new Uint8Array(next.rowBytes + 1);
        }
      }
    }
  } finally {
    // Every row is in: whatever follows (an Adler-32 check, trailing bytes) is not needed.
    await reader.cancel().catch(() => undefined);
  }
}
