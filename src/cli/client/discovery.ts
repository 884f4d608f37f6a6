// discovery.ts finds what the API server serves: aggregated discovery (apidiscovery.k8s.io/v2) from `/api` and
// `/apis`, falling back to legacy per-group-version lists, cached on disk for 6 hours like kubectl's disk cache
// (follows client-go/discovery discovery_client.go, aggregated_discovery.go and discovery/cached/disk).
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {ResourceInfo, Subresource} from '../../api/resources.js'
import {ConnectionError} from '../errors.js'
import {NOP_KLOG, type Klog} from './klog.js'
import type {RawResponse, RestClient} from './rest.js'
import {ACCEPT_DEFAULT, decodeError} from './rest.js'

/** ACCEPT_DISCOVERY is the Accept kubectl 1.32 sends for `/api` and `/apis` (kubectl-api.md §2.1). */
export const ACCEPT_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'

/** DISCOVERY_TTL_MS is the disk cache lifetime (client-go's 6 hours). */
export const DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000

/** APIGroupInfo is one served group with its versions, the preferred one first. */
export interface APIGroupInfo {
  name: string
  versions: string[]
  preferredVersion: string
}

/** DiscoveryData is the whole discovery answer: groups in server order, resources in discovery order. */
export interface DiscoveryData {
  groups: APIGroupInfo[]
  resources: ResourceInfo[]
}

/** VersionInfo is the `/version` answer. */
export interface VersionInfo {
  major: string
  minor: string
  gitVersion: string
  [k: string]: string
}

/** DiscoveryOptions configure the cache. */
export interface DiscoveryOptions {
  /** cacheDir is --cache-dir (default $MKCTL_HOME/cache); the discovery cache lives in <cacheDir>/discovery/<host>_<port>/. */
  cacheDir?: string
  ttlMs?: number
  now?: () => number
  klog?: Klog
}

/** discoveryCacheDir mirrors client-go's computeDiscoverCacheDir: scheme dropped, odd characters replaced by `_`. */
export function discoveryCacheDir(cacheDir: string, server: string): string {
  const u = new URL(server)
  const hostPort = (u.host + u.pathname.replace(/\/+$/, '')).replace(/[^.\-_a-zA-Z0-9]/g, '_')
  return join(cacheDir, 'discovery', hostPort)
}

function isAggregated(res: RawResponse): boolean {
  const ct = String(res.headers['content-type'] ?? '')
  const params = new Map(
    ct
      .split(';')
      .slice(1)
      .map((p) => p.trim().split('=') as [string, string]),
  )
  return (
    params.get('g') === 'apidiscovery.k8s.io' &&
    (params.get('v') === 'v2' || params.get('v') === 'v2beta1') &&
    params.get('as') === 'APIGroupDiscoveryList'
  )
}

interface AggResource {
  resource: string
  responseKind?: {group?: string; version?: string; kind?: string}
  scope?: string
  singularResource?: string
  verbs?: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: {
    subresource: string
    responseKind?: {group?: string; version?: string; kind?: string}
    verbs?: string[]
  }[]
}
interface AggList {
  items?: {metadata?: {name?: string}; versions?: {version: string; freshness?: string; resources?: AggResource[]}[]}[]
}

/** parseAggregated reads an APIGroupDiscoveryList; resources without responseKind and Stale versions are dropped. */
export function parseAggregated(list: AggList, into: DiscoveryData): void {
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? ''
    const versions = (item.versions ?? []).filter((v) => v.freshness !== 'Stale')
    if (versions.length === 0) continue
    into.groups.push({name: group, versions: versions.map((v) => v.version), preferredVersion: versions[0].version})
    for (const v of versions) {
      for (const r of v.resources ?? []) {
        if (!r.responseKind?.kind) continue
        const subs: Subresource[] = []
        for (const s of r.subresources ?? []) {
          if (!s.responseKind?.kind) continue
          const sub: Subresource = {name: s.subresource, kind: s.responseKind.kind, verbs: s.verbs ?? []}
          if (s.responseKind.group !== undefined && s.responseKind.group !== group) sub.group = s.responseKind.group
          if (s.responseKind.version && (s.responseKind.version !== v.version || sub.group !== undefined))
            sub.version = s.responseKind.version
          subs.push(sub)
        }
        into.resources.push({
          group,
          version: v.version,
          kind: r.responseKind.kind,
          listKind: r.responseKind.kind + 'List',
          plural: r.resource,
          singular: r.singularResource ?? '',
          shortNames: r.shortNames ?? [],
          namespaced: r.scope === 'Namespaced',
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
          subresources: subs,
        })
      }
    }
  }
}

interface LegacyResource {
  name: string
  singularName?: string
  namespaced?: boolean
  kind: string
  group?: string
  version?: string
  verbs?: string[]
  shortNames?: string[]
  categories?: string[]
}

/** parseResourceList reads a legacy APIResourceList, folding `<plural>/<sub>` entries into their parent. */
export function parseResourceList(
  group: string,
  version: string,
  list: {resources?: LegacyResource[]},
): ResourceInfo[] {
  const out: ResourceInfo[] = []
  const byPlural = new Map<string, ResourceInfo>()
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) continue
    const info: ResourceInfo = {
      group,
      version,
      kind: r.kind,
      listKind: r.kind + 'List',
      plural: r.name,
      singular: r.singularName ?? '',
      shortNames: r.shortNames ?? [],
      namespaced: Boolean(r.namespaced),
      verbs: r.verbs ?? [],
      categories: r.categories ?? [],
      subresources: [],
    }
    out.push(info)
    byPlural.set(r.name, info)
  }
  for (const r of list.resources ?? []) {
    const i = r.name.indexOf('/')
    if (i < 0) continue
    const parent = byPlural.get(r.name.slice(0, i))
    if (!parent) continue
    const sub: Subresource = {name: r.name.slice(i + 1), kind: r.kind, verbs: r.verbs ?? []}
    if (r.group !== undefined && r.group !== group) sub.group = r.group
    if (r.version && (r.version !== version || sub.group !== undefined)) sub.version = r.version
    parent.subresources.push(sub)
  }
  return out
}

/** DiscoveryClient answers discovery questions for one server, from the disk cache when it is fresh. */
export class DiscoveryClient {
  private memo?: DiscoveryData
  private readonly klog: Klog
  private readonly now: () => number

  constructor(
    readonly rest: RestClient,
    readonly opts: DiscoveryOptions = {},
  ) {
    this.klog = opts.klog ?? NOP_KLOG
    this.now = opts.now ?? Date.now
  }

  private get cacheFile(): string | undefined {
    return this.opts.cacheDir
      ? join(discoveryCacheDir(this.opts.cacheDir, this.rest.config.server), 'mkctl-discovery.json')
      : undefined
  }

  /** fresh reports whether the last answer came from the server in this process (a miss then needs no refetch). */
  fresh = false

  /** serverGroupsAndResources returns all groups and resources, cached on disk for ttlMs. */
  async serverGroupsAndResources(): Promise<DiscoveryData> {
    if (this.memo) return this.memo
    const cached = this.readCache()
    if (cached) return (this.memo = cached)
    const data = await this.fetch()
    this.fresh = true
    this.writeCache(data)
    return (this.memo = data)
  }

  /** invalidate forgets the cached answer (kubectl does this when a resource name does not resolve). */
  invalidate(): void {
    this.memo = undefined
    const f = this.cacheFile
    if (f) {
      try {
        writeFileSync(f, '{}')
      } catch {
        // no cache to drop
      }
    }
  }

  /** serverVersion reads `/version`. */
  async serverVersion(): Promise<VersionInfo> {
    return this.rest.get<VersionInfo>('/version', {query: {timeout: '32s'}, accept: ACCEPT_DEFAULT})
  }

  private readCache(): DiscoveryData | undefined {
    const f = this.cacheFile
    if (!f) return undefined
    try {
      const c = JSON.parse(readFileSync(f, 'utf8')) as {fetched?: number; data?: DiscoveryData}
      if (!c.fetched || !c.data || this.now() - c.fetched > (this.opts.ttlMs ?? DISCOVERY_TTL_MS)) return undefined
      return c.data
    } catch {
      return undefined
    }
  }

  private writeCache(data: DiscoveryData): void {
    const f = this.cacheFile
    if (!f) return
    try {
      mkdirSync(join(f, '..'), {recursive: true, mode: 0o750})
      const tmp = `${f}.${process.pid}`
      writeFileSync(tmp, JSON.stringify({fetched: this.now(), data}))
      renameSync(tmp, f)
    } catch {
      // a read-only cache folder only costs speed, as in client-go
    }
  }

  private async getDiscovery(path: string): Promise<RawResponse> {
    try {
      return await this.rest.raw('GET', path, {query: {timeout: '32s'}, accept: ACCEPT_DISCOVERY})
    } catch (e) {
      if (e instanceof ConnectionError) {
        const url = this.rest.url(path, {timeout: '32s'})
        // kubectl logs each failed discovery attempt this way before its final error line (memcache.go).
        this.klog.error(
          'memcache.go:265',
          `"Unhandled Error" err="couldn't get current server API group list: Get \\"${url}\\": ${e.cause.message}"`,
        )
      }
      throw e
    }
  }

  /** fetch asks the server: aggregated when both `/api` and `/apis` answer aggregated, else legacy lists. */
  async fetch(): Promise<DiscoveryData> {
    const core = await this.getDiscovery('/api')
    const apis = await this.getDiscovery('/apis')
    if (apis.status < 200 || apis.status > 299) throw decodeError('GET', '/apis', apis)
    const coreOK = core.status >= 200 && core.status <= 299
    const data: DiscoveryData = {groups: [], resources: []}
    if (coreOK && isAggregated(core) && isAggregated(apis)) {
      parseAggregated(JSON.parse(core.body.toString('utf8')) as AggList, data)
      parseAggregated(JSON.parse(apis.body.toString('utf8')) as AggList, data)
      return data
    }
    // legacy: `/api` is APIVersions, `/apis` APIGroupList; resources come from one request per group-version.
    const gvs: {group: string; version: string}[] = []
    if (coreOK) {
      const v = JSON.parse(core.body.toString('utf8')) as {versions?: string[]; items?: unknown}
      const versions = v.versions ?? (isAggregated(core) ? ['v1'] : [])
      if (versions.length > 0) data.groups.push({name: '', versions, preferredVersion: versions[0]})
      for (const ver of versions) gvs.push({group: '', version: ver})
    }
    const list = JSON.parse(apis.body.toString('utf8')) as {
      groups?: {name: string; versions: {version: string}[]; preferredVersion?: {version: string}}[]
      items?: AggList['items']
    }
    if (isAggregated(apis)) {
      const tmp: DiscoveryData = {groups: [], resources: []}
      parseAggregated(list as AggList, tmp)
      for (const g of tmp.groups) {
        data.groups.push(g)
        for (const ver of g.versions) gvs.push({group: g.name, version: ver})
      }
    } else {
      for (const g of list.groups ?? []) {
        const versions = g.versions.map((v) => v.version)
        const preferred = g.preferredVersion?.version ?? versions[0]
        data.groups.push({
          name: g.name,
          versions: [preferred, ...versions.filter((v) => v !== preferred)],
          preferredVersion: preferred,
        })
        for (const ver of versions) gvs.push({group: g.name, version: ver})
      }
    }
    const lists = await Promise.all(
      gvs.map(async (gv) => {
        const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`
        try {
          const l = await this.rest.get<{resources?: LegacyResource[]}>(path, {query: {timeout: '32s'}})
          return parseResourceList(gv.group, gv.version, l ?? {})
        } catch (e) {
          if (e instanceof ConnectionError) throw e
          return [] // a failing group-version is skipped, as ServerGroupsAndResources reports partial results
        }
      }),
    )
    data.resources = lists.flat()
    return data
  }
}
