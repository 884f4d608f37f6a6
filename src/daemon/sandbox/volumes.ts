// volumes.ts: the contents of a pod's volumes as the sandbox mounts them. Projected kinds (configMap, secret,
// downwardAPI, projected) are written the way the kubelet's atomic writer does (pkg/volume/util/atomic_writer.go):
// the files live in a timestamped `..YYYY_MM_DD_hh_mm_ss.N` directory, `..data` points at it, and each top-level
// name is a symlink through `..data`, so an update swaps `..data` and readers see it after a short delay (the next
// exec here) — but a subPath mount is a copy made once, as in a real cluster. emptyDir is one in-memory tree per pod
// shared by its containers; hostPath is per node and path; a PVC's data is kept per bound volume, so it outlives
// the pod. Everything is in daemon memory: nothing is a host file.
import type {
  ConfigMap,
  Container,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Volume,
  VolumeProjection,
} from 'kubernetes-types/core/v1.js'
import {InMemoryFs} from 'just-bash'
import {fieldRefValue, resourceFieldValue} from '../kubelet/env.js'
import {normalize} from './fs.js'

/** VolumeSources are the cluster objects volumes read (the kubelet's view of the API). */
export interface VolumeSources {
  configMap(namespace: string, name: string): ConfigMap | undefined
  secret(namespace: string, name: string): Secret | undefined
  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined
  /** allocatable is the node's allocatable resources (resourceFieldRef limits that are not set). */
  allocatable(node: string): Record<string, string>
  /** now is the cluster time in ms (the atomic writer's directory names). */
  now(): number
}

/** ProjectedFile is one file of a projected volume: content and permission bits. */
export interface ProjectedFile {
  content: string | Uint8Array
  mode: number
}

/** DEFAULT_MODE is a projected volume's default file mode (0644). */
export const DEFAULT_MODE = 0o644

function decode(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'))
}

/** keyFiles projects a ConfigMap's or Secret's keys (all, or the listed items) into files. */
function keyFiles(
  out: Map<string, ProjectedFile>,
  data: Record<string, string | Uint8Array>,
  items: {key: string; path: string; mode?: number}[] | undefined,
  defaultMode: number,
): void {
  if (items && items.length > 0) {
    for (const it of items) {
      const v = data[it.key]
      if (v !== undefined) out.set(normalize(it.path).slice(1), {content: v, mode: it.mode ?? defaultMode})
    }
    return
  }
  for (const [k, v] of Object.entries(data)) out.set(k, {content: v, mode: defaultMode})
}

function configMapData(cm: ConfigMap | undefined): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {...(cm?.data ?? {})}
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) out[k] = decode(v)
  return out
}

function secretData(s: Secret | undefined): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {}
  for (const [k, v] of Object.entries(s?.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8')
  for (const [k, v] of Object.entries((s as {stringData?: Record<string, string>} | undefined)?.stringData ?? {}))
    out[k] = v
  return out
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url')
}

/** serviceAccountToken is a (fake, unsigned-looking) bound token with the claims a real one carries. */
export function serviceAccountToken(pod: Pod, audience: string | undefined, now: number, expSeconds: number): string {
  const ns = pod.metadata?.namespace ?? 'default'
  const sa = pod.spec?.serviceAccountName ?? 'default'
  const iat = Math.floor(now / 1000)
  const header = {alg: 'RS256', kid: 'mkctl'}
  const claims = {
    aud: [audience ?? 'https://kubernetes.default.svc.cluster.local'],
    exp: iat + expSeconds,
    iat,
    iss: 'https://kubernetes.default.svc.cluster.local',
    'kubernetes.io': {
      namespace: ns,
      pod: {name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? ''},
      serviceaccount: {name: sa, uid: ''},
    },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  }
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${b64url('mkctl-simulated-signature')}`
}

function downwardFiles(
  out: Map<string, ProjectedFile>,
  pod: Pod,
  items: NonNullable<NonNullable<Volume['downwardAPI']>['items']>,
  defaultMode: number,
  allocatable: Record<string, string>,
): void {
  for (const it of items) {
    let value: string | undefined
    if (it.fieldRef) {
      const r = fieldRefValue(pod, it.fieldRef.fieldPath)
      if ('value' in r) value = r.value
    } else if (it.resourceFieldRef) {
      const c =
        [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
          (x) => x.name === it.resourceFieldRef!.containerName,
        ) ?? pod.spec?.containers?.[0]
      if (c) {
        const r = resourceFieldValue(
          c as Container,
          it.resourceFieldRef.resource,
          it.resourceFieldRef.divisor as string | undefined,
          allocatable,
        )
        if ('value' in r) value = r.value
      }
    }
    if (value !== undefined) out.set(normalize(it.path).slice(1), {content: value, mode: it.mode ?? defaultMode})
  }
}

/**
 * projectedFiles computes the files of a configMap, secret, downwardAPI or projected volume (relative paths), or
 * undefined for other kinds.
 */
export function projectedFiles(pod: Pod, vol: Volume, src: VolumeSources): Map<string, ProjectedFile> | undefined {
  const ns = pod.metadata?.namespace ?? 'default'
  const node = pod.spec?.nodeName ?? ''
  const out = new Map<string, ProjectedFile>()
  if (vol.configMap) {
    const cm = src.configMap(ns, vol.configMap.name ?? '')
    keyFiles(out, configMapData(cm), vol.configMap.items, vol.configMap.defaultMode ?? DEFAULT_MODE)
    return out
  }
  if (vol.secret) {
    const s = src.secret(ns, vol.secret.secretName ?? '')
    keyFiles(out, secretData(s), vol.secret.items, vol.secret.defaultMode ?? DEFAULT_MODE)
    return out
  }
  if (vol.downwardAPI) {
    downwardFiles(
      out,
      pod,
      vol.downwardAPI.items ?? [],
      vol.downwardAPI.defaultMode ?? DEFAULT_MODE,
      src.allocatable(node),
    )
    return out
  }
  if (vol.projected) {
    const mode = vol.projected.defaultMode ?? DEFAULT_MODE
    for (const p of vol.projected.sources ?? []) projectSource(out, pod, p, mode, src)
    return out
  }
  return undefined
}

function projectSource(
  out: Map<string, ProjectedFile>,
  pod: Pod,
  p: VolumeProjection,
  mode: number,
  src: VolumeSources,
): void {
  const ns = pod.metadata?.namespace ?? 'default'
  if (p.configMap) keyFiles(out, configMapData(src.configMap(ns, p.configMap.name ?? '')), p.configMap.items, mode)
  else if (p.secret) keyFiles(out, secretData(src.secret(ns, p.secret.name ?? '')), p.secret.items, mode)
  else if (p.downwardAPI)
    downwardFiles(out, pod, p.downwardAPI.items ?? [], mode, src.allocatable(pod.spec?.nodeName ?? ''))
  else if (p.serviceAccountToken) {
    const t = p.serviceAccountToken
    // The kubelet refreshes the token long before it expires; a token minted at the pod's start is close enough.
    const start = Date.parse(pod.status?.startTime ?? '') || src.now()
    out.set(normalize(t.path).slice(1), {
      content: serviceAccountToken(pod, t.audience, start, t.expirationSeconds ?? 3607),
      mode,
    })
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** atomicDirName is the atomic writer's timestamped directory name, `..2006_01_02_15_04_05.<nanos>`. */
export function atomicDirName(now: number): string {
  const d = new Date(now)
  const nanos = String((now % 1000) * 1_000_000 + 1)
  return `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.${nanos}`
}

function fingerprint(files: Map<string, ProjectedFile>): string {
  const parts: string[] = []
  for (const [k, f] of [...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    parts.push(
      `${k}\u0000${f.mode}\u0000${typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('base64')}`,
    )
  return parts.join('\u0001')
}

/**
 * writeAtomic replaces the contents of fs with files in the atomic writer's layout: the data under `..data`, each
 * top-level name a symlink `name -> ..data/name`. (The kubelet puts the data in a timestamped directory that
 * `..data` links to; InMemoryFs does not follow a link through another link, so `..data` is the directory here.)
 */
export async function writeAtomic(fs: InMemoryFs, files: Map<string, ProjectedFile>, now: number): Promise<void> {
  void now
  for (const name of await fs.readdir('/').catch(() => [] as string[]))
    await fs.rm(`/${name}`, {recursive: true, force: true})
  await fs.mkdir('/..data', {recursive: true})
  for (const [rel, f] of files) fs.writeFileSync(`/..data/${rel}`, f.content, undefined, {mode: f.mode})
  for (const t of new Set([...files.keys()].map((k) => k.split('/')[0]!))) await fs.symlink(`..data/${t}`, `/${t}`)
}

/** KUBELET_SYNC_MS is how often the kubelet brings projected volumes (configMap, secret, ...) up to date. */
export const KUBELET_SYNC_MS = 60_000

/** MountedVolume is a volume's file system and, for projected kinds, how to bring it up to date. */
export interface MountedVolume {
  fs: InMemoryFs
  /** refresh rewrites a projected volume when its sources changed (the kubelet's periodic sync). */
  refresh?: () => Promise<void>
  /** kind names the volume type for `mount` output (configMap, emptyDir, ...). */
  kind: string
}

/** VolumeStore keeps volume contents: per pod (emptyDir, projected), per node path (hostPath), per claim (PVC). */
export class VolumeStore {
  private readonly perPod = new Map<string, Map<string, MountedVolume>>()
  private readonly hostPaths = new Map<string, InMemoryFs>()
  private readonly claims = new Map<string, InMemoryFs>()

  constructor(private readonly src: VolumeSources) {}

  /** volume returns the mounted volume of a pod, creating it on first use; undefined for unsupported kinds. */
  async volume(pod: Pod, vol: Volume): Promise<MountedVolume | undefined> {
    const uid = pod.metadata?.uid ?? ''
    let vols = this.perPod.get(uid)
    if (!vols) this.perPod.set(uid, (vols = new Map()))
    const have = vols.get(vol.name)
    if (have) {
      await have.refresh?.()
      return have
    }
    const made = await this.make(pod, vol)
    if (made) vols.set(vol.name, made)
    return made
  }

  private async make(pod: Pod, vol: Volume): Promise<MountedVolume | undefined> {
    if (vol.configMap || vol.secret || vol.downwardAPI || vol.projected) {
      const fs = new InMemoryFs()
      let stamp = ''
      let syncedAt = this.src.now()
      // The kubelet rewrites projected volumes on its periodic pod sync (--sync-frequency, 1m), so a ConfigMap edit
      // reaches the file a minute later at most, as on a real node; environment variables never change.
      const refresh = async (now = this.src.now()) => {
        if (stamp !== '' && now - syncedAt < KUBELET_SYNC_MS) return
        syncedAt = now
        const files = projectedFiles(pod, vol, this.src)!
        const fp = fingerprint(files)
        if (fp === stamp) return
        stamp = fp
        await writeAtomic(fs, files, this.src.now())
      }
      await refresh()
      const kind = vol.configMap ? 'configMap' : vol.secret ? 'secret' : vol.downwardAPI ? 'downwardAPI' : 'projected'
      return {fs, refresh, kind}
    }
    if (vol.emptyDir) return {fs: new InMemoryFs(), kind: 'emptyDir'}
    if (vol.hostPath) {
      const key = `${pod.spec?.nodeName ?? ''}\u0000${normalize(vol.hostPath.path)}`
      let fs = this.hostPaths.get(key)
      if (!fs) this.hostPaths.set(key, (fs = new InMemoryFs()))
      return {fs, kind: 'hostPath'}
    }
    if (vol.persistentVolumeClaim) {
      const ns = pod.metadata?.namespace ?? 'default'
      const pvc = this.src.pvc(ns, vol.persistentVolumeClaim.claimName)
      // The data belongs to the bound PersistentVolume; an unbound claim keeps its own until it binds.
      const key = pvc?.spec?.volumeName
        ? `pv:${pvc.spec.volumeName}`
        : `pvc:${pvc?.metadata?.uid ?? `${ns}/${vol.persistentVolumeClaim.claimName}`}`
      let fs = this.claims.get(key)
      if (!fs) this.claims.set(key, (fs = new InMemoryFs()))
      return {fs, kind: 'persistentVolumeClaim'}
    }
    // Ephemeral volumes and other plugins: an empty writable directory stands in.
    return {fs: new InMemoryFs(), kind: 'other'}
  }

  /** forgetPod drops a deleted pod's per-pod volumes (emptyDir data dies with the pod). */
  forgetPod(uid: string): void {
    this.perPod.delete(uid)
  }

  /** podUids lists the pods with volumes held. */
  podUids(): string[] {
    return [...this.perPod.keys()]
  }

  /** save snapshots the data that outlives pods (claims and hostPaths), for the daemon's store. */
  async save(): Promise<SavedVolumes> {
    const dump = async (m: Map<string, InMemoryFs>) => {
      const out: Record<string, SavedEntry[]> = {}
      for (const [key, fs] of m) {
        const entries: SavedEntry[] = []
        for (const path of fs.getAllPaths().sort()) {
          if (path === '/') continue
          const st = await fs.lstat(path)
          if (st.isSymbolicLink) entries.push({path, link: await fs.readlink(path)})
          else if (st.isDirectory) entries.push({path, dir: true, mode: st.mode})
          else entries.push({path, data: Buffer.from(await fs.readFileBuffer(path)).toString('base64'), mode: st.mode})
        }
        out[key] = entries
      }
      return out
    }
    return {claims: await dump(this.claims), hostPaths: await dump(this.hostPaths)}
  }

  /** restore loads what save() kept (after a daemon restart). */
  async restore(saved: SavedVolumes): Promise<void> {
    const load = async (from: Record<string, SavedEntry[]> | undefined, into: Map<string, InMemoryFs>) => {
      for (const [key, entries] of Object.entries(from ?? {})) {
        const fs = new InMemoryFs()
        for (const e of entries) {
          if (e.dir) await fs.mkdir(e.path, {recursive: true})
          else if (e.link !== undefined) await fs.symlink(e.link, e.path)
          else await fs.writeFile(e.path, Buffer.from(e.data ?? '', 'base64'))
          if (e.mode !== undefined && e.link === undefined) await fs.chmod(e.path, e.mode)
        }
        into.set(key, fs)
      }
    }
    await load(saved.claims, this.claims)
    await load(saved.hostPaths, this.hostPaths)
  }
}

/** SavedEntry is one file, directory or symlink of a saved volume. */
export interface SavedEntry {
  path: string
  dir?: boolean
  link?: string
  /** data is the file's bytes, base64. */
  data?: string
  mode?: number
}

/** SavedVolumes are the volume data kept across daemon restarts. */
export interface SavedVolumes {
  claims?: Record<string, SavedEntry[]>
  hostPaths?: Record<string, SavedEntry[]>
}
