// mapper.ts resolves what users type (`po`, `pods`, `pod`, `Pod`, `deploy`, `deployments.apps`,
// `deployment.v1.apps`) to a served resource, follows apimachinery/pkg/runtime/schema ParseResourceArg/ParseKindArg,
// cli-runtime resource/builder.go mappingFor, and restmapper's shortcut expander and category expansion. A miss
// refetches discovery once (kubectl invalidates its cache) before failing with NoResourceMatchError.
import type {ResourceInfo} from '../../api/resources.js'
import {NoResourceMatchError} from '../errors.js'
import type {DiscoveryData} from './discovery.js'

/** DiscoverySource is what the mapper needs from discovery (DiscoveryClient satisfies it). */
export interface DiscoverySource {
  serverGroupsAndResources(): Promise<DiscoveryData>
  invalidate(): void
  /** fresh is true when the data came from the server during this process (no refetch needed on a miss). */
  fresh?: boolean
}

/** preferredOrder sorts resources by group (discovery order), the group's preferred version first. */
export function preferredOrder(data: DiscoveryData): ResourceInfo[] {
  const rank = new Map<string, number>()
  data.groups.forEach((g, gi) => {
    const versions = [g.preferredVersion, ...g.versions.filter((v) => v !== g.preferredVersion)]
    versions.forEach((v, vi) => rank.set(`${g.name}/${v}`, gi * 1000 + vi))
  })
  const r = (x: ResourceInfo) => rank.get(`${x.group}/${x.version}`) ?? Number.MAX_SAFE_INTEGER
  return data.resources
    .map((x, i) => ({x, i}))
    .sort((a, b) => r(a.x) - r(b.x) || a.i - b.i)
    .map(({x}) => x)
}

function nameMatches(r: ResourceInfo, name: string): boolean {
  return r.plural === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name)
}

function groupMatches(r: ResourceInfo, group: string): boolean {
  // a partial group name is accepted as long as it is a prefix of the real one on dot boundaries (`deploy.apps`,
  // `hpa.autoscaling`), as the restmapper's group matching does.
  return r.group === group || r.group.startsWith(group + '.')
}

/**
 * matchResource finds the first served resource arg names, or undefined. arg forms: `name`, `name.group`,
 * `name.version.group` (name being plural, singular, short name or Kind, any case).
 */
export function matchResource(ordered: ResourceInfo[], arg: string): ResourceInfo | undefined {
  const lower = arg.toLowerCase()
  const dot = lower.indexOf('.')
  if (dot < 0) return ordered.find((r) => nameMatches(r, lower))
  const name = lower.slice(0, dot)
  const rest = lower.slice(dot + 1)
  // resource.version.group first (ParseResourceArg), then resource.group
  const dot2 = rest.indexOf('.')
  if (dot2 >= 0) {
    const version = rest.slice(0, dot2)
    const group = rest.slice(dot2 + 1)
    const hit = ordered.find((r) => r.version === version && r.group === group && nameMatches(r, name))
    if (hit) return hit
  }
  return ordered.find((r) => groupMatches(r, rest) && nameMatches(r, name))
}

/** RESTMapper maps names, kinds and categories to served resources. */
export class RESTMapper {
  constructor(readonly discovery: DiscoverySource) {}

  private async withRetry<T>(find: (ordered: ResourceInfo[]) => T | undefined, miss: () => Error): Promise<T> {
    const hit = find(preferredOrder(await this.discovery.serverGroupsAndResources()))
    if (hit !== undefined) return hit
    if (!this.discovery.fresh) {
      this.discovery.invalidate()
      const again = find(preferredOrder(await this.discovery.serverGroupsAndResources()))
      if (again !== undefined) return again
    }
    throw miss()
  }

  /** resourceFor resolves one resource argument (`po`, `deployments.apps`, `deployment.v1.apps`, `Deployment`). */
  resourceFor(arg: string): Promise<ResourceInfo> {
    return this.withRetry(
      (o) => matchResource(o, arg),
      () => new NoResourceMatchError(arg.toLowerCase()),
    )
  }

  /** kindFor resolves an object's apiVersion and kind (for -f files); a miss is `no matches for kind ...`. */
  kindFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const i = apiVersion.indexOf('/')
    const group = i < 0 ? '' : apiVersion.slice(0, i)
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1)
    return this.withRetry(
      (o) => o.find((r) => r.group === group && r.version === version && r.kind === kind),
      () => new Error(`no matches for kind "${kind}" in version "${apiVersion}"`),
    )
  }

  /** category lists the resources in a category (`all`), one per group-resource, in discovery order. */
  async category(name: string): Promise<ResourceInfo[]> {
    const ordered = preferredOrder(await this.discovery.serverGroupsAndResources())
    const seen = new Set<string>()
    const out: ResourceInfo[] = []
    for (const r of ordered) {
      const gr = `${r.plural}.${r.group}`
      if (!r.categories.includes(name) || seen.has(gr)) continue
      seen.add(gr)
      out.push(r)
    }
    // keep discovery order (groups as the server lists them), not preference order
    const data = await this.discovery.serverGroupsAndResources()
    return data.resources.filter((r) => out.includes(r))
  }

  /** expand resolves a comma-free argument that may be a category (`all`) or a single resource. */
  async expand(arg: string): Promise<ResourceInfo[]> {
    const cat = await this.category(arg.toLowerCase())
    if (cat.length > 0) return cat
    return [await this.resourceFor(arg)]
  }
}
