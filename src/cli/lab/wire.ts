// wire.ts is the CLI's copy of what a lab profile's /mkctl/v1/lab endpoints send and receive (their source of truth
// is src/daemon/journal/types.ts; the CLI never imports the daemon, eslint keeps it so). Journal events are
// audit.k8s.io/v1 Events (k8s.io/apiserver/pkg/apis/audit/v1 types.go).
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'

/** AuditEvent is one audit.k8s.io/v1 Event of the journal. */
export interface AuditEvent {
  kind: 'Event'
  apiVersion: 'audit.k8s.io/v1'
  level: 'Metadata' | 'Request' | 'RequestResponse'
  auditID: string
  stage: 'ResponseComplete'
  requestURI: string
  verb: string
  user: {username: string; groups?: string[]}
  sourceIPs?: string[]
  userAgent?: string
  objectRef?: {
    resource?: string
    namespace?: string
    name?: string
    apiGroup?: string
    apiVersion?: string
    subresource?: string
  }
  responseStatus?: {metadata: Record<string, never>; code: number}
  requestObject?: unknown
  requestReceivedTimestamp: string
  stageTimestamp: string
  annotations?: Record<string, string>
}

/** CommandRecord is what the CLI posts to /mkctl/v1/lab/journal after each mkctl command. */
export interface CommandRecord {
  argv: string[]
  replayArgv?: string[]
  files?: Record<string, string>
  stdin?: string
  exitCode: number
  start: string
  end: string
  session?: string
}

/** LabRecord is the lab a profile runs (GET /mkctl/v1/lab). */
export interface LabRecord {
  lab: string
  file: string
  dir: string
  name: string
  seed: number
  student?: string
  params: Record<string, string | number | boolean>
  started: string
  hints: {task: string; index: number}[]
}

/** Journal is GET /mkctl/v1/lab/journal: the events and whether the hash chain holds. */
export interface Journal {
  ok: boolean
  lines: number
  head: string
  problems: string[]
  events: AuditEvent[]
}

/** ViewRef asks POST /mkctl/v1/lab/view for one resource type in one namespace. */
export interface ViewRef {
  type: string
  namespace?: string
}

/** ViewAnswer is one ViewRef answered. */
export interface ViewAnswer extends ViewRef {
  resource: ResourceInfo | null
  objects: KubeObject[]
  history: {type: 'ADDED' | 'MODIFIED' | 'DELETED'; rev: number; key: string; object: KubeObject; prev?: KubeObject}[]
}
