// service.ts is the daemon side of a lab profile (DESIGN §7, issue 6 part 2): the lab it was started for
// (lab.json in the profile folder), the journal of everything that happened in it (journal.jsonl, hash-chained,
// its head kept in the store's daemon_state), and a read-only view of objects and revision history for live
// grading. It hears every authenticated API request through ApiServerDeps.onRequest and journals the writes, whoever
// sends them (the real kubectl included), as audit.k8s.io/v1 Events with the store revision after the request —
// the shape kube-apiserver's audit log backend writes (apiserver/pkg/audit/request.go NewEventFromRequest).
// Reads (get, list, watch) of clients other than mkctl (which records its own commands) are journaled once per
// kubectl invocation and command: the first resource request that carries a given pair of kubectl's
// Kubectl-Session and Kubectl-Command headers (kubectl/pkg/cmd/cmd.go addCmdHeaderHooks), so that `command` checks
// see `kubectl describe`, `kubectl logs` typed with the real kubectl. Reads without those headers are not journaled.
// None of it is reachable through the Kubernetes API: only /mkctl/v1/lab (lab-admin.ts) serves it.
import {randomUUID} from 'node:crypto'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Request, Response} from 'express'
import {parse as parseYaml} from 'yaml'
import {parseGoDuration} from '../../api/duration.js'
import type {KubeObject} from '../../api/object.js'
import {storageKey, storagePrefix, type ResourceInfo, type ResourceTable} from '../../api/resources.js'
import {decodeObject} from '../apiserver/body.js'
import {parsePath} from '../apiserver/request.js'
import type {Clock} from '../clock.js'
import type {Registry} from '../registry/generic.js'
import type {Store} from '../storage/store.js'
import {requestBodies} from './bodies.js'
import {JournalFile, verifyJournal, type JournalHead} from './chain.js'
import {
  ANNOTATIONS,
  AUDIT_API_VERSION,
  type AuditEvent,
  type CommandRecord,
  type JournalCheck,
  type JournalKind,
  type LabRecord,
  type ViewRef,
} from '../../api/journal.js'

/** LAB_FILE and JOURNAL_FILE are the lab's files in the profile folder. */
export const LAB_FILE = 'lab.json'
export const JOURNAL_FILE = 'journal.jsonl'

/** HEAD_STATE is the daemon_state row holding the journal's head (sequence and hash of its last line). */
const HEAD_STATE = 'lab_journal_head'

/** LabServiceDeps are what the lab service reads. */
export interface LabServiceDeps {
  /** dir is the profile folder; undefined (an in-memory daemon) keeps everything in memory. */
  dir?: string
  store: Store
  registry: Registry
  resources: () => ResourceTable
  clock: Clock
  /** wallNow is the wall clock exam deadlines are measured on (default Date.now; tests inject one). */
  wallNow?: () => number
}

/** LATE_ANNOTATION marks a journal event that happened after the lab's time limit (exam mode). */
export const LATE_ANNOTATION = 'mkctl.dev/late'

/** DEADLINE_STATE is the daemon_state row holding the store revision at an exam's deadline. */
const DEADLINE_STATE = 'lab_deadline_revision'

/** ViewAnswer is one ViewRef answered: the resolved resource, its current objects and their history. */
export interface ViewAnswer extends ViewRef {
  /** atRevision is set when the answer is the state at an exam's deadline, not the current one. */
  atRevision?: number
  resource: ResourceInfo | null
  objects: KubeObject[]
  history: {type: 'ADDED' | 'MODIFIED' | 'DELETED'; rev: number; key: string; object: KubeObject; prev?: KubeObject}[]
}

/** LabConflict is a second `lab start` on a profile that already runs a lab. */
export class LabConflict extends Error {}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const READ_METHODS = new Set(['GET', 'HEAD'])

/** READ_PAIRS_MAX bounds the remembered (session, command) pairs of journaled reads; the oldest are forgotten. */
const READ_PAIRS_MAX = 4096

const PATCH_TYPES = new Set([
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
])

/** LabService is the lab state of one daemon. */
export class LabService {
  private record: LabRecord | undefined
  private journal: JournalFile | undefined
  private deadlineTimer: NodeJS.Timeout | undefined
  /** onTimeRevision is the store revision at the last journal event before the deadline. */
  private onTimeRevision: number | undefined
  /** readPairs are the `session\ncommand` pairs whose read is already journaled (insertion order: oldest first). */
  private readonly readPairs = new Set<string>()

  constructor(private readonly deps: LabServiceDeps) {
    const f = deps.dir ? join(deps.dir, LAB_FILE) : undefined
    if (f && existsSync(f)) {
      this.record = JSON.parse(readFileSync(f, 'utf8')) as LabRecord
      this.journal = this.openJournal()
      this.armDeadline()
    }
  }

  private wallNow(): number {
    return (this.deps.wallNow ?? Date.now)()
  }

  /**
   * deadline is the wall-clock end of an exam (the lab's timeLimit after its start), or undefined. Exams run on the
   * student's wall clock, not the cluster's: `mkctl cluster time advance` moves the cluster on, not the exam.
   */
  deadline(): number | undefined {
    const rec = this.record
    if (!rec?.timeLimitMs || !rec.startedWall) return undefined
    return Date.parse(rec.startedWall) + rec.timeLimitMs
  }

  /**
   * deadlineRevision is the store revision when the exam ended: the state graded (later changes are ignored). It is
   * taken by a timer at the deadline, or at the first request after it when the daemon was not running then.
   */
  deadlineRevision(): number | undefined {
    const s = this.deps.store.getState(DEADLINE_STATE)
    return s ? Number(s) : undefined
  }

  private late(): boolean {
    const d = this.deadline()
    if (d === undefined) return false
    if (this.wallNow() < d) {
      this.onTimeRevision = this.deps.store.currentRevision()
      return false
    }
    // No timer saw the deadline (a request came first): the last revision seen on time stands for it.
    this.markDeadline(this.onTimeRevision)
    return true
  }

  private markDeadline(rev = this.deps.store.currentRevision()): void {
    if (this.deadlineRevision() === undefined) this.deps.store.setState(DEADLINE_STATE, String(rev))
  }

  private armDeadline(): void {
    const d = this.deadline()
    if (d === undefined || this.deadlineRevision() !== undefined) return
    const wait = d - this.wallNow()
    if (wait <= 0) return
    this.deadlineTimer = setTimeout(
      () => {
        if (this.wallNow() >= d) this.markDeadline()
      },
      Math.min(wait, 2 ** 31 - 1),
    )
    this.deadlineTimer.unref()
  }

  /** active tells whether this daemon runs a lab. */
  get active(): boolean {
    return this.record !== undefined
  }

  /** lab is the registered lab, if any. */
  lab(): LabRecord | undefined {
    return this.record
  }

  /** start registers the lab a profile was started for and opens its journal with a lab-started event. */
  start(rec: Omit<LabRecord, 'started' | 'hints'>): LabRecord {
    if (this.record) throw new LabConflict(`this cluster already runs lab "${this.record.name}"`)
    const now = new Date(this.deps.clock.now()).toISOString()
    this.record = {...rec, started: now, hints: []}
    const limit = timeLimitOf(rec.lab)
    if (limit !== undefined) {
      this.record.timeLimitMs = limit
      this.record.startedWall = new Date(this.wallNow()).toISOString()
    }
    this.save()
    this.armDeadline()
    this.journal = this.openJournal()
    this.append('lab-started', {
      verb: 'create',
      requestURI: '/mkctl/v1/lab',
      objectRef: {apiGroup: 'mkctl.dev', resource: 'labs', name: rec.name},
      requestObject: {name: rec.name, seed: rec.seed, student: rec.student, params: rec.params},
    })
    return this.record
  }

  /** recordCommand journals one mkctl command the CLI ran against this profile. */
  recordCommand(cmd: CommandRecord, userAgent?: string): void {
    if (!this.journal) return
    this.append('command', {
      verb: 'create',
      requestURI: '/mkctl/v1/lab/journal',
      objectRef: {apiGroup: 'mkctl.dev', resource: 'commands'},
      requestObject: cmd,
      ...(userAgent ? {userAgent} : {}),
      ...(cmd.session ? {annotations: {[ANNOTATIONS.kubectlSession]: cmd.session}} : {}),
    })
  }

  /** revealHint journals a revealed hint (once per task and index) and returns the hints used so far. */
  revealHint(task: string, index: number): LabRecord['hints'] {
    if (!this.record || !this.journal) return []
    if (!this.record.hints.some((h) => h.task === task && h.index === index)) {
      this.record.hints.push({task, index})
      this.save()
      this.append('hint', {
        verb: 'create',
        requestURI: '/mkctl/v1/lab/hints',
        objectRef: {apiGroup: 'mkctl.dev', resource: 'hints', name: `${task}/${index}`},
        requestObject: {task, index},
      })
    }
    return this.record.hints
  }

  /** read returns the journal's events and the verdict on its integrity (the file as it is on disk now). */
  read(): JournalCheck & {events: AuditEvent[]} {
    if (!this.journal) return {ok: true, lines: 0, head: '', problems: [], events: []}
    return verifyJournal(this.journal.text(), this.head())
  }

  /** onRequest is ApiServerDeps.onRequest: it journals every finished write request while a lab runs. */
  onRequest(req: Request, res: Response): void {
    if (!this.journal) return
    if (!WRITE_METHODS.has(req.method)) {
      if (READ_METHODS.has(req.method)) this.onRead(req, res)
      return
    }
    const path = new URL(req.originalUrl, 'http://x').pathname
    // The lab's own endpoints journal what they do themselves.
    if (path.startsWith('/mkctl/v1/lab')) return
    const headers = req.headers
    const annotations: Record<string, string> = {[ANNOTATIONS.revision]: String(this.deps.store.currentRevision())}
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase()
    if (type) annotations[ANNOTATIONS.contentType] = type
    if (typeof headers['kubectl-command'] === 'string')
      annotations[ANNOTATIONS.kubectlCommand] = headers['kubectl-command']
    if (typeof headers['kubectl-session'] === 'string')
      annotations[ANNOTATIONS.kubectlSession] = headers['kubectl-session']
    const parsed = parsePath(path, this.deps.resources())
    let verb = req.method.toLowerCase()
    let objectRef: AuditEvent['objectRef']
    if (parsed.kind === 'resource') {
      const i = parsed.info
      verb = {POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: i.name ? 'delete' : 'deletecollection'}[
        req.method
      ]!
      objectRef = {resource: i.resource.plural, apiGroup: i.group, apiVersion: i.version}
      if (i.namespace !== undefined) objectRef.namespace = i.namespace
      if (i.name !== undefined) objectRef.name = i.name
      if (i.subresource !== undefined) objectRef.subresource = i.subresource
    }
    const raw = requestBodies.get(req)
    const event: Partial<AuditEvent> = {
      verb,
      requestURI: req.originalUrl,
      responseStatus: {metadata: {}, code: res.statusCode},
      annotations,
      ...(objectRef ? {objectRef} : {}),
      ...(typeof headers['user-agent'] === 'string' ? {userAgent: headers['user-agent']} : {}),
    }
    if (raw && raw.length > 0) event.requestObject = decodeBody(raw, type)
    const user = res.locals.user as AuditEvent['user'] | undefined
    if (user) event.user = {username: user.username, ...(user.groups ? {groups: user.groups} : {})}
    this.append('api-write', event)
  }

  /**
   * onRead journals the first resource read of each kubectl invocation and command (Kubectl-Session and
   * Kubectl-Command): verb (get, list, watch), resource, namespace and name, as an `api-read` event. mkctl's own
   * requests are left out: the CLI records its commands itself.
   */
  private onRead(req: Request, res: Response): void {
    const headers = req.headers
    const session = headers['kubectl-session']
    const command = headers['kubectl-command']
    if (typeof session !== 'string' || typeof command !== 'string') return
    const agent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : ''
    if (agent.startsWith('mkctl/')) return
    const pair = `${session}\n${command}`
    if (this.readPairs.has(pair)) return
    const url = new URL(req.originalUrl, 'http://x')
    if (url.pathname.startsWith('/mkctl/')) return
    const parsed = parsePath(url.pathname, this.deps.resources())
    // Discovery and other non-resource paths come before the invocation's own request: wait for that one.
    if (parsed.kind !== 'resource') return
    this.readPairs.add(pair)
    if (this.readPairs.size > READ_PAIRS_MAX) this.readPairs.delete(this.readPairs.values().next().value!)
    const i = parsed.info
    const watch = url.searchParams.get('watch')
    const verb = watch === 'true' || watch === '1' ? 'watch' : i.name !== undefined ? 'get' : 'list'
    const objectRef: AuditEvent['objectRef'] = {resource: i.resource.plural, apiGroup: i.group, apiVersion: i.version}
    if (i.namespace !== undefined) objectRef.namespace = i.namespace
    if (i.name !== undefined) objectRef.name = i.name
    if (i.subresource !== undefined) objectRef.subresource = i.subresource
    const event: Partial<AuditEvent> = {
      verb,
      requestURI: req.originalUrl,
      responseStatus: {metadata: {}, code: res.statusCode},
      objectRef,
      annotations: {
        [ANNOTATIONS.revision]: String(this.deps.store.currentRevision()),
        [ANNOTATIONS.kubectlCommand]: command,
        [ANNOTATIONS.kubectlSession]: session,
      },
      ...(agent ? {userAgent: agent} : {}),
    }
    const user = res.locals.user as AuditEvent['user'] | undefined
    if (user) event.user = {username: user.username, ...(user.groups ? {groups: user.groups} : {})}
    this.append('api-read', event)
  }

  /** view answers the live grader: per reference, the resource, its objects and their history (read only). */
  view(refs: ViewRef[]): ViewAnswer[] {
    const table = this.deps.resources()
    return refs.map((ref) => {
      const r = resolveType(table, ref.type)
      if (!r) return {...ref, resource: null, objects: [], history: []}
      const ns = r.namespaced ? ref.namespace : undefined
      let objects = this.deps.registry.list(r, ns, {}).items
      const history: ViewAnswer['history'] = []
      // Store.watch tells the backlog synchronously; stopping at once keeps it a read (as src/lab daemonView).
      const stop = this.deps.store.watch(storagePrefix(r, ns), this.deps.store.compactRevision(), (e) => {
        history.push({
          type: e.type,
          rev: e.rev,
          key: e.key,
          object: e.object,
          ...(e.type === 'MODIFIED' && e.prev ? {prev: e.prev} : {}),
        })
      })
      stop()
      // After an exam's deadline the grader sees the cluster as it was then: the history up to that revision.
      const upTo = this.deadline() !== undefined && this.late() ? this.deadlineRevision() : undefined
      if (upTo !== undefined) {
        const kept = history.filter((h) => h.rev <= upTo)
        const at = new Map<string, KubeObject>()
        for (const h of kept) {
          if (h.type === 'DELETED') at.delete(h.key)
          else at.set(h.key, h.object)
        }
        // Objects older than the compacted history are kept when nothing after it touched them.
        const touched = new Set(history.map((h) => h.key))
        const before = objects.filter((o) => !touched.has(storageKeyOf(r, o)))
        objects = [...before, ...at.values()]
        return {...ref, resource: r, objects, history: kept, atRevision: upTo}
      }
      return {...ref, resource: r, objects, history}
    })
  }

  private append(kind: JournalKind, e: Partial<AuditEvent>): void {
    const now = new Date(this.deps.clock.now()).toISOString()
    const event: AuditEvent = {
      kind: 'Event',
      apiVersion: AUDIT_API_VERSION,
      level: 'Request',
      auditID: randomUUID(),
      stage: 'ResponseComplete',
      requestURI: e.requestURI ?? '',
      verb: e.verb ?? '',
      user: e.user ?? {username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated']},
      sourceIPs: ['127.0.0.1'],
      ...(e.userAgent ? {userAgent: e.userAgent} : {}),
      ...(e.objectRef ? {objectRef: e.objectRef} : {}),
      responseStatus: e.responseStatus ?? {metadata: {}, code: 200},
      ...(e.requestObject !== undefined ? {requestObject: e.requestObject} : {}),
      requestReceivedTimestamp: now,
      stageTimestamp: now,
      annotations: {[ANNOTATIONS.kind]: kind, ...e.annotations, ...(this.late() ? {[LATE_ANNOTATION]: 'true'} : {})},
    }
    this.journal!.append(event)
  }

  private openJournal(): JournalFile {
    const path = this.deps.dir ? join(this.deps.dir, JOURNAL_FILE) : undefined
    return new JournalFile(path, (h) => this.deps.store.setState(HEAD_STATE, JSON.stringify(h)))
  }

  private head(): JournalHead | undefined {
    const s = this.deps.store.getState(HEAD_STATE)
    return s ? (JSON.parse(s) as JournalHead) : undefined
  }

  private save(): void {
    if (this.deps.dir)
      writeFileSync(join(this.deps.dir, LAB_FILE), JSON.stringify(this.record, null, 2) + '\n', {mode: 0o600})
  }
}

/** decodeBody turns a request body into JSON for the journal; what cannot be decoded is kept as text. */
function decodeBody(raw: Buffer, type: string): unknown {
  try {
    if (PATCH_TYPES.has(type)) return JSON.parse(raw.toString('utf8'))
    if (type === 'application/apply-patch+yaml') return parseYaml(raw.toString('utf8'))
    return decodeObject(raw, type)
  } catch {
    return raw.toString('utf8')
  }
}

/** resolveType finds a resource by kubectl's spellings (plural, singular, kind, short name, `plural.group`). */
export function resolveType(table: ResourceTable, name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase()
  const dot = lower.indexOf('.')
  const [base, group] = dot < 0 ? [lower, undefined] : [lower.slice(0, dot), lower.slice(dot + 1)]
  return table.all.find(
    (r) =>
      !r.storageOf &&
      (group === undefined || r.group === group || r.group.startsWith(`${group}.`)) &&
      (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
  )
}

/** storageKeyOf is an object's store key. */
function storageKeyOf(r: ResourceInfo, o: KubeObject): string {
  return storageKey(r, r.namespaced ? o.metadata?.namespace : undefined, String(o.metadata?.name))
}

/** timeLimitOf reads a lab file's timeLimit (a Go duration) in ms, or undefined. */
function timeLimitOf(labText: string): number | undefined {
  try {
    const t = (parseYaml(labText) as {timeLimit?: unknown} | null)?.timeLimit
    return typeof t === 'string' ? parseGoDuration(t) : undefined
  } catch {
    return undefined
  }
}
