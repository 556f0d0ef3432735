/**
 * Stop words (the, und, les, …) per language, from the `stopword` package's curated lists, keyed by the
 * ISO 639-1 codes the analyze stage reports. English is always added: technical documents in any
 * language quote English terms, and English function words make poor keywords everywhere.
 */
import { ces, dan, deu, eng, fin, fra, ita, jpn, nld, nob, pol, por, rus, spa, swe, zho } from "stopword";

const LISTS: Record<string, readonly string[]> = {
  en: eng,
  de: deu,
  fr: fra,
  es: spa,
  it: ita,
  nl: nld,
  pt: por,
  cs: ces,
  pl: pol,
  sv: swe,
  da: dan,
  no: nob,
  fi: fin,
  ru: rus,
  ja: jpn,
  zh: zho,
};

/**
 * The package's English list has 108 words and misses frequent function words ("she", "not", "will");
 * these complete it (from the Snowball English list and the commonest English words that carry no topic).
 */
const ENGLISH_MORE = (
  "she her hers herself he him his himself it its itself they them their theirs themselves we us our ours " +
  "you your yours i me my mine not no nor will would shall should can could may might must also just " +
  "very too so than then when where why how what which who whom whose this that these those there here " +
  "one two first new many much more most some such only own same other others each every any all both few " +
  "out up down over under again further once upon into onto off away back still even well now yet ever " +
  "said says say like get got make made go went come came see saw know knew take took let use used using " +
  "however therefore thus since while although though because whether either neither within without"
).split(" ");

const cache = new Map<string, ReadonlySet<string>>();

export function stopwordsFor(language: string | null): ReadonlySet<string> {
  const key = language ?? "en";
  let set = cache.get(key);
  if (!set) {
    set = new Set([...eng, ...ENGLISH_MORE, ...(LISTS[key] ?? [])].map((word) => word.toLowerCase()));
    cache.set(key, set);
  }
  return set;
}
