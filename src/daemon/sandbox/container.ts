// container.ts: one container's sandbox — its file system (the image's files from the runtime, /etc files the
// kubelet writes, volumes at their mountPath/subPath) and a just-bash interpreter over it with the container's
// environment. just-bash runs only over InMemoryFs/MountableFs (never OverlayFs or ReadWriteFs), with python,
// javascript, sqlite3 and its network commands off: curl, wget and friends are ours and talk to simulated servers
// only. Nothing a user types can start a host process or open a host file.
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {Bash, InMemoryFs, MountableFs, decodeBytesToUtf8, defineCommand, getCommandNames, parse} from 'just-bash'
import type {Command, CommandName, ExecResult, IFileSystem} from 'just-bash'
import type {RuntimeContainer} from '../runtime/runtime.js'
import {PROFILES} from '../runtime/profiles.js'
import type {Proc, ShellFlavor} from '../runtime/shell/types.js'
import {GuardedFs, ROFS_MESSAGE, ReadOnlyError, ReadOnlyFs, SubdirFs, normalize} from './fs.js'
import {detachedProc, runProgram} from './programs.js'
import type {MountedVolume, VolumeStore} from './volumes.js'
import type {SandboxNetwork} from './net.js'
import {netCommands} from './net.js'
import {tarCommand} from './tar.js'

/** BUILTIN_EXECUTABLES are shell builtins an image with a userland also has as programs in /bin or /usr/bin. */
const BUILTIN_EXECUTABLES = ['test', '[', 'true', 'false', 'echo', 'printf', 'pwd', 'kill']

/** BASE_DIRS are the top-level folders every container image has. */
const BASE_DIRS = [
  '/',
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/proc',
  '/root',
  '/run',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
  '/var/tmp',
]

/** LIMITS bound one exec: commands run, loop iterations, output and time (a runaway loop ends with exit 126). */
export const LIMITS = {
  maxCommandCount: 100_000,
  maxLoopIterations: 100_000,
  maxOutputSize: 4 * 1024 * 1024,
  maxExecutionTimeMs: 30_000,
  maxFileSystemBytes: 64 * 1024 * 1024,
  maxStringLength: 4 * 1024 * 1024,
}

/** EXCLUDED are just-bash commands a container does not get: sqlite3 (a worker), html-to-markdown, and the
 * network commands, which net.ts replaces with simulated ones. */
const EXCLUDED = new Set(['sqlite3', 'html-to-markdown', 'curl', 'xan'])

/** NOT_FOUND are interpreters users try that the images here do not have (and that must never reach the host). */
const NOT_FOUND = [
  'node',
  'nodejs',
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'php',
  'js-exec',
  'sqlite3',
  'sudo',
  'su',
  'apt',
  'apt-get',
  'apk',
  'yum',
  'dnf',
  'docker',
  'kubectl',
  'systemctl',
  'nc',
  'telnet',
  'ssh',
  'scp',
  'strace',
  'gdb',
]

/** HIDDEN is where the session's status probe lives. */
const HIDDEN = '/bin'
/** STATUS_PROBE is the session's status probe, left out of listings. */
const STATUS_PROBE = `${HIDDEN}/__mkctl_status`

/** SandboxDeps are what a sandbox reads from the cluster. */
export interface SandboxDeps {
  volumes: VolumeStore
  now(): number
  network?: SandboxNetwork
}

/** RunOptions configure one exec. */
export interface RunOptions {
  stdin?: string
  tty?: boolean
  signal?: AbortSignal
  /** env overrides (TERM for a tty). */
  env?: Record<string, string>
  cwd?: string
}

/** RunResult is the outcome of one exec: output, exit code, and notFound when argv[0] is no executable. */
export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  notFound?: boolean
  /** env and cwd after a shell line ran (sessions keep them). */
  env?: Record<string, string>
  cwd?: string
  /** exited is true when the line ran `exit` (or a fatal error ended the shell). */
  exited?: boolean
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

const PASSWD: Record<string, string> = {
  debian:
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  alpine:
    'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n',
  busybox:
    'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
}
const GROUP: Record<string, string> = {
  debian: 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nwww-data:x:33:\nnogroup:x:65534:\n',
  alpine: 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nnobody:x:65534:\n',
  busybox: 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n',
}

/** MountInfo describes one mount for `mount` and `df`. */
interface MountInfo {
  path: string
  kind: string
  readOnly: boolean
}

/** ContainerSandbox is the shell side of one container run. */
export class ContainerSandbox {
  readonly fs: MountableFs
  readonly env: Record<string, string>
  readonly cwd: string
  /** flavor is the shell's dialect; undefined when the image has no userland (distroless, scratch). */
  readonly flavor: ShellFlavor | undefined
  readonly hostname: string
  readonly uid: number
  readonly gid: number
  private readonly bash: Bash
  private readonly mounts: MountInfo[] = []
  private readonly volumes: MountedVolume[] = []
  private readonly programs: Set<string>
  private readonly known: Set<string>
  private readonly statuses = new Map<string, number>()
  private seq = 0
  /** lastRefused is the last path a write to a read-only mount was refused at (for the shell's message). */
  private lastRefused = ''
  private readonly refused = (p: string) => {
    this.lastRefused = p
  }
  private readonly proc: Proc | undefined

  private constructor(
    readonly pod: Pod,
    readonly container: Container,
    readonly instance: RuntimeContainer,
    private readonly deps: SandboxDeps,
    root: InMemoryFs,
    readOnlyFiles: Set<string>,
  ) {
    const spec = instance.process?.spec
    this.flavor = spec ? (spec.flavor ?? (spec.lookup('sh') ? 'ash' : undefined)) : undefined
    this.hostname = spec?.hostname ?? pod.metadata?.name ?? ''
    const sc = {...(pod.spec?.securityContext ?? {}), ...(container.securityContext ?? {})}
    this.uid = sc.runAsUser ?? 0
    this.gid = sc.runAsGroup ?? (this.uid === 0 ? 0 : this.uid)
    const env: Record<string, string> = {}
    for (const [k, v] of spec?.env ?? new Map<string, string>()) env[k] = v
    env.PATH ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    env.HOME ??= this.uid === 0 ? '/root' : '/'
    env.HOSTNAME ??= this.hostname
    this.env = env
    const environ = Object.entries(env)
      .map(([k, v]) => `${k}=${v}\u0000`)
      .join('')
    root.writeFileSync('/proc/1/environ', environ)
    root.writeFileSync('/proc/self/environ', environ)
    root.writeFileSync('/proc/self/cmdline', 'sh\u0000')
    root.writeFileSync(
      '/proc/self/status',
      `Name:\tsh\nState:\tR (running)\nPid:\t${31}\nPPid:\t0\nUid:\t${this.uid}\t${this.uid}\t${this.uid}\t${this.uid}\n`,
    )
    this.cwd = spec?.cwd ?? container.workingDir ?? '/'
    this.fs = new MountableFs({base: new GuardedFs(root, readOnlyFiles, new Set([STATUS_PROBE]), this.refused)})
    this.proc = instance.process ? detachedProc(instance.process.proc) : undefined
    const profile = PROFILES[instance.image.profile] ?? PROFILES.app
    this.programs = new Set(Object.keys(profile?.programs ?? {}).map((p) => p.split('/').pop()!))
    const customs = this.customCommands()
    const allowed = getCommandNames().filter((n) => !EXCLUDED.has(n) && !(n === 'bash' && this.flavor === 'ash'))
    this.known = new Set([...allowed, ...customs.map((c) => c.name)])
    // Shell builtins that images also ship as executables (coreutils/busybox): kubectl cp runs `test -d` directly.
    if (this.hasShell) for (const n of BUILTIN_EXECUTABLES) this.known.add(n)
    for (const n of NOT_FOUND) this.known.delete(n)
    // just-bash finds commands through PATH: every executable of the image gets a stub in /bin and /usr/bin.
    if (this.hasShell)
      for (const n of [...this.known, ...this.programs]) {
        if (n.startsWith('__')) continue
        const stub = `#!/bin/sh\n# ${n}: a simulated executable of this image\n`
        for (const dir of ['/bin', '/usr/bin']) root.writeFileSync(`${dir}/${n}`, stub, undefined, {mode: 0o755})
      }
    root.writeFileSync(STATUS_PROBE, '#!/bin/bash\n# Built-in command: __mkctl_status\n', undefined, {mode: 0o755})
    this.bash = new Bash({
      fs: this.fs,
      cwd: this.cwd,
      env,
      commands: allowed as CommandName[],
      customCommands: customs,
      executionLimits: LIMITS,
      processInfo: {pid: 1, ppid: 0, uid: this.uid, gid: this.gid},
    })
  }

  /** create builds a container's sandbox: root file system from the image, /etc files, then the volume mounts. */
  static async create(pod: Pod, container: Container, instance: RuntimeContainer, deps: SandboxDeps) {
    const root = new InMemoryFs()
    const spec = instance.process?.spec
    // Every image's root has the FHS top-level folders (busybox and distroless included: /tmp, /root, /var ...).
    for (const d of [...BASE_DIRS, ...(spec?.dirs ?? [])]) await root.mkdir(d, {recursive: true})
    for (const [p, content] of instance.files) root.writeFileSync(p, content)
    const os = instance.image.os
    const fam = os === 'alpine' ? 'alpine' : os === 'busybox' ? 'busybox' : 'debian'
    if (!(await root.exists('/etc/passwd'))) root.writeFileSync('/etc/passwd', PASSWD[fam]!)
    if (!(await root.exists('/etc/group'))) root.writeFileSync('/etc/group', GROUP[fam]!)
    if (fam === 'debian' && !(await root.exists('/etc/profile')))
      root.writeFileSync(
        '/etc/profile',
        '# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))\nif [ "$(id -u)" -eq 0 ]; then\n  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\nelse\n  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"\nfi\nexport PATH\n',
      )
    const argv = spec?.argv ?? []
    root.writeFileSync('/proc/1/cmdline', argv.join('\u0000') + '\u0000')
    root.writeFileSync('/proc/version', 'Linux version 6.8.0-mkctl (mkctl@sim) (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC\n')
    root.writeFileSync('/proc/uptime', `${((deps.now() - instance.startedAt) / 1000).toFixed(2)} 0.00\n`)
    root.writeFileSync(
      '/proc/meminfo',
      'MemTotal:        8048484 kB\nMemFree:         4024242 kB\nMemAvailable:    6036363 kB\n',
    )
    root.writeFileSync(
      '/proc/cpuinfo',
      'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: mkctl virtual CPU\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: mkctl virtual CPU\n',
    )

    // Volume mounts: a directory mount is a mounted file system; a file-sized subPath is a copy in the root.
    const readOnlyFiles = new Set<string>()
    // The sandbox is made after its mounts; refusals reach it through this late-bound callback.
    const refusals = {fn: (_p: string) => {}}
    const mounts: {path: string; fs: IFileSystem; info: MountInfo; vol: MountedVolume}[] = []
    for (const m of container.volumeMounts ?? []) {
      const vol = (pod.spec?.volumes ?? []).find((v) => v.name === m.name)
      if (!vol) continue
      const mv = await deps.volumes.volume(pod, vol)
      if (!mv) continue
      const path = normalize(m.mountPath)
      const readOnly =
        m.readOnly === true ||
        mv.kind === 'configMap' ||
        mv.kind === 'secret' ||
        mv.kind === 'downwardAPI' ||
        mv.kind === 'projected'
      const sub = m.subPath
        ? normalize(m.subPath)
        : m.subPathExpr
          ? normalize(expandSubPath(m.subPathExpr, spec?.env))
          : undefined
      if (sub && sub !== '/') {
        const st = await mv.fs.stat(sub).catch(() => undefined)
        if (st?.isFile) {
          root.writeFileSync(path, await mv.fs.readFileBuffer(sub))
          if (readOnly) readOnlyFiles.add(path)
          mounts.push({path, fs: root, info: {path, kind: mv.kind, readOnly}, vol: mv})
          continue
        }
        if (!st) await mv.fs.mkdir(sub, {recursive: true})
      }
      await root.mkdir(path, {recursive: true})
      let fs: IFileSystem = sub && sub !== '/' ? new SubdirFs(mv.fs, sub) : mv.fs
      if (readOnly) fs = new ReadOnlyFs(fs, path, (p) => refusals.fn(p))
      mounts.push({path, fs, info: {path, kind: mv.kind, readOnly}, vol: mv})
    }
    const sb = new ContainerSandbox(pod, container, instance, deps, root, readOnlyFiles)
    refusals.fn = sb.refused
    for (const m of mounts) {
      if (m.fs !== root) sb.fs.mount(m.path, m.fs)
      sb.mounts.push(m.info)
      sb.volumes.push(m.vol)
    }
    return sb
  }

  /** refresh brings projected volumes up to date (the kubelet's sync; ConfigMap edits show up in files). */
  async refresh(): Promise<void> {
    for (const v of new Set(this.volumes)) await v.refresh?.()
  }

  /** hasShell says whether the image has a shell and coreutils. */
  get hasShell(): boolean {
    return this.flavor !== undefined
  }

  /** shellFor says whether argv names a shell of this image (sh, bash, /bin/sh, ...). */
  isShell(name: string): boolean {
    const base = name.split('/').pop() ?? name
    if (!this.hasShell) return false
    if (base === 'bash') return this.flavor !== 'ash'
    return base === 'sh' || base === 'ash' || base === 'dash'
  }

  /** exists says whether argv[0] names an executable of the image. */
  exists(name: string): boolean {
    const base = name.split('/').pop() ?? name
    if (this.programs.has(base)) return true
    if (!this.hasShell) return false
    return this.known.has(base)
  }

  /** run executes argv as `kubectl exec` does: directly, not through a shell. */
  async run(argv: string[], o: RunOptions = {}): Promise<RunResult> {
    const name = argv[0] ?? ''
    if (!this.exists(name)) return {stdout: '', stderr: '', exitCode: 127, notFound: true}
    const base = name.split('/').pop() ?? name
    if (!this.hasShell || (this.programs.has(base) && !this.known.has(base))) return this.runImageProgram(argv, o)
    return this.script(`${q(base)}`, {...o, args: argv.slice(1)})
  }

  /** line runs one line of an interactive shell, keeping env and cwd; exited says whether it ran `exit`. */
  async line(text: string, o: RunOptions & {env: Record<string, string>; cwd: string}): Promise<RunResult> {
    return this.script(text, o, true)
  }

  private async script(text: string, o: RunOptions & {args?: string[]}, session = false): Promise<RunResult> {
    await this.refresh()
    const token = `t${++this.seq}`
    const env = session ? o.env! : {...this.env, ...(o.env ?? {})}
    const script = session ? `${text}\n${STATUS_PROBE} ${token} $?` : text
    let r: ExecResult & {env?: Record<string, string>}
    try {
      r = await this.bash.exec(script, {
        env,
        replaceEnv: true,
        cwd: o.cwd ?? this.cwd,
        stdin: o.stdin ?? '',
        signal: o.signal,
        args: o.args,
        rawScript: true,
      })
    } catch (e) {
      // A write through a redirection to a read-only mount throws out of just-bash: report it as the shell does.
      const err = e as Error & {code?: string}
      if (e instanceof ReadOnlyError || err.code === 'EROFS' || err.message?.includes(ROFS_MESSAGE)) {
        return {
          stdout: '',
          stderr: this.cannotCreate(e instanceof ReadOnlyError ? e.path : this.lastRefused),
          exitCode: this.flavor === 'dash' ? 2 : 1,
          env: o.env,
          cwd: o.cwd,
        }
      }
      return {stdout: '', stderr: `sh: ${(e as Error).message}\n`, exitCode: 126, env: o.env, cwd: o.cwd}
    }
    const stderr = this.rewriteStderr(r.stderr)
    if (!session) return {stdout: r.stdout, stderr, exitCode: r.exitCode}
    const status = this.statuses.get(token)
    this.statuses.delete(token)
    const outEnv: Record<string, string> = {}
    for (const [k, v] of Object.entries(r.env ?? env)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) outEnv[k] = v
    const cwd = outEnv.PWD ?? o.cwd
    return {stdout: r.stdout, stderr, exitCode: status ?? r.exitCode, env: outEnv, cwd, exited: status === undefined}
  }

  private cannotCreate(path: string): string {
    if (this.flavor === 'dash') return `sh: 1: cannot create ${path}: Read-only file system\n`
    if (this.flavor === 'ash') return `sh: can't create ${path}: Read-only file system\n`
    return `bash: ${path}: Read-only file system\n`
  }

  /** rewriteStderr turns just-bash's wording into the container shell's (`sh: 1: foo: not found` for dash). */
  private rewriteStderr(s: string): string {
    if (!s) return s
    s = s.replace(/^(?:sh|bash): Read-only file system$/gm, () => this.cannotCreate(this.lastRefused).trimEnd())
    return s.replace(/^bash: (.*): command not found$/gm, (_m, cmd: string) =>
      this.flavor === 'dash'
        ? `sh: 1: ${cmd}: not found`
        : this.flavor === 'ash'
          ? `sh: ${cmd}: not found`
          : `bash: ${cmd}: command not found`,
    )
  }

  private runImageProgram(argv: string[], o: RunOptions): RunResult {
    const prog = this.instance.process?.spec.lookup(argv[0] ?? '')
    if (!prog || !this.proc) return {stdout: '', stderr: '', exitCode: 127, notFound: true}
    const env = new Map(Object.entries({...this.env, ...(o.env ?? {})}))
    return runProgram(prog, argv, env, this.proc, this.cwd, o.stdin ?? '')
  }

  /** processes lists the container's processes for ps: PID 1 is its main process. */
  processes(self: string[]): {pid: number; user: string; argv: string[]}[] {
    const user = this.uid === 0 ? 'root' : String(this.uid)
    let argv = this.instance.process?.spec.argv ?? []
    // An entrypoint script ends with `exec "$@"`: PID 1 is the program it started.
    if (/(^|\/)[\w-]*entrypoint(\.sh)?$/.test(argv[0] ?? '') && argv.length > 1) argv = argv.slice(1)
    const main: {pid: number; user: string; argv: string[]}[] = [{pid: 1, user, argv}]
    if ((argv[0] ?? '').split('/').pop() === 'nginx') {
      main[0] = {pid: 1, user, argv: ['nginx: master process', ...argv]}
      main.push(
        {pid: 29, user: 'nginx', argv: ['nginx: worker process']},
        {pid: 30, user: 'nginx', argv: ['nginx: worker process']},
      )
    }
    return [...main, {pid: 31 + this.seq, user, argv: self}]
  }

  private customCommands(): Command[] {
    const cmds: Command[] = []
    const ok = (stdout: string): ExecResult => ({stdout, stderr: '', exitCode: 0})
    cmds.push(
      defineCommand('__mkctl_status', async (args) => {
        this.statuses.set(args[0] ?? '', Number(args[1] ?? 0))
        return {stdout: '', stderr: '', exitCode: Number(args[1] ?? 0)}
      }),
    )
    cmds.push(
      defineCommand('hostname', async (args) => {
        if (args.includes('-i')) return ok(`${this.instance.podIP}\n`)
        return ok(`${this.hostname}\n`)
      }),
    )
    const userName = () => (this.uid === 0 ? 'root' : String(this.uid))
    cmds.push(defineCommand('whoami', async () => ok(`${userName()}\n`)))
    // GNU/busybox tar semantics kubectl cp relies on (a leading / stripped from member names, with the warning).
    cmds.push(tarCommand(() => this.flavor === 'ash'))
    cmds.push(
      defineCommand('id', async (args) => {
        if (args.includes('-u')) return ok(`${this.uid}\n`)
        if (args.includes('-g')) return ok(`${this.gid}\n`)
        if (args.includes('-un') || args.includes('-nu')) return ok(`${userName()}\n`)
        const u = this.uid === 0 ? '0(root)' : String(this.uid)
        const g = this.gid === 0 ? '0(root)' : String(this.gid)
        const groups =
          this.uid === 0 && this.flavor === 'ash'
            ? '0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)'
            : g
        return ok(`uid=${u} gid=${g} groups=${groups}\n`)
      }),
    )
    cmds.push(
      defineCommand('uname', async (args) => {
        const f = {
          s: 'Linux',
          n: this.hostname,
          r: '6.8.0-mkctl',
          v: '#1 SMP PREEMPT_DYNAMIC',
          m: 'x86_64',
          o: 'GNU/Linux',
        }
        const flags = args.join('')
        if (!flags || flags === '-s') return ok('Linux\n')
        if (flags.includes('a'))
          return ok(`${f.s} ${f.n} ${f.r} ${f.v} ${f.m} ${this.flavor === 'ash' ? 'Linux' : f.o}\n`)
        const parts: string[] = []
        for (const k of ['s', 'n', 'r', 'v', 'm', 'o'] as const) if (flags.includes(k)) parts.push(f[k])
        return ok(parts.join(' ') + '\n')
      }),
    )
    cmds.push(
      defineCommand('ps', async (args) => {
        const procs = this.processes(['ps', ...args])
        const cmdline = (a: string[]) => a.join(' ')
        if (this.flavor === 'ash')
          return ok(
            'PID   USER     TIME  COMMAND\n' +
              procs.map((p) => `${String(p.pid).padStart(5)} ${p.user.padEnd(8)} 0:00 ${cmdline(p.argv)}`).join('\n') +
              '\n',
          )
        const full = args.some((a) => /^-?[a-zA-Z]*[efA]/.test(a) || /aux/.test(a))
        if (args.some((a) => /aux/.test(a)))
          return ok(
            'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n' +
              procs
                .map(
                  (p) =>
                    `${p.user.padEnd(8)} ${String(p.pid).padStart(7)}  0.0  0.1  11404  7424 ${p.pid === 1 ? '?       ' : 'pts/0   '} ${p.pid === 1 ? 'Ss' : 'R+'}   00:00   0:00 ${cmdline(p.argv)}`,
                )
                .join('\n') +
              '\n',
          )
        if (full)
          return ok(
            'UID          PID    PPID  C STIME TTY          TIME CMD\n' +
              procs
                .map(
                  (p) =>
                    `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.pid === 1 ? 0 : 1).padStart(7)}  0 00:00 ${p.pid === 1 ? '?       ' : 'pts/0   '} 00:00:00 ${cmdline(p.argv)}`,
                )
                .join('\n') +
              '\n',
          )
        return ok(
          '    PID TTY          TIME CMD\n' +
            procs
              .map(
                (p) =>
                  `${String(p.pid).padStart(7)} ${p.pid === 1 ? '?       ' : 'pts/0   '} 00:00:00 ${(p.argv[0] ?? '').split('/').pop()}`,
              )
              .join('\n') +
            '\n',
        )
      }),
    )
    const mountLines = () => {
      const lines = [
        'overlay on / type overlay (rw,relatime,lowerdir=/var/lib/containerd/snapshots/1/fs,upperdir=/var/lib/containerd/snapshots/2/fs)',
        'proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)',
        'tmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)',
        'sysfs on /sys type sysfs (ro,nosuid,nodev,noexec,relatime)',
      ]
      for (const m of this.mounts) {
        const dev = m.kind === 'projected' || m.kind === 'secret' ? 'tmpfs' : '/dev/vda1'
        const type = dev === 'tmpfs' ? 'tmpfs' : 'ext4'
        lines.push(`${dev} on ${m.path} type ${type} (${m.readOnly ? 'ro' : 'rw'},relatime)`)
      }
      return lines
    }
    cmds.push(defineCommand('mount', async () => ok(mountLines().join('\n') + '\n')))
    cmds.push(
      defineCommand('df', async (args) => {
        const human = args.some((a) => /^-[a-zA-Z]*h/.test(a))
        const head = human
          ? 'Filesystem      Size  Used Avail Use% Mounted on'
          : 'Filesystem     1K-blocks    Used Available Use% Mounted on'
        const row = (fs: string, at: string) =>
          human
            ? `${fs.padEnd(15)}  98G   12G   82G  13% ${at}`
            : `${fs.padEnd(14)} 102687672 12411136  85017312  13% ${at}`
        const rows = [row('overlay', '/'), row('tmpfs', '/dev')]
        for (const m of this.mounts)
          rows.push(row(m.kind === 'projected' || m.kind === 'secret' ? 'tmpfs' : '/dev/vda1', m.path))
        return ok([head, ...rows].join('\n') + '\n')
      }),
    )
    for (const n of NOT_FOUND)
      cmds.push(
        defineCommand(n, async () => ({
          stdout: '',
          stderr: this.rewriteStderr(`bash: ${n}: command not found`) + '\n',
          exitCode: 127,
        })),
      )
    // The image's own executables (nginx, redis-cli, ...), run as the runtime simulates them.
    if (this.hasShell) {
      for (const name of this.programs) {
        cmds.push(
          defineCommand(name, async (args, ctx) => {
            const prog = this.instance.process?.spec.lookup(name)
            if (!prog || !this.proc) return {stdout: '', stderr: `sh: ${name}: not found\n`, exitCode: 127}
            const env = new Map<string, string>(ctx.env)
            return runProgram(prog, [name, ...args], env, this.proc, ctx.cwd, decodeBytesToUtf8(ctx.stdin))
          }),
        )
      }
    }
    cmds.push(...netCommands(this))
    return cmds
  }

  /** network is the simulated network curl and friends use. */
  get network(): SandboxNetwork | undefined {
    return this.deps.network
  }

  /** now is the cluster time. */
  now(): number {
    return this.deps.now()
  }

  /** incomplete says whether a shell input needs more lines (an open `if`, loop, quote or here-document). */
  static incomplete(text: string): boolean {
    try {
      parse(text)
      return false
    } catch (e) {
      const msg = (e as Error).message
      if (/EOF|end of file/i.test(msg)) return true
      for (const closer of ['fi', 'done', 'esac', '}', ')'])
        try {
          parse(`${text}\n:\n${closer}`)
          return true
        } catch {
          // try the next closer
        }
      return false
    }
  }
}

/** expandSubPath expands $(VAR) in a subPathExpr from the container's environment. */
function expandSubPath(expr: string, env: Map<string, string> | undefined): string {
  return expr.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_m, n: string) => env?.get(n) ?? '')
}
