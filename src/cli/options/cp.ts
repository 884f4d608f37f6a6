// cp.ts holds CopyOptions for `mkctl cp` (kubectl/pkg/cmd/cp/cp.go): copying into a container streams a tar of
// the local file over exec to `tar -xmf - -C DIR` (after `test -d DEST` decides whether DEST is a directory);
// copying out runs `tar cf - FILE` (with --retries: `sh -c 'tar cf - FILE | tail -c+N'`) and unpacks the members
// under the source prefix, refusing any outside it ("tar contents corrupted"). The tar format is the POSIX ustar
// one Go's archive/tar writes for short names, read back with GNU long names and PAX paths understood.
import {lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {posix, relative, resolve, sep, dirname as localDirname, join as localJoin} from 'node:path'
import {Readable, Writable} from 'node:stream'
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {Factory} from '../client/factory.js'
import {ExitCodeError} from '../client/remotecommand.js'
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {StreamSetup} from './exec.js'

/** FILESPEC_FORMAT is kubectl's complaint about a malformed [[namespace/]pod:]file/path. */
export const FILESPEC_FORMAT = 'filespec must match the canonical format: [[namespace/]pod:]file/path'

/** FileSpec is one side of a copy: a local path, or a path in a pod. */
export interface FileSpec {
  podNamespace: string
  podName: string
  file: string
}

/** extractFileSpec follows cp.go extractFileSpec. */
export function extractFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':')
  if (i === 0) throw new Error(FILESPEC_FORMAT)
  if (i < 0) return {podNamespace: '', podName: '', file: arg}
  const pod = arg.slice(0, i)
  const file = arg.slice(i + 1)
  const pieces = pod.split('/')
  if (pieces.length === 1) return {podNamespace: '', podName: pieces[0]!, file}
  if (pieces.length === 2) return {podNamespace: pieces[0]!, podName: pieces[1]!, file}
  throw new Error(FILESPEC_FORMAT)
}

// ---------------------------------------------------------------------------------------------------------------
// tar (ustar) writer and reader

/** TarEntry is one archive member. */
export interface TarEntry {
  name: string
  type: 'file' | 'dir' | 'symlink' | 'other'
  mode: number
  size: number
  mtime: number
  linkname: string
  data: Buffer
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0'
}

function header(e: {
  name: string
  mode: number
  size: number
  mtime: number
  typeflag: string
  linkname: string
}): Buffer {
  const h = Buffer.alloc(512)
  let name = e.name
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long names at a slash into prefix (155) and name (100)
    const cut = name.lastIndexOf('/', name.length - 1)
    for (let k = cut; k > 0; k = name.lastIndexOf('/', k - 1)) {
      if (Buffer.byteLength(name.slice(k + 1)) <= 100 && Buffer.byteLength(name.slice(0, k)) <= 155) {
        prefix = name.slice(0, k)
        name = name.slice(k + 1)
        break
      }
    }
  }
  h.write(name, 0, 100, 'utf8')
  h.write(octal(e.mode & 0o7777, 8), 100, 'ascii')
  h.write(octal(0, 8), 108, 'ascii')
  h.write(octal(0, 8), 116, 'ascii')
  h.write(octal(e.size, 12), 124, 'ascii')
  h.write(octal(Math.floor(e.mtime / 1000), 12), 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write(e.typeflag, 156, 'ascii')
  h.write(e.linkname, 157, 100, 'utf8')
  h.write('ustar\u000000', 257, 'ascii')
  h.write(prefix, 345, 155, 'utf8')
  let sum = 0
  for (const b of h) sum += b
  h.write(octal(sum, 7) + ' ', 148, 'ascii')
  return h
}

/**
 * makeTar follows cp.go makeTar/recursiveTar: the local path (a file, a directory walked recursively, or a glob
 * of them) archived under the destination's base name.
 */
export function makeTar(src: string, destBase: string): Buffer {
  const parts: Buffer[] = []
  const add = (fpath: string, name: string) => {
    const st = lstatSync(fpath)
    if (st.isDirectory()) {
      const files = readdirSync(fpath).sort()
      if (files.length === 0)
        parts.push(header({name: name + '/', mode: st.mode, size: 0, mtime: st.mtimeMs, typeflag: '5', linkname: ''}))
      for (const f of files) add(localJoin(fpath, f), posix.join(name, f))
    } else if (st.isSymbolicLink()) {
      parts.push(
        header({name, mode: st.mode, size: 0, mtime: st.mtimeMs, typeflag: '2', linkname: readlinkSync(fpath)}),
      )
    } else {
      const data = readFileSync(fpath)
      parts.push(header({name, mode: st.mode, size: data.length, mtime: st.mtimeMs, typeflag: '0', linkname: ''}))
      parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512))
    }
  }
  add(src, destBase)
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

function cstr(b: Buffer): string {
  const z = b.indexOf(0)
  return b.subarray(0, z < 0 ? b.length : z).toString('utf8')
}

/** readTar parses an archive; a short or malformed one throws Go's errors (unexpected EOF, invalid header). */
export function readTar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = []
  let off = 0
  let longName: string | undefined
  let paxPath: string | undefined
  for (;;) {
    if (off + 512 > buf.length) {
      // a clean end without the zero blocks is accepted, as Go's tar.Reader does
      if (off === buf.length) return out
      throw new Error('unexpected EOF')
    }
    const h = buf.subarray(off, off + 512)
    if (h.every((b) => b === 0)) return out
    let sum = 0
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!
    const want = Number.parseInt(cstr(h.subarray(148, 156)).trim() || 'x', 8)
    if (want !== sum) throw new Error('archive/tar: invalid tar header')
    const size = Number.parseInt(cstr(h.subarray(124, 136)).trim() || '0', 8)
    const flag = String.fromCharCode(h[156]!)
    const dataStart = off + 512
    if (dataStart + size > buf.length) throw new Error('unexpected EOF')
    const data = buf.subarray(dataStart, dataStart + size)
    off = dataStart + Math.ceil(size / 512) * 512
    if (flag === 'L') {
      longName = cstr(data)
      continue
    }
    if (flag === 'x') {
      for (const m of data.toString('utf8').matchAll(/\d+ path=([^\n]*)\n/g)) paxPath = m[1]
      continue
    }
    if (flag === 'g') continue
    const prefix = h.subarray(257, 263).toString('latin1') === 'ustar\0' ? cstr(h.subarray(345, 500)) : ''
    let name = longName ?? paxPath ?? (prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100)))
    longName = undefined
    paxPath = undefined
    const type = flag === '5' ? 'dir' : flag === '2' ? 'symlink' : flag === '0' || flag === '\0' ? 'file' : 'other'
    if (type === 'dir' && !name.endsWith('/')) name += '/'
    out.push({
      name,
      type,
      mode: Number.parseInt(cstr(h.subarray(100, 108)).trim() || '0', 8),
      size,
      mtime: Number.parseInt(cstr(h.subarray(136, 148)).trim() || '0', 8) * 1000,
      linkname: cstr(h.subarray(157, 257)),
      data: Buffer.from(data),
    })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// remote paths (cp's filespec.go: remotePath uses forward slashes, cleaned)

/** stripPathShortcuts removes leading ../ and ./ (cp.go stripPathShortcuts). */
export function stripPathShortcuts(p: string): string {
  let newPath = cleanRemote(p)
  let trimmed = newPath.replace(/^\.\.\//, '')
  while (trimmed !== newPath) {
    newPath = trimmed
    trimmed = newPath.replace(/^\.\.\//, '')
  }
  if (newPath === '.' || newPath === '..') newPath = ''
  if (newPath.length > 0 && newPath[0] === '/') return stripPathShortcuts(newPath.slice(1))
  return newPath
}

function cleanRemote(p: string): string {
  const c = posix.normalize(p)
  return c.length > 1 && c.endsWith('/') ? c.slice(0, -1) : c
}

function remoteDir(p: string): string {
  return posix.dirname(cleanRemote(p))
}

function remoteBase(p: string): string {
  return posix.basename(cleanRemote(p)) || '/'
}

// ---------------------------------------------------------------------------------------------------------------

class Collect extends Writable {
  readonly chunks: Buffer[] = []
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    cb()
  }
  get data(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

/** RemoteExec runs one exec stream with its own IO streams (cp's ExecOptions with their IOStreams). */
class RemoteExec extends StreamSetup {
  constructor(io: IOStreams, container: string) {
    super(io)
    this.container = container
    this.quiet = false
  }

  /** execIn is ExecOptions.Run for a named pod: GET the pod, refuse completed ones, pick the container, stream. */
  async execIn(f: Factory, ns: string, name: string, command: string[], stdin: boolean): Promise<void> {
    const rest = await f.restClient()
    const pod = await rest.get<Pod>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`)
    const phase = pod.status?.phase
    if (phase === 'Succeeded' || phase === 'Failed')
      throw new Error(`cannot exec into a container in a completed pod; current phase is ${phase}`)
    this.stdin = stdin
    const container = this.containerName(pod)
    await this.stream(f, pod, 'exec', {container, command})
  }
}

/** CopyOptions copies files and directories to and from containers. */
export class CopyOptions {
  args: string[] = []
  container = ''
  noPreserve = false
  maxTries = 0
  execParentCmdName = 'mkctl'
  private namespace = ''

  constructor(private readonly io: IOStreams) {}

  /** complete is cp.go Complete. */
  async complete(f: Factory): Promise<void> {
    this.namespace = (await f.namespace()).namespace
  }

  /** validate is cp.go Validate. */
  validate(): void {
    if (this.args.length !== 2) throw new Error('source and destination are required')
  }

  /** run is cp.go Run. */
  async run(f: Factory): Promise<void> {
    const src = extractFileSpec(this.args[0]!)
    const dest = extractFileSpec(this.args[1]!)
    if (src.podName && dest.podName) throw new Error('one of src or dest must be a local file specification')
    if (src.file === '' || dest.file === '') throw new Error('filepath can not be empty')
    if (src.podName) return this.copyFromPod(f, src, dest)
    if (dest.podName) return this.copyToPod(f, src, dest)
    throw new Error('one of src or dest must be a remote file specification')
  }

  private exec(io: Partial<IOStreams>): RemoteExec {
    const nothing = Readable.from([])
    return new RemoteExec(
      {in: io.in ?? nothing, out: io.out ?? new Collect(), errOut: io.errOut ?? new Collect(), isTerminal: false},
      this.container,
    )
  }

  private async copyToPod(f: Factory, src: FileSpec, dest: FileSpec): Promise<void> {
    try {
      lstatSync(src.file)
    } catch {
      throw new Error(`${src.file} doesn't exist in local filesystem`)
    }
    const ns = dest.podNamespace || this.namespace
    let destFile = dest.file
    // checkDestinationIsDir: any error (not a directory, no pod, ...) means "not a directory"
    try {
      await this.exec({}).execIn(f, ns, dest.podName, ['test', '-d', dest.file], false)
      destFile = posix.join(destFile, posix.basename(resolve(src.file)))
    } catch {
      // not a directory
    }
    const cleanSrc = localJoin(src.file)
    const archive = makeTar(cleanSrc, remoteBase(destFile))
    const cmd = this.noPreserve
      ? ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-']
      : ['tar', '-xmf', '-']
    const dir = remoteDir(destFile)
    if (dir.length > 0) cmd.push('-C', dir)
    await this.exec({in: Readable.from([archive]), out: this.io.out, errOut: this.io.errOut}).execIn(
      f,
      ns,
      dest.podName,
      cmd,
      true,
    )
  }

  private async copyFromPod(f: Factory, src: FileSpec, dest: FileSpec): Promise<void> {
    const ns = src.podNamespace || this.namespace
    const data = await this.readRemoteTar(f, ns, src)
    const prefix = stripPathShortcuts(posix.normalize(src.file.replace(/^\/+/, '')))
    this.untarAll(ns, src, prefix, dest.file, data)
  }

  /** readRemoteTar runs the remote tar (retrying with tail -c+N as TarPipe does) and returns its bytes. */
  private async readRemoteTar(f: Factory, ns: string, src: FileSpec): Promise<Buffer> {
    const chunks: Buffer[] = []
    let bytesRead = 0
    let from = 0
    let retries = 0
    for (;;) {
      const out = new Collect()
      const command =
        this.maxTries !== 0 ? ['sh', '-c', `tar cf - ${src.file} | tail -c+${from}`] : ['tar', 'cf', '-', src.file]
      try {
        // the remote tar's stderr goes to mkctl's stdout, as kubectl wires it
        await this.exec({out, errOut: this.io.out}).execIn(f, ns, src.podName, command, false)
        chunks.push(out.data)
        return Buffer.concat(chunks)
      } catch (e) {
        chunks.push(out.data)
        bytesRead += out.data.length
        if (!(e instanceof ExitCodeError) && (this.maxTries < 0 || retries < this.maxTries)) {
          retries++
          from = bytesRead + 1
          this.io.out.write(`Resuming copy at ${bytesRead} bytes, retry ${retries}/${this.maxTries}\n`)
          continue
        }
        if (e instanceof ExitCodeError) throw new RawError(e.message, e.exitCode)
        throw e
      }
    }
  }

  /** untarAll is cp.go untarAll. */
  private untarAll(ns: string, src: FileSpec, prefix: string, dest: string, data: Buffer): void {
    let symlinkWarned = false
    const destAbs = resolve(dest)
    for (const h of readTar(data)) {
      if (!h.name.startsWith(prefix)) throw new Error('tar contents corrupted')
      const rel = cleanRemote(h.name.slice(prefix.length))
      const destFileName = localJoin(dest, rel)
      const out = resolve(destFileName)
      if (out !== destAbs && !out.startsWith(destAbs + sep) && relative(destAbs, out).startsWith('..')) {
        this.io.errOut.write(`warning: file ${JSON.stringify(destFileName)} is outside target destination, skipping\n`)
        continue
      }
      mkdirSync(localDirname(destFileName), {recursive: true})
      if (h.type === 'dir') {
        mkdirSync(destFileName, {recursive: true})
        continue
      }
      if (h.type === 'symlink') {
        if (!symlinkWarned) {
          this.io.errOut.write(
            `warning: skipping symlink: ${JSON.stringify(destFileName)} -> ${JSON.stringify(h.linkname)} (consider using "${this.execParentCmdName} exec -n ${JSON.stringify(ns)} ${JSON.stringify(src.podName)} -- tar cf - ${JSON.stringify(src.file)} | tar xf -")\n`,
          )
          symlinkWarned = true
        } else
          this.io.errOut.write(
            `warning: skipping symlink: ${JSON.stringify(destFileName)} -> ${JSON.stringify(h.linkname)}\n`,
          )
        continue
      }
      writeFileSync(destFileName, h.data)
    }
  }
}
