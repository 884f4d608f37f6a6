// wait.ts holds WaitOptions for `mkctl wait` (kubectl/pkg/cmd/wait: wait.go, condition.go, json.go, delete.go,
// create.go) and untilWithSync, the informer-style list+watch by name that `wait`, `rollout status` and the
// deletion wait share (client-go tools/watch UntilWithSync: list at resourceVersion=0, each listed object as an
// ADDED event, then a watch from the list's resourceVersion, re-opened from the last seen one when it ends).
import {isNotFound, StatusError} from '../../api/errors.js'
import {goSprint} from '../../api/gofmt.js'
import {JsonPath} from '../../api/jsonpath.js'
import type {KubeObject, WatchEvent} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {watch} from '../client/watch.js'
import {FlagParseError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {relaxedJsonPathExpression} from '../printers/custom-columns.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {finalError, newBuilder, resourcePath, type Builder, type Info} from '../resource/builder.js'

/** TIMED_OUT is what untilWithSync returns when the deadline passes first. */
export const TIMED_OUT = Symbol('timed out')

/** UntilOptions: the condition sees every event; precondition runs once after the initial list. */
export interface UntilOptions {
  /** deadline is a Date.now() time; undefined waits forever. */
  deadline?: number
  /** precondition gets whether the object was listed; returning true ends the wait as met. */
  precondition?: (exists: boolean) => boolean
  condition: (ev: WatchEvent) => boolean
}

/** untilWithSync lists and watches collection for metadata.name=name until condition holds; it returns the last event. */
export async function untilWithSync(
  rest: RestClient,
  collection: string,
  name: string,
  o: UntilOptions,
): Promise<WatchEvent | typeof TIMED_OUT | undefined> {
  const fieldSelector = `metadata.name=${name}`
  const ctl = new AbortController()
  let timedOut = false
  const timer =
    o.deadline !== undefined
      ? setTimeout(
          () => {
            timedOut = true
            ctl.abort()
          },
          Math.max(0, o.deadline - Date.now()),
        )
      : undefined
  try {
    const list = await rest.get<{metadata?: {resourceVersion?: string}; items?: KubeObject[]}>(collection, {
      query: {fieldSelector, limit: 500, resourceVersion: '0'},
      signal: ctl.signal,
    })
    const items = list.items ?? []
    if (o.precondition && o.precondition(items.length > 0)) return undefined
    for (const obj of items) {
      const ev: WatchEvent = {type: 'ADDED', object: obj}
      if (o.condition(ev)) return ev
    }
    let rv = list.metadata?.resourceVersion
    for (;;) {
      const w = watch(
        rest,
        collection,
        {
          allowWatchBookmarks: 'true',
          fieldSelector,
          resourceVersion: rv,
          timeoutSeconds: 300 + Math.floor(Math.random() * 300),
        },
        ctl.signal,
      )
      try {
        for await (const ev of w) {
          if (ev.type === 'BOOKMARK') {
            rv = ev.object.metadata?.resourceVersion ?? rv
            continue
          }
          if (ev.type === 'ERROR') {
            const st = new StatusError(ev.object as never)
            if (st.status.code === 410) break
            throw st
          }
          rv = ev.object.metadata?.resourceVersion ?? rv
          if (o.condition(ev)) return ev
        }
      } finally {
        w.stop()
      }
      if (timedOut) return TIMED_OUT
    }
  } catch (e) {
    if (timedOut) return TIMED_OUT
    throw e
  } finally {
    if (timer) clearTimeout(timer)
  }
}

/** conditionError wraps the fixed prefix kubectl prints when a watch reports an error event. */
type ConditionCheck = (obj: KubeObject) => boolean

/** WaitOptions waits for conditions on resources. */
export class WaitOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  selector?: string
  fieldSelector?: string
  all = false
  allNamespaces = false
  forCondition = ''
  timeoutFlag = '30s'
  output = ''
  timeoutMs = 30_000
  commandPath = 'mkctl wait'
  private printer?: ResourcePrinter
  private check?: ConditionCheck
  private mode: 'delete' | 'create' | 'check' = 'check'
  private builderFactory?: () => Promise<Builder>
  private rest?: RestClient

  constructor(readonly io: IOStreams) {}

  /** complete is WaitFlags.ToOptions: printer, builder, condition function, timeout. */
  async complete(f: Factory): Promise<void> {
    this.printer = toPrinter({output: this.output, operation: 'condition met'}, this.io.out)
    const ms = parseGoDuration(this.timeoutFlag)
    if (ms === undefined)
      throw new FlagParseError(
        `invalid argument "${this.timeoutFlag}" for "--timeout" flag: time: invalid duration "${this.timeoutFlag}"`,
        this.commandPath,
      )
    this.conditionFuncFor(this.forCondition)
    this.timeoutMs = ms < 0 ? 168 * 3600_000 : ms
    this.builderFactory = async () =>
      newBuilder(f, this.io.in, {
        filenames: this.filenames,
        recursive: this.recursive,
        labelSelector: this.selector,
        fieldSelector: this.fieldSelector,
        selectAll: this.all,
        allNamespaces: this.allNamespaces,
        args: this.args,
      })
    this.rest = await f.restClient()
  }

  // conditionFuncFor follows wait.go conditionFuncFor.
  private conditionFuncFor(condition: string): void {
    const lower = condition.toLowerCase()
    if (lower === 'delete') {
      this.mode = 'delete'
      return
    }
    if (lower === 'create') {
      this.mode = 'create'
      return
    }
    if (condition.startsWith('condition=')) {
      let name = condition.slice('condition='.length)
      let value = 'true'
      const eq = name.indexOf('=')
      if (eq >= 0) {
        value = name.slice(eq + 1)
        name = name.slice(0, eq)
      }
      this.check = (obj) => conditionMet(obj, name, value)
      return
    }
    if (condition.startsWith('jsonpath=')) {
      const [expr, value] = processJsonPathInput(condition.slice('jsonpath='.length))
      if (expr === '') throw new Error('jsonpath expression cannot be empty')
      const j = new JsonPath(expr, {allowMissingKeys: true})
      this.check = (obj) => jsonPathMet(j, obj, value)
      return
    }
    throw new Error(`unrecognized condition: ${JSON.stringify(condition)}`)
  }

  /** run is RunWait. */
  async run(): Promise<void> {
    const rest = this.rest!
    const deadline = Date.now() + this.timeoutMs
    if (this.mode === 'create') {
      // poll every 500ms until every named object exists (wait.PollUntilContextTimeout, immediate)
      for (;;) {
        const b = await this.builderFactory!()
        const err = await this.visitErr(b, rest)
        if (!err) break
        if (!isNotFound(err)) throw err
        if (Date.now() + 500 > deadline) throw new Error('timed out waiting for the condition')
        await new Promise((r) => setTimeout(r, 500))
      }
    }
    const b = await this.builderFactory!()
    const errs: Error[] = []
    let visitCount = 0
    for await (const item of this.visitLatest(b, rest)) {
      if ('error' in item) {
        if (this.mode === 'delete' && isNotFound(item.error)) continue
        errs.push(item.error)
        continue
      }
      visitCount++
      try {
        const obj = await this.waitOne(item.info, rest, deadline)
        this.printer!.print(obj)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (visitCount === 0 && this.mode !== 'delete') throw new Error('no matching resources found')
  }

  private async visitErr(b: Builder, rest: RestClient): Promise<Error | undefined> {
    for await (const item of this.visitLatest(b, rest)) if ('error' in item) return item.error
    return undefined
  }

  // visitLatest yields each object fetched fresh (the builder's Latest()); errors about one object in between.
  private async *visitLatest(b: Builder, rest: RestClient): AsyncGenerator<{info: Info} | {error: Error}> {
    for await (const item of b.visit()) {
      if ('error' in item) {
        yield {error: item.error}
        continue
      }
      const info = item.info
      try {
        const obj = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
        info.object = {
          ...obj,
          apiVersion: obj.apiVersion ?? info.object.apiVersion,
          kind: obj.kind ?? info.mapping.kind,
        }
        yield {info}
      } catch (e) {
        yield {error: e as Error}
      }
    }
  }

  // waitOne runs the condition function for one object and returns the object to print.
  private async waitOne(info: Info, rest: RestClient, deadline: number): Promise<KubeObject> {
    if (!info.name) throw new Error('resource name must be provided')
    if (this.mode === 'create') return info.object
    const collection = resourcePath(info.mapping, info.namespace)
    const objectName = `${info.mapping.plural}/${info.name}`
    const timeoutErr = () => new Error(`timed out waiting for the condition on ${objectName}`)
    const timeoutMs = deadline - Date.now()
    if (this.mode === 'delete') {
      let gotten: KubeObject
      try {
        gotten = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
      } catch (e) {
        if (isNotFound(e)) return info.object
        throw e
      }
      if (this.timeoutMs === 0) throw new Error(`condition not met for ${objectName}`)
      if (timeoutMs < 0) throw timeoutErr()
      const r = await untilWithSync(rest, collection, info.name, {
        deadline,
        precondition: (exists) => !exists,
        condition: (ev) => {
          if (ev.type === 'ERROR') {
            this.io.errOut.write(
              `error: An error occurred while waiting for the object to be deleted: ${new StatusError(ev.object as never).message}`,
            )
            return false
          }
          return ev.type === 'DELETED'
        },
      })
      if (r === TIMED_OUT) throw timeoutErr()
      return gotten
    }
    const check = this.check!
    if (this.timeoutMs === 0) {
      const obj = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
      if (!check(obj)) throw new Error(`condition not met for ${objectName}`)
      return obj
    }
    if (timeoutMs < 0) throw timeoutErr()
    let missing = false
    const r = await untilWithSync(rest, collection, info.name, {
      deadline,
      precondition: (exists) => {
        missing = !exists
        return missing
      },
      condition: (ev) => {
        if (ev.type === 'DELETED' || ev.type === 'ERROR') return false
        return check(ev.object)
      },
    })
    if (missing) throw new StatusError(notFoundStatus(info))
    if (r === TIMED_OUT) throw timeoutErr()
    return (r as WatchEvent).object
  }
}

function notFoundStatus(info: Info): never {
  const gr = info.mapping.group ? `${info.mapping.plural}.${info.mapping.group}` : info.mapping.plural
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${gr} "${info.name}" not found`,
    reason: 'NotFound',
    details: {name: info.name, group: info.mapping.group || undefined, kind: info.mapping.plural},
    code: 404,
  } as never
}

// conditionMet follows ConditionalWait.checkCondition: names and values compare case-insensitively, and a condition
// observed for an older generation does not count.
function conditionMet(obj: KubeObject, name: string, value: string): boolean {
  const o = obj as KubeObject & {status?: {conditions?: unknown; observedGeneration?: unknown}}
  const conditions = o.status?.conditions
  if (!Array.isArray(conditions)) return false
  for (const c of conditions as Record<string, unknown>[]) {
    if (typeof c?.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase()) continue
    if (typeof c.status !== 'string') continue
    const generation = obj.metadata?.generation
    if (typeof generation === 'number') {
      const observed =
        typeof c.observedGeneration === 'number'
          ? c.observedGeneration
          : typeof o.status?.observedGeneration === 'number'
            ? o.status.observedGeneration
            : undefined
      if (observed !== undefined && observed < generation) return false
    }
    return c.status.toLowerCase() === value.toLowerCase()
  }
  return false
}

// processJsonPathInput follows json.go processJSONPathInput: `{expr}` or `{expr}=value` ('==' stays in the expression).
function processJsonPathInput(input: string): [string, string] {
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=') {
      if (input[i + 1] === '=') {
        cur += '=='
        i++
        continue
      }
      parts.push(cur)
      cur = ''
      continue
    }
    cur += input[i]
  }
  parts.push(cur)
  if (parts.length < 1 || parts.length > 2) {
    throw new Error(
      "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
    )
  }
  const expr = relaxedJsonPathExpression(parts[0])
  if (parts.length === 1) return [expr, '']
  const value = parts[1].replace(/^['"]+|['"]+$/g, '')
  if (value === '') {
    throw new Error(
      "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
    )
  }
  return [expr, value]
}

// jsonPathMet follows JSONPathWait.checkCondition.
function jsonPathMet(j: JsonPath, obj: KubeObject, value: string): boolean {
  const results = j.findResults(obj)
  if (results.length === 0 || results[0].length === 0) return false
  if (results.length > 1) throw new Error('given jsonpath expression matches more than one list')
  if (results[0].length > 1) throw new Error('given jsonpath expression matches more than one value')
  if (value === '') return true
  const r = results[0][0]
  if (r !== null && typeof r === 'object')
    throw new Error('jsonpath leads to a nested object or list which is not supported')
  return goSprint(r).trim() === value.trim()
}
