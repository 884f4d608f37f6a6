// taint.ts holds TaintOptions for `mkctl taint` (kubectl/pkg/cmd/taint/taint.go, utils.go): split the arguments into
// resources and taint changes, parse `key[=value]:Effect` and `key[:Effect]-`, then for each node compute the new
// taint list and send it as a strategic merge patch (taints have no merge key, so the whole list is replaced).
import {isQualifiedName, isValidLabelValue} from '../../api/validation.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {NoResourceMatchError, RawError, UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {toPrinter} from '../printers/index.js'
import {finalError, GoAggregate, newBuilder, type Builder} from '../resource/builder.js'
import {dryRunStrategy, validationDirective, type DryRun} from '../resource/openapi.js'

/** Taint is core/v1 Taint. */
export interface Taint {
  key: string
  value?: string
  effect?: string
  timeAdded?: string
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']

/** taintString is Taint.ToString(). */
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`
}

/** parseTaint parses one `key[=value][:effect]` spec (utils.go parseTaint). */
export function parseTaint(st: string): Taint {
  const parts = st.split(':')
  let key: string
  let value = ''
  let effect = ''
  if (parts.length === 1) key = parts[0]
  else if (parts.length === 2) {
    effect = parts[1]
    if (!EFFECTS.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`)
    const kv = parts[0].split('=')
    if (kv.length > 2) throw new Error(`invalid taint spec: ${st}`)
    key = kv[0]
    if (kv.length === 2) {
      value = kv[1]
      const errs = isValidLabelValue(value)
      if (errs.length > 0) throw new Error(`invalid taint spec: ${st}, ${errs.join('; ')}`)
    }
  } else throw new Error(`invalid taint spec: ${st}`)
  const errs = isQualifiedName(key)
  if (errs.length > 0) throw new Error(`invalid taint spec: ${st}, ${errs.join('; ')}`)
  const t: Taint = {key}
  if (value) t.value = value
  if (effect) t.effect = effect
  return t
}

/** parseTaints splits specs into taints to add and to remove (utils.go parseTaints). */
export function parseTaints(specs: string[]): {add: Taint[]; remove: Taint[]} {
  const add: Taint[] = []
  const remove: Taint[] = []
  const seen = new Map<string, Set<string>>()
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1))
      remove.push({key: t.key, ...(t.effect ? {effect: t.effect} : {})})
      continue
    }
    const t = parseTaint(spec)
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`)
    const keys = seen.get(t.effect) ?? new Set<string>()
    // Go prints the Taint struct with %v: {key value effect <nil>}
    if (keys.has(t.key))
      throw new Error(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`)
    keys.add(t.key)
    seen.set(t.effect, keys)
    add.push(t)
  }
  return {add, remove}
}

const matches = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? '') === (b.effect ?? '')

/** reorganizeTaints computes the new taint list and the operation word (utils.go reorganizeTaints). */
export function reorganizeTaints(
  old: Taint[],
  overwrite: boolean,
  add: Taint[],
  remove: Taint[],
): {operation: string; taints: Taint[]} {
  let next: Taint[] = [...add]
  for (const o of old) if (!next.some((t) => matches(t, o))) next.push(o)
  const added = old.length !== next.length
  const errs: Error[] = []
  let removed = false
  for (const r of remove) {
    const before = next.length
    next = next.filter((t) => (r.effect ? !matches(r, t) : t.key !== r.key))
    removed = next.length !== before
    if (!removed) errs.push(new Error(`taint ${JSON.stringify(taintString(r))} not found`))
  }
  if (errs.length > 0) throw errs.length === 1 ? errs[0] : new GoAggregate(errs)
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted'
  return {operation, taints: next}
}

/** TaintOptions updates the taints on nodes. */
export class TaintOptions {
  args: string[] = []
  selector = ''
  all = false
  overwrite = false
  output = ''
  dryRunFlag?: string
  validateFlag?: string
  fieldManager = 'kubectl-taint'
  private dryRun: DryRun = 'none'
  private resources: string[] = []
  private add: Taint[] = []
  private remove: Taint[] = []
  private builder?: Builder
  private rest?: RestClient

  constructor(
    readonly io: IOStreams,
    readonly commandPath: string,
  ) {}

  /** complete follows Complete (argument split, taint parsing) and Validate (node type, conflicts, flags). */
  async complete(f: Factory): Promise<void> {
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    const directive = validationDirective(this.validateFlag)
    void directive
    const taintArgs: string[] = []
    let met = false
    for (const s of this.args) {
      const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-')
      if (isTaint) {
        met = true
        taintArgs.push(s)
      } else if (!met) this.resources.push(s)
      else throw new Error(`all resources must be specified before taint changes: ${s}`)
    }
    toPrinter({output: this.output}, this.io.out)
    if (this.resources.length < 1) throw new Error('one or more resources must be specified as <resource> <name>')
    if (taintArgs.length < 1) throw new Error('at least one taint update is required')
    try {
      ;({add: this.add, remove: this.remove} = parseTaints(taintArgs))
    } catch (e) {
      throw new UsageError((e as Error).message, this.commandPath)
    }
    // Validate
    const type = this.resources[0].toLowerCase()
    let mapping
    try {
      mapping = await (await f.mapper()).resourceFor(type)
    } catch (e) {
      // checkErr prints a NoResourceMatchError without the `error: ` prefix
      if (e instanceof NoResourceMatchError) throw new RawError(e.message)
      throw e
    }
    if (mapping.kind !== 'Node') throw new Error(`invalid resource type ${type}, only node types are supported`)
    const conflicts: string[] = []
    for (const a of this.add)
      for (const r of this.remove)
        if (a.key === r.key && (!r.effect || a.effect === r.effect)) conflicts.push(`${r.key}=${r.effect ?? ''}`)
    if (conflicts.length > 0)
      throw new Error(
        `can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`,
      )
    if (this.all && this.selector) throw new Error("setting 'all' parameter with a non empty selector is prohibited")
    if (!this.all && !this.selector && this.resources.length < 2)
      throw new Error("at least one resource name must be specified since 'all' parameter is not set")
    this.rest = await f.restClient()
    const selecting = this.all || this.selector !== ''
    this.builder = await newBuilder(f, this.io.in, {
      args: selecting ? ['node'] : ['node', ...this.resources.slice(1)],
      labelSelector: selecting ? this.selector : undefined,
    })
  }

  /** run patches every node. */
  async run(): Promise<void> {
    const errs: Error[] = []
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      const path = `/api/v1/nodes/${encodeURIComponent(info.name)}`
      try {
        const node = (
          this.selector || this.all ? info.object : await this.rest!.get<KubeObject>(path)
        ) as KubeObject & {spec?: {taints?: Taint[]}}
        const old = node.spec?.taints ?? []
        if (!this.overwrite) {
          const exists = this.add
            .filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect))
            .map((t) => t.key)
          if (exists.length > 0)
            throw new Error(
              `node ${node.metadata?.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`,
            )
        }
        const {operation, taints} = reorganizeTaints(old, this.overwrite, this.add, this.remove)
        // kubectl sets the dry-run suffix before ToPrinter overwrites the operation, so no suffix shows
        const printer = toPrinter({output: this.output, operation}, this.io.out)
        if (this.dryRun === 'client') {
          printer.print({
            ...node,
            apiVersion: 'v1',
            kind: 'Node',
            spec: {...node.spec, taints: taints.length > 0 ? taints : undefined},
          })
          continue
        }
        const out = await this.rest!.patch<KubeObject>(
          path,
          {spec: {taints: taints.length > 0 ? taints : null}},
          'application/strategic-merge-patch+json',
          {
            query: {
              dryRun: this.dryRun === 'server' ? 'All' : undefined,
              fieldManager: this.fieldManager,
              fieldValidation: validationDirective(this.validateFlag),
            },
          },
        )
        printer.print(out)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }
}
