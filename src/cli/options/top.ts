// top.ts holds TopNodeOptions and TopPodOptions for `mkctl top node|pod` (kubectl/pkg/cmd/top/top_node.go,
// top_pod.go and kubectl/pkg/metricsutil/metrics_printer.go): check discovery for metrics.k8s.io/v1beta1, read
// NodeMetrics or PodMetrics (one by name or a list by selector), and print kubectl's CPU(cores)/MEMORY(bytes)
// table, with percentages of each node's allocatable (or capacity) for nodes.
import {parseFieldSelector} from '../../api/fields.js'
import {parseSelector} from '../../api/labels.js'
import type {KubeList, KubeObject} from '../../api/object.js'
import {Quantity} from '../../api/quantity.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {goSort} from '../describe/gosort.js'
import {UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {TabWriter} from '../printers/tabwriter.js'

const METRICS_GV = '/apis/metrics.k8s.io/v1beta1'

type Usage = Record<string, string | undefined>

interface NodeMetrics extends KubeObject {
  usage?: Usage
}

interface PodMetrics extends KubeObject {
  containers?: {name: string; usage?: Usage}[]
}

/** ResourceUsage is CPU in millicores (rounded up, Quantity.MilliValue) and memory in bytes. */
interface ResourceUsage {
  cpu: Quantity
  memory: Quantity
}

function q(v: string | undefined): Quantity {
  if (v === undefined) return Quantity.fromValue(0)
  try {
    return Quantity.parse(v)
  } catch {
    return Quantity.fromValue(0)
  }
}

function usageOf(u: Usage | undefined): ResourceUsage {
  return {cpu: q(u?.cpu), memory: q(u?.memory)}
}

function sumContainers(m: PodMetrics): ResourceUsage {
  let cpu = Quantity.fromValue(0)
  let memory = Quantity.fromValue(0)
  for (const c of m.containers ?? []) {
    cpu = cpu.add(q(c.usage?.cpu))
    memory = memory.add(q(c.usage?.memory))
  }
  return {cpu, memory}
}

/** cells prints one usage as metrics_printer.go printSingleResourceUsage does: "12m", "34Mi". */
function cells(u: ResourceUsage): [string, string] {
  return [`${u.cpu.milliValue()}m`, `${Math.trunc(u.memory.value() / (1024 * 1024))}Mi`]
}

function percent(used: Quantity, avail: Quantity | undefined): string {
  if (!avail) return ''
  const a = avail.milliValue()
  const f = a === 0 ? 0 : (used.milliValue() / a) * 100
  return `${Math.trunc(f)}%`
}

/** newTopTabWriter is printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3. */
function newTopTabWriter(out: {write(s: string): unknown}): TabWriter {
  return new TabWriter(out, 6, 4, 3, ' ', 0)
}

/** metricsAvailable is top.go SupportedMetricsAPIVersionAvailable over the server's API groups. */
async function metricsAvailable(rest: RestClient): Promise<boolean> {
  const groups = await rest.get<{groups?: {name: string; versions?: {version: string}[]}[]}>('/apis')
  return (groups.groups ?? []).some(
    (g) => g.name === 'metrics.k8s.io' && (g.versions ?? []).some((v) => v.version === 'v1beta1'),
  )
}

/** goDuration formats ms as Go's time.Duration String does ("2m3.456s", "1h0m0.001s"). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s'
  const neg = ms < 0
  let rest = Math.abs(ms)
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = rest / 1000
  const secs = Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, '')
  let out: string
  if (h) out = `${h}h${m}m${secs}s`
  else if (m) out = `${m}m${secs}s`
  else if (rest < 1000) out = `${rest}ms`
  else out = `${secs}s`
  return (neg ? '-' : '') + out
}

/** TopNodeOptions is `mkctl top node`. */
export class TopNodeOptions {
  resourceName = ''
  selector = ''
  sortBy = ''
  noHeaders = false
  showCapacity = false
  useProtocolBuffers = true
  private rest!: RestClient

  constructor(
    private readonly io: IOStreams,
    private readonly commandPath: string,
  ) {}

  /** complete takes the NAME argument and the REST client. */
  async complete(f: Factory, args: string[]): Promise<void> {
    if (args.length === 1) this.resourceName = args[0]
    else if (args.length > 1) throw new UsageError('node [NAME | -l label]', this.commandPath)
    this.rest = await f.restClient()
  }

  /** validate is TopNodeOptions.Validate. */
  validate(): void {
    if (this.sortBy && this.sortBy !== 'cpu' && this.sortBy !== 'memory')
      throw new Error('--sort-by accepts only cpu or memory')
    if (this.resourceName && this.selector) throw new Error('only one of NAME or --selector can be provided')
  }

  /** run is RunTopNode. */
  async run(): Promise<void> {
    if (this.selector) parseSelector(this.selector)
    if (!(await metricsAvailable(this.rest))) throw new Error('Metrics API not available')
    const query = this.selector ? {labelSelector: this.selector} : undefined
    let metrics: NodeMetrics[]
    if (this.resourceName) metrics = [await this.rest.get<NodeMetrics>(`${METRICS_GV}/nodes/${this.resourceName}`)]
    else metrics = (await this.rest.get<KubeList<NodeMetrics>>(`${METRICS_GV}/nodes`, {query})).items ?? []
    if (metrics.length === 0) throw new Error('metrics not available yet')
    const nodes = this.resourceName
      ? [await this.rest.get<KubeObject>(`/api/v1/nodes/${this.resourceName}`)]
      : ((await this.rest.get<KubeList<KubeObject>>('/api/v1/nodes', {query})).items ?? [])
    const available = new Map<string, Record<string, string>>()
    for (const n of nodes) {
      const st = (n as {status?: {allocatable?: Record<string, string>; capacity?: Record<string, string>}}).status
      available.set(n.metadata!.name!, (this.showCapacity ? st?.capacity : st?.allocatable) ?? {})
    }
    printNodeMetrics(this.io.out, metrics, available, this.noHeaders, this.sortBy)
  }
}

/** printNodeMetrics is TopCmdPrinter.PrintNodeMetrics. */
export function printNodeMetrics(
  out: {write(s: string): unknown},
  metrics: NodeMetrics[],
  available: Map<string, Record<string, string>>,
  noHeaders: boolean,
  sortBy: string,
): void {
  if (metrics.length === 0) return
  const w = newTopTabWriter(out)
  const rows = metrics.map((m) => ({name: m.metadata?.name ?? '', u: usageOf(m.usage)}))
  const sorted = goSort(rows, (a, b) =>
    sortBy === 'cpu'
      ? a.u.cpu.milliValue() > b.u.cpu.milliValue()
      : sortBy === 'memory'
        ? a.u.memory.value() > b.u.memory.value()
        : a.name < b.name,
  )
  if (!noHeaders) w.write('NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n')
  const left = new Map(available)
  for (const r of sorted) {
    const avail = left.get(r.name)
    const [cpu, mem] = cells(r.u)
    let line = `${r.name}\t${cpu}\t`
    if (avail && avail.cpu !== undefined) line += `${percent(r.u.cpu, q(avail.cpu))}\t`
    line += `${mem}\t`
    if (avail && avail.memory !== undefined) line += `${percent(r.u.memory, q(avail.memory))}\t`
    w.write(line + '\n')
    left.delete(r.name)
  }
  // Nodes without metrics (kubectl walks a Go map here; mkctl keeps name order).
  for (const name of [...left.keys()].sort()) w.write(`${name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`)
  w.flush()
}

/** TopPodOptions is `mkctl top pod`. */
export class TopPodOptions {
  resourceName = ''
  namespace = ''
  selector = ''
  fieldSelector = ''
  sortBy = ''
  allNamespaces = false
  printContainers = false
  noHeaders = false
  sum = false
  useProtocolBuffers = true
  /** now is the wall clock kubectl compares pod ages with (time.Since). */
  now: () => number = Date.now
  private rest!: RestClient

  constructor(
    private readonly io: IOStreams,
    private readonly commandPath: string,
  ) {}

  /** complete takes the NAME argument, the namespace and the REST client. */
  async complete(f: Factory, args: string[]): Promise<void> {
    if (args.length === 1) this.resourceName = args[0]
    else if (args.length > 1) throw new UsageError('pod [NAME | -l label]', this.commandPath)
    this.namespace = (await f.namespace()).namespace
    this.rest = await f.restClient()
  }

  /** validate is TopPodOptions.Validate. */
  validate(): void {
    if (this.sortBy && this.sortBy !== 'cpu' && this.sortBy !== 'memory')
      throw new Error('--sort-by accepts only cpu or memory')
    if (this.resourceName && (this.selector || this.fieldSelector))
      throw new Error('only one of NAME or selector can be provided')
  }

  /** run is RunTopPod. */
  async run(): Promise<void> {
    if (this.selector) parseSelector(this.selector)
    if (this.fieldSelector) parseFieldSelector(this.fieldSelector)
    if (!(await metricsAvailable(this.rest))) throw new Error('Metrics API not available')
    const base = this.allNamespaces && !this.resourceName ? METRICS_GV : `${METRICS_GV}/namespaces/${this.namespace}`
    const query: Record<string, string> = {}
    if (this.selector) query.labelSelector = this.selector
    if (this.fieldSelector) query.fieldSelector = this.fieldSelector
    let metrics: PodMetrics[]
    if (this.resourceName) {
      const nsPath = this.allNamespaces ? METRICS_GV : base
      metrics = [await this.rest.get<PodMetrics>(`${nsPath}/pods/${this.resourceName}`)]
    } else metrics = (await this.rest.get<KubeList<PodMetrics>>(`${base}/pods`, {query})).items ?? []
    if (metrics.length === 0) {
      await this.verifyEmptyMetrics(query)
      this.io.errOut.write(
        this.allNamespaces ? 'No resources found\n' : `No resources found in ${this.namespace} namespace.\n`,
      )
    }
    printPodMetrics(
      this.io.out,
      metrics,
      this.printContainers,
      this.allNamespaces,
      this.noHeaders,
      this.sortBy,
      this.sum,
    )
  }

  /** verifyEmptyMetrics explains an empty answer: pods too old to lack metrics, or "not available yet". */
  private async verifyEmptyMetrics(query: Record<string, string>): Promise<void> {
    const pods =
      (await this.rest.get<KubeList<KubeObject>>(`/api/v1/namespaces/${this.namespace}/pods`, {query})).items ?? []
    if (pods.length === 0) return
    for (const p of pods) {
      const age = this.now() - Date.parse(p.metadata?.creationTimestamp ?? '')
      if (age > 120_000)
        throw new Error(
          `Metrics not available for pod ${p.metadata?.namespace}/${p.metadata?.name}, age: ${goDuration(age)}`,
        )
    }
    throw new Error('metrics not available yet')
  }
}

/** printPodMetrics is TopCmdPrinter.PrintPodMetrics (with --containers and --sum). */
export function printPodMetrics(
  out: {write(s: string): unknown},
  metrics: PodMetrics[],
  printContainers: boolean,
  withNamespace: boolean,
  noHeaders: boolean,
  sortBy: string,
  sum: boolean,
): void {
  if (metrics.length === 0) return
  const w = newTopTabWriter(out)
  let columnWidth = 3
  if (!noHeaders) {
    let h = ''
    if (withNamespace) {
      h += 'NAMESPACE\t'
      columnWidth++
    }
    if (printContainers) {
      h += 'POD\t'
      columnWidth++
    }
    w.write(h + 'NAME\tCPU(cores)\tMEMORY(bytes)\t\n')
  }
  const rows = metrics.map((m) => ({m, total: sumContainers(m)}))
  const sorted = goSort(rows, (a, b) => {
    if (sortBy === 'cpu') return a.total.cpu.milliValue() > b.total.cpu.milliValue()
    if (sortBy === 'memory') return a.total.memory.value() > b.total.memory.value()
    const na = a.m.metadata?.namespace ?? ''
    const nb = b.m.metadata?.namespace ?? ''
    if (withNamespace && na !== nb) return na < nb
    return (a.m.metadata?.name ?? '') < (b.m.metadata?.name ?? '')
  })
  const ns = (m: PodMetrics) => (withNamespace ? `${m.metadata?.namespace ?? ''}\t` : '')
  for (const {m, total} of sorted) {
    if (printContainers) {
      const cs = goSort(
        (m.containers ?? []).map((c) => ({name: c.name, u: usageOf(c.usage)})),
        (a, b) =>
          sortBy === 'cpu'
            ? a.u.cpu.milliValue() > b.u.cpu.milliValue()
            : sortBy === 'memory'
              ? a.u.memory.value() > b.u.memory.value()
              : a.name < b.name,
      )
      for (const c of cs) {
        const [cpu, mem] = cells(c.u)
        w.write(`${ns(m)}${m.metadata?.name ?? ''}\t${c.name}\t${cpu}\t${mem}\t\n`)
      }
    } else {
      const [cpu, mem] = cells(total)
      w.write(`${ns(m)}${m.metadata?.name ?? ''}\t${cpu}\t${mem}\t\n`)
    }
  }
  if (sum) {
    let cpuQ = Quantity.fromValue(0)
    let memQ = Quantity.fromValue(0)
    for (const {total} of rows) {
      cpuQ = cpuQ.add(total.cpu)
      memQ = memQ.add(total.memory)
    }
    w.write('\t'.repeat(Math.max(0, columnWidth - 2)) + '________\t________\t\n')
    const [cpu, mem] = cells({cpu: cpuQ, memory: memQ})
    w.write('\t'.repeat(Math.max(0, columnWidth - 3)) + `\t${cpu}\t${mem}\t\n`)
  }
  w.flush()
}
