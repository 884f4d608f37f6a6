// discovery.ts answers /api, /apis and the per-group-version resource lists from the resource table, in the
// aggregated (apidiscovery.k8s.io/v2) form when the client asks for it and the legacy form otherwise
// (kubectl-api.md §4). Both are kept because `kubectl auth can-i` reads /api/v1 directly.
import {groupVersion, type ResourceInfo, type ResourceTable} from '../../api/resources.js'

/** wantsAggregated tells whether an Accept header asks for aggregated discovery; returns the version. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim())
    if (!params.includes('g=apidiscovery.k8s.io') || !params.includes('as=APIGroupDiscoveryList')) continue
    if (params.includes('v=v2')) return 'v2'
    if (params.includes('v=v2beta1')) return 'v2beta1'
  }
  return undefined
}

/** aggregatedContentType is the Content-Type that makes client-go parse aggregated discovery. */
export function aggregatedContentType(v: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`
}

function resourceEntry(r: ResourceInfo) {
  const e: Record<string, unknown> = {
    resource: r.plural,
    responseKind: {group: r.group, version: r.version, kind: r.kind},
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  }
  if (r.shortNames.length) e.shortNames = r.shortNames
  if (r.categories.length) e.categories = r.categories
  if (r.subresources.length) {
    e.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: {group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind},
      verbs: s.verbs,
    }))
  }
  return e
}

/** aggregated builds the APIGroupDiscoveryList for /api (core) or /apis (named groups). */
export function aggregated(table: ResourceTable, core: boolean, v: 'v2' | 'v2beta1') {
  const items = table
    .groupVersions()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: core ? {creationTimestamp: null} : {name: g.group, creationTimestamp: null},
      versions: g.versions.map((version) => ({
        version,
        resources: table.inGroupVersion(g.group, version).map(resourceEntry),
        freshness: 'Current',
      })),
    }))
  return {kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items}
}

/** apiVersions is the legacy /api answer. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}],
  }
}

function apiGroup(g: {group: string; versions: string[]}) {
  const versions = g.versions.map((version) => ({groupVersion: `${g.group}/${version}`, version}))
  return {name: g.group, versions, preferredVersion: versions[0]}
}

/** apiGroupList is the legacy /apis answer. */
export function apiGroupList(table: ResourceTable) {
  return {kind: 'APIGroupList', apiVersion: 'v1', groups: table.groupVersions().filter((g) => g.group !== '').map(apiGroup)}
}

/** apiGroupFor is the legacy /apis/<group> answer, or undefined for an unknown group. */
export function apiGroupFor(table: ResourceTable, group: string) {
  const g = table.groupVersions().find((x) => x.group === group)
  return g ? {kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g)} : undefined
}

/** apiResourceList is the legacy /api/v1 or /apis/<g>/<v> answer, or undefined when nothing is served there. */
export function apiResourceList(table: ResourceTable, group: string, version: string) {
  const rs = table.inGroupVersion(group, version)
  if (rs.length === 0) return undefined
  const resources: Record<string, unknown>[] = []
  for (const r of rs) {
    const e: Record<string, unknown> = {name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs}
    if (r.shortNames.length) e.shortNames = r.shortNames
    if (r.categories.length) e.categories = r.categories
    resources.push(e)
    for (const s of r.subresources) {
      const se: Record<string, unknown> = {name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced}
      if (s.group !== undefined) se.group = s.group
      if (s.version !== undefined) se.version = s.version
      se.kind = s.kind
      se.verbs = s.verbs
      resources.push(se)
    }
  }
  return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources}
}
