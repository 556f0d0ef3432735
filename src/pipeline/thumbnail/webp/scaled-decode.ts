/**
 * WebP decoded straight to a reduced size by libwebp (v1.6.0, BSD-3-Clause) compiled to WebAssembly
 * (scripts/webp-decoder: scaled-decode.c and build.sh): libwebp's `use_scaling` rescales each row as it is
 * decoded, so a lossy photo never exists at full size. A lossless image (and the alpha plane of a lossy
 * one) is decoded whole inside libwebp first, at 4 bytes (alpha: 1 byte) per pixel, so those are checked
 * against a budget before decoding (`webpDecodeCost`). The module has no imports and its memory is
 * capped at build time; like any wasm memory it never shrinks, so `webpMemoryBytes` is the peak so far.
 */
import wasm from "./webp-decode.wasm";
import { StageError } from "../../stage";
import type { Size } from "../plan";

interface WebpExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  webp_alloc(size: number): number;
  webp_free(pointer: number): void;
  webp_features(data: number, size: number, out: number): number;
  webp_decode_scaled(data: number, size: number, width: number, height: number, rgba: number): number;
}

export interface WebpFeatures {
  width: number;
  height: number;
  hasAlpha: boolean;
  animated: boolean;
  lossless: boolean;
}

/** libwebp's VP8StatusCode values, for messages. */
const STATUS = [
  "ok",
  "out of memory",
  "invalid parameter",
  "bitstream error",
  "unsupported feature",
  "suspended",
  "user abort",
  "not enough data",
];
const OUT_OF_MEMORY = 1;

let instance: WebpExports | undefined;

function webp(): WebpExports {
  if (!instance) {
    const created = new WebAssembly.Instance(wasm, {}).exports as unknown as WebpExports;
    created._initialize();
    instance = created;
  }
  return instance;
}

export function webpMemoryBytes(): number {
  return instance?.memory.buffer.byteLength ?? 0;
}

/** Bytes libwebp needs beyond the file and the output: whole-image planes of lossless and alpha data. */
export function webpDecodeCost(features: WebpFeatures): number {
  const pixels = features.width * features.height;
  if (features.lossless) return pixels * 4;
  return features.hasAlpha ? pixels : 0;
}

/**
 * Reads the WebP's features, lets `choose` pick the output size from them (or refuse the image by
 * throwing), and decodes to that size (straight RGBA). The file is copied into the module once. A decode
 * that runs out of the module's memory is `image_too_large`.
 */
export function decodeWebpScaled(
  bytes: Uint8Array,
  choose: (features: WebpFeatures) => Size,
): { rgba: Uint8Array; width: number; height: number; features: WebpFeatures } {
  return withCopy(bytes, (module, data) => {
    const features = readFeatures(module, data, bytes.byteLength);
    const target = choose(features);
    const length = target.width * target.height * 4;
    const out = module.webp_alloc(length);
    if (out === 0) throw tooLarge();
    try {
      const status = module.webp_decode_scaled(data, bytes.byteLength, target.width, target.height, out);
      if (status === OUT_OF_MEMORY) throw tooLarge();
      if (status !== 0) throw corrupt(status);
      const rgba = new Uint8Array(module.memory.buffer, out, length).slice();
      return { rgba, ...target, features };
    } finally {
      module.webp_free(out);
    }
  });
}

function readFeatures(module: WebpExports, data: number, size: number): WebpFeatures {
  const out = module.webp_alloc(20);
  if (out === 0) throw tooLarge();
  try {
    const status = module.webp_features(data, size, out);
    if (status !== 0) throw corrupt(status);
    const [width = 0, height = 0, alpha = 0, animation = 0, format = 0] = new Int32Array(
      module.memory.buffer,
      out,
      5,
    );
    return { width, height, hasAlpha: alpha !== 0, animated: animation !== 0, lossless: format === 2 };
  } finally {
    module.webp_free(out);
  }
}

function withCopy<T>(bytes: Uint8Array, use: (module: WebpExports, data: number) => T): T {
  const module = webp();
  const data = module.webp_alloc(bytes.byteLength);
  if (data === 0) throw tooLarge();
  try {
    new Uint8Array(module.memory.buffer, data, bytes.byteLength).set(bytes);
    return use(module, data);
  } finally {
    module.webp_free(data);
  }
}

function corrupt(status: number): StageError {
  return new StageError("corrupt_file", `the WebP cannot be decoded (libwebp: ${STATUS[status] ?? status})`);
}

function tooLarge(): StageError {
  return new StageError("image_too_large", "the WebP needs more memory to decode than a Worker has");
}
