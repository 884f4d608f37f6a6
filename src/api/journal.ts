// journal.ts describes what the lab journal records (DESIGN §7, issue 6 part 2): audit.k8s.io/v1 Event objects (the
// shape of k8s.io/apiserver/pkg/apis/audit/v1 types.go Event), one per API write of any client, one per mkctl
// command of the student (posted by the CLI), and one per lab event (lab started, hint revealed). The CLI reads
// them back through /mkctl/v1/lab/journal. Shared by the daemon (src/daemon/journal) and the CLI (src/cli/lab).

/** AUDIT_API_VERSION is the apiVersion of every journal event. */
export const AUDIT_API_VERSION = 'audit.k8s.io/v1'

/** ObjectReference is audit.k8s.io/v1 ObjectReference: what a request was about. */
export interface ObjectReference {
  resource?: string
  namespace?: string
  name?: string
  apiGroup?: string
  apiVersion?: string
  subresource?: string
}

/** AuditEvent is one audit.k8s.io/v1 Event, as kube-apiserver's log backend writes it. */
export interface AuditEvent {
  kind: 'Event'
  apiVersion: typeof AUDIT_API_VERSION
  level: 'Metadata' | 'Request' | 'RequestResponse'
  auditID: string
  stage: 'ResponseComplete'
  requestURI: string
  /** verb is the Kubernetes verb (create, update, patch, delete, deletecollection) or the HTTP method in lower case. */
  verb: string
  user: {username: string; groups?: string[]}
  sourceIPs?: string[]
  userAgent?: string
  objectRef?: ObjectReference
  responseStatus?: {metadata: Record<string, never>; code: number}
  /** requestObject is the decoded request body (the object created or replaced, the patch, the DeleteOptions). */
  requestObject?: unknown
  requestReceivedTimestamp: string
  stageTimestamp: string
  /** annotations carry mkctl's extras under mkctl.dev/ (see ANNOTATIONS). */
  annotations?: Record<string, string>
}

/** ANNOTATIONS are the annotation keys mkctl puts on journal events. */
export const ANNOTATIONS = {
  /** kind: "api-write", "command" (an mkctl command line), "lab-started", "hint". */
  kind: 'mkctl.dev/journal-kind',
  /** revision is the store revision after the request. */
  revision: 'mkctl.dev/revision',
  /** contentType is the request's Content-Type (a patch's type). */
  contentType: 'mkctl.dev/content-type',
  /** kubectlCommand and kubectlSession are kubectl's Kubectl-Command / Kubectl-Session request headers. */
  kubectlCommand: 'mkctl.dev/kubectl-command',
  kubectlSession: 'mkctl.dev/kubectl-session',
} as const

/** JournalKind is the mkctl.dev/journal-kind of an event. */
export type JournalKind = 'api-write' | 'api-read' | 'command' | 'lab-started' | 'hint'

/** CommandRecord is what the CLI posts after each mkctl command run against a lab profile. */
export interface CommandRecord {
  /** argv is the command as typed, `mkctl` first. */
  argv: string[]
  /** replayArgv, when present, is argv with directories of -f expanded to their files. */
  replayArgv?: string[]
  /** files are the contents of the files the command read, by the path it named. */
  files?: Record<string, string>
  stdin?: string
  exitCode: number
  /** start and end are wall-clock RFC 3339 times. */
  start: string
  end: string
  /** session is the command's Kubectl-Session header value (ties the API writes it made to it). */
  session?: string
}

/** LabRecord is the lab a profile was started for: what `lab start` registered. */
export interface LabRecord {
  /** lab is the lab file's contents. */
  lab: string
  /** file is the lab file's path when started; dir resolves its setup files. */
  file: string
  dir: string
  name: string
  seed: number
  student?: string
  params: Record<string, string | number | boolean>
  /** started is the wall-clock RFC 3339 time of the start. */
  started: string
  /** timeLimitMs and startedWall are set in exam mode (the lab's timeLimit): the deadline is their sum. */
  timeLimitMs?: number
  startedWall?: string
  /** hints lists the revealed hints, in order. */
  hints: {task: string; index: number}[]
}

/** JournalLine is one line of the journal file: the event, chained to the line before by hashes. */
export interface JournalLine {
  seq: number
  /** prev is the sha256 (hex) of the previous line's text; 64 zeros for the first line. */
  prev: string
  /** hash is sha256(`${seq}\n${prev}\n${JSON.stringify(event)}`), hex. */
  hash: string
  event: AuditEvent
}

/** JournalCheck is the verdict on a journal's integrity. */
export interface JournalCheck {
  ok: boolean
  /** lines is how many lines were read. */
  lines: number
  /** head is the hash of the last line. */
  head: string
  /** problems say where the chain breaks, one line each. */
  problems: string[]
}

/** ViewRef asks the lab view for the objects and history of one resource type in one namespace. */
export interface ViewRef {
  type: string
  namespace?: string
}
