import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_TOOLS, executeTool, PathSandbox, type ToolDef } from './index';

// Computed at load: the escape table below is built when the file is collected.
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tools-')));
const root = path.join(base, 'project');
const outside = path.join(base, 'secret');
let sandbox: PathSandbox;
const tool = (name: string) => BUILTIN_TOOLS.find((t) => t.name === name) as ToolDef;
const run = (name: string, args: unknown, signal = new AbortController().signal) => executeTool(tool(name), args, { sandbox, signal });

beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(root, 'README.md'), 'hello\nworld\nhello again\n');
  fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(root, 'src', 'deep', 'b.ts'), 'export const b = "needle";\n');
  fs.writeFileSync(path.join(outside, 'passwords.txt'), 'TOPSECRET needle\n');
  // Links inside the project that lead outside it.
  fs.symlinkSync(outside, path.join(root, 'link-dir'));
  fs.symlinkSync(path.join(outside, 'passwords.txt'), path.join(root, 'link-file'));
  fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  // A link that stays inside is fine.
  fs.symlinkSync(path.join(root, 'README.md'), path.join(root, 'readme-link'));
  // A sibling whose name starts with the root's name must not count as inside.
  fs.mkdirSync(`${root}-evil`);
  fs.writeFileSync(`${root}-evil/x.txt`, 'EVILCONTENT');
  sandbox = await PathSandbox.create([root]);
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('path sandbox refuses every escape', () => {
  const escapes: [string, unknown][] = [
    ['.. escape', { path: '../secret/passwords.txt' }],
    ['deep .. escape', { path: 'src/deep/../../../secret/passwords.txt' }],
    ['absolute path outside', { path: '/etc/passwd' }],
    ['absolute path to sibling dir', { path: path.join(outside, 'passwords.txt') }],
    ['prefix-sharing sibling', { path: `${root}-evil/x.txt` }],
    ['symlinked directory leading out', { path: 'link-dir/passwords.txt' }],
    ['symlinked file leading out', { path: 'link-file' }],
    ['case variant of the root (case-sensitive fs: another dir)', { path: path.join(path.dirname(root), 'PROJECT', 'README.md') }],
    ['NUL byte', { path: 'README.md\0.txt' }],
  ];
  for (const [label, args] of escapes) {
    it(`read_file: ${label}`, async () => {
      const r = await run('read_file', args);
      expect(r.isError).toBe(true);
      expect(r.text).not.toContain('TOPSECRET');
      expect(r.text).not.toContain('EVILCONTENT');
    });
  }

  it('write_file through a symlinked dir, a dangling link, or .. is refused and writes nothing outside', async () => {
    for (const p of ['link-dir/new.txt', 'dangling', '../secret/new.txt', path.join(outside, 'abs.txt')]) {
      const r = await run('write_file', { path: p, content: 'x' });
      expect(r.isError, p).toBe(true);
    }
    expect(fs.readdirSync(outside).sort()).toEqual(['passwords.txt']);
  });

  it('edit_file cannot edit through a link leading out', async () => {
    const r = await run('edit_file', { path: 'link-file', old_string: 'TOPSECRET', new_string: 'x' });
    expect(r.isError).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'passwords.txt'), 'utf8')).toContain('TOPSECRET');
  });

  it('list_directory / find_files / search_files never show what is outside', async () => {
    expect((await run('list_directory', { path: '..' })).isError).toBe(true);
    expect((await run('list_directory', { path: 'link-dir' })).isError).toBe(true);
    const found = await run('find_files', { pattern: '**/*' });
    expect(found.text).not.toContain('passwords');
    const searched = await run('search_files', { query: 'needle' });
    expect(searched.text).toContain('src/deep/b.ts:1');
    expect(searched.text).not.toContain('TOPSECRET');
  });

  it('a sandbox without accessible paths refuses everything', async () => {
    const empty = await PathSandbox.create([]);
    const r = await executeTool(tool('read_file'), { path: 'README.md' }, { sandbox: empty, signal: new AbortController().signal });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/no accessible paths/);
    const r2 = await executeTool(tool('run_shell'), { command: 'echo hi' }, { sandbox: empty, signal: new AbortController().signal });
    expect(r2.isError).toBe(true);
  });

  it('a case-insensitive root compares case-insensitively (simulated via lower/upper spelling)', async () => {
    // On this (case-sensitive) filesystem the upper-cased spelling is a different, missing dir,
    // so it must be refused rather than treated as the root.
    const r = await run('read_file', { path: root.toUpperCase() + '/README.md' });
    expect(r.isError).toBe(true);
  });
});

describe('file tools inside the sandbox', () => {
  it('read_file reads, with line ranges; symlinks inside are fine', async () => {
    expect((await run('read_file', { path: 'README.md' })).text).toBe('hello\nworld\nhello again\n');
    expect((await run('read_file', { path: 'README.md', offset: 2, limit: 1 })).text).toBe('world');
    expect((await run('read_file', { path: path.join(root, 'readme-link') })).text).toContain('hello');
  });

  it('a name that merely starts with two dots is inside, not an escape', async () => {
    fs.writeFileSync(path.join(root, '..notes.txt'), 'dotted');
    try {
      expect((await run('read_file', { path: '..notes.txt' })).text).toBe('dotted');
      expect(sandbox.display(path.join(root, '..notes.txt'))).toBe('..notes.txt');
      expect((await run('find_files', { pattern: '*.txt' })).text.split('\n')).toContain('..notes.txt');
    } finally {
      fs.rmSync(path.join(root, '..notes.txt'));
    }
  });

  it('list_directory marks directories and links', async () => {
    const r = await run('list_directory', {});
    expect(r.text.split('\n')).toEqual(expect.arrayContaining(['src/', 'README.md', 'link-dir@']));
  });

  it('find_files matches globs relative to the search dir', async () => {
    const r = await run('find_files', { pattern: '**/*.ts' });
    expect(r.text.split('\n').sort()).toEqual(['src/a.ts', 'src/deep/b.ts']);
    expect((await run('find_files', { pattern: '*.ts', path: 'src' })).text).toBe('src/a.ts');
  });

  it('search_files supports regex, glob filter and bad regex errors', async () => {
    expect((await run('search_files', { query: '^hello', regex: true, glob: '*.md' })).text.split('\n')).toHaveLength(2);
    const bad = await run('search_files', { query: '(', regex: true });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/Invalid regular expression/);
  });

  it('write_file creates parents; edit_file replaces exactly one occurrence', async () => {
    const w = await run('write_file', { path: 'out/new/file.txt', content: 'one two one' });
    expect(w.isError).toBeFalsy();
    const f = path.join(root, 'out/new/file.txt');
    expect(fs.readFileSync(f, 'utf8')).toBe('one two one');
    const multi = await run('edit_file', { path: 'out/new/file.txt', old_string: 'one', new_string: '1' });
    expect(multi.isError).toBe(true);
    expect(multi.text).toMatch(/more than once/);
    const none = await run('edit_file', { path: 'out/new/file.txt', old_string: 'three', new_string: '3' });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/not found/);
    const ok = await run('edit_file', { path: 'out/new/file.txt', old_string: 'two', new_string: '2' });
    expect(ok.isError).toBeFalsy();
    expect(fs.readFileSync(f, 'utf8')).toBe('one 2 one');
  });

  it('arguments are validated with a readable message', async () => {
    const r = await run('write_file', { path: 'x.txt' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Invalid arguments for write_file: content/);
    expect((await run('read_file', 'not an object')).isError).toBe(true);
  });
});

describe('run_shell', () => {
  it('runs in the working directory and reports the exit code', async () => {
    const r = await run('run_shell', { command: 'pwd && exit 3' });
    expect(r.text).toContain(root);
    expect(r.text).toContain('[exit code 3]');
    expect(r.isError).toBe(true);
  });

  it('caps output', async () => {
    const r = await run('run_shell', { command: `node -e "process.stdout.write('x'.repeat(200000))"` });
    expect(r.text).toContain('[output truncated');
    expect(r.text.length).toBeLessThan(70_000);
  });

  it('kills on timeout, including children of the shell', async () => {
    const r = await run('run_shell', { command: 'sleep 30 & sleep 30; echo never', timeoutMs: 300 });
    expect(r.text).toContain('timeout');
    expect(r.text).not.toContain('never');
  });

  it('is killed when the session stops (AbortSignal)', async () => {
    const ac = new AbortController();
    const p = run('run_shell', { command: 'echo started; sleep 30; echo never' }, ac.signal);
    setTimeout(() => ac.abort(), 200);
    const r = await p;
    expect(r.text).toContain('started');
    expect(r.text).toContain('session was stopped');
    expect(r.text).not.toContain('never');
  });
});
