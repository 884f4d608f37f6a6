// auth.ts holds the Options of `mkctl auth can-i` and `mkctl auth whoami` (kubectl/pkg/cmd/auth/cani.go and
// whoami.go). can-i asks the server with a SelfSubjectAccessReview (or a SelfSubjectRulesReview for --list) and exits
// 1 on "no"; whoami creates a SelfSubjectReview. --list compacts the rules as rbac's BreakdownRule/CompactRules do and
// sorts them by the generated PolicyRule.String(), as kubectl does.
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {matchResource, preferredOrder} from '../client/mapper.js'
import {RestClient} from '../client/rest.js'
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {goJSON} from './config.js'
import {toPrinter} from '../printers/index.js'
import {newGetTabWriter} from '../printers/tabwriter.js'

const RESOURCE_VERBS = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'impersonate',
  '*',
  'approve',
  'sign',
  'escalate',
  'attest',
])
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*'])
const NON_STANDARD_RESOURCES = new Set(['users', 'groups'])

/** Impersonation holds --as, --as-group and --as-uid (client-go ImpersonationConfig). */
export interface Impersonation {
  as?: string
  asGroups?: string[]
  asUid?: string
}

/** impersonatingClient returns rest itself, or a copy that sends client-go's Impersonate-* headers. */
export function impersonatingClient(rest: RestClient, imp: Impersonation): RestClient {
  if (!imp.as && !imp.asGroups?.length && !imp.asUid) return rest
  const headers: Record<string, string> = {...rest.config.headers}
  if (imp.as) headers['Impersonate-User'] = imp.as
  // several groups go as one comma-joined header, which HTTP treats as the repeated header client-go sends
  if (imp.asGroups?.length) headers['Impersonate-Group'] = imp.asGroups.join(', ')
  if (imp.asUid) headers['Impersonate-Uid'] = imp.asUid
  return new RestClient({...rest.config, headers})
}

/** PolicyRule is rbac/v1 PolicyRule as kubectl's --list handles it. */
export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

/** breakdownRule splits a rule into one rule per group/resource/verb(/name) and per URL/verb (rbac BreakdownRule). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = []
  for (const g of rule.apiGroups ?? [])
    for (const r of rule.resources ?? [])
      for (const v of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const n of rule.resourceNames) out.push({verbs: [v], apiGroups: [g], resources: [r], resourceNames: [n]})
        } else out.push({verbs: [v], apiGroups: [g], resources: [r]})
      }
  for (const u of rule.nonResourceURLs ?? []) for (const v of rule.verbs) out.push({verbs: [v], nonResourceURLs: [u]})
  return out
}

/** compactRules merges the verbs of simple rules on the same group, resource and name (rbac CompactRules). */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = []
  const simple = new Map<string, PolicyRule>()
  for (const r of rules) {
    const isSimple =
      !r.nonResourceURLs?.length &&
      r.apiGroups?.length === 1 &&
      r.resources?.length === 1 &&
      (r.resourceNames?.length ?? 0) <= 1
    if (!isSimple) {
      out.push(r)
      continue
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.length ? r.resourceNames[0] : null])
    const prev = simple.get(key)
    if (prev) prev.verbs = [...prev.verbs, ...r.verbs]
    else simple.set(key, {...r, verbs: [...r.verbs]})
  }
  return [...out, ...simple.values()]
}

const goList = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`

/** ruleString is the generated rbac/v1 PolicyRule.String() that kubectl sorts --list rows by. */
export function ruleString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`
}

/** combineResourceGroup renders `resource.group/subresource` (kubectl describe.CombineResourceGroup). */
export function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return ''
  const [name, sub] = splitOnce(resources[0], '/')
  let s = name
  if (groups?.length && groups[0] !== '') s += '.' + groups[0]
  if (sub !== undefined) s += '/' + sub
  return s
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep)
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

interface GVR {
  group: string
  version: string
  resource: string
}

/** CanIOptions runs `auth can-i VERB TYPE[/NAME] | NONRESOURCEURL` and `auth can-i --list`. */
export class CanIOptions {
  allNamespaces = false
  quiet = false
  subresource = ''
  list = false
  noHeaders = false
  imp: Impersonation = {}
  private verb = ''
  private nonResourceURL = ''
  private resource: GVR = {group: '', version: '', resource: ''}
  private resourceName = ''
  private namespace = ''
  constructor(readonly io: IOStreams) {}

  private warn(msg: string): void {
    this.io.errOut.write(`Warning: ${msg}\n`)
  }

  async complete(f: Factory, args: string[]): Promise<void> {
    if (this.list) {
      if (args.length !== 0) throw new Error('list option must be specified with no arguments')
    } else {
      if (args.length !== 2) {
        throw new Error(
          "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'mkctl auth can-i -h' for help and examples.",
        )
      }
      this.verb = args[0]
      if (args[1].startsWith('/')) this.nonResourceURL = args[1]
      else {
        const [res, name] = splitOnce(args[1], '/')
        this.resource = await this.resourceFor(f, res)
        if (name !== undefined) this.resourceName = name
      }
    }
    if (!this.allNamespaces) this.namespace = (await f.namespace()).namespace
  }

  // resourceFor follows CanIOptions.resourceFor: unknown resources only warn and are sent as typed.
  private async resourceFor(f: Factory, arg: string): Promise<GVR> {
    if (arg === '*') return {group: '', version: '', resource: arg}
    const lower = arg.toLowerCase()
    const ordered = preferredOrder(await (await f.discovery()).serverGroupsAndResources())
    const hit = matchResource(ordered, lower)
    if (hit) return {group: hit.group, version: hit.version, resource: hit.plural}
    const [resource, group] = splitOnce(lower, '.')
    const gr = group ? `${resource}.${group}` : resource
    if (!NON_STANDARD_RESOURCES.has(gr)) {
      if (!group) this.warn(`the server doesn't have a resource type '${resource}'\n`)
      else this.warn(`the server doesn't have a resource type '${resource}' in group '${group}'\n`)
    }
    return {group: '', version: '', resource: arg}
  }

  async validate(f: Factory): Promise<void> {
    if (this.list) {
      if (this.quiet || this.allNamespaces || this.subresource)
        throw new Error("list option can't be specified with neither quiet, all-namespaces nor subresource options")
      return
    }
    const r = this.resource
    if (this.nonResourceURL) {
      if (this.subresource) throw new Error('--subresource can not be used with NonResourceURL')
      if (r.resource || r.group || r.version || this.resourceName)
        throw new Error('NonResourceURL and ResourceName can not specified together')
      if (!NON_RESOURCE_VERBS.has(this.verb)) this.warn(`verb '${this.verb}' is not a known verb\n`)
    } else if ((r.resource || r.group || r.version) && !this.allNamespaces) {
      if ((await this.isNamespaced(f)) === false) {
        if (!r.group) this.warn(`resource '${r.resource}' is not namespace scoped\n`)
        else this.warn(`resource '${r.resource}' is not namespace scoped in group '${r.group}'\n`)
      }
      if (!RESOURCE_VERBS.has(this.verb)) this.warn(`verb '${this.verb}' is not a known verb\n`)
    }
    if (this.noHeaders) throw new Error('--no-headers cannot be set without --list specified')
  }

  // isNamespaced reads the group-version's resource list from the server (not the cache), as kubectl does.
  private async isNamespaced(f: Factory): Promise<boolean | undefined> {
    const r = this.resource
    if (r.resource === '*') return true
    if (!r.version) return undefined
    const path = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
    try {
      const list = await (await this.rest(f)).get<{resources?: {name: string; namespaced: boolean}[]}>(path)
      const hit = list.resources?.find((x) => x.name === r.resource)
      return hit ? hit.namespaced : undefined
    } catch {
      return undefined
    }
  }

  private async rest(f: Factory): Promise<RestClient> {
    return impersonatingClient(await f.restClient(), this.imp)
  }

  async run(f: Factory): Promise<void> {
    if (this.list) return this.runList(f)
    const spec = this.nonResourceURL
      ? {nonResourceAttributes: {path: this.nonResourceURL, verb: this.verb}}
      : {
          resourceAttributes: omitEmpty({
            namespace: this.namespace,
            verb: this.verb,
            group: this.resource.group,
            version: this.resource.version,
            resource: this.resource.resource,
            subresource: this.subresource,
            name: this.resourceName,
          }),
        }
    const body = {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {creationTimestamp: null},
      spec,
      status: {allowed: false},
    }
    const res = await (
      await this.rest(f)
    ).post<{status?: {allowed?: boolean; reason?: string; evaluationError?: string}}>(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body,
    )
    const st = res.status ?? {}
    let line = st.allowed ? 'yes' : 'no'
    if (!st.allowed && st.reason) line += ` - ${st.reason}`
    if (!st.allowed && st.evaluationError) line += ` - ${st.evaluationError}`
    if (!this.quiet) this.io.out.write(line + '\n')
    if (!st.allowed) throw new RawError('', 1)
  }

  private async runList(f: Factory): Promise<void> {
    const body = {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {creationTimestamp: null},
      spec: omitEmpty({namespace: this.namespace}),
      status: {resourceRules: null, nonResourceRules: null, incomplete: false},
    }
    const res = await (
      await this.rest(f)
    ).post<{
      status?: {
        resourceRules?: PolicyRule[]
        nonResourceRules?: {verbs: string[]; nonResourceURLs?: string[]}[]
        incomplete?: boolean
        evaluationError?: string
      }
    }>('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', body)
    const st = res.status ?? {}
    if (st.incomplete) this.warn(`the list may be incomplete: ${st.evaluationError ?? ''}`)
    const rules: PolicyRule[] = [
      ...(st.resourceRules ?? []).map((r) => ({
        verbs: r.verbs ?? [],
        apiGroups: r.apiGroups,
        resources: r.resources,
        resourceNames: r.resourceNames,
      })),
      ...(st.nonResourceRules ?? []).map((r) => ({verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs})),
    ]
    const compact = compactRules(rules.flatMap(breakdownRule))
    const keyed = compact.map((r) => ({r, k: ruleString(r)}))
    keyed.sort((a, b) => byteCompare(a.k, b.k))
    const w = newGetTabWriter(this.io.out)
    if (!this.noHeaders) w.write('Resources\tNon-Resource URLs\tResource Names\tVerbs\n')
    for (const {r} of keyed) {
      w.write(
        `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`,
      )
    }
    w.flush()
  }
}

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

function omitEmpty(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''))
}

/** WhoAmIOptions runs `auth whoami` (-o for any printer, else kubectl's ATTRIBUTE/VALUE table). */
export class WhoAmIOptions {
  output?: string
  imp: Impersonation = {}
  constructor(readonly io: IOStreams) {}

  async run(f: Factory): Promise<void> {
    const printer = this.output !== undefined ? toPrinter({output: this.output}, this.io.out) : undefined
    const rest = impersonatingClient(await f.restClient(), this.imp)
    const body = {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {creationTimestamp: null},
      status: {userInfo: {}},
    }
    let res: KubeObject & {
      status?: {userInfo?: {username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]>}}
    }
    try {
      res = await rest.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', body)
    } catch (e) {
      const reason = (e as {status?: {reason?: string}}).status?.reason
      if (reason === 'Forbidden')
        throw new Error(
          'the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it',
          {cause: e},
        )
      if (reason === 'NotFound')
        throw new Error(
          'the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API',
          {cause: e},
        )
      throw e
    }
    if (printer) {
      // kubectl prints the typed object: fields in Go struct order
      const ui = res.status?.userInfo ?? {}
      const userInfo = omitUndefined({username: ui.username, uid: ui.uid, groups: ui.groups, extra: ui.extra})
      const typed = {kind: res.kind, apiVersion: res.apiVersion, metadata: res.metadata, status: {userInfo}}
      // the JSON printer of mkctl sorts keys as for unstructured objects; a typed object keeps struct order
      if (printer.kind === 'json') this.io.out.write(goJSON(typed, '    ') + '\n')
      else printer.print(typed)
      printer.flush()
      return
    }
    const ui = res.status?.userInfo ?? {}
    const w = newGetTabWriter(this.io.out)
    w.write('ATTRIBUTE\tVALUE\n')
    if (ui.username) w.write(`Username\t${ui.username}\n`)
    if (ui.uid) w.write(`UID\t${ui.uid}\n`)
    if (ui.groups?.length) w.write(`Groups\t${goList(ui.groups)}\n`)
    for (const k of Object.keys(ui.extra ?? {}).sort(byteCompare)) w.write(`Extra: ${k}\t${goList(ui.extra![k])}\n`)
    w.flush()
  }
}
