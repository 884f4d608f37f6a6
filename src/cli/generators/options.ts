// options.ts holds what kubectl's generator commands share (create <kind>, run, expose): the print, dry-run,
// save-config, validate and field-manager flags; the NAME argument; the POST of a typed create with kubectl's
// query; and the printing of the result (`deployment.apps/web created`, `-o yaml`, ...). Follows
// kubectl/pkg/cmd/create/create.go (NameFromCommandArgs, CreateSubcommandOptions) and the Complete/Run of the
// create_*.go commands, which all do the same steps with a typed client.
import {Flags} from '@oclif/core'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {klogHeader} from '../client/klog.js'
import {RawError, UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {omitManagedFields} from '../printers/json.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {typedOrder} from '../printers/typed-order.js'
import {writeQuery} from '../resource/common.js'
import {LAST_APPLIED} from '../resource/last-applied.js'
import {dryRunStrategy, dryRunSuffix, validationDirective, type DryRun} from '../resource/openapi.js'
import {orderedMeta, toStructJson} from './gojson.js'

/** printFlags are kubectl's PrintFlags.AddFlags flags (-o, --template, ...). */
export const printFlags = {
  output: Flags.string({
    char: 'o',
    summary:
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
  }),
  template: Flags.string({
    summary:
      'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
  }),
  'allow-missing-template-keys': Flags.boolean({
    default: true,
    allowNo: false,
    summary:
      'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
  }),
  'show-managed-fields': Flags.boolean({
    summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
  }),
}

/** dryRunFlag is cmdutil.AddDryRunFlag. */
export const dryRunFlag = {
  'dry-run': Flags.string({
    default: 'none',
    summary:
      'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
  }),
}

/** saveConfigFlag is cmdutil.AddApplyAnnotationFlags. */
export const saveConfigFlag = {
  'save-config': Flags.boolean({
    summary:
      'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
  }),
}

/** fieldManagerFlag is cmdutil.AddFieldManagerFlagVar with the command's default manager. */
export function fieldManagerFlag(def: string) {
  return {
    'field-manager': Flags.string({default: def, summary: 'Name of the manager used to track field ownership.'}),
  }
}

/** createFlags are the flags every `create <kind>` command has. */
export const createFlags = {
  ...printFlags,
  ...saveConfigFlag,
  validate: Flags.string({
    default: 'strict',
    summary:
      'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
  }),
  ...dryRunFlag,
  ...fieldManagerFlag('kubectl-create'),
}

/** NO_OPT_DEFAULTS are the values pflag gives bare `--dry-run` and `--validate`. */
export const NO_OPT_DEFAULTS = {'--dry-run': 'unchanged', '--validate': 'strict'}

/** CommonFlagValues are the parsed values of createFlags. */
export interface CommonFlagValues {
  output?: string
  template?: string
  'allow-missing-template-keys'?: boolean
  'show-managed-fields'?: boolean
  'dry-run'?: string
  validate?: string
  'save-config'?: boolean
  'field-manager'?: string
}

/** splitAtDash separates a command's argv at the first `--` (cobra's ArgsLenAtDash): flags+args, then the rest. */
export function splitAtDash(argv: string[]): {before: string[]; after: string[] | undefined} {
  const i = argv.indexOf('--')
  return i < 0 ? {before: argv, after: undefined} : {before: argv.slice(0, i), after: argv.slice(i + 1)}
}

/**
 * requiredFlagsError is cobra's missing required flag failure as kubectl 1.32 prints it: a klog error line from
 * its run.go (`E1126 00:35:48.039718 3700 run.go:72] "command failed" err="required flag(s) \"image\" not set"`).
 * Missing names are listed in flag-name order, as pflag's VisitAll does.
 */
export function requiredFlagsError(missing: string[], now = new Date()): RawError {
  const names = [...missing].sort()
  const err = `required flag(s) "${names.join('", "')}" not set`
  return new RawError(`${klogHeader('E', now, process.pid, 'run.go:72')}"command failed" err=${JSON.stringify(err)}`)
}

/** checkRequired throws requiredFlagsError when any of names was not given on the command line. */
export function checkRequired(flags: object, names: string[]): void {
  const missing = names.filter((n) => {
    const v = (flags as Record<string, unknown>)[n]
    return v === undefined || (Array.isArray(v) && v.length === 0)
  })
  if (missing.length > 0) throw requiredFlagsError(missing)
}

/**
 * withoutNulls drops null fields: typed create commands send protobuf, which has no nulls (`rules: null` of an
 * aggregated ClusterRole, `creationTimestamp: null`), so the server must not receive them as JSON nulls either.
 */
export function withoutNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => withoutNulls(x)) as T
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x)
  return out as T
}

/** Target names the REST collection an object is created in. */
export interface Target {
  group: string
  version: string
  plural: string
  namespaced: boolean
}

/** collectionPath is the URL of a target's collection in a namespace. */
export function collectionPath(t: Target, namespace: string): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`
  return t.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${t.plural}` : `${base}/${t.plural}`
}

/**
 * saveConfigAnnotation sets the last-applied annotation to the object's typed JSON encoding (CreateOrUpdateAnnotation
 * with the typed object: struct field order, compact, a trailing newline), keeping metadata in ObjectMeta order.
 */
export function saveConfigAnnotation(obj: KubeObject): void {
  const meta = {...((obj.metadata ?? {}) as Record<string, unknown>)}
  const annots = {...((meta.annotations as Record<string, string> | undefined) ?? {})}
  delete annots[LAST_APPLIED]
  const withoutMeta = {...meta, annotations: Object.keys(annots).length > 0 ? annots : undefined}
  obj.metadata = orderedMeta(withoutMeta) as KubeObject['metadata']
  const encoded = toStructJson(obj, '') + '\n'
  obj.metadata = orderedMeta({
    ...withoutMeta,
    annotations: {...annots, [LAST_APPLIED]: encoded},
  }) as KubeObject['metadata']
}

/** warnDryRun prints GetDryRunStrategy's klog warnings for a bare or boolean --dry-run. */
export function warnDryRun(io: IOStreams, flag: string | undefined, now = new Date()): void {
  if (flag === undefined) return
  const w = (line: string, msg: string) => io.errOut.write(klogHeader('W', now, process.pid, line) + msg + '\n')
  if (flag === 'unchanged') w('helpers.go:702', '--dry-run is deprecated and can be replaced with --dry-run=client.')
  else if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(flag))
    w('helpers.go:716', `--dry-run=${flag} is deprecated (boolean value) and can be replaced with --dry-run=client.`)
  else if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(flag))
    w('helpers.go:719', `--dry-run=${flag} is deprecated (boolean value) and can be replaced with --dry-run=none.`)
}

/** GeneratorOptions is the shared part of a generator command's options. */
export class GeneratorOptions {
  name = ''
  output = ''
  template?: string
  allowMissingTemplateKeys = true
  showManagedFields = false
  dryRunFlag?: string
  validateFlag?: string
  saveConfig = false
  fieldManager = 'kubectl-create'
  /** operation is the name printer's word. */
  operation = 'created'

  dryRun: DryRun = 'none'
  directive = 'Strict'
  namespace = 'default'
  enforceNamespace = false
  protected factory?: Factory
  protected printer?: ResourcePrinter

  constructor(
    readonly io: IOStreams,
    readonly commandPath: string,
  ) {}

  /** setCommonFlags copies the print/dry-run/validate/save-config/field-manager flags. */
  setCommonFlags(flags: CommonFlagValues): void {
    this.output = flags.output ?? ''
    this.template = flags.template
    this.allowMissingTemplateKeys = flags['allow-missing-template-keys'] ?? true
    this.showManagedFields = flags['show-managed-fields'] ?? false
    this.dryRunFlag = flags['dry-run']
    this.validateFlag = flags.validate
    this.saveConfig = flags['save-config'] ?? false
    if (flags['field-manager'] !== undefined) this.fieldManager = flags['field-manager']
  }

  /** nameFromArgs is NameFromCommandArgs: exactly one NAME before `--`. */
  nameFromArgs(argsBeforeDash: string[]): string {
    if (argsBeforeDash.length !== 1)
      throw new UsageError(`exactly one NAME is required, got ${argsBeforeDash.length}`, this.commandPath)
    this.name = argsBeforeDash[0]
    return this.name
  }

  /**
   * complete resolves the namespace (no connection is made: `--dry-run=client` works without a cluster), the
   * dry-run strategy, the printer and the validation directive, in kubectl's order.
   */
  async complete(f: Factory): Promise<void> {
    this.factory = f
    const ns = await f.namespace()
    this.namespace = ns.namespace
    this.enforceNamespace = ns.explicit
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    warnDryRun(this.io, this.dryRunFlag)
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        allowMissingTemplateKeys: this.allowMissingTemplateKeys,
        showManagedFields: this.showManagedFields,
        operation: this.operation + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    )
    this.directive = validationDirective(this.validateFlag)
  }

  /** objectNamespace is the namespace written into a generated object: only an explicit -n. */
  get objectNamespace(): string | undefined {
    return this.enforceNamespace ? this.namespace : undefined
  }

  /**
   * createTyped is the Run of a typed create command: the save-config annotation, then (unless client dry-run) the
   * POST with fieldManager, fieldValidation and dryRun; wrap words a failure (`failed to create deployment: %v`).
   */
  async createTyped(obj: KubeObject, target: Target, wrap?: string): Promise<KubeObject> {
    if (this.saveConfig) saveConfigAnnotation(obj)
    if (this.dryRun === 'client') return obj
    const rest = await this.factory!.restClient()
    try {
      return await rest.post<KubeObject>(collectionPath(target, this.namespace), withoutNulls(obj), {
        query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager, fieldValidation: this.directive}),
      })
    } catch (e) {
      if (wrap === undefined) throw e
      throw new Error(`${wrap}${(e as Error).message}`, {cause: e})
    }
  }

  /**
   * print writes the object as kubectl writes the typed object it holds: decoded into its Go struct (fields the
   * server left out but Go encodes anyway, such as `rules: null`, appear) and, for -o json, in struct field order;
   * -o yaml sorts every key anyway (sigs.k8s.io/yaml).
   */
  print(obj: KubeObject): void {
    const typed = typedOrder(obj)
    if (this.output.toLowerCase() === 'json') {
      const o = this.showManagedFields ? typed : omitManagedFields(typed)
      this.io.out.write(toStructJson(o) + '\n')
      return
    }
    this.printer!.print(typed)
  }
}
