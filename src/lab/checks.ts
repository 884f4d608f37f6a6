// checks.ts evaluates one check (already rendered with the student's parameters) and says, in one line a student
// can act on, why it failed. Checks read the cluster through ClusterView and the session's journal; `ready`
// lets virtual time pass through CheckEnv.advance instead of sleeping; `script` runs a command line in-process.
import {parseJsonPath} from '../api/jsonpath.js'
import type {KubeObject} from '../api/object.js'
import {parseGoDuration} from '../api/duration.js'
import type {ResourceInfo} from '../api/resources.js'
import {matchesSelector, type ClusterView, type HistoryEvent} from './cluster-view.js'
import {judge, resolveProbe, type HttpProbe} from './reachable.js'
import {tokenize} from './session.js'
import {render} from './template.js'
import {
  checkKind,
  type Bounds,
  type CheckSpec,
  type CommandCheck,
  type ExistsCheck,
  type FieldCheck,
  type HistoryCheck,
  type CheckKind,
  type ParamValues,
  type ReachableCheck,
  type ReadyCheck,
  type ResourceRef,
  type ScriptCheck,
} from './types.js'

/** JournalEntry is one command of the session as the checks see it. */
export interface JournalEntry {
  text: string
  exitCode: number
}

/** CheckEnv is everything a check may consult. */
export interface CheckEnv {
  view: ClusterView
  journal: JournalEntry[]
  /** run runs a command line (argv without the tool word) in-process and settles. */
  run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}>
  /** now is the virtual time; advance lets ms of it pass (0: just settle); nextTimerAt is the next timer due. */
  now(): number
  advance(ms: number): Promise<void>
  nextTimerAt(): number | undefined
  /** http sends `reachable` checks' requests into the cluster (reachable.ts); without it they are unsupported. */
  http?: HttpProbe
  /** skip names check kinds this environment cannot run, with the reason (they are reported as skipped). */
  skip?: Partial<Record<CheckKind, string>>
}

/** CheckOutcome is a check's verdict. */
export interface CheckOutcome {
  passed: boolean
  /** message says what was found: why it failed, or what passed. */
  message: string
  /** actual is the value found, for custom messages (`{{ .actual }}`). */
  actual?: string
  /** unsupported marks checks this version of mkctl cannot run yet (they fail). */
  unsupported?: boolean
  /** skipped marks checks the environment cannot run (CheckEnv.skip): they count neither way. */
  skipped?: boolean
}

const DEFAULT_READY_TIMEOUT_MS = 5 * 60_000
const DEFAULT_REACHABLE_TIMEOUT_MS = 60_000

/** describeCheck is a short, stable label of a check for reports (its `name`, else made from its fields). */
export function describeCheck(c: CheckSpec): string {
  if (c.name) return c.name
  const kind = checkKind(c)
  const b = c[kind] as unknown as Record<string, unknown>
  const ref = (r: Record<string, unknown>) => {
    let s = String(r.resource)
    if (r.name !== undefined) s += `/${String(r.name)}`
    if (r.selector !== undefined) s += ` -l ${String(r.selector)}`
    if (r.namespace !== undefined) s += ` -n ${String(r.namespace)}`
    return s
  }
  switch (kind) {
    case 'exists':
    case 'absent':
    case 'ready':
      return `${kind} ${ref(b)}`
    case 'field':
    case 'history': {
      const parts = [kind, ref(b)]
      if (b.jsonpath !== undefined) parts.push(String(b.jsonpath))
      for (const k of [
        'equals',
        'matches',
        'contains',
        'gte',
        'lte',
        'count',
        'from',
        'to',
        'recreated',
        'edited',
        'deleted',
      ]) {
        if (b[k] !== undefined) parts.push(`${k}=${JSON.stringify(b[k])}`)
      }
      return parts.join(' ')
    }
    case 'command':
      return `command /${String(b.matches)}/`
    case 'script':
      return `script ${String(b.run)}`
    case 'reachable': {
      const ing = b.ingress as string | {host?: string; path?: string} | undefined
      const via =
        b.service !== undefined
          ? `service/${String(b.service)}${b.port !== undefined ? `:${String(b.port)}` : ''}`
          : ing !== undefined
            ? typeof ing === 'string'
              ? `ingress/${ing}`
              : `ingress ${ing.host ?? ''}${ing.path ?? ''}`
            : `nodePort ${String(b.nodePort)}`
      const path = b.path !== undefined ? String(b.path) : ''
      return `reachable ${via}${path}${b.namespace !== undefined ? ` -n ${String(b.namespace)}` : ''} status=${String(b.status ?? 200)}`
    }
  }
}

/** runCheck evaluates a rendered check; a custom `message` replaces the failure text. */
export async function runCheck(c: CheckSpec, env: CheckEnv, params: ParamValues = {}): Promise<CheckOutcome> {
  let out: CheckOutcome
  try {
    out = await evaluate(c, env)
  } catch (e) {
    out = {passed: false, message: `check failed to run: ${(e as Error).message}`}
  }
  if (!out.passed && c.message && !out.unsupported && !out.skipped) {
    out = {...out, message: render(c.message, {...params, actual: out.actual ?? ''})}
  }
  return out
}

function evaluate(c: CheckSpec, env: CheckEnv): Promise<CheckOutcome> | CheckOutcome {
  const kind = checkKind(c)
  const skip = env.skip?.[kind]
  if (skip !== undefined) return {passed: false, skipped: true, message: `skipped: ${skip}`}
  switch (kind) {
    case 'exists':
      return exists(c.exists!, env, true)
    case 'absent':
      return exists(c.absent!, env, false)
    case 'field':
      return field(c.field!, env)
    case 'ready':
      return ready(c.ready!, env)
    case 'command':
      return command(c.command!, env)
    case 'history':
      return history(c.history!, env)
    case 'script':
      return script(c.script!, env)
    case 'reachable':
      return reachable(c.reachable!, env)
  }
}

// ---- selection ----

interface Target {
  r: ResourceInfo
  kindWord: string
  namespace?: string
  name?: string
  selector?: string
}

class CheckError extends Error {}

function target(ref: ResourceRef, view: ClusterView): Target {
  const slash = ref.resource.indexOf('/')
  const type = slash < 0 ? ref.resource : ref.resource.slice(0, slash)
  const name = slash < 0 ? ref.name : ref.resource.slice(slash + 1)
  const r = view.resolve(type)
  if (!r) throw new CheckError(`unknown resource type "${type}"`)
  const namespace = r.namespaced ? (ref.namespace ?? 'default') : undefined
  return {r, kindWord: r.kind.toLowerCase(), namespace, name, selector: ref.selector}
}

/** where renders ` in namespace "x"` for namespaced targets. */
const where = (t: Target) => (t.namespace ? ` in namespace "${t.namespace}"` : '')

function what(t: Target): string {
  if (t.name !== undefined) return `${t.kindWord} "${t.name}"`
  return t.selector ? `${t.r.plural} matching ${t.selector}` : t.r.plural
}

function select(t: Target, view: ClusterView): KubeObject[] {
  if (t.name !== undefined) {
    const o = view.get(t.r, t.namespace, t.name)
    return o ? [o] : []
  }
  return view.list(t.r, t.namespace, t.selector)
}

function bounds(v: number | Bounds | undefined, dflt: Bounds): Bounds {
  if (v === undefined) return dflt
  return typeof v === 'number' ? {min: v, max: v} : v
}

function boundsText(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined)
    return b.min === b.max ? `exactly ${b.min}` : `between ${b.min} and ${b.max}`
  if (b.min !== undefined) return `at least ${b.min}`
  return `at most ${b.max}`
}

const within = (n: number, b: Bounds) => (b.min === undefined || n >= b.min) && (b.max === undefined || n <= b.max)

// ---- exists / absent ----

function exists(c: ExistsCheck, env: CheckEnv, want: boolean): CheckOutcome {
  const t = target(c, env.view)
  const found = select(t, env.view)
  if (t.name !== undefined && c.count === undefined) {
    const ok = found.length > 0 === want
    const msg = found.length > 0 ? `${what(t)} exists${where(t)}` : `${what(t)} not found${where(t)}`
    return {passed: ok, message: ok || want ? msg : `${what(t)} still exists${where(t)}`, actual: String(found.length)}
  }
  const b = bounds(c.count, want ? {min: 1} : {max: 0})
  const ok = within(found.length, want ? b : {max: 0})
  const n = found.length
  const message = ok
    ? `found ${n} ${t.selector ? `${t.r.plural} matching ${t.selector}` : t.r.plural}${where(t)}`
    : `found ${n} ${t.selector ? `${t.r.plural} matching ${t.selector}` : t.r.plural}${where(t)}, want ${want ? boundsText(b) : 'none'}`
  return {passed: ok, message, actual: String(n)}
}

// ---- field ----

/** FRIENDLY phrases well-known fields the way a person would say them. */
const FRIENDLY: Partial<Record<string, (actual: string, want: string) => string>> = {
  '{.spec.replicas}': (a, w) => `has ${a} replicas, want ${w}`,
}

function field(c: FieldCheck, env: CheckEnv): CheckOutcome {
  const t = target(c, env.view)
  let data: unknown
  if (t.name !== undefined) {
    const o = env.view.get(t.r, t.namespace, t.name)
    if (!o) return {passed: false, message: `${what(t)} not found${where(t)}`}
    data = o
  } else {
    data = {apiVersion: 'v1', kind: 'List', items: env.view.list(t.r, t.namespace, t.selector)}
  }
  const jp = parseJsonPath(c.jsonpath, {allowMissingKeys: true})
  const results = jp.findResults(data).flat()
  const actual = jp.execute(data)
  const subject = `${what(t)}${where(t)}`
  const fail = (want: string): CheckOutcome => {
    const friendly = FRIENDLY[c.jsonpath.replace(/\s+/g, '')]
    const message =
      friendly && c.equals !== undefined && want === `"${String(c.equals)}"`
        ? `${subject} ${friendly(actual === '' ? '<none>' : actual, String(c.equals))}`
        : `${subject}: ${c.jsonpath} is ${actual === '' ? '<none>' : JSON.stringify(actual)}, want ${want}`
    return {passed: false, message, actual}
  }
  if (c.count !== undefined) {
    const b = bounds(c.count, {})
    if (!within(results.length, b)) {
      return {
        passed: false,
        message: `${subject}: ${c.jsonpath} has ${results.length} values, want ${boundsText(b)}`,
        actual,
      }
    }
  }
  if (c.equals !== undefined && actual !== String(c.equals)) return fail(JSON.stringify(String(c.equals)))
  if (c.matches !== undefined && !new RegExp(c.matches).test(actual)) return fail(`a match for /${c.matches}/`)
  if (c.contains !== undefined && !actual.includes(c.contains))
    return fail(`it to contain ${JSON.stringify(c.contains)}`)
  for (const [op, bound] of [
    ['gte', c.gte],
    ['lte', c.lte],
  ] as const) {
    if (bound === undefined) continue
    const n = parseQuantityish(actual)
    const want = Number(bound)
    if (n === undefined || (op === 'gte' ? n < want : n > want)) return fail(`${op === 'gte' ? '>=' : '<='} ${want}`)
  }
  return {passed: true, message: `${subject}: ${c.jsonpath} is ${JSON.stringify(actual)}`, actual}
}

function parseQuantityish(s: string): number | undefined {
  const n = Number(s.trim())
  return s.trim() !== '' && Number.isFinite(n) ? n : undefined
}

// ---- ready ----

/** readiness says whether one object is ready, and if not, why (kubectl rollout status wording). */
export function readiness(o: KubeObject): {ready: boolean; why: string} {
  const kind = o.kind ?? ''
  const spec = (o as any).spec ?? {}
  const st = (o as any).status ?? {}
  const gen = o.metadata?.generation ?? 0
  const cond = (type: string) => (st.conditions ?? []).find((c: any) => c.type === type)
  const name = `${kind.toLowerCase()} "${o.metadata?.name}"`
  switch (kind) {
    case 'Deployment': {
      const want = spec.replicas ?? 1
      if ((st.observedGeneration ?? 0) < gen)
        return {ready: false, why: `${name} is not rolled out: its new spec is not observed yet`}
      const updated = st.updatedReplicas ?? 0
      const total = st.replicas ?? 0
      const available = st.availableReplicas ?? 0
      if (updated < want)
        return {ready: false, why: `${name} is not rolled out: ${updated} of ${want} updated replicas are available`}
      if (total > updated)
        return {ready: false, why: `${name} is not rolled out: ${total - updated} old replicas are pending termination`}
      if (available < updated)
        return {
          ready: false,
          why: `${name} is not rolled out: ${available} of ${updated} updated replicas are available`,
        }
      return {ready: true, why: `${name} is rolled out (${available}/${want} available)`}
    }
    case 'StatefulSet': {
      const want = spec.replicas ?? 1
      const readyN = st.readyReplicas ?? 0
      if (
        (st.observedGeneration ?? 0) < gen ||
        readyN < want ||
        (st.updateRevision && st.currentRevision !== st.updateRevision && (st.updatedReplicas ?? 0) < want)
      ) {
        return {ready: false, why: `${name} is not rolled out: ${readyN} of ${want} replicas are ready`}
      }
      return {ready: true, why: `${name} is rolled out (${readyN}/${want} ready)`}
    }
    case 'DaemonSet': {
      const want = st.desiredNumberScheduled ?? 0
      const updated = st.updatedNumberScheduled ?? 0
      const avail = st.numberAvailable ?? 0
      if ((st.observedGeneration ?? 0) < gen || updated < want || avail < want) {
        return {ready: false, why: `${name} is not rolled out: ${avail} of ${want} pods are available`}
      }
      return {ready: true, why: `${name} is rolled out (${avail}/${want} available)`}
    }
    case 'ReplicaSet':
    case 'ReplicationController': {
      const want = spec.replicas ?? 1
      const readyN = st.readyReplicas ?? 0
      return readyN >= want
        ? {ready: true, why: `${name} has ${readyN}/${want} ready replicas`}
        : {ready: false, why: `${name} has ${readyN} of ${want} replicas ready`}
    }
    case 'Pod': {
      const c = cond('Ready')
      if (c?.status === 'True') return {ready: true, why: `${name} is Ready`}
      const waiting = (st.containerStatuses ?? [])
        .map((s: any) => s.state?.waiting?.reason ?? s.state?.terminated?.reason)
        .find(Boolean)
      return {ready: false, why: `${name} is not Ready (${st.phase ?? 'Pending'}${waiting ? `: ${waiting}` : ''})`}
    }
    case 'Job': {
      if (cond('Complete')?.status === 'True') return {ready: true, why: `${name} is Complete`}
      if (cond('Failed')?.status === 'True')
        return {ready: false, why: `${name} failed: ${cond('Failed').reason ?? ''}`.trim()}
      return {
        ready: false,
        why: `${name} is not Complete (${st.succeeded ?? 0} of ${spec.completions ?? 1} completions)`,
      }
    }
    case 'Node': {
      return cond('Ready')?.status === 'True'
        ? {ready: true, why: `${name} is Ready`}
        : {ready: false, why: `${name} is not Ready`}
    }
    case 'PersistentVolumeClaim':
      return st.phase === 'Bound'
        ? {ready: true, why: `${name} is Bound`}
        : {ready: false, why: `${name} is ${st.phase ?? 'Pending'}, not Bound`}
    default:
      return {ready: false, why: `ready does not know what ready means for a ${kind}`}
  }
}

async function ready(c: ReadyCheck, env: CheckEnv): Promise<CheckOutcome> {
  const t = target(c, env.view)
  const timeout = c.timeout ? parseGoDuration(c.timeout) : DEFAULT_READY_TIMEOUT_MS
  const deadline = env.now() + timeout
  for (;;) {
    const objs = select(t, env.view)
    let verdict: CheckOutcome
    if (objs.length === 0) verdict = {passed: false, message: `${what(t)} not found${where(t)}`}
    else {
      const notReady = objs.map(readiness).find((r) => !r.ready)
      verdict = notReady
        ? {passed: false, message: notReady.why}
        : {
            passed: true,
            message: objs.length === 1 ? readiness(objs[0]).why : `${objs.length} ${what(t)} are ready${where(t)}`,
          }
    }
    if (verdict.passed) return verdict
    // Let virtual time pass to the next timer (an image pull, a probe, a back-off), as long as the timeout allows.
    const next = env.nextTimerAt()
    if (next === undefined || next > deadline) {
      return {...verdict, message: `${verdict.message}${timeout > 0 ? ` after ${c.timeout ?? '5m'}` : ''}`}
    }
    await env.advance(Math.max(0, next - env.now()))
  }
}

// ---- reachable ----

async function reachable(c: ReachableCheck, env: CheckEnv): Promise<CheckOutcome> {
  // Without a probe (the live `lab check` of a profile, for now) the check cannot be sent.
  if (!env.http)
    return {
      passed: false,
      unsupported: true,
      message: 'reachable checks are not supported yet (mkctl has no service proxy yet)',
    }
  const timeout = c.timeout ? parseGoDuration(c.timeout) : DEFAULT_REACHABLE_TIMEOUT_MS
  const deadline = env.now() + timeout
  for (;;) {
    // Resolved each time: the Service or Ingress may appear while virtual time passes.
    const req = resolveProbe(c, env.view)
    const verdict = 'error' in req ? {passed: false, message: req.error} : judge(c, req, await env.http(req))
    if (verdict.passed) return verdict
    // As `ready`: let virtual time pass to the next timer (a pull, a probe) while the timeout allows.
    const next = env.nextTimerAt()
    if (next === undefined || next > deadline) return verdict
    await env.advance(Math.max(0, next - env.now()))
  }
}

// ---- command ----

function command(c: CommandCheck, env: CheckEnv): CheckOutcome {
  const re = new RegExp(c.matches)
  const hits = env.journal.filter((j) => re.test(j.text) && (!c.successful || j.exitCode === 0))
  const b: Bounds = {min: c.min ?? (c.max === undefined ? 1 : undefined), max: c.max}
  const n = hits.length
  const which = c.successful ? 'successful commands' : 'commands'
  if (within(n, b)) return {passed: true, message: `${n} ${which} matched /${c.matches}/`, actual: String(n)}
  const message =
    n === 0
      ? `no ${c.successful ? 'successful ' : ''}command matched /${c.matches}/ (want ${boundsText(b)})`
      : `${n} ${which} matched /${c.matches}/, want ${boundsText(b)}${b.max !== undefined && n > b.max ? `: ${hits[0].text}` : ''}`
  return {passed: false, message, actual: String(n)}
}

// ---- history ----

/** editedIn says whether a change altered what a user edits: generation (spec), labels, data, or a pod's spec. */
function edits(e: HistoryEvent): boolean {
  if (e.type !== 'MODIFIED' || !e.prev) return false
  const a = e.prev as any
  const b = e.object as any
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null)
  if ((a.metadata?.generation ?? 0) !== (b.metadata?.generation ?? 0)) return true
  if (!same(a.metadata?.labels, b.metadata?.labels)) return true
  for (const k of ['data', 'stringData', 'binaryData', 'rules', 'subjects', 'roleRef'])
    if (!same(a[k], b[k])) return true
  return a.metadata?.generation === undefined && !same(a.spec, b.spec)
}

function history(c: HistoryCheck, env: CheckEnv): CheckOutcome {
  const t = target(c, env.view)
  let events = env.view.history(t.r, t.namespace, t.name)
  if (t.selector)
    events = events.filter((e) => matchesSelector(e.object, t.selector!) || matchesSelector(e.prev, t.selector!))
  const subject = `${what(t)}${where(t)}`
  if (events.length === 0) return {passed: false, message: `${subject} never existed`}
  if (c.deleted !== undefined) {
    const n = events.filter((e) => e.type === 'DELETED').length
    const b = bounds(c.deleted, {})
    if (!within(n, b))
      return {
        passed: false,
        message: `${n} ${t.name !== undefined ? `deletions of ${subject}` : `${subject} were deleted`}, want ${boundsText(b)}`,
        actual: String(n),
      }
  }
  if (c.recreated !== undefined) {
    const lifetimes = events.filter((e) => e.type === 'ADDED').length
    const recreated = lifetimes > 1
    if (recreated !== c.recreated) {
      return {
        passed: false,
        message: c.recreated
          ? `${subject} was never deleted and created again`
          : `${subject} was deleted and created again (${lifetimes} lifetimes); change it in place instead`,
        actual: String(lifetimes),
      }
    }
  }
  if (c.edited !== undefined) {
    // The current lifetime: the changes after the last creation.
    const lastAdd = events.map((e) => e.type).lastIndexOf('ADDED')
    const edited = events.slice(Math.max(0, lastAdd)).some(edits)
    if (edited !== c.edited) {
      return {
        passed: false,
        message: c.edited
          ? `${subject} was never changed after it was created`
          : `${subject} was changed after it was created`,
      }
    }
  }
  if (c.jsonpath !== undefined) {
    const jp = parseJsonPath(c.jsonpath, {allowMissingKeys: true})
    // The sequence of distinct values over time, per object (the DELETED event repeats the last state).
    const seq: string[] = []
    for (const e of events) {
      if (e.type === 'DELETED') continue
      const v = jp.execute(e.object)
      if (seq[seq.length - 1] !== v) seq.push(v)
    }
    const from = c.from === undefined ? undefined : String(c.from)
    const to = c.to === undefined ? undefined : String(c.to)
    let ok = false
    for (let i = 0; i < seq.length; i++) {
      if (from !== undefined && seq[i] !== from) continue
      if (to === undefined) ok = i + 1 < seq.length
      else if (from === undefined) ok = i > 0 && seq[i] === to
      else ok = seq[i + 1] === to
      if (ok) break
    }
    if (!ok) {
      const want = [
        from !== undefined ? `from ${JSON.stringify(from)}` : '',
        to !== undefined ? `to ${JSON.stringify(to)}` : '',
      ]
        .filter(Boolean)
        .join(' ')
      const seen = seq.map((s) => JSON.stringify(s)).join(' -> ')
      return {
        passed: false,
        message: `${subject}: ${c.jsonpath} never changed ${want} (it went ${seen || 'nowhere'})`,
        actual: seq[seq.length - 1],
      }
    }
  }
  return {passed: true, message: `${subject}: history as wanted`}
}

// ---- script ----

async function script(c: ScriptCheck, env: CheckEnv): Promise<CheckOutcome> {
  const tok = tokenize(c.run)
  if (tok.error) return {passed: false, message: `script ${JSON.stringify(c.run)}: ${tok.error}`}
  const res = await env.run(tok.words.slice(1))
  const want = c.exitCode ?? 0
  const output = res.stdout + res.stderr
  if (res.code !== want) {
    const first = (res.stderr || res.stdout).split('\n').find((l) => l.trim() !== '') ?? ''
    return {
      passed: false,
      message: `${c.run} exited ${res.code}, want ${want}${first ? `: ${first}` : ''}`,
      actual: String(res.code),
    }
  }
  if (c.outputMatches !== undefined && !new RegExp(c.outputMatches, 'm').test(output)) {
    return {passed: false, message: `${c.run}: output does not match /${c.outputMatches}/`, actual: output.trim()}
  }
  return {passed: true, message: `${c.run} exited ${res.code}`, actual: String(res.code)}
}

export {CheckError}
