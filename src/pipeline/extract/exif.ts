/**
 * The EXIF facts worth reporting about a photo: when it was taken (DateTimeOriginal with its time zone
 * offset when recorded, else DateTime) and with which camera (Make, Model). Read from the APP1 segment's
 * TIFF structure: IFD0, then the Exif sub-IFD it points to. Bounds are checked on every read; a
 * truncated or lying EXIF block yields fewer facts, never an error.
 */

export interface ExifFacts {
  /** "2020-02-19T16:35:05" (local time as recorded), with "+01:00" appended when the offset is known. */
  capturedAt?: string;
  cameraMake?: string;
  cameraModel?: string;
}

const TAG_MAKE = 0x010f;
const TAG_MODEL = 0x0110;
const TAG_DATETIME = 0x0132;
const TAG_EXIF_IFD = 0x8769;
const TAG_DATETIME_ORIGINAL = 0x9003;
const TAG_OFFSET_TIME_ORIGINAL = 0x9011;
const TYPE_ASCII = 2;

type Entries = Map<number, { type: number; count: number; valueAt: number }>;

export function readExifFacts(app1: Uint8Array): ExifFacts {
  const tiff = 6; // after "Exif\0\0"
  if (app1.byteLength < tiff + 8) return {};
  const view = new DataView(app1.buffer, app1.byteOffset, app1.byteLength);
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return {};
  const little = order === 0x4949;
  const ascii = (entries: Entries, tag: number): string | undefined => {
    const entry = entries.get(tag);
    if (!entry || entry.type !== TYPE_ASCII || entry.count === 0) return undefined;
    const start = entry.count <= 4 ? entry.valueAt : tiff + view.getUint32(entry.valueAt, little);
    if (start + entry.count > app1.byteLength) return undefined;
    const raw = String.fromCharCode(...app1.subarray(start, start + entry.count));
    const text = raw.replace(/\0[\s\S]*$/, "").trim();
    return text === "" ? undefined : text;
  };
  try {
    const ifd0 = readIfd(view, tiff, tiff + view.getUint32(tiff + 4, little), little);
    const facts: ExifFacts = {};
    const make = ascii(ifd0, TAG_MAKE);
    const model = ascii(ifd0, TAG_MODEL);
    if (make) facts.cameraMake = make;
    if (model) facts.cameraModel = model;
    let taken = ascii(ifd0, TAG_DATETIME);
    let offset: string | undefined;
    const exifPointer = ifd0.get(TAG_EXIF_IFD);
    if (exifPointer) {
      const exifIfd = readIfd(view, tiff, tiff + view.getUint32(exifPointer.valueAt, little), little);
      taken = ascii(exifIfd, TAG_DATETIME_ORIGINAL) ?? taken;
      offset = ascii(exifIfd, TAG_OFFSET_TIME_ORIGINAL);
    }
    const iso = taken ? exifDate(taken) : undefined;
    if (iso) facts.capturedAt = offset && /^[+-]\d\d:\d\d$/.test(offset) ? iso + offset : iso;
    return facts;
  } catch {
    // A RangeError from a truncated or lying EXIF block: report what was read before it.
    return {};
  }
}

function readIfd(view: DataView, tiff: number, at: number, little: boolean): Entries {
  const entries: Entries = new Map();
  if (at < tiff || at + 2 > view.byteLength) return entries;
  const count = view.getUint16(at, little);
  for (let i = 0; i < count && at + 2 + (i + 1) * 12 <= view.byteLength; i++) {
    const entry = at + 2 + i * 12;
    entries.set(view.getUint16(entry, little), {
      type: view.getUint16(entry + 2, little),
      count: view.getUint32(entry + 4, little),
      valueAt: entry + 8,
    });
  }
  return entries;
}

/** "2020:02:19 16:35:05" → "2020-02-19T16:35:05"; anything else (blank, zeros) → undefined. */
function exifDate(value: string): string | undefined {
  const match = /^(\d{4}):(\d\d):(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(value);
  if (!match || match[1] === "0000") return undefined;
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}`;
}
