import { describe, expect, it } from "vitest";
import { sniff, SNIFF_BYTES } from "../../src/pipeline/sniff";
import { fixture } from "../helpers/fixtures";

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (number[] | Uint8Array)[]) => new Uint8Array(parts.flatMap((p) => Array.from(p)));

describe("sniff on real files", () => {
  it.each([
    ["pdf/pdfjs_tracemonkey.pdf", { kind: "pdf", mime: "application/pdf" }],
    ["pdf/pdfjs_issue3371_aes128_userpw.pdf", { kind: "pdf", mime: "application/pdf" }],
    ["malformed/pdfjs_helloworld-bad.pdf", { kind: "pdf", mime: "application/pdf" }],
    ["image/mate-backgrounds_Wood_2560x1920.jpg", { kind: "image", mime: "image/jpeg", image: "jpeg" }],
    ["image/ljt_testimgari_arithmetic.jpg", { kind: "image", mime: "image/jpeg", image: "jpeg" }],
    ["malformed/sharp_truncated.jpg", { kind: "image", mime: "image/jpeg", image: "jpeg" }],
    [
      "image/sharp_alpha-premultiply-1024x768-paper_rgba.png",
      { kind: "image", mime: "image/png", image: "png" },
    ],
    ["image/sharp_webp_gallery_4_lossy.webp", { kind: "image", mime: "image/webp", image: "webp" }],
    [
      "text/wikipedia_mars_esperanto.utf16le.txt",
      { kind: "text", mime: "text/plain", text: { encoding: "utf-16le", bom: true } },
    ],
    [
      "text/libjpeg-turbo_README.md",
      { kind: "text", mime: "text/plain", text: { encoding: "utf-8", bom: false } },
    ],
    [
      "text/golang_rashomon-shift-jis.txt",
      { kind: "text", mime: "text/plain", text: { encoding: "legacy", bom: false } },
    ],
    [
      "text/debian-reference-de_ch08.html",
      { kind: "text", mime: "text/html", text: { encoding: "utf-8", bom: false } },
    ],
    // An HTML page saved with a .pdf name is text, not a PDF.
    [
      "malformed/document_actually_html.pdf",
      { kind: "text", mime: "text/html", text: { encoding: "utf-8", bom: false } },
    ],
    ["malformed/zero_bytes.pdf", { kind: "empty", mime: "application/x-empty" }],
    ["malformed/zero_bytes.jpg", { kind: "empty", mime: "application/x-empty" }],
  ])("%s", async (path, expected) => {
    const file = await fixture(path);
    expect(sniff(file)).toEqual(expected);
    // A prefix gives the same answer as the whole file.
    expect(sniff(file.subarray(0, SNIFF_BYTES))).toEqual(expected);
  });
});

describe("sniff on edge cases", () => {
  it("accepts a UTF-8 character cut by the end of the prefix", () => {
    const text = utf8("a" + "é".repeat(5000)); // "é" is 2 bytes; byte 8191 is a lead byte
    expect(text[SNIFF_BYTES - 1]).toBe(0xc3);
    expect(sniff(text.subarray(0, SNIFF_BYTES)).kind).toBe("text");
    expect(sniff(text).kind).toBe("text");
    const euro = utf8("€".repeat(3000)); // 3 bytes each: the cut falls inside one
    expect(sniff(euro.subarray(0, 3 * 100 + 2))).toMatchObject({ kind: "text", text: { encoding: "utf-8" } });
  });

  it("calls bytes that are not UTF-8 but look like text legacy text, to be decoded later", () => {
    // Latin-1 "café" and Shift_JIS "あ": no NULs, no control bytes.
    expect(sniff(bytes(utf8("caf"), [0xe9], utf8(" au lait")))).toEqual({
      kind: "text",
      mime: "text/plain",
      text: { encoding: "legacy", bom: false },
    });
    expect(sniff(bytes(utf8("abc"), [0x82, 0xa0], utf8("def"))).text?.encoding).toBe("legacy");
    // Legacy-encoded markup is still markup.
    expect(sniff(bytes(utf8("<html><p>caf"), [0xe9], utf8("</p>"))).mime).toBe("text/html");
  });

  it("rejects NUL bytes and binary data full of control bytes", () => {
    expect(sniff(bytes(utf8("abc"), [0x00], utf8("def"))).kind).toBe("unknown");
    expect(sniff(Uint8Array.from({ length: 256 }, (_, i) => i)).kind).toBe("unknown");
    // Not UTF-8, no NULs, but 3% stray control bytes (what compressed data looks like).
    const noisy = Uint8Array.from({ length: 1000 }, (_, i) =>
      i % 33 === 0 ? 0x02 : i % 7 === 0 ? 0xe9 : 0x41 + (i % 26),
    );
    expect(sniff(noisy).kind).toBe("unknown");
    // A UTF-8 byte order mark followed by invalid UTF-8 is not text.
    expect(sniff(bytes([0xef, 0xbb, 0xbf], utf8("abc"), [0xff], utf8("def"))).kind).toBe("unknown");
  });

  it("recognises UTF-16 without a byte order mark by its NUL pattern", () => {
    const le = new Uint8Array(
      new Uint16Array(Array.from("Hello, UTF-16 world! Ĉu vi?", (c) => c.charCodeAt(0))).buffer,
    );
    expect(sniff(le)).toEqual({
      kind: "text",
      mime: "text/plain",
      text: { encoding: "utf-16le", bom: false },
    });
    const be = bytes(...Array.from("Big-endian text here", (c) => [0, c.charCodeAt(0)]));
    expect(sniff(be).text).toEqual({ encoding: "utf-16be", bom: false });
  });

  it("reads UTF-8 and UTF-16 byte order marks", () => {
    expect(sniff(bytes([0xef, 0xbb, 0xbf], utf8("hello"))).text).toEqual({ encoding: "utf-8", bom: true });
    const be = bytes([0xfe, 0xff], [0, 0x68, 0, 0x69, 0x01, 0x61]);
    expect(sniff(be)).toEqual({
      kind: "text",
      mime: "text/plain",
      text: { encoding: "utf-16be", bom: true },
    });
    const le = bytes([0xff, 0xfe], [0x68, 0, 0x69, 0]);
    expect(sniff(le).text).toEqual({ encoding: "utf-16le", bom: true });
    // A surrogate pair cut in half by the prefix's end is still text.
    expect(sniff(bytes([0xff, 0xfe], [0x68, 0, 0x3d, 0xd8])).kind).toBe("text");
    // UTF-16 holding NUL characters is binary.
    expect(sniff(bytes([0xff, 0xfe], [0x68, 0, 0, 0, 0x69, 0])).kind).toBe("unknown");
  });

  it("finds %PDF- within the first 1024 bytes only", () => {
    const junk = new Uint8Array(500).fill(0x01);
    expect(sniff(bytes(junk, utf8("%PDF-1.7\n")))).toEqual({ kind: "pdf", mime: "application/pdf" });
    const tooFar = new Uint8Array(1030).fill(0x01);
    expect(sniff(bytes(tooFar, utf8("%PDF-1.7\n"))).kind).not.toBe("pdf");
  });

  it("treats markup as text even when it quotes a PDF signature", () => {
    expect(sniff(utf8("<!DOCTYPE html><p>%PDF-1.4</p>")).mime).toBe("text/html");
    expect(sniff(utf8("  <html lang=en>")).mime).toBe("text/html");
    expect(sniff(utf8('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')).mime).toBe(
      "text/html",
    );
    expect(sniff(utf8('<?xml version="1.0"?>\n<feed/>'))).toMatchObject({ kind: "text", mime: "text/xml" });
    expect(sniff(utf8("<ablation> is not a tag we know")).mime).toBe("text/plain");
  });

  it("recognises image signatures from a few bytes", () => {
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0])).image).toBe("jpeg");
    expect(sniff(utf8("GIF89a\x01\x00\x01\x00")).image).toBe("gif");
    expect(sniff(bytes(utf8("RIFF"), [0, 0, 0, 0], utf8("WEBPVP8 "))).image).toBe("webp");
    // RIFF that is not WebP (a WAV file) is not an image.
    expect(sniff(bytes(utf8("RIFF"), [0x24, 0, 0, 0], utf8("WAVEfmt "), [0x10, 0, 0, 0])).kind).toBe(
      "unknown",
    );
  });
});
