// recorder.ts journals the mkctl commands run against a lab profile (issue 6 part 2): MkctlCommand (base-command)
// starts a recording when a command starts and finishes it when the command ends; if the command's context is a
// local profile started by `mkctl lab start` (its folder holds lab.json) and that profile runs, the command —
// argv, the contents of the files it read, its stdin when it read `-f -`, its exit code and times, and its
// Kubectl-Session id — is posted to the profile's /mkctl/v1/lab/journal. Recording never changes how the command
// ends: every failure here is swallowed. MKCTL_JOURNAL=0 turns it off (the lab commands' own in-process runs).
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import type {Factory} from '../client/factory.js'
import {daemonInfo, profileDir} from '../cluster/profiles.js'
import type {IOStreams} from '../io.js'
import type {CommandRecord} from './wire.js'

/** SKIPPED are the command groups that are not the student's work on the cluster. */
const SKIPPED = /^(lab|cluster|config|help|completion|plugin|version)(:|$)/

/** MAX_FILES_BYTES bounds what one record carries of the files a command read. */
const MAX_FILES_BYTES = 4 * 1024 * 1024

const FILE_FLAGS = new Set(['-f', '--filename'])
const MANIFEST = /\.(ya?ml|json)$/i

/** CommandJournal is one command being recorded. */
export interface CommandJournal {
  /** io is the command's streams, stdin teed when the command reads `-f -`. */
  io: IOStreams
  /** finish posts the record when the command ran against a lab profile. */
  finish(factory: Factory | undefined, exitCode: number): Promise<void>
}

/** startCommandJournal starts recording a command; undefined when it is never recorded. */
export function startCommandJournal(
  id: string | undefined,
  argv: string[],
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): CommandJournal | undefined {
  if (env.MKCTL_JOURNAL === '0' || !id || SKIPPED.test(id)) return undefined
  const start = new Date().toISOString()
  const typed = ['mkctl', ...id.split(':'), ...argv]
  const files = fileArgs(argv)
  const tee = files.includes('-') ? new TeeReadable(io.in) : undefined
  const streams: IOStreams = tee ? {...io, in: tee} : io
  return {
    io: streams,
    async finish(factory, exitCode) {
      if (!factory) return
      try {
        const ctx = await factory.clientConfig()
        const profile = ctx.contextName
        if (!profile || !existsSync(join(profileDir(profile, env), 'lab.json')) || !daemonInfo(profile, env)) return
        const rec: CommandRecord = {
          argv: typed,
          exitCode,
          start,
          end: new Date().toISOString(),
          session: factory.session,
        }
        const read = readFiles(
          files.filter((f) => f !== '-'),
          argv.includes('-R') || argv.includes('--recursive'),
        )
        if (Object.keys(read.files).length > 0) rec.files = read.files
        // The replay runs in another cluster: the flags that chose this one go, folders become their files.
        const replay = stripConnectionFlags(read.expanded ? expandArgv(argv, read.expanded) : argv)
        if (replay.length !== argv.length || replay.some((a, i) => a !== argv[i]))
          rec.replayArgv = ['mkctl', ...id.split(':'), ...replay]
        if (tee) rec.stdin = tee.text()
        const rest = await factory.restClient()
        await rest.post('/mkctl/v1/lab/journal', rec, {timeoutMs: 5000})
      } catch {
        // The command's own outcome stands; a lost record shows as a missing command in the journal.
      }
    },
  }
}

/** fileArgs lists the values of -f/--filename in argv (`-f x`, `-f=x`, `--filename=x`, `-fx`). */
export function fileArgs(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') break
    const eq = a.indexOf('=')
    if (FILE_FLAGS.has(a) && i + 1 < argv.length) out.push(argv[++i])
    else if (eq > 0 && FILE_FLAGS.has(a.slice(0, eq))) out.push(a.slice(eq + 1))
    else if (/^-f[^=-]/.test(a)) out.push(a.slice(2))
  }
  return out
}

/** CONNECTION_FLAGS choose the cluster and credentials (kubectl's ConfigFlags); a replay must not keep them. */
const CONNECTION_FLAGS = new Set([
  '--context',
  '--kubeconfig',
  '--server',
  '-s',
  '--token',
  '--cluster',
  '--user',
  '--cache-dir',
  '--certificate-authority',
  '--client-certificate',
  '--client-key',
  '--tls-server-name',
])

/** stripConnectionFlags removes the connection flags (`--context x`, `--context=x`) from argv. */
export function stripConnectionFlags(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (CONNECTION_FLAGS.has(a)) i++
    else if (a === '--insecure-skip-tls-verify' || a.startsWith('--insecure-skip-tls-verify=')) continue
    else if (!(a.includes('=') && CONNECTION_FLAGS.has(a.slice(0, a.indexOf('='))))) out.push(a)
  }
  return out
}

/** readFiles reads the named files (and the manifests in named folders) as the command saw them. */
function readFiles(
  paths: string[],
  recursive: boolean,
): {files: Record<string, string>; expanded?: Map<string, string[]>} {
  const files: Record<string, string> = {}
  let expanded: Map<string, string[]> | undefined
  let total = 0
  const add = (p: string) => {
    const text = readFileSync(p, 'utf8')
    total += text.length
    if (total <= MAX_FILES_BYTES) files[p] = text
  }
  for (const p of paths) {
    if (/^[a-z]+:\/\//i.test(p) || !existsSync(p)) continue
    if (statSync(p).isDirectory()) {
      const list = walk(p, recursive)
      for (const f of list) add(f)
      ;(expanded ??= new Map()).set(p, list)
    } else add(p)
  }
  return expanded ? {files, expanded} : {files}
}

function walk(dir: string, recursive: boolean): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) {
      if (recursive) out.push(...walk(p, true))
    } else if (MANIFEST.test(name)) out.push(p)
  }
  return out
}

/** expandArgv replaces each folder given to -f by one -f per manifest in it, for the replay. */
function expandArgv(argv: string[], expanded: Map<string, string[]>): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.indexOf('=')
    const value = FILE_FLAGS.has(a)
      ? argv[i + 1]
      : eq > 0 && FILE_FLAGS.has(a.slice(0, eq))
        ? a.slice(eq + 1)
        : undefined
    const list = value !== undefined ? expanded.get(value) : undefined
    if (!list) {
      out.push(a)
      continue
    }
    if (FILE_FLAGS.has(a)) i++
    for (const f of list) out.push('-f', f)
  }
  return out.filter((a) => a !== '-R' && a !== '--recursive')
}

/** TeeReadable hands a source's data on and keeps a copy; it starts reading the source only when read itself. */
class TeeReadable extends Readable {
  private chunks: Buffer[] = []
  private started = false

  constructor(private readonly src: Readable) {
    super()
  }

  override _read(): void {
    if (this.started) {
      this.src.resume()
      return
    }
    this.started = true
    this.src.on('data', (c: Buffer | string) => {
      const b = Buffer.from(c)
      this.chunks.push(b)
      if (!this.push(b)) this.src.pause()
    })
    this.src.once('end', () => this.push(null))
    this.src.once('error', (e) => this.destroy(e))
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}
