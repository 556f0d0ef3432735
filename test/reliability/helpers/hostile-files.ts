/**
 * Hostile files made byte by byte, for what the fixtures do not hold: a PNG whose header claims a
 * 65535 x 65535 image (a pixel flood; the corpus has a real one), a PNG cut off inside its data, a
 * PDF of 50,000 nested arrays, a PDF whose xref points nowhere, a PDF with a dangling object stream,
 * and a text file of a single huge line.
 */
const encoder = new TextEncoder();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(encoder.encode(type), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

function pdf(body: string): Uint8Array {
  return encoder.encode(`%PDF-1.7\n${body}\n%%EOF\n`);
}

export interface HostileFile {
  name: string;
  bytes: Uint8Array;
}

export function hostileFiles(): HostileFile[] {
  return [
    {
      name: "pixel-flood.png",
      bytes: png(65535, 65535, new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    },
    { name: "truncated.png", bytes: png(64, 64, new Uint8Array([0x78, 0x9c, 0xed, 0xc1])).subarray(0, 60) },
    {
      name: "deep-nesting.pdf",
      bytes: pdf(`1 0 obj\n${"[".repeat(50_000)}${"]".repeat(50_000)}\nendobj\ntrailer\n<< /Root 1 0 R >>`),
    },
    {
      name: "broken-xref.pdf",
      bytes: pdf(
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
          "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\nxref\n0 4\n0000000000 65535 f \n0000099999 00000 n \n" +
          "trailer << /Size 4 /Root 1 0 R >>\nstartxref\n987654",
      ),
    },
    { name: "dangling-objstm.pdf", bytes: pdf("trailer << /Root 9 0 R /Size 1 >>\nstartxref\n0") },
    { name: "one-line.txt", bytes: encoder.encode("a".repeat(2_000_000)) },
  ];
}
