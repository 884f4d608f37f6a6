// debug.ts holds DebugOptions for `mkctl debug` (kubectl/pkg/cmd/debug/debug.go and profiles.go): an ephemeral
// container added to a running pod through pods/ephemeralcontainers (a strategic merge patch), a copy of a pod with
// a debug container or changed images (--copy-to), or a pod in a node's host namespaces with the node's root at
// /host (node/NAME); then, with -i or --attach, a wait for the container to run and an attach to it.
import type {EnvVar, Pod} from 'kubernetes-types/core/v1.js'
import {readFileSync} from 'node:fs'
import {parse as parseYaml} from 'yaml'
import {notFound, StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {applyStrategicMergePatch, builtinPatchSchema} from '../../api/patch/index.js'
import type {Factory} from '../client/factory.js'
import {watch} from '../client/watch.js'
import {newBuilder} from '../resource/builder.js'
import {fetchObject} from '../resource/polymorphic.js'
import {StreamSetup} from './exec.js'
import {IMAGE_REFERENCE_RE} from './run.js'

/** PROFILES are the --profile values, in kubectl's order of its help text. */
export const PROFILES = ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin'] as const

/** LEGACY_WARNING is what Validate prints on stderr for the default profile. */
export const LEGACY_WARNING =
  '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".'

/** SUFFIX_ALPHABET is apimachinery util/rand's alphabet (no vowels, no confusable digits). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** randomSuffix is utilrand.String(n). */
export function randomSuffix(n: number, random: () => number = Math.random): string {
  let s = ''
  for (let i = 0; i < n; i++) s += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)]
  return s
}

type Style = 'ephemeral' | 'podCopy' | 'node'

/** KeepFlags are the --keep-* flags a copy's profile honours (profiles.go KeepFlags). */
export interface KeepFlags {
  labels: boolean
  annotations: boolean
  liveness: boolean
  readiness: boolean
  startup: boolean
  initContainers: boolean
}

/** visit calls fn on the container (regular, init or ephemeral) named name (podutils.VisitContainers). */
function visit(pod: any, name: string, fn: (c: any) => void, all = true): void {
  const lists = all ? ['initContainers', 'containers', 'ephemeralContainers'] : ['initContainers', 'containers']
  for (const l of lists)
    for (const c of pod.spec?.[l] ?? [])
      if (c.name === name) {
        fn(c)
        return
      }
}

function sc(c: any): any {
  return (c.securityContext ??= {})
}

function addCapability(c: any, cap: string): void {
  const caps = (sc(c).capabilities ??= {})
  caps.add = [...(caps.add ?? []), cap]
}

/** applyProfile follows profiles.go: each profile's changes for the debug style. */
export function applyProfile(profile: string, keep: KeepFlags, pod: any, name: string, style: Style): void {
  const removeForCopy = () => {
    if (!keep.labels) delete pod.metadata.labels
    if (!keep.annotations) delete pod.metadata.annotations
    for (const c of pod.spec.containers ?? []) {
      if (!keep.liveness) delete c.livenessProbe
      if (!keep.readiness) delete c.readinessProbe
      if (!keep.startup) delete c.startupProbe
    }
    if (!keep.initContainers) delete pod.spec.initContainers
  }
  const shareProcesses = () => {
    if (pod.spec.shareProcessNamespace === undefined) pod.spec.shareProcessNamespace = true
  }
  const hostNamespaces = () => {
    pod.spec.hostNetwork = true
    pod.spec.hostPID = true
    pod.spec.hostIPC = true
  }
  const mountRoot = () => {
    pod.spec.volumes = [...(pod.spec.volumes ?? []), {name: 'host-root', hostPath: {path: '/'}}]
    visit(
      pod,
      name,
      (c) => (c.volumeMounts = [...(c.volumeMounts ?? []), {name: 'host-root', mountPath: '/host'}]),
      false,
    )
  }
  const clearSC = () => visit(pod, name, (c) => delete c.securityContext)
  switch (profile) {
    case 'legacy':
      if (style === 'node') {
        mountRoot()
        hostNamespaces()
      } else if (style === 'podCopy') delete pod.metadata.labels
      return
    case 'general':
      if (style === 'node') {
        mountRoot()
        clearSC()
        hostNamespaces()
      } else if (style === 'podCopy') {
        removeForCopy()
        visit(pod, name, (c) => addCapability(c, 'SYS_PTRACE'))
        shareProcesses()
      } else visit(pod, name, (c) => addCapability(c, 'SYS_PTRACE'))
      return
    case 'baseline':
    case 'restricted':
      clearSC()
      if (profile === 'restricted')
        visit(pod, name, (c) => {
          sc(c).runAsNonRoot = true
          sc(c).capabilities = {...(sc(c).capabilities ?? {}), drop: ['ALL']}
          delete sc(c).capabilities.add
          sc(c).allowPrivilegeEscalation = false
          sc(c).seccompProfile = {type: 'RuntimeDefault'}
        })
      if (style === 'podCopy') {
        removeForCopy()
        shareProcesses()
      }
      return
    case 'netadmin':
      visit(pod, name, (c) => {
        addCapability(c, 'NET_ADMIN')
        addCapability(c, 'NET_RAW')
      })
      if (style === 'node') hostNamespaces()
      else if (style === 'podCopy') {
        removeForCopy()
        shareProcesses()
      }
      return
    case 'sysadmin':
      visit(pod, name, (c) => (sc(c).privileged = true))
      if (style === 'node') {
        hostNamespaces()
        mountRoot()
      } else if (style === 'podCopy') {
        removeForCopy()
        shareProcesses()
      }
      return
  }
}

/** gvkString is schema.GroupVersionKind.String(): "apps/v1, Kind=Deployment" ("/v1, Kind=Service" for core). */
function gvkString(obj: KubeObject): string {
  const av = String(obj.apiVersion ?? 'v1')
  return `${av.includes('/') ? av : `/${av}`}, Kind=${obj.kind}`
}

/** DebugOptions is kubectl's DebugOptions. */
export class DebugOptions extends StreamSetup {
  override commandPath = 'mkctl debug'
  /** args are the positional arguments; argsLenAtDash is how many came before `--` (-1 without one). */
  args: string[] = []
  argsLenAtDash = -1
  filenames: string[] = []
  argsOnly = false
  attach = false
  attachChanged = false
  copyTo = ''
  replace = false
  envFlags: string[] = []
  image = ''
  keep: KeepFlags = {
    labels: false,
    annotations: false,
    liveness: false,
    readiness: false,
    startup: false,
    initContainers: true,
  }
  setImages: Record<string, string> = {}
  pullPolicy = ''
  sameNode = false
  shareProcesses = true
  shareProcessesChanged = false
  target = ''
  profile = 'legacy'
  customFile = ''
  /** random draws the name suffixes (utilrand); tests may replace it. */
  random: () => number = Math.random
  private targetNames: string[] = []
  private command: string[] = []
  private env: EnvVar[] = []
  private namespace = ''
  private custom: Record<string, unknown> | undefined

  /** complete is debug.go Complete. */
  async complete(f: Factory): Promise<void> {
    this.targetNames = this.args
    if (this.argsLenAtDash >= 0 && this.args.length > this.argsLenAtDash) {
      this.targetNames = this.args.slice(0, this.argsLenAtDash)
      this.command = this.args.slice(this.argsLenAtDash)
    }
    if (!this.attachChanged && this.stdin) this.attach = true
    // --env is a StringToString flag: k=v pairs, comma separated, the last value of a key winning (map order).
    const env = new Map<string, string>()
    for (const flag of this.envFlags)
      for (const pair of flag.split(',')) {
        const i = pair.indexOf('=')
        if (i < 0)
          throw new Error(`invalid argument "${flag}" for "--env" flag: ${pair} must be formatted as key=value`)
        env.set(pair.slice(0, i), pair.slice(i + 1))
      }
    this.env = [...env].map(([name, value]) => ({name, value}))
    if (!(PROFILES as readonly string[]).includes(this.profile)) throw new Error(`unknown profile: ${this.profile}`)
    if (this.customFile) {
      let text: string
      try {
        text = readFileSync(this.customFile, 'utf8')
      } catch (e) {
        const err = e as NodeJS.ErrnoException
        throw new Error(
          `must pass a container spec json file for custom profile: open ${this.customFile}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`,
          {cause: e},
        )
      }
      try {
        this.custom = JSON.parse(text)
      } catch {
        try {
          this.custom = parseYaml(text) as Record<string, unknown>
        } catch (e) {
          throw new Error(`${this.customFile} does not contain a valid container spec: ${(e as Error).message}`, {
            cause: e,
          })
        }
      }
    }
    this.namespace = (await f.namespace()).namespace
  }

  /** validate is debug.go Validate, in its order (it prints the --target note and the legacy warning). */
  validate(): void {
    if (this.attach && this.attachChanged && !this.image && !this.container)
      throw new Error('you must specify --container or create a new container using --image in order to attach.')
    if (this.copyTo) {
      if (!this.image && Object.keys(this.setImages).length === 0 && this.command.length === 0)
        throw new Error('you must specify --image, --set-image or command arguments.')
      if (this.command.length > 0 && !this.container && !this.image)
        throw new Error('you must specify an existing container or a new image when specifying args.')
    } else if (this.replace) throw new Error('--replace may only be used with --copy-to.')
    else if (this.sameNode) throw new Error('--same-node may only be used with --copy-to.')
    else if (Object.keys(this.setImages).length > 0) throw new Error('--set-image may only be used with --copy-to.')
    else if (!this.image) throw new Error('you must specify --image when not using --copy-to.')
    if (this.image && !IMAGE_REFERENCE_RE.test(this.image))
      throw new Error(`invalid image name "${this.image}": invalid reference format`)
    if (this.targetNames.length === 0 && this.filenames.length === 0)
      throw new Error('NAME or filename is required for debug')
    if (!['Always', 'IfNotPresent', 'Never', ''].includes(this.pullPolicy))
      throw new Error(`invalid image pull policy: ${this.pullPolicy}`)
    for (const [name, image] of Object.entries(this.setImages))
      if (!IMAGE_REFERENCE_RE.test(image))
        throw new Error(`invalid image name "${image}" for container "${name}": invalid reference format`)
    if (this.target) {
      if (this.copyTo) throw new Error('--target is incompatible with --copy-to. Use --share-processes instead.')
      if (!this.quiet)
        this.io.out.write(
          `Targeting container "${this.target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`,
        )
    }
    if (this.tty && !this.stdin) throw new Error('-i/--stdin is required for containers with -t/--tty=true')
    const c = this.custom as any
    if (c && (c.name || c.command?.length || c.image || c.lifecycle || c.volumeDevices?.length))
      throw new Error('name, command, image, lifecycle and volume devices are not modifiable via custom profile')
    if (this.profile === 'legacy') this.io.errOut.write(LEGACY_WARNING + '\n')
  }

  /** run is debug.go Run: each named pod or node, then the attach. */
  async run(f: Factory): Promise<void> {
    const args = this.targetNames.map((n) => (n.includes('/') ? n : `pods/${n}`))
    const b = await newBuilder(f, this.io.in, {args, filenames: this.filenames})
    for await (const item of b.visit()) {
      if ('error' in item) throw item.error
      const info = item.info
      const obj = info.source ? info.object : await fetchObject(f, info)
      let made: {pod: Pod; container: string}
      if (obj.kind === 'Node' && !String(obj.apiVersion ?? 'v1').includes('/')) made = await this.visitNode(f, obj)
      else if (obj.kind === 'Pod' && !String(obj.apiVersion ?? 'v1').includes('/'))
        made = this.copyTo ? await this.debugByCopy(f, obj as Pod) : await this.debugByEphemeral(f, obj as Pod)
      else throw new Error(`"${gvkString(obj)}" not supported by debug`)
      if (this.attach && made.container) await this.handleAttach(f, made.pod, made.container)
    }
  }

  /** computeName is computeDebugContainerName: -c, else a free debugger-xxxxx (announced unless --quiet). */
  private computeName(pod: any): string {
    if (this.container) return this.container
    const taken = new Set<string>()
    for (const l of ['containers', 'initContainers', 'ephemeralContainers'])
      for (const c of pod.spec?.[l] ?? []) taken.add(c.name)
    let name = ''
    while (!name || taken.has(name)) name = `debugger-${randomSuffix(5, this.random)}`
    if (!this.quiet) this.io.out.write(`Defaulting debug container name to ${name}.\n`)
    return name
  }

  /** newContainer is the container kubectl builds, in Go's field order (what it marshals). */
  private newContainer(name: string, extra: Record<string, unknown> = {}): any {
    const c: any = {name, image: this.image}
    if (this.command.length > 0) c[this.argsOnly ? 'args' : 'command'] = [...this.command]
    if (this.env.length > 0) c.env = this.env
    c.resources = {}
    c.terminationMessagePolicy = 'File'
    if (this.pullPolicy) c.imagePullPolicy = this.pullPolicy
    if (this.stdin) c.stdin = true
    if (this.tty) c.tty = true
    Object.assign(c, extra)
    return c
  }

  /** applyCustom merges the --custom partial container into the named container (a strategic merge patch). */
  private applyCustom(list: any[], name: string, what: string, podName: string): void {
    if (!this.custom) return
    const i = list.findIndex((c) => c.name === name)
    if (i < 0) throw new Error(`unable to find the ${name} ${what}in the pod ${podName}`)
    const schema = builtinPatchSchema('', 'v1', 'Pod')
    const patched = applyStrategicMergePatch(
      {spec: {containers: [list[i]]}},
      {spec: {containers: [{...this.custom, name}]}},
      schema,
    ) as any
    list[i] = patched.spec.containers[0]
  }

  /** debugByEphemeral adds the debug container through pods/ephemeralcontainers (debugByEphemeralContainer). */
  private async debugByEphemeral(f: Factory, pod: Pod): Promise<{pod: Pod; container: string}> {
    const copied: any = structuredClone(pod)
    const name = this.computeName(copied)
    const ec = this.newContainer(name, this.target ? {targetContainerName: this.target} : {})
    copied.spec.ephemeralContainers = [...(copied.spec.ephemeralContainers ?? []), ec]
    applyProfile(this.profile, this.keep, copied, name, 'ephemeral')
    this.applyCustom(copied.spec.ephemeralContainers, name, 'ephemeral container ', String(pod.metadata?.name))
    const added = copied.spec.ephemeralContainers.find((c: any) => c.name === name)
    // CreateTwoWayMergePatch of the pod and its copy: the merging list carries the new (or changed) element.
    const patch: any = {spec: {ephemeralContainers: [added]}}
    const existing = (pod.spec?.ephemeralContainers ?? []).map((c) => ({name: c.name}))
    if (existing.length > 0)
      patch.spec['$setElementOrder/ephemeralContainers'] = copied.spec.ephemeralContainers.map((c: any) => ({
        name: c.name,
      }))
    const rest = await f.restClient()
    const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}/ephemeralcontainers`
    try {
      const result = await rest.patch<Pod>(path, patch, 'application/strategic-merge-patch+json')
      return {pod: result, container: name}
    } catch (e) {
      // A 404 without a name is a cluster without the subresource (debug.go's EphemeralContainers check).
      if (e instanceof StatusError && e.status.reason === 'NotFound' && !e.status.details?.name)
        throw new Error(
          `ephemeral containers are disabled for this cluster (error from server: ${JSON.stringify(e.message)})`,
          {cause: e},
        )
      throw e
    }
  }

  /** debugByCopy creates the copy (generatePodCopyWithDebugContainer), and with --replace deletes the original. */
  private async debugByCopy(f: Factory, pod: Pod): Promise<{pod: Pod; container: string}> {
    const meta: any = {name: this.copyTo, namespace: pod.metadata?.namespace}
    if (pod.metadata?.annotations) meta.annotations = structuredClone(pod.metadata.annotations)
    if (pod.metadata?.labels) meta.labels = structuredClone(pod.metadata.labels)
    const copied: any = {apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: structuredClone(pod.spec ?? {})}
    delete copied.spec.ephemeralContainers
    if (this.shareProcessesChanged) copied.spec.shareProcessNamespace = this.shareProcesses
    if (!this.sameNode) delete copied.spec.nodeName
    for (const c of copied.spec.containers ?? []) {
      const img = this.setImages[c.name] ?? this.setImages['*']
      if (img) c.image = img
    }
    let name = this.container
    const all = [...(copied.spec.containers ?? []), ...(copied.spec.initContainers ?? [])]
    let c: any = name ? all.find((x) => x.name === name) : undefined
    const rest = await f.restClient()
    const create = async (): Promise<Pod> => {
      const ns = encodeURIComponent(String(meta.namespace ?? this.namespace))
      const created = await rest.post<Pod>(`/api/v1/namespaces/${ns}/pods`, copied)
      if (this.replace)
        await rest.delete(`/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}`, {
          body: {kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0},
        })
      return created
    }
    if (!c) {
      if (!this.image) {
        if (Object.keys(this.setImages).length > 0) return {pod: await create(), container: ''}
        throw new Error('you must specify image when creating new container')
      }
      if (!name) name = this.computeName(copied)
      c = {name, terminationMessagePolicy: 'File'}
      copied.spec.containers = [...(copied.spec.containers ?? []), c]
    }
    if (this.command.length > 0) {
      if (this.argsOnly) c.args = [...this.command]
      else {
        c.command = [...this.command]
        delete c.args
      }
    }
    if (this.env.length > 0) c.env = this.env
    if (this.image) c.image = this.image
    if (this.pullPolicy) c.imagePullPolicy = this.pullPolicy
    if (this.stdin) c.stdin = true
    else delete c.stdin
    if (this.tty) c.tty = true
    else delete c.tty
    applyProfile(this.profile, this.keep, copied, c.name, 'podCopy')
    this.applyCustom(copied.spec.containers, name, 'container ', this.copyTo)
    return {pod: await create(), container: name}
  }

  /** visitNode creates the node debugging pod (generateNodeDebugPod). */
  private async visitNode(f: Factory, node: KubeObject): Promise<{pod: Pod; container: string}> {
    const cn = this.container || 'debugger'
    const nodeName = String(node.metadata?.name ?? '')
    const pn = `node-debugger-${nodeName}-${randomSuffix(5, this.random)}`
    if (!this.quiet) this.io.out.write(`Creating debugging pod ${pn} with container ${cn} on node ${nodeName}.\n`)
    const c = this.newContainer(cn)
    const p: any = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: pn},
      spec: {containers: [c], nodeName, restartPolicy: 'Never', tolerations: [{operator: 'Exists'}]},
    }
    applyProfile(this.profile, this.keep, p, cn, 'node')
    this.applyCustom(p.spec.containers, cn, 'container ', pn)
    const rest = await f.restClient()
    const created = await rest.post<Pod>(`/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`, p)
    return {pod: created, container: created.spec?.containers?.[0]?.name ?? cn}
  }

  /** handleAttach waits for the container to run (or end), then attaches; an ended one gives its log instead. */
  private async handleAttach(f: Factory, pod: Pod, container: string): Promise<void> {
    const ready = await this.waitForContainer(
      f,
      pod.metadata?.namespace ?? this.namespace,
      String(pod.metadata?.name),
      container,
    )
    const status = containerStatus(ready, container)
    this.container = container
    if (status?.state?.terminated) return this.printLogs(f, ready, container)
    try {
      if (!this.quiet) this.io.errOut.write("If you don't see a command prompt, try pressing enter.\n")
      await this.attachStream(f, ready, container)
    } catch (e) {
      this.io.errOut.write(
        `warning: couldn't attach to pod/${pod.metadata?.name}, falling back to streaming logs: ${(e as Error).message}\n`,
      )
      await this.printLogs(f, ready, container)
    }
  }

  /** waitForContainer watches the pod until the container runs or ended, warning about its waiting messages. */
  private async waitForContainer(f: Factory, ns: string, name: string, container: string): Promise<Pod> {
    const rest = await f.restClient()
    const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`
    const check = (p: Pod): boolean => {
      const s = containerStatus(p, container)
      if (!s) return false
      if (s.state?.running || s.state?.terminated) return true
      const msg = s.state?.waiting?.message
      if (!this.quiet && msg) this.io.errOut.write(`Warning: container ${container}: ${msg}\n`)
      return false
    }
    const list = await rest.get<{metadata?: {resourceVersion?: string}; items: Pod[]}>(path, {
      query: {fieldSelector: `metadata.name=${name}`},
    })
    const first = list.items[0]
    if (first && check(first)) return first
    const w = watch<Pod>(rest, path, {
      fieldSelector: `metadata.name=${name}`,
      resourceVersion: list.metadata?.resourceVersion ?? '',
    })
    for await (const e of w) {
      if (e.type === 'DELETED') throw new StatusError(notFound({group: '', plural: 'pods'}, '').status)
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') continue
      if (check(e.object)) {
        w.stop()
        return e.object
      }
    }
    throw new Error('timed out waiting for the condition')
  }

  /** printLogs is debug.go logOpts: the container's whole log. */
  private async printLogs(f: Factory, pod: Pod, container: string): Promise<void> {
    const rest = await f.restClient()
    const ns = encodeURIComponent(pod.metadata?.namespace ?? '')
    const res = await rest.raw(
      'GET',
      `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}/log`,
      {
        query: {container},
      },
    )
    if (res.status >= 200 && res.status < 300) this.io.out.write(res.body)
  }
}

/** containerStatus is getContainerStatusByName over init, regular and ephemeral statuses. */
function containerStatus(pod: Pod, name: string) {
  const st = pod.status ?? {}
  return [
    ...(st.initContainerStatuses ?? []),
    ...(st.containerStatuses ?? []),
    ...(st.ephemeralContainerStatuses ?? []),
  ].find((s) => s.name === name)
}
