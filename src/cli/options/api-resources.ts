// api-resources.ts holds the Options of `mkctl api-resources` and `mkctl api-versions`
// (kubectl/pkg/cmd/apiresources/apiresources.go, apiversions.go).
import type {ResourceInfo} from '../../api/resources.js'
import type {DiscoveryData} from '../client/discovery.js'
import {newGetTabWriter} from '../printers/tabwriter.js'
import type {IOStreams} from '../io.js'
import {ConnectionError} from '../errors.js'

/** DiscoveryFetcher is what the options need: a fresh discovery answer (api-resources defaults to --cached=false). */
export interface DiscoveryFetcher {
  serverGroupsAndResources(): Promise<DiscoveryData>
  invalidate(): void
}

/** preferredResources mirrors ServerPreferredResources: per group-resource, the preferred version's entry. */
export function preferredResources(data: DiscoveryData): {gv: string; r: ResourceInfo}[] {
  const chosen = new Map<string, {gv: string; r: ResourceInfo}>()
  for (const g of data.groups) {
    for (const v of g.versions) {
      for (const r of data.resources.filter((x) => x.group === g.name && x.version === v)) {
        const key = `${r.group}/${r.plural}`
        if (chosen.has(key) && v !== g.preferredVersion) continue
        chosen.set(key, {gv: g.name ? `${g.name}/${v}` : v, r})
      }
    }
  }
  return [...chosen.values()]
}

/** APIResourcesOptions prints the served resource types. */
export class APIResourcesOptions {
  output = ''
  apiGroup?: string
  namespaced?: boolean
  verbs: string[] = []
  categories: string[] = []
  sortBy = ''
  noHeaders = false
  cached = false
  constructor(readonly io: IOStreams) {}

  validate(): void {
    if (!['', 'wide', 'name'].includes(this.output)) throw new Error(`--output ${this.output} is not available`)
    if (this.sortBy !== '' && this.sortBy !== 'name' && this.sortBy !== 'kind')
      throw new Error('--sort-by accepts only name or kind')
  }

  async run(d: DiscoveryFetcher): Promise<void> {
    if (!this.cached) d.invalidate()
    // kubectl prints the header even when discovery fails, then the error (apiresources.go collects errs).
    let data: DiscoveryData = {groups: [], resources: []}
    let failure: unknown
    try {
      data = await d.serverGroupsAndResources()
    } catch (e) {
      failure = e
    }
    const rows = preferredResources(data).filter(({r}) => {
      if (r.verbs.length === 0) return false
      if (this.apiGroup !== undefined && r.group !== this.apiGroup) return false
      if (this.namespaced !== undefined && r.namespaced !== this.namespaced) return false
      if (this.verbs.some((v) => !r.verbs.includes(v))) return false
      if (this.categories.some((c) => !r.categories.includes(c))) return false
      return true
    })
    const key = (x: ResourceInfo) => (this.sortBy === 'name' ? x.plural : this.sortBy === 'kind' ? x.kind : x.group)
    // sort.Stable with kubectl's Less: compare the key, ties by name
    rows.sort((a, b) => cmp(key(a.r), key(b.r)) || cmp(a.r.plural, b.r.plural))
    const w = newGetTabWriter(this.io.out)
    if (!this.noHeaders && this.output !== 'name') {
      w.write(
        'NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND' + (this.output === 'wide' ? '\tVERBS\tCATEGORIES' : '') + '\n',
      )
    }
    for (const {gv, r} of rows) {
      if (this.output === 'name') w.write(r.plural + (r.group ? '.' + r.group : '') + '\n')
      else {
        let line = `${r.plural}\t${r.shortNames.join(',')}\t${gv}\t${r.namespaced}\t${r.kind}`
        if (this.output === 'wide') line += `\t${r.verbs.join(',')}\t${r.categories.join(',')}`
        w.write(line + '\n')
      }
    }
    w.flush()
    if (failure) throw failure
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** apiVersions prints every served group/version, sorted (apiversions.go). */
export async function apiVersions(d: DiscoveryFetcher, io: IOStreams): Promise<void> {
  d.invalidate()
  let data: DiscoveryData
  try {
    data = await d.serverGroupsAndResources()
  } catch (e) {
    if (e instanceof ConnectionError) {
      throw new Error(`couldn't get available api versions from server: Get "${e.url}": ${e.cause.message}`, {cause: e})
    }
    throw e
  }
  const all = data.groups.flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)))
  io.out.write(
    all
      .sort(cmp)
      .map((x) => x + '\n')
      .join(''),
  )
}
