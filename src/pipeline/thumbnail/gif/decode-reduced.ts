/**
 * Decodes the first frame of a GIF of any size straight to a reduced size: the LZW codes are expanded
 * one pixel at a time into a single row buffer, and each finished row goes to an area-filter grid
 * (reduce/area-reducer.ts), so memory is the grid, one row and the 4096-entry LZW table. The frame is
 * placed on the logical screen (pixels it does not cover are transparent, as is its transparent colour
 * index); interlaced frames deliver their rows in four passes. Data that ends early or names a code
 * not yet defined is `corrupt_file`.
 */
import { StageError } from "../../stage";
import type { Size } from "../plan";
import { AreaReducer, type ReducedImage } from "../reduce/area-reducer";

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  interlaced: boolean;
  palette: Uint8Array;
  transparent: number;
  minCodeSize: number;
  /** Where the frame's LZW data sub-blocks start. */
  data: number;
}

export function decodeGifReduced(bytes: Uint8Array, target: Size): ReducedImage {
  const screen = { width: u16(bytes, 6), height: u16(bytes, 8) };
  const frame = firstFrame(bytes);
  const reducer = new AreaReducer(screen.width, screen.height, target, { sequential: !frame.interlaced });
  const rowOrder = frame.interlaced ? interlacedRows(frame.height) : undefined;
  const row = new Uint8Array(frame.width * 4);
  // Only the part of the frame on the screen counts.
  const visible = Math.max(0, Math.min(frame.width, screen.width - frame.left));
  let x = 0;
  let y = 0;
  expandLzw(bytes, frame, (index) => {
    const o = x * 4;
    if (index !== frame.transparent) {
      row[o] = frame.palette[index * 3] ?? 0;
      row[o + 1] = frame.palette[index * 3 + 1] ?? 0;
      row[o + 2] = frame.palette[index * 3 + 2] ?? 0;
      row[o + 3] = 255;
    } else row[o + 3] = 0;
    x += 1;
    if (x < frame.width) return y < frame.height;
    const screenRow = frame.top + (rowOrder ? (rowOrder[y] ?? 0) : y);
    if (screenRow < screen.height && visible > 0) reducer.addRow(screenRow, row, visible, frame.left);
    x = 0;
    y += 1;
    return y < frame.height;
  });
  if (y < frame.height) throw corrupt("its image data ends before the last row");
  return reducer.finish();
}

function firstFrame(bytes: Uint8Array): Frame {
  const flags = byte(bytes, 10);
  let at = 13;
  let palette: Uint8Array = new Uint8Array(0);
  if (flags & 0x80) {
    const size = 3 * (2 << (flags & 7));
    palette = bytes.subarray(at, at + size);
    at += size;
  }
  let transparent = -1;
  for (;;) {
    const block = byte(bytes, at);
    if (block === 0x21) {
      // Extension: a graphic control extension (0xF9) carries the transparent colour index.
      if (byte(bytes, at + 1) === 0xf9 && byte(bytes, at + 3) & 1) transparent = byte(bytes, at + 6);
      at = skipSubBlocks(bytes, at + 2);
    } else if (block === 0x2c) {
      const local = byte(bytes, at + 9);
      let data = at + 10;
      if (local & 0x80) {
        const size = 3 * (2 << (local & 7));
        palette = bytes.subarray(data, data + size);
        data += size;
      }
      return {
        left: u16(bytes, at + 1),
        top: u16(bytes, at + 3),
        width: u16(bytes, at + 5),
        height: u16(bytes, at + 7),
        interlaced: (local & 0x40) !== 0,
        palette,
        transparent,
        minCodeSize: byte(bytes, data),
        data: data + 1,
      };
    } else throw corrupt("has no image before its end");
  }
}

/** Calls `emit` with each colour index in order, while it returns true. */
function expandLzw(bytes: Uint8Array, frame: Frame, emit: (index: number) => boolean): void {
  const min = frame.minCodeSize;
  if (min < 2 || min > 8) throw corrupt(`has an LZW code size of ${min}`);
  const clear = 1 << min;
  const end = clear + 1;
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const stack = new Uint8Array(4097);
  let size = min + 1;
  let next = end + 1;
  let previous = -1;
  let first = 0;
  let bits = 0;
  let bitCount = 0;
  let at = frame.data;
  let blockLeft = 0;
  for (;;) {
    while (bitCount < size) {
      if (blockLeft === 0) {
        blockLeft = byte(bytes, at);
        at += 1;
        if (blockLeft === 0) return; // the data ends (checked by the caller against the rows)
      }
      bits |= byte(bytes, at) << bitCount;
      at += 1;
      blockLeft -= 1;
      bitCount += 8;
    }
    const code = bits & ((1 << size) - 1);
    bits >>>= size;
    bitCount -= size;
    if (code === clear) {
      size = min + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) return;
    if (previous === -1) {
      if (code >= clear) throw corrupt("has an LZW code before its table is built");
      first = code;
      previous = code;
      if (!emit(code)) return;
      continue;
    }
    let top = 0;
    let current = code;
    if (code >= next) {
      if (code > next) throw corrupt("has an LZW code that is not defined yet");
      stack[top++] = first;
      current = previous;
    }
    while (current >= clear) {
      stack[top++] = suffix[current] ?? 0;
      current = prefix[current] ?? 0;
    }
    first = current;
    stack[top++] = current;
    if (next < 4096) {
      prefix[next] = previous;
      suffix[next] = first;
      next += 1;
      if (next === 1 << size && size < 12) size += 1;
    }
    previous = code;
    while (top > 0) if (!emit(stack[--top] ?? 0)) return;
  }
}

/** The frame row each delivered row is, for the four interlace passes (every 8th from 0, from 4, ...). */
function interlacedRows(height: number): Uint32Array {
  const order = new Uint32Array(height);
  let i = 0;
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ] as const) {
    for (let y = start; y < height; y += step) order[i++] = y;
  }
  return order;
}

function skipSubBlocks(bytes: Uint8Array, at: number): number {
  let p = at;
  for (let length = byte(bytes, p); length !== 0; length = byte(bytes, p)) p += length + 1;
  return p + 1;
}

function byte(bytes: Uint8Array, at: number): number {
  const value = bytes[at];
  if (value === undefined) throw corrupt("is cut short");
  return value;
}

function u16(bytes: Uint8Array, at: number): number {
  return byte(bytes, at) | (byte(bytes, at + 1) << 8);
}

function corrupt(what: string): StageError {
  return new StageError("corrupt_file", `the GIF ${what}`);
}
