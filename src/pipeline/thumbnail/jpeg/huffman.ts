/**
 * Entropy-coded JPEG data: a bit reader that undoes byte stuffing (FF 00 → FF) and stops at markers
 * (reading past one yields zero bits, as libjpeg does), and canonical Huffman tables decoded through an
 * 8-bit lookup table with a slow path for longer codes (ITU T.81, Annex C and F.2.2.3).
 */
import { StageError } from "../../stage";

export class BitReader {
  private buffer = 0;
  private bits = 0;
  /** True once a marker (not a stuffed FF) stopped the reader. */
  atMarker = false;

  constructor(
    private readonly data: Uint8Array,
    public position: number,
  ) {}

  private fill(): void {
    while (this.bits <= 24) {
      let byte = 0;
      if (!this.atMarker && this.position < this.data.length) {
        byte = this.data[this.position] ?? 0;
        if (byte === 0xff) {
          const next = this.data[this.position + 1] ?? 0;
          if (next === 0x00) this.position += 2;
          else {
            this.atMarker = true; // leave the marker for the caller
            byte = 0;
          }
        } else this.position += 1;
      }
      this.buffer = ((this.buffer << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  peek(count: number): number {
    if (this.bits < count) this.fill();
    return (this.buffer >>> (this.bits - count)) & ((1 << count) - 1);
  }

  skip(count: number): void {
    if (this.bits < count) this.fill();
    this.bits -= count;
    this.buffer &= this.bits === 0 ? 0 : (1 << this.bits) - 1;
  }

  read(count: number): number {
    if (count === 0) return 0;
    const value = this.peek(count);
    this.skip(count);
    return value;
  }

  /** A coefficient of `size` bits with its sign (the EXTEND procedure of T.81 F.2.2.1). */
  receiveExtend(size: number): number {
    if (size === 0) return 0;
    if (size > 16) throw new StageError("corrupt_file", "the JPEG data has an invalid coefficient size");
    const value = this.read(size);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  /** Drops buffered bits and steps over the restart marker that must come next (if it is there). */
  restart(): void {
    this.buffer = 0;
    this.bits = 0;
    this.atMarker = false;
    const marker = this.data[this.position + 1] ?? 0;
    if (this.data[this.position] === 0xff && marker >= 0xd0 && marker <= 0xd7) this.position += 2;
  }
}

export class HuffmanTable {
  /** (code length << 8) | symbol for every 8-bit prefix that starts a code of at most 8 bits; 0 = longer. */
  private readonly fast = new Uint16Array(256);
  private readonly maxCode = new Int32Array(18).fill(-1);
  private readonly valueOffset = new Int32Array(18);

  constructor(
    counts: Uint8Array,
    private readonly symbols: Uint8Array,
  ) {
    let code = 0;
    let k = 0;
    for (let length = 1; length <= 16; length++) {
      const count = counts[length - 1] ?? 0;
      this.valueOffset[length] = k - code;
      for (let i = 0; i < count; i++, k++, code++) {
        if (length <= 8) {
          const shift = 8 - length;
          for (let fill = 0; fill < 1 << shift; fill++) {
            this.fast[(code << shift) | fill] = (length << 8) | (symbols[k] ?? 0);
          }
        }
      }
      this.maxCode[length] = count > 0 ? code - 1 : -1;
      code <<= 1;
    }
    this.maxCode[17] = 0x7fffffff; // sentinel: stops the slow path
  }

  decode(reader: BitReader): number {
    const entry = this.fast[reader.peek(8)] ?? 0;
    if (entry !== 0) {
      reader.skip(entry >> 8);
      return entry & 0xff;
    }
    for (let length = 9; length <= 16; length++) {
      const code = reader.peek(length);
      if (code <= (this.maxCode[length] ?? -1)) {
        reader.skip(length);
        return this.symbols[code + (this.valueOffset[length] ?? 0)] ?? 0;
      }
    }
    throw new StageError("corrupt_file", "the JPEG data holds a code its Huffman tables do not define");
  }
}
