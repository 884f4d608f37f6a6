// session.ts turns a lab profile's journal (audit.k8s.io/v1 events, src/daemon/journal) into the commands of a
// session: the JSON-lines records `lab grade --session` replays (src/lab/session.ts) and the journal entries
// `command` checks match. `lab export` writes them; `lab check` grades the live cluster against the very same
// list, so a live check and the grading of the export agree by construction.
//  - an mkctl command (posted by the CLI) is one record: its argv, the files it read and its stdin;
//  - the API writes of any other client (the real kubectl, a script) are grouped by kubectl's Kubectl-Session
//    header, one group per kubectl invocation, and each write becomes an mkctl command that sends the same write:
//    POST → `create -f`, PUT → `replace -f`, PATCH → `patch --type ...` (server-side apply → `apply
//    --server-side`), DELETE → `delete`. The group's first record carries the invocation's text (`kubectl scale
//    deployment/web -n shop`, from Kubectl-Command and the objects written), the others a `#` text no check
//    pattern anchored on the tool matches, so a kubectl command counts once whatever it wrote.
//  - the reads of any other client (journaled once per kubectl invocation and command: `api-read` events) become
//    records that are not replayed (`"read": true`, they change nothing) but that `command` checks see, with the text
//    `kubectl describe deployment/web -n shop`, `kubectl get pods -n shop`; an invocation that also wrote is the
//    write's record alone.
// Writes of an mkctl command that was itself recorded are not repeated; dry runs changed nothing and are left out.
import type {AuditEvent, CommandRecord, LabRecord} from './wire.js'
import {quoteArgv} from '../../lab/session.js'

/** SessionRecord is one line of an exported session (the JSON-lines format of src/lab/session.ts). */
export interface SessionRecord {
  argv: string[]
  text: string
  stdin?: string
  files?: Record<string, string>
  /** exitCode is how the command ended in the live cluster (the grader replays and sees its own). */
  exitCode: number
  /** time is when the journal recorded it. */
  time?: string
  /** late marks a command after an exam's deadline (not replayed by lab grade). */
  late?: boolean
  /** read marks a read-only kubectl invocation: lab grade does not replay it and takes exitCode as recorded. */
  read?: boolean
}

/** SessionHeader is the first line of an exported session. */
export interface SessionHeader {
  kind: 'SessionHeader'
  seed: number
  student?: string
  lab: string
  params: Record<string, string | number | boolean>
  hints: LabRecord['hints']
  /** journal tells whether the journal's hash chain held when it was exported. */
  journal: {lines: number; head: string; ok: boolean; problems: string[]}
}

const KIND = 'mkctl.dev/journal-kind'
const SESSION = 'mkctl.dev/kubectl-session'
const COMMAND = 'mkctl.dev/kubectl-command'
const CONTENT_TYPE = 'mkctl.dev/content-type'

const PATCH_TYPE: Record<string, string> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
}

/** sessionRecords lists the student's commands from the journal's events, oldest first. */
export function sessionRecords(events: AuditEvent[]): SessionRecord[] {
  const kindOf = (e: AuditEvent) => e.annotations?.[KIND]
  // Sessions whose mkctl command was recorded: their writes are replayed by replaying the command.
  const recorded = new Set<string>()
  for (const e of events) {
    const s = (e.requestObject as CommandRecord | undefined)?.session
    if (kindOf(e) === 'command' && s) recorded.add(s)
  }
  // Invocations that wrote are recorded by their writes; their reads (scale's GET before the PATCH) are not repeated.
  const wrote = new Set<string>()
  for (const e of events) {
    const s = e.annotations?.[SESSION]
    if (s && kindOf(e) === 'api-write' && e.objectRef?.resource && !/[?&]dryRun=/.test(e.requestURI) && writeRecord(e))
      wrote.add(s)
  }
  const out: SessionRecord[] = []
  let group: {session: string; count: number; index: number} | undefined
  for (const e of events) {
    if (kindOf(e) === 'command') {
      group = undefined
      out.push(commandRecord(e))
      continue
    }
    if (kindOf(e) === 'api-read') {
      const session = e.annotations?.[SESSION]
      if (session && !recorded.has(session) && !wrote.has(session) && e.objectRef?.resource) out.push(readRecord(e))
      continue
    }
    if (kindOf(e) !== 'api-write' || !e.objectRef?.resource) continue
    if (/[?&]dryRun=/.test(e.requestURI)) continue
    const session = e.annotations?.[SESSION]
    if (session && recorded.has(session)) continue
    const rec = writeRecord(e)
    if (!rec) continue
    if (session && group?.session === session) {
      group.count++
      rec.text = `# ${commandWord(e)}, request ${group.count}: ${quoteArgv(rec.argv)}`
      out.push(rec)
      // The invocation's text names every object it wrote.
      const first = out[group.index]
      first.text += ` ${target(e)}`
      continue
    }
    rec.text = `${commandWord(e)} ${target(e)}`
    group = session ? {session, count: 1, index: out.length} : undefined
    out.push(rec)
  }
  for (const r of out) r.text = tidy(r.text)
  return out
}

/** readRecord is a read-only invocation: `kubectl describe deployment/web -n shop`, not replayed. */
function readRecord(e: AuditEvent): SessionRecord {
  const r = e.objectRef!
  const words = (e.annotations?.[COMMAND] ?? `kubectl ${e.verb}`).split(' ').filter((w) => w !== '')
  const ns = r.namespace !== undefined ? ['-n', r.namespace] : []
  const what = r.name !== undefined ? `${singular(r.resource!)}/${r.name}` : r.resource!
  const code = e.responseStatus?.code ?? 200
  return {
    argv: ['kubectl', ...words.slice(1), typeWord(e), ...(r.name !== undefined ? [r.name] : []), ...ns],
    text: [...words, what, ...ns].join(' '),
    exitCode: code >= 400 ? 1 : 0,
    time: e.stageTimestamp,
    read: true,
  }
}

/** tidy folds a repeated `-n ns` of a multi-object text into one at the end. */
function tidy(text: string): string {
  if (text.startsWith('#')) return text
  const ns = [...text.matchAll(/ -n (\S+)/g)].map((m) => m[1])
  if (ns.length < 2 || new Set(ns).size !== 1) return text
  return `${text.replace(/ -n \S+/g, '')} -n ${ns[0]}`
}

function commandRecord(e: AuditEvent): SessionRecord {
  const c = e.requestObject as CommandRecord
  const rec: SessionRecord = {
    argv: c.replayArgv ?? c.argv,
    text: quoteArgv(c.argv),
    exitCode: c.exitCode,
    time: e.stageTimestamp,
  }
  if (c.stdin !== undefined) rec.stdin = c.stdin
  if (c.files && Object.keys(c.files).length > 0) rec.files = c.files
  return rec
}

/** commandWord is the invocation's command: kubectl's Kubectl-Command header, else the client's product name. */
function commandWord(e: AuditEvent): string {
  const cmd = e.annotations?.[COMMAND]
  if (cmd) return cmd
  const product = (e.userAgent ?? 'unknown').split(/[/ ]/)[0] || 'unknown'
  return `${product} ${e.verb}`
}

/** typeWord is how kubectl names the written resource: `deployments.apps`, `pods`. */
function typeWord(e: AuditEvent): string {
  const r = e.objectRef!
  return r.apiGroup ? `${r.resource}.${r.apiGroup}` : r.resource!
}

/** target is `kind/name -n ns` for the object a write touched (the kind in lower case, as kubectl prints it). */
function target(e: AuditEvent): string {
  const r = e.objectRef!
  const obj = e.requestObject as {kind?: string; metadata?: {name?: string; generateName?: string}} | undefined
  const kind = (e.verb === 'create' && !r.subresource && obj?.kind ? obj.kind : singular(r.resource!)).toLowerCase()
  const name = r.name ?? obj?.metadata?.name ?? obj?.metadata?.generateName ?? ''
  return `${kind}${name ? `/${name}` : ''}${r.namespace ? ` -n ${r.namespace}` : ''}`
}

function singular(plural: string): string {
  if (plural.endsWith('ies')) return plural.slice(0, -3) + 'y'
  if (/(ss|sh|ch|x)es$/.test(plural)) return plural.slice(0, -2)
  return plural.endsWith('s') ? plural.slice(0, -1) : plural
}

/** scrub drops what ties an object to the cluster it was written in (resourceVersion, uid, managedFields). */
function scrub(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body
  const o = structuredClone(body) as {metadata?: Record<string, unknown>}
  if (o.metadata && typeof o.metadata === 'object') {
    delete o.metadata.resourceVersion
    delete o.metadata.uid
    delete o.metadata.managedFields
    delete o.metadata.creationTimestamp
  }
  return o
}

/** writeRecord is the mkctl command that sends the same write again; undefined for writes it cannot redo. */
function writeRecord(e: AuditEvent): SessionRecord | undefined {
  const r = e.objectRef!
  const code = e.responseStatus?.code ?? 200
  const base = {text: '', exitCode: code >= 400 ? 1 : 0, time: e.stageTimestamp}
  const ns = r.namespace !== undefined ? ['-n', r.namespace] : []
  const sub = r.subresource ? [`--subresource=${r.subresource}`] : []
  const file = (body: unknown) => ({'object.json': JSON.stringify(scrub(body), null, 2) + '\n'})
  switch (e.verb) {
    case 'create':
      if (r.subresource === 'eviction') return {...base, argv: ['kubectl', 'delete', typeWord(e), r.name!, ...ns]}
      if (r.subresource || typeof e.requestObject !== 'object') return undefined
      return {...base, argv: ['kubectl', 'create', '-f', 'object.json'], files: file(e.requestObject)}
    case 'update':
      if (typeof e.requestObject !== 'object') return undefined
      return {...base, argv: ['kubectl', 'replace', '-f', 'object.json', ...sub], files: file(e.requestObject)}
    case 'patch': {
      const type = e.annotations?.[CONTENT_TYPE] ?? ''
      if (type === 'application/apply-patch+yaml') {
        const manager = /[?&]fieldManager=([^&]*)/.exec(e.requestURI)?.[1]
        const argv = ['kubectl', 'apply', '--server-side', '--force-conflicts', '-f', 'object.json', ...sub]
        if (manager) argv.push(`--field-manager=${decodeURIComponent(manager)}`)
        return {...base, argv, files: file(e.requestObject)}
      }
      const patchType = PATCH_TYPE[type]
      if (!patchType) return undefined
      const body = patchType === 'json' ? e.requestObject : scrub(e.requestObject)
      return {
        ...base,
        argv: [
          'kubectl',
          'patch',
          typeWord(e),
          r.name!,
          ...ns,
          '--type',
          patchType,
          '-p',
          JSON.stringify(body),
          ...sub,
        ],
      }
    }
    case 'delete': {
      const opts = (e.requestObject ?? {}) as {propagationPolicy?: string; gracePeriodSeconds?: number}
      const argv = ['kubectl', 'delete', typeWord(e), r.name!, ...ns]
      if (opts.propagationPolicy) argv.push(`--cascade=${opts.propagationPolicy.toLowerCase()}`)
      if (opts.gracePeriodSeconds !== undefined) argv.push(`--grace-period=${opts.gracePeriodSeconds}`)
      return {...base, argv}
    }
    case 'deletecollection': {
      const sel = /[?&]labelSelector=([^&]*)/.exec(e.requestURI)?.[1]
      const argv = [
        'kubectl',
        'delete',
        typeWord(e),
        ...ns,
        ...(sel ? ['-l', decodeURIComponent(sel.replace(/\+/g, ' '))] : ['--all']),
      ]
      return {...base, argv}
    }
  }
  return undefined
}

/** sessionText is the exported session: the header line, then one JSON line per command. */
export function sessionText(header: SessionHeader, records: SessionRecord[]): string {
  return [header, ...records].map((r) => JSON.stringify(r) + '\n').join('')
}
