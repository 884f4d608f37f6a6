// openapi.ts reads the server's OpenAPI v3 documents for the write commands: whether a kind takes the
// fieldValidation query parameter (cli-runtime resource/query_param_verifier_v3.go), the strategic-merge patch schema
// client-side apply diffs with (kubectl apply/patcher.go gvkSupportsPatchOpenAPIV3), and the client-side validation
// fallback for kinds the v3 documents do not describe (kubectl/pkg/validation, which needs /openapi/v2).
import {builtinPatchSchema, openApiPatchSchema, type OpenApiDocument, type PatchSchema} from '../../api/patch/index.js'
import type {RestClient} from '../client/rest.js'
import type {Validator} from './builder.js'

/** GVK names a kind in a group-version. */
export interface GVK {
  group: string
  version: string
  kind: string
}

interface PathsRoot {
  paths?: Record<string, {serverRelativeURL?: string}>
}

interface Operation {
  parameters?: {name?: string; $ref?: string}[]
  requestBody?: {content?: Record<string, unknown>}
  'x-kubernetes-group-version-kind'?: GVK
}

type GVDocument = OpenApiDocument & {
  paths?: Record<string, {patch?: Operation; parameters?: {name?: string; $ref?: string}[]}>
}

/** STOP_VALIDATE_MESSAGE ends every client-side validation error (kubectl validation.stopValidateMessage). */
export const STOP_VALIDATE_MESSAGE = 'if you choose to ignore these errors, turn validation off with --validate=false'

/** OpenApiV3 fetches and caches `/openapi/v3` and the group-version documents it lists. */
export class OpenApiV3 {
  private root?: Promise<PathsRoot | undefined>
  private docs = new Map<string, Promise<GVDocument | undefined>>()
  private v2?: Promise<Error | undefined>

  constructor(private readonly rest: () => Promise<RestClient>) {}

  private paths(): Promise<PathsRoot | undefined> {
    this.root ??= this.rest()
      .then((r) => r.get<PathsRoot>('/openapi/v3'))
      .catch(() => undefined)
    return this.root
  }

  /** document returns the OpenAPI v3 document of a group-version, or undefined when the server has none. */
  async document(group: string, version: string): Promise<GVDocument | undefined> {
    const key = group ? `apis/${group}/${version}` : `api/${version}`
    let p = this.docs.get(key)
    if (!p) {
      p = (async () => {
        const root = await this.paths()
        const entry = root?.paths?.[key]
        if (!entry) return undefined
        const url = entry.serverRelativeURL ?? `/openapi/v3/${key}`
        const [path, query] = url.split('?')
        const q: Record<string, string> = {}
        for (const [k, v] of new URLSearchParams(query ?? '')) q[k] = v
        try {
          return await (await this.rest()).get<GVDocument>(path, {query: q})
        } catch {
          return undefined
        }
      })()
      this.docs.set(key, p)
    }
    return p
  }

  private async patchOperation(gvk: GVK): Promise<Operation | undefined> {
    const doc = await this.document(gvk.group, gvk.version)
    for (const item of Object.values(doc?.paths ?? {})) {
      const k = item.patch?.['x-kubernetes-group-version-kind']
      if (k && k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind) return item.patch
    }
    return undefined
  }

  /** supportsFieldValidation tells whether the kind's PATCH takes `fieldValidation` (HasSupport). */
  async supportsFieldValidation(gvk: GVK): Promise<boolean> {
    if (gvk.group === '' && gvk.version === 'v1' && gvk.kind === 'List') return false
    const op = await this.patchOperation(gvk)
    if (!op) return false
    const doc = await this.document(gvk.group, gvk.version)
    for (const item of Object.values(doc?.paths ?? {})) {
      if (item.patch !== op) continue
      const params = [...(op.parameters ?? []), ...(item.parameters ?? [])]
      return params.some((p) => p.name === 'fieldValidation' || (p.$ref ?? '').includes('fieldValidation'))
    }
    return false
  }

  /**
   * patchSchema returns the strategic-merge schema client-side apply uses for a kind: the OpenAPI v3 one when the
   * kind's PATCH accepts strategic merge patches, else the built-in one, else undefined (JSON merge patch).
   */
  async patchSchema(gvk: GVK): Promise<PatchSchema | undefined> {
    const op = await this.patchOperation(gvk)
    if (op && op.requestBody?.content && 'application/strategic-merge-patch+json' in op.requestBody.content) {
      const doc = await this.document(gvk.group, gvk.version)
      const s = doc && openApiPatchSchema(doc, gvk)
      if (s) return s
    }
    return builtinPatchSchema(gvk.group, gvk.version, gvk.kind)
  }

  /** openApiV2Error downloads `/openapi/v2` once, as the schema validator does, and returns why it failed. */
  openApiV2Error(): Promise<Error | undefined> {
    this.v2 ??= this.rest()
      .then((r) => r.raw('GET', '/openapi/v2', {accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'}))
      .then((res) => {
        if (res.status >= 200 && res.status <= 299) return undefined
        return new Error(
          res.status === 404
            ? 'the server could not find the requested resource'
            : `the server responded with the status code ${res.status}`,
        )
      })
      .catch((e: Error) => e)
    return this.v2
  }
}

/**
 * newValidator returns the document check of `--validate=strict` (cmdutil Factory.Validator with a
 * paramVerifyingSchema): kinds whose PATCH takes fieldValidation are left to the server; other kinds go to
 * client-side schema validation, which needs /openapi/v2 and fails when the server has none.
 */
export function newValidator(openapi: OpenApiV3): Validator {
  return async (doc: unknown) => {
    const fail = (msg: string) => new Error(`error validating data: ${msg}; ${STOP_VALIDATE_MESSAGE}`)
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw fail('invalid object to validate')
    const o = doc as {apiVersion?: unknown; kind?: unknown}
    if (o.apiVersion === undefined || o.apiVersion === null) throw fail('apiVersion not set')
    if (typeof o.apiVersion !== 'string') throw fail("apiVersion isn't string type")
    if (o.kind === undefined || o.kind === null) throw fail('kind not set')
    if (typeof o.kind !== 'string') throw fail("kind isn't string type")
    const i = o.apiVersion.indexOf('/')
    const gvk = {
      group: i < 0 ? '' : o.apiVersion.slice(0, i),
      version: i < 0 ? o.apiVersion : o.apiVersion.slice(i + 1),
      kind: o.kind,
    }
    if (await openapi.supportsFieldValidation(gvk)) return
    const v2 = await openapi.openApiV2Error()
    if (v2) throw fail(`failed to download openapi: ${v2.message}`)
  }
}

/** validationDirective maps --validate to the fieldValidation value kubectl sends (cmdutil.GetValidationDirective). */
export function validationDirective(flag: string | undefined): 'Strict' | 'Warn' | 'Ignore' {
  const v = flag ?? 'strict'
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return 'Strict'
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return 'Ignore'
  switch (v) {
    case 'strict':
      return 'Strict'
    case 'warn':
      return 'Warn'
    case 'ignore':
      return 'Ignore'
    default:
      throw new Error(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`)
  }
}

/** DryRun is --dry-run's strategy. */
export type DryRun = 'none' | 'client' | 'server'

/** dryRunStrategy parses --dry-run (cmdutil.GetDryRunStrategy); a bare --dry-run means client. */
export function dryRunStrategy(flag: string | undefined): DryRun {
  const v = flag ?? 'none'
  if (['1', 't', 'T', 'TRUE', 'true', 'True', 'unchanged', 'client'].includes(v)) return 'client'
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', 'none'].includes(v)) return 'none'
  if (v === 'server') return 'server'
  throw new Error(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`)
}

/** dryRunSuffix is what the name printer appends to the operation (PrintFlagsWithDryRunStrategy). */
export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : ''
}

/** noOptDefaults rewrites bare flags that pflag gives a NoOptDefVal (`--validate`, `--dry-run`, `--cascade`). */
export function noOptDefaults(argv: string[], defaults: Record<string, string>): string[] {
  return argv.map((a) => (a in defaults ? `${a}=${defaults[a]}` : a))
}
