// wire.ts is what a lab profile's /mkctl/v1/lab endpoints send and receive, as the CLI reads it: the journal's own
// types come from src/api/journal.ts (shared with the daemon); the answers below are shaped by the endpoints.
import type {AuditEvent, ViewRef} from '../../api/journal.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'

export type {AuditEvent, CommandRecord, LabRecord, ViewRef} from '../../api/journal.js'

/** Journal is GET /mkctl/v1/lab/journal: the events and whether the hash chain holds. */
export interface Journal {
  ok: boolean
  lines: number
  head: string
  problems: string[]
  events: AuditEvent[]
}

/** ViewAnswer is one ViewRef answered. */
export interface ViewAnswer extends ViewRef {
  /** atRevision is set when the answer is the state at an exam's deadline. */
  atRevision?: number
  resource: ResourceInfo | null
  objects: KubeObject[]
  history: {type: 'ADDED' | 'MODIFIED' | 'DELETED'; rev: number; key: string; object: KubeObject; prev?: KubeObject}[]
}
