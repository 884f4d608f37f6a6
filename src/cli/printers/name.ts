// name.ts: `-o name` and the "<kind>.<group>/<name> <operation>" lines of mutating commands
// (cli-runtime pkg/printers/name.go).
import {checkKind} from './json.js'
import type {Sink} from './tabwriter.js'

/** NamePrinterOptions: the operation word ("created", "deleted", "scaled") and --short-ish output. */
export interface NamePrinterOptions {
  operation?: string
  shortOutput?: boolean
}

interface Named {
  apiVersion?: string
  kind?: string
  metadata?: {name?: string}
  items?: unknown[]
}

/** formatName returns `kind.group/name` (`deployment.apps/web`, `pod/x`) with the operation appended if any. */
export function formatName(obj: unknown, opts: NamePrinterOptions = {}): string {
  const o = (obj ?? {}) as Named
  const name = o.metadata?.name || '<unknown>'
  // GetObjectGroupKind: without a kind the group is dropped too
  const kind = o.kind || '<unknown>'
  const apiVersion = o.kind ? (o.apiVersion ?? '') : ''
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  const op = opts.operation && !opts.shortOutput ? ' ' + opts.operation : ''
  return group ? `${kind.toLowerCase()}.${group}/${name}${op}` : `${kind.toLowerCase()}/${name}${op}`
}

/** NamePrinter prints one line per object; lists print each of their items. */
export class NamePrinter {
  constructor(private readonly opts: NamePrinterOptions = {}) {}

  /** print writes the object's name line, or one per item for a list. */
  print(obj: unknown, out: Sink): void {
    const o = (obj ?? {}) as Named
    if (Array.isArray(o.items)) {
      for (const item of o.items) this.print(item, out)
      return
    }
    checkKind(obj)
    out.write(formatName(obj, this.opts) + '\n')
  }
}
