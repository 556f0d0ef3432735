/**
 * The PDFium engine (Chrome's PDF library, compiled to WebAssembly by `@embedpdf/pdfium`), one instance
 * per isolate. workerd forbids compiling WebAssembly from bytes at run time, so the module is imported at
 * bundle time and instantiated through emscripten's `instantiateWasm` hook. PDFium's calls are
 * synchronous, so documents of concurrent requests never interleave inside one call. Its linear memory
 * only grows: `pdfiumMemoryBytes()` reports it for the benches and tests. A trap (`RuntimeError`) may leave
 * the instance in an unknown state, so `discardPdfium()` drops it and the next caller gets a fresh one.
 */
import { init, type WrappedPdfiumModule } from "@embedpdf/pdfium";
import pdfiumWasm from "@embedpdf/pdfium/pdfium.wasm";

export type Pdfium = WrappedPdfiumModule;

let instance: Promise<Pdfium> | null = null;
let memory: WebAssembly.Memory | null = null;

export function loadPdfium(): Promise<Pdfium> {
  instance ??= instantiate().catch((error: unknown) => {
    instance = null;
    throw error;
  });
  return instance;
}

async function instantiate(): Promise<Pdfium> {
  const pdfium = await init({
    instantiateWasm(imports, receiveInstance) {
      const wasm = new WebAssembly.Instance(pdfiumWasm, imports);
      memory = wasm.exports["memory"] instanceof WebAssembly.Memory ? wasm.exports["memory"] : null;
      receiveInstance(wasm);
      return wasm.exports;
    },
    // emscripten's default prints go to the console; PDFium's own warnings are about inputs, not actionable.
    print: () => undefined,
    printErr: () => undefined,
  });
  pdfium.PDFiumExt_Init();
  return pdfium;
}

/** Bytes of PDFium's linear memory (0 before first use): its high-water mark, as it never shrinks. */
export function pdfiumMemoryBytes(): number {
  return memory?.buffer.byteLength ?? 0;
}

/** A fresh view of PDFium's memory: its buffer is replaced whenever the memory grows. */
export function pdfiumHeap(): Uint8Array {
  if (!memory) throw new Error("PDFium is not loaded");
  return new Uint8Array(memory.buffer);
}

/** Forgets the instance after a trap; its memory is released once nothing refers to it. */
export function discardPdfium(): void {
  instance = null;
  memory = null;
}

/** Whether an error is a WebAssembly trap (the instance may be corrupt), not a PDFium error code. */
export function isWasmTrap(error: unknown): boolean {
  return error instanceof WebAssembly.RuntimeError;
}
