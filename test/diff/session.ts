// session.ts loads the differential corpus (test/diff/sessions/*.yaml, format in test/diff/README.md) and runs a
// session against a pair of twin daemons: every command goes through the real kubectl on one daemon and mkctl on
// the other, and both results are normalised so that corpus.test.ts can compare them.
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {normalize, type Twins} from '../helpers/differential.js'
import {run, type RunResult, type TestDaemon} from '../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** SESSIONS_DIR holds one YAML file per session. */
export const SESSIONS_DIR = join(import.meta.dirname, 'sessions')

/** EDITOR is the scripted editor of the edit tests (test/cli/verbs/edit-editor.mjs), usable as `$EDITOR`. */
export const EDITOR = `${process.execPath} ${fileURLToPath(new URL('../cli/verbs/edit-editor.mjs', import.meta.url))}`

/** Rule is a normalisation rule: a preset name or a regular expression replacement. */
export type Rule = string | {pattern: string; replace: string; flags?: string}

/** Step is one setup step or command of a session. */
export interface Step {
  args: string[]
  input?: string
  env?: Record<string, string>
  normalize?: Rule[]
  /** error marks an error case: kubectl must exit non-zero. */
  error?: boolean
  /** compare is what must match: everything (default) or only the exit code. */
  compare?: 'all' | 'code'
  why?: string
  /** advance moves both clocks on by this many ms (a step without args). */
  advance?: number
}

/** Session is one parsed corpus file. */
export interface Session {
  name: string
  description: string
  /** lane 'shared' runs on a twin pair shared with other sessions (own namespace); 'own' gets fresh twins. */
  lane: 'shared' | 'own'
  namespace: string
  /** nodes is the number of nodes of own twins. */
  nodes?: number
  files: Record<string, string>
  setup: Step[]
  normalize: Rule[]
  commands: Step[]
}

/** CommandResult is what both clients printed, normalised. */
export interface CommandResult {
  kubectl: RunResult
  mkctl: RunResult
}

/** splitArgs splits a command line on blanks, honouring single and double quotes (no escapes inside '...'). */
export function splitArgs(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote = ''
  let has = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = ''
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i]
      else cur += c
    } else if (c === "'" || c === '"') {
      quote = c
      has = true
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else cur += c
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`)
  if (has || cur) out.push(cur)
  return out
}

function toStep(raw: unknown, where: string): Step {
  if (typeof raw === 'string') return {args: splitArgs(raw)}
  if (Array.isArray(raw)) return {args: raw.map(String)}
  if (raw && typeof raw === 'object') {
    const o = raw as Record<string, unknown>
    const known = ['args', 'input', 'env', 'normalize', 'error', 'compare', 'why', 'advance']
    for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`${where}: unknown key ${k}`)
    const args =
      o.args === undefined ? [] : typeof o.args === 'string' ? splitArgs(o.args) : (o.args as unknown[]).map(String)
    if (o.compare === 'code' && !o.why) throw new Error(`${where}: compare: code needs a why`)
    return {...(o as Partial<Step>), args}
  }
  throw new Error(`${where}: a step is a string, a list or a mapping`)
}

/** loadSession parses one session file. */
export function loadSession(file: string): Session {
  const name = file.replace(/\.ya?ml$/, '')
  const doc = (parse(readFileSync(join(SESSIONS_DIR, file), 'utf8')) ?? {}) as Record<string, unknown>
  const known = ['description', 'lane', 'namespace', 'nodes', 'files', 'setup', 'normalize', 'commands']
  for (const k of Object.keys(doc)) if (!known.includes(k)) throw new Error(`${file}: unknown key ${k}`)
  const steps = (key: string) => ((doc[key] as unknown[]) ?? []).map((s, i) => toStep(s, `${file} ${key}[${i}]`))
  return {
    name,
    description: String(doc.description ?? name),
    lane: doc.lane === 'own' ? 'own' : 'shared',
    namespace: String(doc.namespace ?? `diff-${name}`),
    nodes: doc.nodes as number | undefined,
    files: (doc.files as Record<string, string>) ?? {},
    setup: steps('setup'),
    normalize: (doc.normalize as Rule[]) ?? [],
    commands: steps('commands'),
  }
}

/** loadCorpus parses every session file, sorted by name. */
export function loadCorpus(): Session[] {
  return readdirSync(SESSIONS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map(loadSession)
}

// PRESETS are the named normalisation rules.
const PRESETS: Record<string, (s: string) => string> = {
  // age: AGE-like cells (a client computes them from its own clock); column padding is collapsed since the cell
  // width can change with the value.
  age: (s) =>
    s
      .replace(/(?<![\w.:/-])(?:\d+[smhdy])+(?![\w.:/-])|<invalid>/g, '<AGE>')
      .replace(/(?<=\S) {2,}/g, '  ')
      .replace(/ +$/gm, ''),
  // cert: PEM certificates (each daemon makes its own CA), also inside JSON strings
  cert: (s) => s.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '<CERT>'),
  // klog: the time and pid of klog lines (`E1126 04:05:48.925000  2248 run.go:72] ...`)
  klog: (s) => s.replace(/^([EWI])\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ /gm, '$1<TIME> <PID> '),
  // diff: the temporary directories and file times of `diff -u` headers
  diff: (s) =>
    s
      .replace(/\/tmp\/(LIVE|MERGED)-\d+/g, '/tmp/$1-N')
      .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4}$/gm, '\t<TIME>'),
  // sort: output lines sorted (kubectl walks a Go map, e.g. label/annotate --list, in random order)
  sort: (s) => {
    const lines = s.split('\n')
    const last = lines.pop()
    return [...lines.sort(), last].join('\n')
  },
  // manager: managedFields managers of the setup (kubectl on both twins; only kubectl's text is renamed to mkctl)
  manager: (s) => s.replace(/(\bmanager"?:\s*"?)kubectl-/g, '$1mkctl-'),
  // time: RFC 3339 timestamps (a client stamps some itself, e.g. restartedAt, drain times).
  time: (s) => s.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, '<TIME>'),
  // suffix: the random 5-character suffix of generated names (generateName).
  suffix: (s) => s.replace(/\b([a-z0-9-]+?)-(?:[a-z0-9]{8,10}-)?[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1-<SUFFIX>'),
}

/** applyRules applies normalisation rules to a text. */
export function applyRules(text: string, rules: Rule[]): string {
  let s = text
  for (const r of rules) {
    if (typeof r === 'string') {
      const p = PRESETS[r]
      if (!p) throw new Error(`unknown normalisation preset ${r}`)
      s = p(s)
    } else s = s.replace(new RegExp(r.pattern, r.flags ?? 'g'), r.replace)
  }
  return s
}

/** Side is one client's view of a session: its daemon, kubeconfig and private file directory. */
interface Side {
  d: TestDaemon
  bin: 'kubectl' | 'mkctl'
  kubeconfig: string
  dir: string
}

function subst(s: string, side: Side): string {
  return s.replaceAll('$DIR', side.dir).replaceAll('$EDITOR', EDITOR)
}

function exec(side: Side, step: Step): Promise<RunResult> {
  const args = step.args.map((a) => subst(a, side))
  const env: Record<string, string> = {
    KUBECONFIG: side.kubeconfig,
    MKCTL_HOME: side.d.home,
    MKCTL_AUTOSTART: '0',
    KUBECACHEDIR: join(side.d.home, 'cache'),
    HOME: side.d.home,
  }
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = subst(v, side)
  const input = step.input === undefined ? undefined : subst(step.input, side)
  // kubectl gets its private discovery cache as the other twin tests give it; mkctl reads KUBECACHEDIR/MKCTL_HOME
  if (side.bin === 'kubectl') return run('kubectl', ['--cache-dir', env.KUBECACHEDIR, ...args], {input, env})
  return run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {input, env})
}

/** prepareSides writes the session's kubeconfig (context namespace = the session's) and files for both twins. */
export function prepareSides(t: Twins, s: Session, tmp: string): [Side, Side] {
  return (['kubectl', 'mkctl'] as const).map((bin) => {
    const d = bin === 'kubectl' ? t.k : t.m
    const dir = join(tmp, s.name, bin === 'kubectl' ? 'k' : 'm')
    mkdirSync(dir, {recursive: true})
    const kubeconfig = join(dir, '..', `kubeconfig-${bin}`)
    const kc = readFileSync(d.kubeconfig, 'utf8').replace('namespace: default', `namespace: ${s.namespace}`)
    writeFileSync(kubeconfig, kc, {mode: 0o600})
    for (const [f, text] of Object.entries(s.files)) writeFileSync(join(dir, f), text)
    return {d, bin, kubeconfig, dir}
  }) as [Side, Side]
}

/** runSetup prepares a session's state: its namespace, then each setup step through kubectl on both twins. */
export async function runSetup(t: Twins, sides: [Side, Side], s: Session): Promise<void> {
  const settle = () => Promise.all([t.k.settle(), t.m.settle()])
  const steps: Step[] = [{args: ['create', 'namespace', s.namespace]}, ...s.setup]
  for (const [i, step] of steps.entries()) {
    if (step.advance) {
      await t.advance(step.advance)
      continue
    }
    for (const side of sides) {
      const r = await exec({...side, bin: 'kubectl'}, step)
      if (r.code !== 0 && !(i === 0 && /AlreadyExists/.test(r.stderr)))
        throw new Error(`${s.name} setup ${step.args.join(' ')}: ${r.stderr}`)
    }
    await settle()
  }
}

/**
 * runCommand runs one command both ways at once (each side has its own twin, kubeconfig and $DIR, so the two runs
 * cannot meet), settles, and returns both results normalised.
 */
export async function runCommand(t: Twins, sides: [Side, Side], s: Session, step: Step): Promise<CommandResult> {
  if (step.advance) {
    await t.advance(step.advance)
    const ok = {stdout: '', stderr: '', code: 0}
    return {kubectl: ok, mkctl: ok}
  }
  const [kr, mr] = await Promise.all([exec(sides[0], step), exec(sides[1], step)])
  await Promise.all([t.k.settle(), t.m.settle()])
  const rules: Rule[] = ['cert', 'klog', 'manager', ...s.normalize, ...(step.normalize ?? [])]
  // paths first (the kubectl side's contain no `kubectl`, but normalize would rewrite one), then the shared rules
  const fix = (r: RunResult, side: Side): RunResult => {
    const p = (x: string) => x.replaceAll(side.dir, '$DIR').replaceAll(side.kubeconfig, '$KUBECONFIG')
    const n = normalize({stdout: p(r.stdout), stderr: p(r.stderr), code: r.code}, side.bin)
    return {stdout: applyRules(n.stdout, rules), stderr: applyRules(n.stderr, rules), code: n.code}
  }
  return {kubectl: fix(kr, sides[0]), mkctl: fix(mr, sides[1])}
}
