// resources.ts holds SetResourcesOptions for `mkctl set resources` (kubectl/pkg/cmd/set/set_resources.go): set
// compute limits and requests of the selected containers of pod templates.
import {canonicalQuantity} from '../../../api/quantity.js'
import type {Factory} from '../../client/factory.js'
import {podSpecOf, selectContainers, SetOptionsBase, throwAll, type SetInfo} from './common.js'

/**
 * parseResourceList reads `cpu=200m,memory=512Mi` into canonical quantities (generate/versioned
 * populateResourceListV1); '' gives undefined.
 */
export function parseResourceList(spec: string): Map<string, string> | undefined {
  if (spec === '') return undefined
  const out = new Map<string, string>()
  for (const stmt of spec.split(',')) {
    const parts = stmt.split('=')
    if (parts.length !== 2) throw new Error(`Invalid argument syntax ${stmt}, expected <resource>=<value>`)
    out.set(parts[0], canonicalQuantity(parts[1]))
  }
  return out
}

/** SetResourcesOptions updates resource requests and limits. */
export class SetResourcesOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'resource requirements updated'
  containerSelector = '*'
  limits = ''
  requests = ''
  infos: SetInfo[] = []
  private parsedLimits?: Map<string, string>
  private parsedRequests?: Map<string, string>

  /** complete resolves the objects (set_resources.go Complete). */
  async complete(f: Factory): Promise<void> {
    await this.completeBase(f)
    this.infos = await this.loadInfos(this.args)
  }

  /** validate checks the flags and parses --limits and --requests. */
  validate(): void {
    this.localCheck()
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    if (!this.limits && !this.requests) {
      throw new Error('you must specify an update to requests or limits (in the form of --requests/--limits)')
    }
    this.parsedLimits = parseResourceList(this.limits)
    this.parsedRequests = parseResourceList(this.requests)
  }

  /** run sets the requirements of every selected container and patches each object. */
  async run(): Promise<void> {
    const errs: Error[] = []
    await this.patchAll(
      this.infos,
      (obj) => {
        const spec = podSpecOf(obj)
        const containers = [
          ...selectContainers(spec.containers, this.containerSelector),
          ...selectContainers(spec.initContainers, this.containerSelector),
        ]
        if (containers.length === 0) {
          errs.push(new Error(`error: unable to find container named ${this.containerSelector}`))
          return false
        }
        for (const c of containers) {
          const res = (c.resources ??= {}) as Record<string, Record<string, string>>
          if (this.limits) res.limits ??= {}
          for (const [k, v] of this.parsedLimits ?? []) res.limits[k] = v
          if (this.requests) res.requests ??= {}
          for (const [k, v] of this.parsedRequests ?? []) res.requests[k] = v
        }
        return true
      },
      'failed to patch resources update to pod template ',
      errs,
    )
    throwAll(errs)
  }
}
