// polymorphic.ts picks the pod (and container) a command works on when the user names a workload instead of a pod:
// `logs deploy/web`, `exec svc/api -- sh`, `attach rs/x`. Follows kubectl/pkg/polymorphichelpers (helpers.go
// SelectorsForObject and GetFirstPod, logsforobject.go, attachablepodforobject.go) and the pod orderings of
// kubectl/pkg/util/podutils (ByLogging, ActivePods).
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {labelSelectorFromObject, selectorFromSet, type LabelSelector} from '../../api/labels.js'
import type {KubeList, KubeObject} from '../../api/object.js'
import {parseApiVersion} from '../../api/resources.js'
import type {RestClient} from '../client/rest.js'
import {watch} from '../client/watch.js'
import {resourcePath, type Info} from './builder.js'

/** PodClientFactory is the part of the CLI's Factory these helpers use (Factory satisfies it). */
export interface PodClientFactory {
  restClient(): Promise<RestClient>
}

/** DEFAULT_CONTAINER_ANNOTATION names the container kubectl logs/exec/attach pick when none is given (podcmd). */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container'

/** WAIT_TIMEOUT_MESSAGE is wait.ErrWaitTimeout's text, what GetFirstPod returns when no pod showed up in time. */
export const WAIT_TIMEOUT_MESSAGE = 'timed out waiting for the condition'

/** PodLess says whether pod a sorts before pod b (a Go sort.Interface Less). */
export type PodLess = (a: Pod, b: Pod) => boolean

function isZero(t: string | undefined): boolean {
  return !t
}

function ms(t: string | undefined): number {
  return t ? Date.parse(t) : 0
}

/** afterOrZero is podutils.afterOrZero: t1 after t2, a zero time being after every non-zero one. */
function afterOrZero(t1: string | undefined, t2: string | undefined): boolean {
  if (isZero(t1) || isZero(t2)) return isZero(t1)
  return ms(t1) > ms(t2)
}

/** isPodReady says whether the pod's Ready condition is True (podutils.IsPodReady). */
export function isPodReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
}

function podReadyTime(p: Pod): string | undefined {
  if (!isPodReady(p)) return undefined
  return p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime
}

function maxContainerRestarts(p: Pod): number {
  let m = 0
  for (const c of p.status?.containerStatuses ?? []) m = Math.max(m, c.restartCount ?? 0)
  return m
}

function sameTime(a: string | undefined, b: string | undefined): boolean {
  return ms(a) === ms(b)
}

/**
 * byLoggingLess is podutils.ByLogging: the best pod to read logs from first — assigned, then Running < Unknown <
 * Pending, ready, ready for longer, more restarts, older.
 */
export const byLoggingLess: PodLess = (a, b) => {
  const na = a.spec?.nodeName ?? ''
  const nb = b.spec?.nodeName ?? ''
  if (na !== nb && (na === '' || nb === '')) return na !== ''
  const rank: Record<string, number> = {Running: 0, Unknown: 1, Pending: 2}
  const pa = rank[a.status?.phase ?? ''] ?? 0
  const pb = rank[b.status?.phase ?? ''] ?? 0
  // Go's map lookup gives 0 for other phases (Succeeded, Failed), the same rank as Running.
  if (pa !== pb) return pa < pb
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a)
  if (isPodReady(a) && isPodReady(b) && !sameTime(podReadyTime(a), podReadyTime(b)))
    return afterOrZero(podReadyTime(b), podReadyTime(a))
  if (maxContainerRestarts(a) !== maxContainerRestarts(b)) return maxContainerRestarts(a) > maxContainerRestarts(b)
  const ca = a.metadata?.creationTimestamp
  const cb = b.metadata?.creationTimestamp
  if (!sameTime(ca, cb)) return afterOrZero(cb, ca)
  return false
}

/**
 * activePodsLess is podutils.ActivePods (the controller's deletion order): unassigned, Pending < Unknown < Running,
 * not ready, ready for less time, more restarts, newer.
 */
export const activePodsLess: PodLess = (a, b) => {
  const na = a.spec?.nodeName ?? ''
  const nb = b.spec?.nodeName ?? ''
  if (na !== nb && (na === '' || nb === '')) return na === ''
  const rank: Record<string, number> = {Pending: 0, Unknown: 1, Running: 2}
  const pa = rank[a.status?.phase ?? ''] ?? 0
  const pb = rank[b.status?.phase ?? ''] ?? 0
  if (pa !== pb) return pa < pb
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a)
  if (isPodReady(a) && isPodReady(b) && !sameTime(podReadyTime(a), podReadyTime(b)))
    return afterOrZero(podReadyTime(a), podReadyTime(b))
  if (maxContainerRestarts(a) !== maxContainerRestarts(b)) return maxContainerRestarts(a) > maxContainerRestarts(b)
  const ca = a.metadata?.creationTimestamp
  const cb = b.metadata?.creationTimestamp
  if (!sameTime(ca, cb)) return afterOrZero(ca, cb)
  return false
}

/** reverseLess is sort.Reverse: b before a. */
export function reverseLess(less: PodLess): PodLess {
  return (a, b) => less(b, a)
}

/**
 * sortPods sorts in place by less. Go's sort.Sort is an insertion sort for fewer than 13 elements (stable); a
 * stable sort gives the same order there and a deterministic one beyond.
 */
export function sortPods(pods: Pod[], less: PodLess): Pod[] {
  return pods.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0))
}

/** goTypeName is how Go's %T prints the typed object kubectl decoded (`*v1.ConfigMap`, `*unstructured.Unstructured`). */
export function goTypeName(obj: KubeObject): string {
  const {group, version} = parseApiVersion(obj.apiVersion ?? 'v1')
  const builtin = !group.includes('.') || group.endsWith('.k8s.io')
  return builtin && obj.kind ? `*${version}.${obj.kind}` : '*unstructured.Unstructured'
}

/**
 * selectorsForObject is polymorphichelpers.SelectorsForObject: the namespace and label selector (as a string) of the
 * pods a workload or service stands for. Throws `selector for *v1.X not implemented` for other kinds.
 */
export function selectorsForObject(obj: KubeObject): {namespace: string; selector: string} {
  const namespace = obj.metadata?.namespace ?? ''
  const spec = (obj.spec ?? {}) as {selector?: unknown}
  const {group} = parseApiVersion(obj.apiVersion ?? 'v1')
  const kind = obj.kind ?? ''
  const fromLabelSelector = (): string => {
    try {
      return labelSelectorFromObject(spec.selector as LabelSelector).toString()
    } catch (e) {
      throw new Error(`invalid label selector: ${(e as Error).message}`, {cause: e})
    }
  }
  if (group === '' && kind === 'ReplicationController')
    return {namespace, selector: selectorFromSet(spec.selector as Record<string, string>).toString()}
  if (group === '' && kind === 'Service') {
    const sel = spec.selector as Record<string, string> | undefined
    if (!sel || Object.keys(sel).length === 0)
      throw new Error(`invalid service '${obj.metadata?.name ?? ''}': Service is defined without a selector`)
    return {namespace, selector: selectorFromSet(sel).toString()}
  }
  if (
    ((group === 'apps' || group === 'extensions') &&
      ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet'].includes(kind)) ||
    (group === 'batch' && kind === 'Job')
  )
    return {namespace, selector: fromLabelSelector()}
  throw new Error(`selector for ${goTypeName(obj)} not implemented`)
}

/** podsPath is the pods collection URL of a namespace. */
function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/pods`
}

/**
 * getPods lists the pods of a selector sorted by less; with none it watches (from the list's resourceVersion) until
 * one is added or modified, up to timeoutMs (polymorphichelpers.GetFirstPod / GetPods).
 */
export async function getPods(
  rest: RestClient,
  namespace: string,
  selector: string,
  timeoutMs: number,
  less: PodLess,
): Promise<Pod[]> {
  const list = await rest.get<KubeList<Pod>>(podsPath(namespace), {query: {labelSelector: selector || undefined}})
  if (list.items.length > 0) return sortPods([...list.items], less)
  const ctl = new AbortController()
  const w = watch<Pod>(
    rest,
    podsPath(namespace),
    {labelSelector: selector || undefined, resourceVersion: list.metadata.resourceVersion},
    ctl.signal,
  )
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    if (timeoutMs > 0) timer = setTimeout(() => reject(new Error(WAIT_TIMEOUT_MESSAGE)), timeoutMs)
  })
  const first = (async () => {
    for await (const ev of w) {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') return [ev.object]
      if (ev.type === 'ERROR') throw new Error(((ev.object as KubeObject).message as string) ?? 'watch error')
    }
    // watchtools.UntilWithoutRetry: a watch the server closed
    throw new Error('watch closed before UntilWithoutRetry timeout')
  })()
  try {
    return await Promise.race([first, timeout])
  } finally {
    if (timer) clearTimeout(timer)
    w.stop()
    first.catch(() => undefined)
  }
}

/** getFirstPod is polymorphichelpers.GetFirstPod: the first pod of the selector in less order, and how many matched. */
export async function getFirstPod(
  rest: RestClient,
  namespace: string,
  selector: string,
  timeoutMs: number,
  less: PodLess,
): Promise<{pod: Pod; count: number}> {
  const pods = await getPods(rest, namespace, selector, timeoutMs, less)
  return {pod: pods[0], count: pods.length}
}

/**
 * fetchObject GETs the full object of a builder Info (builder name arguments yield stubs), as kubectl's builder does
 * for `logs deploy/x` and `exec svc/y`.
 */
export async function fetchObject(f: PodClientFactory, info: Info): Promise<KubeObject> {
  const rest = await f.restClient()
  const obj = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
  return obj
}

/**
 * attachablePodForObject is polymorphichelpers.attachablePodForObject: a pod stands for itself; for a workload or a
 * service it is the first pod of its selector in reverse ActivePods order (running, ready, longest ready, oldest),
 * waiting up to timeoutMs for one to exist. Errors: `cannot attach to *v1.ConfigMap: selector for ... not implemented`.
 */
export async function attachablePodForObject(f: PodClientFactory, obj: KubeObject, timeoutMs: number): Promise<Pod> {
  if (obj.kind === 'Pod' && parseApiVersion(obj.apiVersion ?? 'v1').group === '') return obj as Pod
  let sel: {namespace: string; selector: string}
  try {
    sel = selectorsForObject(obj)
  } catch (e) {
    throw new Error(`cannot attach to ${goTypeName(obj)}: ${(e as Error).message}`, {cause: e})
  }
  const rest = await f.restClient()
  const {pod} = await getFirstPod(rest, sel.namespace, sel.selector, timeoutMs, reverseLess(activePodsLess))
  return pod
}

/** LogTarget is one log request a logs command makes: a pod, one of its containers, and the reference's fieldPath. */
export interface LogTarget {
  pod: Pod
  container: string
  /** fieldPath is the ObjectReference fieldPath: `spec.containers{name}` (initContainers, ephemeralContainers). */
  fieldPath: string
}

/** allContainerNames is podcmd.AllContainerNames: `a, b, c` over init, regular and ephemeral containers. */
export function allContainerNames(p: Pod): string {
  const names: string[] = []
  for (const c of p.spec?.initContainers ?? []) names.push(c.name)
  for (const c of p.spec?.containers ?? []) names.push(c.name)
  for (const c of p.spec?.ephemeralContainers ?? []) names.push(c.name)
  return names.join(', ')
}

/** findContainerByName is podcmd.FindContainerByName: the container and its fieldPath, or undefined. */
export function findContainerByName(p: Pod, name: string): {container: Container; fieldPath: string} | undefined {
  for (const c of p.spec?.containers ?? [])
    if (c.name === name) return {container: c, fieldPath: `spec.containers{${name}}`}
  for (const c of p.spec?.initContainers ?? [])
    if (c.name === name) return {container: c, fieldPath: `spec.initContainers{${name}}`}
  for (const c of p.spec?.ephemeralContainers ?? [])
    if (c.name === name) return {container: c as Container, fieldPath: `spec.ephemeralContainers{${name}}`}
  return undefined
}

/** LogsForObjectOptions choose containers as kubectl's PodLogOptions.Container and --all-containers do. */
export interface LogsForObjectOptions {
  container?: string
  allContainers: boolean
  /** allPods reads every pod of a workload instead of the first (--all-pods). */
  allPods?: boolean
  timeoutMs: number
  /** errOut receives kubectl's os.Stderr notes (`Defaulted container ...`, `Found N pods, using pod/x`). */
  errOut: {write(s: string): unknown}
}

/**
 * containerForPod is the pod branch of logsForObject without --all-containers: -c, else the default-container
 * annotation, else the first container (with `Defaulted container "a" out of: a, b` when there was a choice).
 */
export function containerForPod(
  p: Pod,
  container: string | undefined,
  errOut: {write(s: string): unknown},
): {container: Container; fieldPath: string} {
  let name = container ?? ''
  const annotated = p.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION]
  if (!name && annotated) {
    if (findContainerByName(p, annotated)) name = annotated
    else errOut.write(`Default container name "${annotated}" not found in pod ${p.metadata?.name ?? ''}\n`)
  }
  if (!name) {
    name = p.spec?.containers?.[0]?.name ?? ''
    if (
      (p.spec?.containers?.length ?? 0) > 1 ||
      (p.spec?.initContainers?.length ?? 0) > 0 ||
      (p.spec?.ephemeralContainers?.length ?? 0) > 0
    )
      errOut.write(`Defaulted container "${name}" out of: ${allContainerNames(p)}\n`)
  }
  const found = findContainerByName(p, name)
  if (!found) throw new Error(`container ${name} is not valid for pod ${p.metadata?.name ?? ''}`)
  return found
}

function podTargets(p: Pod, o: LogsForObjectOptions): LogTarget[] {
  if (!o.allContainers) {
    const {container, fieldPath} = containerForPod(p, o.container, o.errOut)
    return [{pod: p, container: container.name, fieldPath}]
  }
  const out: LogTarget[] = []
  for (const c of p.spec?.initContainers ?? [])
    out.push({pod: p, container: c.name, fieldPath: `spec.initContainers{${c.name}}`})
  for (const c of p.spec?.containers ?? [])
    out.push({pod: p, container: c.name, fieldPath: `spec.containers{${c.name}}`})
  for (const c of p.spec?.ephemeralContainers ?? [])
    out.push({pod: p, container: c.name, fieldPath: `spec.ephemeralContainers{${c.name}}`})
  return out
}

/**
 * logsForObject is polymorphichelpers.logsForObject (and allPodLogsForObject with allPods): the log requests for a
 * pod, a list of pods (`-l`), or a workload/service (its first pod in ByLogging order, noting `Found N pods, using
 * pod/x` on errOut when there were several). kubectl keeps them in a Go map (random order); mkctl keeps the order of
 * the pods and of init, regular and ephemeral containers.
 */
export async function logsForObject(
  f: PodClientFactory,
  obj: KubeObject | KubeList<Pod>,
  o: LogsForObjectOptions,
): Promise<LogTarget[]> {
  if (Array.isArray((obj as KubeList<Pod>).items)) {
    const out: LogTarget[] = []
    for (const p of (obj as KubeList<Pod>).items) out.push(...podTargets(p, o))
    return out
  }
  const o1 = obj as KubeObject
  if (o1.kind === 'Pod' && parseApiVersion(o1.apiVersion ?? 'v1').group === '') return podTargets(o1 as Pod, o)
  let sel: {namespace: string; selector: string}
  try {
    sel = selectorsForObject(o1)
  } catch (e) {
    throw new Error(`cannot get the logs from ${goTypeName(o1)}: ${(e as Error).message}`, {cause: e})
  }
  const rest = await f.restClient()
  const pods = await getPods(rest, sel.namespace, sel.selector, o.timeoutMs, byLoggingLess)
  if (o.allPods) return pods.flatMap((p) => podTargets(p, o))
  if (pods.length > 1) o.errOut.write(`Found ${pods.length} pods, using pod/${pods[0].metadata?.name ?? ''}\n`)
  return podTargets(pods[0], o)
}
