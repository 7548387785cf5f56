// Text for the large-history bench: a pool of passages whose words follow a Zipf law over a
// vocabulary of real and made-up words, so some words are in a large share of all nodes
// ("common", as in real logs) and most are rare. Deterministic for a seed.

import { Rng } from '../lib/rng.js';

/** A word in roughly a third of all nodes: the "common word" of the search figures. */
export const COMMON_WORD = 'function';
/** A word placed in exactly RARE_COUNT nodes of the whole history. */
export const RARE_WORD = 'quokkaplatypus';
export const RARE_COUNT = 12;

const REAL = (
  'the a to of and in is it that for you this with on be as are not have was file code can will an ' +
  'function functions functional return error value test data run call tool result path line type ' +
  'string number object array import export const let class method module build update change fix ' +
  'check read write open close list search find create delete move copy start stop wait send ' +
  'request response server client agent session model token cost time user system message output ' +
  'input config option default version install package library source target branch commit merge'
).split(' ');

function madeUpWord(rand: () => number): string {
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'xi', 'ze', 'pa', 'qu', 'sh', 'or', 'en', 'il'];
  const n = 2 + Math.floor(rand() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += syll[Math.floor(rand() * syll.length)];
  return w;
}

/** `count` passages of varied length (short user lines to long answers). */
export function textPool(count: number, seed = 7): string[] {
  const rng = new Rng(seed);
  const rand = (): number => rng.next();
  const vocab = [...REAL];
  while (vocab.length < 20_000) vocab.push(madeUpWord(rand));
  // Zipf: weight 1/(rank+1); a cumulative table for sampling.
  const cum: number[] = [];
  let total = 0;
  for (let r = 0; r < vocab.length; r++) cum.push((total += 1 / (r + 2)));
  const pick = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const pool: string[] = [];
  for (let i = 0; i < count; i++) {
    // Lengths: mostly short (3–25 words), some long (up to ~200 words).
    const words = rand() < 0.9 ? 3 + Math.floor(rand() * 22) : 25 + Math.floor(rand() * 175);
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(pick());
    // The common word in about a third of passages, wherever Zipf did not already put it.
    if (rand() < 0.3) parts.splice(Math.floor(rand() * parts.length), 0, COMMON_WORD);
    pool.push(parts.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.');
  }
  return pool;
}
