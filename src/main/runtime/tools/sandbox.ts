// Confines file tools to an agent's accessible paths. Every check works on REAL paths (symlinks
// resolved by the OS), so `..`, absolute paths, symlinks leading out and case variants are judged
// by where they actually land, not by how they are spelled. resolve() alone is a check of a path
// at one moment; guarded-fs.ts checks what was actually opened, which is what closes the races.
import fs from 'node:fs/promises';
import path from 'node:path';

export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

interface Root {
  /** The path as configured (shown in messages). */
  given: string;
  /** The real path of the root. */
  real: string;
  /** The filesystem under the root ignores case (macOS, Windows defaults). */
  caseInsensitive: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether `dir`'s filesystem treats a differently-cased spelling as the same entry. */
async function isCaseInsensitive(dir: string): Promise<boolean> {
  const base = path.basename(dir);
  const flipped = base === base.toUpperCase() ? base.toLowerCase() : base.toUpperCase();
  if (flipped === base) return process.platform === 'win32' || process.platform === 'darwin';
  try {
    const [a, b] = await Promise.all([fs.stat(dir), fs.stat(path.join(path.dirname(dir), flipped))]);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

/** True when a path.relative() result climbs out of its base: `..` or `../x`, but not a name like `..foo`. */
function escapes(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

function inside(root: Root, real: string): boolean {
  const a = root.caseInsensitive ? root.real.toLowerCase() : root.real;
  const b = root.caseInsensitive ? real.toLowerCase() : real;
  return !escapes(path.relative(a, b));
}

export class PathSandbox {
  private constructor(private readonly roots: Root[]) {}

  /** Roots that do not exist are dropped; a sandbox with no roots refuses every path. */
  static async create(accessiblePaths: readonly string[]): Promise<PathSandbox> {
    const roots: Root[] = [];
    for (const given of accessiblePaths) {
      if (!given || !path.isAbsolute(given)) continue;
      try {
        const real = await fs.realpath(given);
        if (!(await fs.stat(real)).isDirectory()) continue;
        roots.push({ given, real, caseInsensitive: await isCaseInsensitive(real) });
      } catch {
        // A root that does not exist grants nothing.
      }
    }
    return new PathSandbox(roots);
  }

  get rootPaths(): string[] {
    return this.roots.map((r) => r.real);
  }

  /** The working directory relative paths are resolved against: the first accessible path. */
  get cwd(): string {
    const first = this.roots[0];
    if (!first) throw new SandboxError('This agent has no accessible paths; file and shell tools are unavailable.');
    return first.real;
  }

  /**
   * The real path `p` refers to, guaranteed inside an accessible path. For a path that does not
   * exist yet (a file to write), the nearest existing ancestor is resolved and the rest appended:
   * those missing segments cannot be symlinks, so the result is where the file will be created.
   */
  async resolve(p: string, opts: { mustExist?: boolean } = {}): Promise<string> {
    if (typeof p !== 'string' || p.length === 0) throw new SandboxError('A path is required.');
    if (p.includes('\0')) throw new SandboxError('Paths may not contain NUL characters.');
    const abs = path.resolve(this.cwd, p);
    let existing = abs;
    const missing: string[] = [];
    while (!(await exists(existing))) {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      missing.unshift(path.basename(existing));
      existing = parent;
    }
    if (opts.mustExist && missing.length > 0) throw new SandboxError(`No such file or directory: ${p}`);
    let real: string;
    try {
      real = await fs.realpath(existing);
    } catch {
      // lstat saw it but realpath cannot follow it: a dangling symlink. Writing through it would
      // create its target wherever it points, so refuse.
      throw new SandboxError(`Refused: ${p} is a broken symbolic link.`);
    }
    const full = path.join(real, ...missing);
    this.assertContains(full, p);
    return full;
  }

  /** Refuses (naming `given`, the path as the model wrote it) when the real path `real` is outside. */
  assertContains(real: string, given: string): void {
    if (!this.contains(real)) {
      throw new SandboxError(`Refused: ${given} is outside the agent's accessible paths (${this.roots.map((r) => r.given).join(', ') || 'none'}).`);
    }
  }

  /** True when an already-real path (e.g. met while walking a directory) is inside. */
  contains(real: string): boolean {
    return this.roots.some((r) => inside(r, real));
  }

  /** How a real path is shown to the model: relative to the working directory when inside it. */
  display(real: string): string {
    const rel = path.relative(this.cwd, real);
    return rel === '' ? '.' : escapes(rel) ? real : rel;
  }
}
