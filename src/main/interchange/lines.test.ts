// The streamed line reader of import files: lines cut at any byte of the 1 MB read pieces,
// CRLF, a BOM, multi-byte characters and a last line without a newline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLines } from './lines.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function readAll(content: string | Buffer): Promise<{ lines: { text: string; no: number }[]; bytes: number; total: number | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-lines-'));
  dirs.push(dir);
  const file = path.join(dir, 'f.jsonl');
  fs.writeFileSync(file, content);
  const r = await openLines({ path: file });
  const lines = [];
  for await (const l of r.lines) lines.push(l);
  return { lines, bytes: r.bytesRead(), total: r.totalBytes };
}

describe('openLines (file)', () => {
  it('splits on LF and CRLF, drops a BOM, keeps empty lines numbered and a last line without a newline', async () => {
    const { lines, bytes, total } = await readAll('\ufeff{"a":1}\r\n\n{"b":"é"}\nlast');
    expect(lines).toEqual([
      { text: '{"a":1}', no: 1 },
      { text: '', no: 2 },
      { text: '{"b":"é"}', no: 3 },
      { text: 'last', no: 4 },
    ]);
    expect(bytes).toBe(total);
  });

  it('joins lines that cross the read pieces, multi-byte characters included', async () => {
    // Lines of varied lengths (some over 1 MB) made of 1- to 4-byte characters, so piece
    // boundaries fall inside lines and inside characters.
    const alphabet = ['a', 'é', '€', '😀'];
    const want: string[] = [];
    for (let i = 0; i < 40; i++) {
      const len = i % 7 === 0 ? 700_000 + i * 1_000 : 50_000 + i * 3_001;
      want.push(alphabet[i % 4]!.repeat(len) + `#${i}`);
    }
    const { lines } = await readAll(want.join('\n') + '\n');
    expect(lines.length).toBe(want.length);
    lines.forEach((l, i) => {
      expect(l.no).toBe(i + 1);
      expect(l.text.length, `line ${i + 1}`).toBe(want[i]!.length);
      expect(l.text === want[i], `line ${i + 1}`).toBe(true);
    });
  });

  it('reads an empty file as no lines', async () => {
    expect((await readAll('')).lines).toEqual([]);
  });
});
