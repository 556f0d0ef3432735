/**
 * The index quota counts UTF-8 bytes without encoding the text (a file may bring 2,000,000 characters):
 * the count must equal what TextEncoder produces, for every script and for astral characters.
 */
import { describe, expect, it } from "vitest";
import { utf8Length } from "../../src/pipeline/indexing/quota";

const samples = [
  "",
  "plain ASCII text, 0123456789",
  "Grüße aus Köln — naïve café",
  "Ελληνικά και кириллица",
  "日本語のテキストと中文文本",
  "emoji 😀🎉 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
  "\u0000\u007f\u0080\u07ff\u0800\uffff",
];

describe("UTF-8 length for the index quota", () => {
  it.each(samples)("matches TextEncoder for %j", (text) => {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});
