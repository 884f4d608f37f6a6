// fs.ts: file-system wrappers for the container sandbox, all over just-bash's InMemoryFs (never a host directory).
// ReadOnlyFs refuses every write with EROFS (a `readOnly: true` volume mount, as the kernel's read-only bind mount
// does); SubdirFs shows one directory of a volume as the root of a mount (a `subPath` mount); GuardedFs refuses
// writes under a set of read-only paths of the root file system (file-sized `subPath` mounts).
import type {CpOptions, FileContent, FsStat, IFileSystem, MkdirOptions, RmOptions} from 'just-bash'

type ReadOpts = Parameters<IFileSystem['readFile']>[1]
type WriteOpts = Parameters<IFileSystem['writeFile']>[2]

/** ROFS_MESSAGE is strerror(EROFS); coreutils print `touch: cannot touch 'x': Read-only file system`. */
export const ROFS_MESSAGE = 'Read-only file system'

/** ReadOnlyError is the EROFS error a write to a read-only mount throws. */
export class ReadOnlyError extends Error {
  readonly code = 'EROFS'
  constructor(readonly path: string) {
    super(ROFS_MESSAGE)
    this.name = 'ReadOnlyError'
  }
}

/** normalize folds `.`, `..` and repeated slashes of an absolute path ("/a/../b" → "/b"); `..` stops at "/". */
export function normalize(p: string): string {
  const out: string[] = []
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue
    if (s === '..') out.pop()
    else out.push(s)
  }
  return '/' + out.join('/')
}

/** DelegatingFs forwards every call to an inner file system; subclasses map paths or refuse writes. */
abstract class DelegatingFs implements IFileSystem {
  constructor(protected readonly inner: IFileSystem) {}
  /** map turns a path of this file system into the inner one's. */
  protected map(p: string): string {
    return p
  }
  /** unmap turns an inner path back (realpath answers). */
  protected unmap(p: string): string {
    return p
  }
  /** writable throws when a write at p is refused. */
  protected writable(_p: string): void {}

  readFile(p: string, o?: ReadOpts): Promise<string> {
    return this.inner.readFile(this.map(p), o)
  }
  readFileBuffer(p: string): Promise<Uint8Array> {
    return this.inner.readFileBuffer(this.map(p))
  }
  async readFileBytes(p: string) {
    const f = this.inner.readFileBytes
    if (f) return f.call(this.inner, this.map(p))
    return Buffer.from(await this.inner.readFileBuffer(this.map(p))).toString('latin1') as never
  }
  writeFile(p: string, c: FileContent, o?: WriteOpts): Promise<void> {
    this.writable(p)
    return this.inner.writeFile(this.map(p), c, o)
  }
  appendFile(p: string, c: FileContent, o?: WriteOpts): Promise<void> {
    this.writable(p)
    return this.inner.appendFile(this.map(p), c, o)
  }
  exists(p: string): Promise<boolean> {
    return this.inner.exists(this.map(p))
  }
  stat(p: string): Promise<FsStat> {
    return this.inner.stat(this.map(p))
  }
  lstat(p: string): Promise<FsStat> {
    return this.inner.lstat(this.map(p))
  }
  mkdir(p: string, o?: MkdirOptions): Promise<void> {
    this.writable(p)
    return this.inner.mkdir(this.map(p), o)
  }
  readdir(p: string): Promise<string[]> {
    return this.inner.readdir(this.map(p))
  }
  rm(p: string, o?: RmOptions): Promise<void> {
    this.writable(p)
    return this.inner.rm(this.map(p), o)
  }
  cp(src: string, dest: string, o?: CpOptions): Promise<void> {
    this.writable(dest)
    return this.inner.cp(this.map(src), this.map(dest), o)
  }
  mv(src: string, dest: string): Promise<void> {
    this.writable(src)
    this.writable(dest)
    return this.inner.mv(this.map(src), this.map(dest))
  }
  resolvePath(base: string, p: string): string {
    return normalize(p.startsWith('/') ? p : `${base}/${p}`)
  }
  getAllPaths(): string[] {
    return []
  }
  chmod(p: string, mode: number): Promise<void> {
    this.writable(p)
    return this.inner.chmod(this.map(p), mode)
  }
  symlink(target: string, linkPath: string): Promise<void> {
    this.writable(linkPath)
    return this.inner.symlink(target, this.map(linkPath))
  }
  link(existing: string, newPath: string): Promise<void> {
    this.writable(newPath)
    return this.inner.link(this.map(existing), this.map(newPath))
  }
  readlink(p: string): Promise<string> {
    return this.inner.readlink(this.map(p))
  }
  async realpath(p: string): Promise<string> {
    return this.unmap(await this.inner.realpath(this.map(p)))
  }
  utimes(p: string, atime: Date, mtime: Date): Promise<void> {
    this.writable(p)
    return this.inner.utimes(this.map(p), atime, mtime)
  }
}

/** ReadOnlyFs is a file system every write to fails with EROFS (a readOnly volume mount). */
export class ReadOnlyFs extends DelegatingFs {
  constructor(
    inner: IFileSystem,
    /** mountPath prefixes the paths reported to onRefuse (the mount sees paths relative to itself). */
    private readonly mountPath = '',
    private readonly onRefuse?: (path: string) => void,
  ) {
    super(inner)
  }
  protected override writable(p: string): void {
    const full = normalize(this.mountPath + '/' + p)
    this.onRefuse?.(full)
    throw new ReadOnlyError(full)
  }
}

/** SubdirFs shows the directory `dir` of an inner file system as its root (a subPath mount of a volume). */
export class SubdirFs extends DelegatingFs {
  private readonly dir: string
  constructor(inner: IFileSystem, dir: string) {
    super(inner)
    this.dir = normalize(dir)
  }
  protected override map(p: string): string {
    const n = normalize(p)
    return this.dir === '/' ? n : n === '/' ? this.dir : this.dir + n
  }
  protected override unmap(p: string): string {
    if (this.dir === '/') return p
    return p === this.dir ? '/' : p.startsWith(this.dir + '/') ? p.slice(this.dir.length) : p
  }
}

/** GuardedFs refuses writes to a set of paths (read-only files bind-mounted into the root file system). */
export class GuardedFs extends DelegatingFs {
  constructor(
    inner: IFileSystem,
    private readonly readOnly: Set<string>,
    /** hidden paths are left out of directory listings (the sandbox's own helpers). */
    private readonly hidden: Set<string> = new Set(),
    private readonly onRefuse?: (path: string) => void,
  ) {
    super(inner)
  }
  override async readdir(p: string): Promise<string[]> {
    const dir = normalize(p)
    const names = await this.inner.readdir(dir)
    return names.filter((n) => !this.hidden.has(dir === '/' ? `/${n}` : `${dir}/${n}`))
  }
  protected override writable(p: string): void {
    const n = normalize(p)
    if (!this.readOnly.has(n)) return
    this.onRefuse?.(n)
    throw new ReadOnlyError(n)
  }
}
