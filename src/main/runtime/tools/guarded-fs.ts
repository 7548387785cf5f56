// File access that cannot be raced out of the sandbox. Checking a path and then opening it leaves
// a gap in which a folder can be swapped for a symlink leading out, so every operation opens
// first and then checks WHAT it opened: the descriptor's own path (Linux: /proc/self/fd/N; other
// systems: the real path must name the same device/inode), and it never follows a symlink in the
// last component. Files and folders below a checked folder are reached through that folder's
// descriptor (/proc/self/fd/N/name), so a swap of any folder on the way cannot redirect them.
// Regular files with several hard links are refused: one of the other names may be outside.
import { existsSync, constants as C, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SandboxError, type PathSandbox } from './sandbox';
import { ToolError } from './types';

const PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

/** A regular file with more than one hard link: it may be the same file as one outside. */
export class HardLinkError extends SandboxError {
  constructor(given: string, links: number) {
    super(
      `Refused: ${given} has ${links} hard links, so it may be the same file as one outside the accessible paths. ` +
        'File tools do not read or change files with more than one hard link.',
    );
    this.name = 'HardLinkError';
  }
}

const raced = (given: string) => new SandboxError(`Refused: ${given} changed (e.g. into a symbolic link) while it was being opened.`);

async function openNoFollow(p: string, flags: number, given: string, mode?: number): Promise<FileHandle> {
  try {
    return await fs.open(p, flags | C.O_NOFOLLOW, mode);
  } catch (err) {
    // ELOOP: the last component is (now) a symlink.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw raced(given);
    throw err;
  }
}

/** Where the object behind an open descriptor really is, or a refusal if that cannot be told. */
async function whereIs(fh: FileHandle, openedAs: string, given: string): Promise<string> {
  if (PROC_FD) {
    const where = await fs.readlink(`/proc/self/fd/${fh.fd}`);
    if (!path.isAbsolute(where) || where.endsWith(' (deleted)')) throw raced(given);
    return where;
  }
  // Without /proc: the path, resolved now, must still name the very object that was opened.
  const real = await fs.realpath(openedAs).catch(() => {
    throw raced(given);
  });
  const [a, b] = await Promise.all([fh.stat(), fs.stat(real)]);
  if (a.dev !== b.dev || a.ino !== b.ino) throw raced(given);
  return real;
}

async function checkInside(sandbox: PathSandbox, fh: FileHandle, openedAs: string, given: string): Promise<string> {
  const where = await whereIs(fh, openedAs, given);
  sandbox.assertContains(where, given);
  return where;
}

export interface GuardedFile {
  fh: FileHandle;
  /** The real path of the opened file. */
  real: string;
  stat: Stats;
}

/** Opens an existing regular file inside the sandbox for reading. The caller closes `fh`. */
export async function openFileForRead(sandbox: PathSandbox, given: string): Promise<GuardedFile> {
  const real = await sandbox.resolve(given, { mustExist: true });
  // O_NONBLOCK: opening a FIFO must not hang the tool; it is refused as "not a file" below.
  const fh = await openNoFollow(real, C.O_RDONLY | C.O_NONBLOCK, given);
  try {
    const where = await checkInside(sandbox, fh, real, given);
    const stat = await fh.stat();
    if (!stat.isFile()) throw new ToolError(`${given} is not a file.`);
    if (stat.nlink > 1) throw new HardLinkError(given, stat.nlink);
    return { fh, real: where, stat };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Reads at most `max` bytes of a checked file. */
export async function readGuarded(sandbox: PathSandbox, given: string, max: number): Promise<{ buf: Buffer; real: string; stat: Stats }> {
  const { fh, real, stat } = await openFileForRead(sandbox, given);
  try {
    const size = Math.min(stat.size, max);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { buf: buf.subarray(0, got), real, stat };
  } finally {
    await fh.close();
  }
}

export interface GuardedDir {
  fh: FileHandle;
  /** The real path of the folder, as checked. */
  real: string;
  /** A path naming exactly this open folder (its descriptor on Linux): children are reached through it. */
  via: string;
  close(): Promise<void>;
}

async function openDirAt(sandbox: PathSandbox, p: string, given: string): Promise<GuardedDir> {
  const fh = await openNoFollow(p, C.O_RDONLY | C.O_DIRECTORY, given).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOTDIR' ? new ToolError(`${given} is not a directory.`) : err;
  });
  try {
    const real = await checkInside(sandbox, fh, p, given);
    return { fh, real, via: PROC_FD ? `/proc/self/fd/${fh.fd}` : real, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Opens an existing folder inside the sandbox (for listing it). */
export async function openDir(sandbox: PathSandbox, given: string): Promise<GuardedDir> {
  const real = await sandbox.resolve(given, { mustExist: true });
  return openDirAt(sandbox, real, given);
}

/** Opens a walked folder by its real path; null when it is gone, not a folder, or not inside. */
export async function openWalkedDir(sandbox: PathSandbox, real: string): Promise<GuardedDir | null> {
  return openDirAt(sandbox, real, real).catch(() => null);
}

/**
 * Opens the folder `realDir` (a real path the sandbox resolved), creating the missing folders on
 * the way, each one inside the checked folder above it.
 */
async function openOrMakeDir(sandbox: PathSandbox, realDir: string, given: string): Promise<GuardedDir> {
  const missing: string[] = [];
  let existing = realDir;
  while (!(await fs.lstat(existing).then(() => true, () => false))) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  let dir = await openDirAt(sandbox, existing, given);
  for (const name of missing) {
    try {
      await fs.mkdir(path.join(dir.via, name)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      const child = await openDirAt(sandbox, path.join(dir.via, name), given);
      await dir.close();
      dir = child;
    } catch (err) {
      await dir.close();
      throw err;
    }
  }
  return dir;
}

/**
 * Creates or replaces a file inside the sandbox: the content goes to a new temp file (O_EXCL) in
 * the checked folder, the folder is checked again, and the temp file is renamed over the target.
 * A rename replaces the name, never the file behind it, so a link swapped in cannot be written
 * through. `expect` (edit_file) refuses if the target is no longer the file that was read.
 */
export async function writeGuarded(
  sandbox: PathSandbox,
  given: string,
  content: string,
  opts: { expect?: { dev: number; ino: number } } = {},
): Promise<{ real: string; created: boolean }> {
  const real = await sandbox.resolve(given);
  const name = path.basename(real);
  const dir = await openOrMakeDir(sandbox, path.dirname(real), given);
  try {
    const target = path.join(dir.via, name);
    const before = await fs.lstat(target).catch(() => null);
    if (before?.isDirectory()) throw new ToolError(`${given} is a directory.`);
    if (before?.isFile() && before.nlink > 1) throw new HardLinkError(given, before.nlink);
    if (opts.expect && (!before || before.dev !== opts.expect.dev || before.ino !== opts.expect.ino)) {
      throw new ToolError(`${given} changed while it was being edited; read it again.`);
    }
    const tmp = path.join(dir.via, `.paddock-${randomBytes(6).toString('hex')}.tmp`);
    const mode = before?.isFile() ? before.mode & 0o7777 : 0o666;
    const fh = await openNoFollow(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL, given, mode);
    try {
      try {
        await fh.writeFile(content, 'utf8');
        // An existing file keeps its mode (the umask applied at creation would change it).
        if (before?.isFile()) await fh.chmod(mode);
      } finally {
        await fh.close();
      }
      // The folder may have been moved out meanwhile: check again right before the rename.
      const where = await checkInside(sandbox, dir.fh, dir.real, given);
      await fs.rename(tmp, target);
      return { real: path.join(where, name), created: !before };
    } catch (err) {
      await fs.unlink(tmp).catch(() => undefined);
      throw err;
    }
  } finally {
    await dir.close();
  }
}
