/** Deterministic randomness for the fakes (mulberry32), so a failing cut can be replayed by seed. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Cuts text into small pieces at random places, with a strong bias for the nasty ones:
 * right after a backslash (inside a JSON escape) and between the two halves of a surrogate
 * pair (inside a multi-byte character). Never returns an empty piece; '' gives [].
 */
export function cutIntoPieces(text: string, random: Random): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const nasty = text[i] === '\\' || (code >= 0xd800 && code <= 0xdbff);
    const cutHere = random() < (nasty ? 0.7 : 0.3);
    if (cutHere && i + 1 < text.length) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}
