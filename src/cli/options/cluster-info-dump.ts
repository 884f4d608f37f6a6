// cluster-info-dump.ts holds ClusterInfoDumpOptions for `mkctl cluster-info dump` (kubectl/pkg/cmd/clusterinfo/
// clusterinfo_dump.go): the node list, then per namespace the events, replication controllers, services, daemon
// sets, deployments, replica sets and pods, then every container's log, to stdout or to a directory tree.
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import type {KubeList, KubeObject} from '../../api/object.js'
import {StatusError} from '../../api/errors.js'
import type {Factory} from '../client/factory.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {omitManagedFields} from '../printers/json.js'
import type {Sink} from '../printers/tabwriter.js'
import {toStructJson} from '../generators/gojson.js'
import {typedOrder} from '../printers/typed-order.js'

type Pod = KubeObject & {spec?: {initContainers?: {name: string}[]; containers?: {name: string}[]}}

// the lists in the order kubectl dumps them: file name and API path below the namespace
const PER_NAMESPACE: [string, string][] = [
  ['events', '/api/v1/namespaces/NS/events'],
  ['replication-controllers', '/api/v1/namespaces/NS/replicationcontrollers'],
  ['services', '/api/v1/namespaces/NS/services'],
  ['daemonsets', '/apis/apps/v1/namespaces/NS/daemonsets'],
  ['deployments', '/apis/apps/v1/namespaces/NS/deployments'],
  ['replicasets', '/apis/apps/v1/namespaces/NS/replicasets'],
  ['pods', '/api/v1/namespaces/NS/pods'],
]

// FileSink collects what one dump file receives; files are written when the dump is done with them.
class FileSink implements Sink {
  private chunks: string[] = []
  constructor(readonly path: string) {}
  write(s: string): boolean {
    this.chunks.push(s)
    return true
  }
  close(): void {
    mkdirSync(dirname(this.path), {recursive: true, mode: 0o755})
    writeFileSync(this.path, this.chunks.join(''))
  }
}

/** ClusterInfoDumpOptions runs `cluster-info dump` (--output-directory, -A, --namespaces, -o). */
export class ClusterInfoDumpOptions {
  output = 'json'
  outputDirectory = ''
  allNamespaces = false
  namespaces: string[] = []
  showManagedFields = false
  constructor(readonly io: IOStreams) {}

  private toDir(): boolean {
    return this.outputDirectory !== '' && this.outputDirectory !== '-'
  }

  // writer is setupOutputWriter: stdout, or a file below --output-directory.
  private writer(name: string, ext: string): Sink & {close(): void} {
    if (!this.toDir()) return {write: (s: string) => this.io.out.write(s), close() {}}
    return new FileSink(join(this.outputDirectory, name) + ext)
  }

  // target is where the one printer of the dump writes now (kubectl keeps one printer for every file, so its YAML
  // separators run on across files).
  private target: Sink = {write: () => true}
  private printer?: ResourcePrinter

  // printList prints a list as kubectl prints the typed list its clientset returned (printers/typed-order.ts): Go
  // struct field order for -o json, fields Go writes even when zero, canonical quantities.
  private printList(list: KubeObject, out: Sink): void {
    this.target = out
    const typed = typedOrder(list)
    if (this.output.toLowerCase() === 'json') {
      out.write(toStructJson(this.showManagedFields ? typed : omitManagedFields(typed)) + '\n')
      return
    }
    if (this.output.toLowerCase() === 'name') {
      throw new Error(`list types are not supported by name printing: *v1.${list.kind ?? 'List'}`)
    }
    this.printer!.print(typed)
    this.printer!.flush()
  }

  async run(f: Factory): Promise<void> {
    // the printer is chosen before any request, so a bad -o fails first
    this.printer = toPrinter(
      {output: this.output, showManagedFields: this.showManagedFields},
      {write: (s: string) => this.target.write(s)},
    )
    const rest = await f.restClient()
    const ns = (await f.namespace()).namespace
    const nodes = await rest.get<KubeObject>('/api/v1/nodes')
    nodes.kind ??= 'NodeList'
    const fmt = this.output
    const ext = fmt === 'json' ? '.json' : fmt === 'yaml' ? '.yaml' : '.txt'
    const emit = (list: KubeObject, name: string) => {
      const w = this.writer(name, ext)
      this.printList(list, w)
      w.close()
    }
    emit(nodes, 'nodes')
    let namespaces: string[]
    if (this.allNamespaces) {
      const list = await rest.get<KubeList>('/api/v1/namespaces')
      namespaces = (list.items ?? []).map((n) => n.metadata?.name ?? '')
    } else namespaces = this.namespaces.length === 0 ? ['kube-system', ns] : this.namespaces
    for (const namespace of namespaces) {
      let pods: KubeList<Pod> | undefined
      for (const [name, path] of PER_NAMESPACE) {
        const list = await rest.get<KubeList<Pod>>(path.replace('NS', encodeURIComponent(namespace)))
        emit(list as unknown as KubeObject, `${namespace}/${name}`)
        if (name === 'pods') pods = list
      }
      for (const pod of pods?.items ?? []) {
        const w = this.writer(`${namespace}/${pod.metadata?.name ?? ''}/logs`, '.txt')
        for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
          await this.containerLogs(f, w, pod, c.name)
        }
        w.close()
      }
    }
    if (this.toDir()) this.io.out.write(`Cluster info dumped to ${this.outputDirectory}\n`)
  }

  private async containerLogs(f: Factory, w: Sink, pod: Pod, container: string): Promise<void> {
    const id = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`
    w.write(`==== START logs for container ${container} of pod ${id} ====\n`)
    try {
      const rest = await f.restClient()
      const res = await rest.raw(
        'GET',
        `/api/v1/namespaces/${pod.metadata?.namespace ?? ''}/pods/${pod.metadata?.name ?? ''}/log`,
        {query: {container}, accept: 'application/json, */*'},
      )
      if (res.status < 200 || res.status > 299) {
        w.write(`Request log error: ${logError(res.status, res.body)}\n`)
      } else w.write(res.body.toString('utf8'))
    } catch (e) {
      w.write(`Request log error: ${(e as Error).message}\n`)
    }
    w.write(`==== END logs for container ${container} of pod ${id} ====\n`)
  }
}

// logError words a failed log request as client-go's DoRaw error does: the Status message when there is one.
function logError(status: number, body: Buffer): string {
  try {
    const s = JSON.parse(body.toString('utf8')) as {kind?: string; message?: string}
    if (s.kind === 'Status' && s.message) return new StatusError(s as never).message
  } catch {
    // not JSON: fall through
  }
  return `the server responded with the status code ${status} but did not return more information`
}
