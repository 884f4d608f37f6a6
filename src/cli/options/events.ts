// events.ts holds EventsOptions for `mkctl events` (kubectl/pkg/cmd/events/events.go and event_printer.go): list
// core/v1 events of a namespace (or all, -A), optionally only those about one object (--for TYPE/NAME, a field
// selector on involvedObject) and of some types (--types), sorted by time, as a LAST SEEN/TYPE/REASON/OBJECT/MESSAGE
// table or through -o; -w watches instead and prints each event as it arrives.
import {humanDuration} from '../../api/duration.js'
import type {KubeList, KubeObject} from '../../api/object.js'
import {groupVersion} from '../../api/resources.js'
import {goSort} from '../describe/gosort.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {watch} from '../client/watch.js'
import {FlagParseError, NoResourceMatchError, RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {escapeTerminal} from '../printers/table.js'
import {TabWriter} from '../printers/tabwriter.js'

/** Event is the part of a core/v1 Event the table reads. */
interface Event extends KubeObject {
  type?: string
  reason?: string
  message?: string
  count?: number
  firstTimestamp?: string | null
  lastTimestamp?: string | null
  eventTime?: string | null
  series?: {count?: number; lastObservedTime?: string}
  involvedObject?: {kind?: string; name?: string}
}

function ms(t: string | null | undefined): number {
  return t ? Date.parse(t) : 0
}

/** eventTime is events.go eventTime: series.lastObservedTime, else lastTimestamp, else eventTime. */
export function eventTime(e: Event): number {
  if (e.series) return ms(e.series.lastObservedTime)
  if (ms(e.lastTimestamp) !== 0) return ms(e.lastTimestamp)
  return ms(e.eventTime)
}

function since(t: string | null | undefined, now: number): string {
  if (!t || ms(t) === 0) return '<unknown>'
  return humanDuration(now - ms(t))
}

/** eventInterval is event_printer.go getInterval: `5m`, or `2m (x3 over 10m)` for repeated events. */
export function eventInterval(e: Event, now: number): string {
  const first = ms(e.eventTime) !== 0 ? since(e.eventTime, now) : since(e.firstTimestamp, now)
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`
  return first
}

function escapeCell(s: string): string {
  const i = s.search(/[\f\n\r]/)
  return escapeTerminal(i >= 0 ? s.slice(0, i) + '...' : s)
}

/** EventPrinter is event_printer.go's EventPrinter: headers once, then one row per event. */
export class EventPrinter {
  private headersPrinted = false
  constructor(
    private readonly noHeaders: boolean,
    private readonly allNamespaces: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** print writes an event, or every event of a list, to w. */
  print(obj: Event | KubeList<Event>, w: TabWriter): void {
    if (!this.noHeaders && !this.headersPrinted) {
      w.write((this.allNamespaces ? 'NAMESPACE\t' : '') + 'LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n')
      this.headersPrinted = true
    }
    const items = Array.isArray((obj as KubeList<Event>).items) ? (obj as KubeList<Event>).items : [obj as Event]
    for (const e of items) {
      const now = this.now()
      const cells = [
        eventInterval(e, now),
        escapeCell(e.type ?? ''),
        escapeCell(e.reason ?? ''),
        `${escapeCell(e.involvedObject?.kind ?? '')}/${escapeCell(e.involvedObject?.name ?? '')}`,
        escapeCell((e.message ?? '').trim()),
      ]
      w.write((this.allNamespaces ? `${e.metadata?.namespace ?? ''}\t` : '') + cells.join('\t') + '\n')
    }
  }
}

/** newEventsTabWriter is printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, no flags. */
function newEventsTabWriter(out: {write(s: string): unknown}): TabWriter {
  return new TabWriter(out, 6, 4, 3, ' ', 0)
}

/** EventsOptions lists events. */
export class EventsOptions {
  allNamespaces = false
  watch = false
  noHeaders = false
  forObject = ''
  types: string[] = []
  chunkSize = '500'
  output = ''
  template?: string
  showManagedFields = false
  allowMissingTemplateKeys = true
  commandPath = 'mkctl events'

  private namespace = ''
  private forKind = ''
  private forApiVersion = ''
  private forName = ''
  private chunk = 500
  private rest?: RestClient
  private printer?: ResourcePrinter

  constructor(private readonly io: IOStreams) {}

  /** complete is EventsFlags.ToOptions: namespace, --for through the REST mapper, the printer. */
  async complete(f: Factory): Promise<void> {
    if (!/^[+-]?\d+$/.test(this.chunkSize))
      throw new FlagParseError(
        `invalid argument "${this.chunkSize}" for "--chunk-size" flag: strconv.ParseInt: parsing "${this.chunkSize}": invalid syntax`,
        this.commandPath,
      )
    this.chunk = Number(this.chunkSize)
    this.namespace = (await f.namespace()).namespace
    if (this.forObject) {
      if (!this.forObject.includes('/')) throw new Error('--for must be in resource/name form')
      const seg = this.forObject.split('/')
      if (seg.length !== 2) throw new Error('arguments in resource/name form may not have more than one slash')
      let m
      try {
        m = await (await f.mapper()).resourceFor(seg[0])
      } catch (e) {
        // restmapper's NoResourceMatchError reaches checkErr as a plain error: kubectl prints it bare
        if (e instanceof NoResourceMatchError) throw new RawError(e.message)
        throw e
      }
      this.forKind = m.kind
      this.forApiVersion = groupVersion(m.group, m.version)
      this.forName = seg[1]
    }
    this.rest = await f.restClient()
    if (this.types.length > 0) this.types = [...new Set(this.types)].sort()
    if (this.output)
      this.printer = toPrinter(
        {
          output: this.output,
          template: this.template,
          showManagedFields: this.showManagedFields,
          allowMissingTemplateKeys: this.allowMissingTemplateKeys,
        },
        this.io.out,
      )
  }

  /** validate checks --types. */
  validate(): void {
    for (const t of this.types)
      if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning')
        throw new Error('valid --types are Normal or Warning')
  }

  private wanted(type: string | undefined): boolean {
    if (this.types.length === 0) return true
    return this.types.some((t) => t.toLowerCase() === (type ?? '').toLowerCase())
  }

  private path(): string {
    return this.allNamespaces ? '/api/v1/events' : `/api/v1/namespaces/${this.namespace}/events`
  }

  private fieldSelector(): string | undefined {
    if (!this.forName) return undefined
    return `involvedObject.kind=${this.forKind},involvedObject.apiVersion=${this.forApiVersion},involvedObject.name=${this.forName}`
  }

  /** run lists (or watches) and prints. */
  async run(): Promise<void> {
    if (this.watch) return this.runWatch()
    const items: Event[] = []
    let cont: string | undefined
    do {
      const list: KubeList<Event> = await this.rest!.get(this.path(), {
        query: {
          fieldSelector: this.fieldSelector(),
          limit: this.chunk > 0 ? this.chunk : undefined,
          continue: cont,
        },
      })
      items.push(...list.items)
      cont = list.metadata?.continue || undefined
    } while (cont)
    const filtered = items
      .filter((e) => this.wanted(e.type))
      .map((e) => ({...e, kind: e.kind || 'Event', apiVersion: e.apiVersion || 'v1'}))
    if (filtered.length === 0) {
      this.io.errOut.write(
        this.allNamespaces ? 'No events found.\n' : `No events found in ${this.namespace} namespace.\n`,
      )
      return
    }
    const sorted = goSort(filtered, (a, b) => eventTime(a) < eventTime(b))
    const list = {kind: 'EventList', apiVersion: 'v1', metadata: {}, items: sorted}
    if (this.printer) {
      // kubectl's name printer prints nothing for the typed EventList it is handed (observed with 1.32)
      if (this.printer.kind === 'name') return
      this.printer.print(list)
      this.printer.flush()
      return
    }
    const w = newEventsTabWriter(this.io.out)
    new EventPrinter(this.noHeaders, this.allNamespaces).print(list, w)
    w.flush()
  }

  private async runWatch(): Promise<void> {
    const w = newEventsTabWriter(this.io.out)
    const table = new EventPrinter(this.noHeaders, this.allNamespaces)
    const q = {fieldSelector: this.fieldSelector(), limit: this.chunk > 0 ? this.chunk : undefined}
    for await (const ev of watch<Event>(this.rest!, this.path(), q)) {
      if (ev.type === 'DELETED' || ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue
      if (!this.wanted(ev.object.type)) continue
      const e = {...ev.object, kind: ev.object.kind || 'Event', apiVersion: ev.object.apiVersion || 'v1'}
      if (this.printer) {
        this.printer.print(e)
        this.printer.flush()
      } else {
        table.print(e, w)
        w.flush()
      }
    }
  }
}
