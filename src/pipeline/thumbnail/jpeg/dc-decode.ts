/**
 * Decodes a JPEG at one eighth of its size in each direction, from the DC coefficients alone: the DC
 * coefficient of each 8x8 block, dequantised, is eight times the block's average, so one pixel per block
 * is exactly libjpeg's `scale_denom = 8` output ("DCT scaling"). Nothing full-size is ever allocated:
 * memory is two bytes per block per component (1/32 of a byte per pixel), so a 12 MP phone photo needs
 * about 1 MB here where a full decode needs ~146 MiB, and a 280 MP image about 9 MB.
 *
 * Baseline and extended sequential (SOF0/1) data is Huffman-decoded in full (the AC codes must be read
 * to find the next block) but no inverse DCT runs; progressive (SOF2) files need only their DC scans,
 * and their AC scans are skipped unread. Interleaved and non-interleaved scans, restart intervals, any
 * sampling factors, and 1, 3 or 4 components (grey, YCbCr/RGB, CMYK/YCCK) are handled. Anything else
 * (arithmetic coding, 12-bit, lossless, hierarchical) is refused before it gets here.
 */
import { StageError } from "../../stage";
import { BitReader, HuffmanTable } from "./huffman";
import { toRgba, type ColorTransform, type Plane, type ScaledImage } from "./dc-color";

interface Component {
  id: number;
  h: number;
  v: number;
  quantTable: number;
  /** Blocks per line and column, padded to whole MCUs (storage size). */
  paddedBlocksPerLine: number;
  paddedBlocksPerColumn: number;
  /** Blocks that hold image data (what a non-interleaved scan visits). */
  blocksPerLine: number;
  blocksPerColumn: number;
  dc: Int16Array;
  dcTable?: HuffmanTable;
  acTable?: HuffmanTable;
  predictor: number;
}

interface Frame {
  progressive: boolean;
  width: number;
  height: number;
  components: Component[];
  maxH: number;
  maxV: number;
  mcusPerLine: number;
  mcusPerColumn: number;
}

const corrupt = (what: string): never => {
  throw new StageError("corrupt_file", `the JPEG ${what}`);
};

export function decodeJpegEighth(data: Uint8Array, maxLongSide?: number): ScaledImage {
  if (data[0] !== 0xff || data[1] !== 0xd8) corrupt("has no start-of-image marker");
  const quantDc = new Map<number, number>();
  const dcTables = new Map<number, HuffmanTable>();
  const acTables = new Map<number, HuffmanTable>();
  let frame: Frame | undefined;
  let restartInterval = 0;
  let adobeTransform: number | undefined;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) {
      at++; // stray bytes between segments
      continue;
    }
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xd9) break; // end of image
    const length = ((data[at + 2] ?? 0) << 8) | (data[at + 3] ?? 0);
    const start = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > data.length) corrupt("has a segment that runs past the end of the file");
    switch (marker) {
      case 0xdb:
        readQuantTables(data, start, end, quantDc);
        break;
      case 0xc4:
        readHuffmanTables(data, start, end, dcTables, acTables);
        break;
      case 0xdd:
        restartInterval = ((data[start] ?? 0) << 8) | (data[start + 1] ?? 0);
        break;
      case 0xee:
        if (String.fromCharCode(...data.subarray(start, start + 5)) === "Adobe")
          adobeTransform = data[start + 11];
        break;
      case 0xc0:
      case 0xc1:
      case 0xc2:
        frame = readFrame(data, start, marker === 0xc2);
        break;
      case 0xda: {
        if (!frame) return corrupt("has image data before its frame header");
        at = decodeScan(data, start, end, frame, dcTables, acTables, restartInterval);
        continue;
      }
    }
    at = end;
  }
  if (!frame) return corrupt("has no frame header");
  const planes: Plane[] = frame.components.map((component) => ({
    samples: dequantise(component, quantDc.get(component.quantTable)),
    width: component.paddedBlocksPerLine,
    h: component.h,
    v: component.v,
  }));
  const transform = colorTransform(frame, adobeTransform);
  const width = Math.ceil(frame.width / 8);
  const height = Math.ceil(frame.height / 8);
  return toRgba(planes, { width, height, maxH: frame.maxH, maxV: frame.maxV }, transform, maxLongSide);
}

function readQuantTables(data: Uint8Array, start: number, end: number, quantDc: Map<number, number>): void {
  let at = start;
  while (at < end) {
    const info = data[at] ?? 0;
    const sixteenBit = info >> 4 === 1;
    quantDc.set(
      info & 15,
      sixteenBit ? ((data[at + 1] ?? 0) << 8) | (data[at + 2] ?? 0) : (data[at + 1] ?? 0),
    );
    at += 1 + (sixteenBit ? 128 : 64);
  }
}

function readHuffmanTables(
  data: Uint8Array,
  start: number,
  end: number,
  dcTables: Map<number, HuffmanTable>,
  acTables: Map<number, HuffmanTable>,
): void {
  let at = start;
  while (at + 17 <= end) {
    const info = data[at] ?? 0;
    const counts = data.subarray(at + 1, at + 17);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const symbols = data.subarray(at + 17, at + 17 + total);
    if (symbols.length < total) corrupt("has a truncated Huffman table");
    (info >> 4 === 0 ? dcTables : acTables).set(info & 15, new HuffmanTable(counts, symbols));
    at += 17 + total;
  }
}

function readFrame(data: Uint8Array, start: number, progressive: boolean): Frame {
  if (data[start] !== 8) {
    throw new StageError(
      "unsupported_type",
      `${data[start] ?? 0}-bit JPEG cannot be thumbnailed; only 8-bit JPEG can`,
    );
  }
  const height = ((data[start + 1] ?? 0) << 8) | (data[start + 2] ?? 0);
  const width = ((data[start + 3] ?? 0) << 8) | (data[start + 4] ?? 0);
  const count = data[start + 5] ?? 0;
  if (width === 0 || height === 0 || ![1, 3, 4].includes(count)) corrupt("has an unusable frame header");
  const raw = Array.from({ length: count }, (_, i) => {
    const at = start + 6 + i * 3;
    const sampling = data[at + 1] ?? 0;
    return { id: data[at] ?? 0, h: sampling >> 4, v: sampling & 15, quantTable: data[at + 2] ?? 0 };
  });
  if (raw.some((c) => c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4)) corrupt("has invalid sampling factors");
  const maxH = Math.max(...raw.map((c) => c.h));
  const maxV = Math.max(...raw.map((c) => c.v));
  const mcusPerLine = Math.ceil(width / (8 * maxH));
  const mcusPerColumn = Math.ceil(height / (8 * maxV));
  const components = raw.map((c): Component => {
    const paddedBlocksPerLine = mcusPerLine * c.h;
    const paddedBlocksPerColumn = mcusPerColumn * c.v;
    return {
      ...c,
      paddedBlocksPerLine,
      paddedBlocksPerColumn,
      blocksPerLine: Math.ceil(Math.ceil((width * c.h) / maxH) / 8),
      blocksPerColumn: Math.ceil(Math.ceil((height * c.v) / maxV) / 8),
      dc: new Int16Array(paddedBlocksPerLine * paddedBlocksPerColumn),
      predictor: 0,
    };
  });
  return { progressive, width, height, components, maxH, maxV, mcusPerLine, mcusPerColumn };
}

/** Decodes one scan's DC information; returns where the data after the scan starts. */
function decodeScan(
  data: Uint8Array,
  start: number,
  headerEnd: number,
  frame: Frame,
  dcTables: Map<number, HuffmanTable>,
  acTables: Map<number, HuffmanTable>,
  restartInterval: number,
): number {
  const count = data[start] ?? 0;
  const components: Component[] = [];
  for (let i = 0; i < count; i++) {
    const id = data[start + 1 + i * 2];
    const tables = data[start + 2 + i * 2] ?? 0;
    const component = frame.components.find((c) => c.id === id);
    if (!component) return corrupt("scans a component its frame does not have");
    component.dcTable = dcTables.get(tables >> 4);
    component.acTable = acTables.get(tables & 15);
    components.push(component);
  }
  const spectralStart = data[start + 1 + count * 2] ?? 0;
  const approximation = data[start + 3 + count * 2] ?? 0;
  const high = approximation >> 4;
  const low = approximation & 15;
  // Progressive AC scans carry nothing the DC image needs: skip them unread.
  if (frame.progressive && spectralStart > 0) return nextMarker(data, headerEnd);

  const reader = new BitReader(data, headerEnd);
  const refine = frame.progressive && high > 0;
  const decodeBlock = (component: Component, index: number) => {
    if (refine) {
      if (reader.read(1)) component.dc[index] = (component.dc[index] ?? 0) | (1 << low);
      return;
    }
    if (!component.dcTable) return corrupt("uses a Huffman table it does not define");
    const size = component.dcTable.decode(reader);
    component.predictor += reader.receiveExtend(size);
    component.dc[index] = component.predictor * (1 << low);
    if (!frame.progressive) skipAcCoefficients(reader, component);
  };
  for (const component of components) component.predictor = 0;

  const single = components.length === 1 ? components[0] : undefined;
  const units = single
    ? single.blocksPerLine * single.blocksPerColumn
    : frame.mcusPerLine * frame.mcusPerColumn;
  for (let unit = 0; unit < units; unit++) {
    if (restartInterval > 0 && unit > 0 && unit % restartInterval === 0) {
      reader.restart();
      for (const component of components) component.predictor = 0;
    }
    if (single) {
      const row = Math.floor(unit / single.blocksPerLine);
      decodeBlock(single, row * single.paddedBlocksPerLine + (unit % single.blocksPerLine));
      continue;
    }
    const mcuRow = Math.floor(unit / frame.mcusPerLine);
    const mcuColumn = unit % frame.mcusPerLine;
    for (const component of components) {
      for (let v = 0; v < component.v; v++) {
        for (let h = 0; h < component.h; h++) {
          const row = mcuRow * component.v + v;
          const column = mcuColumn * component.h + h;
          decodeBlock(component, row * component.paddedBlocksPerLine + column);
        }
      }
    }
  }
  return nextMarker(data, reader.position);
}

function skipAcCoefficients(reader: BitReader, component: Component): void {
  const table = component.acTable;
  if (!table) return corrupt("uses a Huffman table it does not define");
  for (let k = 1; k < 64;) {
    const rs = table.decode(reader);
    const size = rs & 15;
    const run = rs >> 4;
    if (size === 0) {
      if (run !== 15) return; // end of block
      k += 16;
      continue;
    }
    k += run;
    reader.skip(size);
    k++;
  }
}

/** The position of the next marker that is not a restart marker or a stuffed byte. */
function nextMarker(data: Uint8Array, from: number): number {
  for (let at = from; at + 1 < data.length; at++) {
    if (data[at] !== 0xff) continue;
    const marker = data[at + 1] ?? 0;
    if (marker !== 0x00 && marker !== 0xff && !(marker >= 0xd0 && marker <= 0xd7)) return at;
  }
  return data.length;
}

/** The block averages: DC × quantiser / 8, level-shifted by 128, clamped to 0-255. */
function dequantise(component: Component, quantiser = 1): Uint8ClampedArray {
  const samples = new Uint8ClampedArray(component.dc.length);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(((component.dc[i] ?? 0) * quantiser) / 8) + 128;
  return samples;
}

/** How the components become RGB: the Adobe marker decides, else JFIF's YCbCr (or RGB by component id). */
function colorTransform(frame: Frame, adobeTransform: number | undefined): ColorTransform {
  const count = frame.components.length;
  if (count === 1) return "gray";
  if (count === 4) return adobeTransform === 2 ? "ycck" : "cmyk";
  if (adobeTransform !== undefined) return adobeTransform === 0 ? "rgb" : "ycbcr";
  const ids = frame.components.map((c) => String.fromCharCode(c.id)).join("");
  return ids === "RGB" ? "rgb" : "ycbcr";
}
