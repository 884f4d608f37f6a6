// explain.ts holds ExplainOptions for `mkctl explain TYPE[.field...]` (kubectl/pkg/cmd/explain/explain.go, with the
// argument parsing of kubectl/pkg/explain/explain.go SplitAndParseResourceRequest[WithMatchingPrefix]). The schema
// comes from the server's OpenAPI v3 document of the resource's group-version, rendered by src/cli/explain/render.ts.
import type {ResourceInfo} from '../../api/resources.js'
import {preferredOrder} from '../client/mapper.js'
import type {Factory} from '../client/factory.js'
import {RawError} from '../errors.js'
import {ExplainError, gvrString, renderExplain, type GVR, type Schema} from '../explain/render.js'
import type {IOStreams} from '../io.js'

/** PLAINTEXT and PLAINTEXT_OPENAPIV2 are the two --output values kubectl knows. */
export const PLAINTEXT = 'plaintext'
export const PLAINTEXT_OPENAPIV2 = 'plaintext-openapiv2'

const SUGGEST = 'Use "mkctl api-resources" for a complete list of supported resources.'
const NOT_FIELD = 'invalid jsonpath syntax, first node must be field node'

/** parseGroupVersion follows apimachinery schema.ParseGroupVersion. */
export function parseGroupVersion(s: string): {group: string; version: string} {
  if (s === '' || s === '/') return {group: '', version: ''}
  const parts = s.split('/')
  if (parts.length === 1) return {group: '', version: s}
  if (parts.length === 2) return {group: parts[0], version: parts[1]}
  throw new Error(`unexpected GroupVersion string: ${s}`)
}

// fieldNodes splits `a.b.c` as kubectl's jsonpath parser reads `{.a.b.c}` into field nodes; anything that is not a
// plain field (indexes, filters, wildcards) is refused with kubectl's wording.
function fieldNodes(s: string): string[] {
  const trimmed = s.endsWith('.') ? s.slice(0, -1) : s
  const parts = trimmed.split('.')
  if (parts.some((p) => !/^[\w/-]*$/.test(p))) throw new Error(NOT_FIELD)
  return parts
}

function nameMatches(r: ResourceInfo, name: string): boolean {
  return r.plural === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name)
}

/** ExplainOptions runs `explain` (--recursive, --api-version, -o plaintext|plaintext-openapiv2). */
export class ExplainOptions {
  apiVersion = ''
  recursive = false
  output = PLAINTEXT
  args: string[] = []
  constructor(readonly io: IOStreams) {}

  validate(): void {
    if (this.args.length === 0) throw new Error(`You must specify the type of resource to explain. ${SUGGEST}\n`)
    if (this.args.length > 1) throw new Error('We accept only this format: explain RESOURCE\n')
  }

  // resolve maps the argument to a resource and a field path (SplitAndParseResourceRequest*).
  private async resolve(f: Factory): Promise<{info: ResourceInfo; fields: string[]}> {
    const arg = this.args[0]
    const nodes = fieldNodes(arg)
    if (nodes[0] === '') throw new Error(NOT_FIELD)
    const name = nodes[0].toLowerCase()
    const disco = await f.discovery()
    let matches = preferredOrder(await disco.serverGroupsAndResources()).filter((r) => nameMatches(r, name))
    if (matches.length === 0 && !disco.fresh) {
      disco.invalidate()
      matches = preferredOrder(await disco.serverGroupsAndResources()).filter((r) => nameMatches(r, name))
    }
    if (matches.length === 0) throw new RawError(`the server doesn't have a resource type "${name}"`)
    if (this.apiVersion) return {info: matches[0], fields: nodes.slice(1)}
    for (const r of matches) {
      const gr = r.group ? `${r.plural}.${r.group}` : r.plural
      if (!arg.startsWith(gr)) continue
      const suffix = arg.slice(gr.length)
      return {info: r, fields: suffix ? fieldNodes(suffix).slice(1) : []}
    }
    return {info: matches[0], fields: nodes.slice(1)}
  }

  async run(f: Factory): Promise<void> {
    const {info, fields} = await this.resolve(f)
    const gvr: GVR = {group: info.group, version: info.version, resource: info.plural}
    const rest = await f.restClient()
    if (this.output === PLAINTEXT_OPENAPIV2) return this.renderV2(f, info)
    let root: {paths?: Record<string, {serverRelativeURL?: string}>}
    try {
      root = await rest.get('/openapi/v3')
    } catch {
      // kubectl falls back to the OpenAPI v2 renderer when the server has no v3 documents
      return this.renderV2(f, info)
    }
    if (this.apiVersion) Object.assign(gvr, parseGroupVersion(this.apiVersion))
    const key = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`
    const entry = root.paths?.[key]
    if (!entry) throw new Error(`couldn't find resource for "${gvrString(gvr)}"`)
    const url = entry.serverRelativeURL ?? `/openapi/v3/${key}`
    const [path, qs] = url.split('?')
    const query: Record<string, string> = {}
    for (const [k, v] of new URLSearchParams(qs ?? '')) query[k] = v
    let doc: Schema
    try {
      doc = await rest.get<Schema>(path, {query})
    } catch (e) {
      throw new Error(`failed to fetch openapi schema for ${key}: ${(e as Error).message}`, {cause: e})
    }
    if (this.output !== PLAINTEXT) throw new Error(`unrecognized format: ${this.output}`)
    try {
      renderExplain(doc, gvr, fields, this.recursive, (s) => this.io.out.write(s))
    } catch (e) {
      if (e instanceof ExplainError) throw new RawError(e.message)
      throw e
    }
  }

  // renderV2 is the plaintext-openapiv2 renderer: the daemon's /openapi/v2 describes no kinds, so after asking for
  // it (as kubectl does) the kind is never found, worded as kubectl words it.
  private async renderV2(f: Factory, info: ResourceInfo): Promise<void> {
    let gv = info.group ? `${info.group}/${info.version}` : `/${info.version}`
    if (this.apiVersion) {
      const p = parseGroupVersion(this.apiVersion)
      gv = p.group ? `${p.group}/${p.version}` : `/${p.version}`
    }
    const rest = await f.restClient()
    // TODO(explain): render OpenAPI v2 models if the daemon ever describes kinds in /openapi/v2.
    await rest.raw('GET', '/openapi/v2', {accept: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'})
    throw new Error(`couldn't find resource for "${gv}, Kind=${info.kind}"`)
  }
}
