// The sandbox against an adversary who changes the filesystem while a tool call runs: a folder
// inside swapped for a symlink leading out, as fast as possible, and hard links to outside files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_TOOLS, executeTool, PathSandbox, type ToolDef } from './index';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-race-')));
const root = path.join(base, 'project');
const outside = path.join(base, 'outside');
let sandbox: PathSandbox;
const tool = (name: string) => BUILTIN_TOOLS.find((t) => t.name === name) as ToolDef;
const run = (name: string, args: unknown) => executeTool(tool(name), args, { sandbox, signal: new AbortController().signal });

/** Every file and folder under `dir`, relative. */
function listAll(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'd'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(root, 'd', 'file.txt'), 'INSIDE\n');
  fs.writeFileSync(path.join(outside, 'file.txt'), 'OUTSIDE\n');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'HARDSECRET\n');
  fs.linkSync(path.join(outside, 'secret.txt'), path.join(root, 'hard.txt'));
  sandbox = await PathSandbox.create([root]);
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

// The swapper: `d` is in turn the real folder, missing, a symlink to `outside`, missing... Each
// step is one rename, so every state a tool can observe is a real, complete one.
const SWAPPER = `
const fs = require('node:fs');
const [d, real, link] = process.argv.slice(1);
fs.symlinkSync(process.env.OUTSIDE, link);
process.stdout.write('ready\\n');
let state = 0;
for (;;) {
  try {
    if (state === 0) fs.renameSync(d, real);
    else if (state === 1) fs.renameSync(link, d);
    else if (state === 2) fs.renameSync(d, link);
    else fs.renameSync(real, d);
    state = (state + 1) % 4;
  } catch {
    // A write made a new folder at d while it was missing: clear it and go on.
    if (state === 1 || state === 3) try { fs.rmSync(d, { recursive: true, force: true }); } catch {}
  }
}`;

async function startSwapper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', SWAPPER, path.join(root, 'd'), path.join(root, 'd-real'), path.join(root, 'd-link')], {
    env: { ...process.env, OUTSIDE: outside },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`swapper exited ${code}`)));
  });
  return child;
}

async function stopSwapper(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  // Back to the start state: `d` the real folder, no link.
  const d = path.join(root, 'd');
  if (fs.existsSync(path.join(root, 'd-real'))) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.renameSync(path.join(root, 'd-real'), d);
  }
  fs.rmSync(path.join(root, 'd-link'), { force: true });
}

/** Runs `n` calls, `width` at a time. */
async function pool(n: number, width: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await call(next++);
    }),
  );
}

describe('file tools under a folder <-> symlink swap race', () => {
  it('300 reads and 300 writes never read outside content nor write outside', async () => {
    const swapper = await startSwapper();
    let outsideReads = 0;
    let insideReads = 0;
    let writesDone = 0;
    swapper.once('exit', (code, sig) => { if (sig !== 'SIGKILL') console.error('swapper died', code, sig); });
    try {
      await pool(300, 6, async () => {
        const r = await run('read_file', { path: 'd/file.txt' });
        if (r.text.includes('OUTSIDE')) outsideReads++;
        else if (r.text.includes('INSIDE')) insideReads++;
      });
      await pool(300, 6, async (i) => {
        // Half plain writes, half through a folder the tool has to create.
        const w = await run('write_file', { path: i % 2 ? `d/w${i}.txt` : `d/sub${i}/w.txt`, content: `written ${i}` });
        if (!w.isError) writesDone++;
      });
      await pool(100, 6, async (i) => {
        await run('edit_file', { path: 'd/file.txt', old_string: 'SIDE', new_string: 'SIDE' });
        await run('list_directory', { path: 'd' }).then((r) => {
          if (r.text.includes('secret.txt')) outsideReads++;
        });
        void i;
      });
    } finally {
      await stopSwapper(swapper);
    }
    const wroteOutside = listAll(outside).filter((f) => f !== 'file.txt' && f !== 'secret.txt');
    console.log(`race: ${outsideReads} outside reads, ${insideReads} inside reads, ${wroteOutside.length} entries written outside, ${writesDone} writes done`);
    expect(outsideReads).toBe(0);
    expect(wroteOutside).toEqual([]);
    expect(fs.readFileSync(path.join(outside, 'file.txt'), 'utf8')).toBe('OUTSIDE\n');
    // The race did not simply refuse everything: plenty of calls landed inside.
    expect(insideReads).toBeGreaterThan(0);
    expect(writesDone).toBeGreaterThan(0);
  }, 60_000);
});

describe('hard links', () => {
  it('read_file refuses a file with more than one hard link', async () => {
    const r = await run('read_file', { path: 'hard.txt' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/hard link/);
    expect(r.text).not.toContain('HARDSECRET');
  });

  it('write_file and edit_file refuse it and leave the linked file as it was', async () => {
    const w = await run('write_file', { path: 'hard.txt', content: 'overwritten' });
    expect(w.isError).toBe(true);
    expect(w.text).toMatch(/hard link/);
    const e = await run('edit_file', { path: 'hard.txt', old_string: 'HARDSECRET', new_string: 'edited' });
    expect(e.isError).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('HARDSECRET\n');
    expect(fs.readFileSync(path.join(root, 'hard.txt'), 'utf8')).toBe('HARDSECRET\n');
  });

  it('search_files skips it', async () => {
    const r = await run('search_files', { query: 'HARDSECRET' });
    expect(r.text).not.toContain('HARDSECRET');
  });
});
