// describe.ts holds DescribeOptions, the behaviour of `mkctl describe` (kubectl/pkg/cmd/describe/describe.go):
// resolve the objects through the resource builder (a bare TYPE lists everything, TYPE NAME... gets each name,
// -f reads files, -l selects), describe each with the describer for its kind, separate them with a blank line, and,
// when `describe TYPE NAME` finds no such object, describe every object whose name starts with NAME instead.
import {StatusError} from '../../api/errors.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {describerFor, type DescribeContext} from '../describe/index.js'
import {write, type IOStreams} from '../io.js'
import {finalError, GoAggregate, newBuilder, resourcePath, type Info} from '../resource/builder.js'

/** DescribeFlags are `describe`'s own flags. */
export interface DescribeFlags {
  filenames: string[]
  recursive: boolean
  selector?: string
  allNamespaces: boolean
  showEvents: boolean
  chunkSize: number
}

/** DescribeOptions runs `describe`. */
export class DescribeOptions {
  private factory!: Factory
  private namespace = 'default'
  private rest!: RestClient
  /** now is the clock ages are measured against; tests may pin it. */
  now: () => number = () => Date.now()

  constructor(
    readonly flags: DescribeFlags,
    readonly args: string[],
    readonly io: IOStreams,
    readonly commandName = 'mkctl',
  ) {}

  /** validate checks what needs no server: something to describe must be named. */
  validate(): void {
    if (this.args.length === 0 && this.flags.filenames.length === 0) {
      throw new Error(
        `You must specify the type of resource to describe. Use "${this.commandName} api-resources" for a complete list of supported resources.\n`,
      )
    }
  }

  /** complete resolves the namespace and the REST client. */
  async complete(f: Factory): Promise<void> {
    this.factory = f
    this.namespace = (await f.namespace()).namespace
    this.rest = await f.restClient()
  }

  private context(): DescribeContext {
    return {
      rest: this.rest,
      settings: {showEvents: this.flags.showEvents, chunkSize: this.flags.chunkSize},
      now: this.now,
    }
  }

  // namesGiven tells whether the arguments name objects (TYPE NAME..., TYPE/NAME), which the builder only stubs:
  // kubectl's builder GETs each of them before anything is described.
  private namesGiven(): boolean {
    return this.flags.filenames.length === 0 && (this.args.length >= 2 || this.args.some((a) => a.includes('/')))
  }

  /** collect resolves the objects to describe and the errors met on the way (kubectl's r.Infos()). */
  private async collect(): Promise<{infos: Info[]; errors: Error[]}> {
    const typesOnly = this.flags.filenames.length === 0 && !this.namesGiven()
    const b = await newBuilder(this.factory, this.io.in, {
      filenames: this.flags.filenames,
      recursive: this.flags.recursive,
      args: this.args,
      allNamespaces: this.flags.allNamespaces,
      // A bare TYPE selects everything, as ResourceTypeOrNameArgs(allowEmptySelector=true) does.
      ...(this.flags.selector !== undefined
        ? {labelSelector: this.flags.selector}
        : typesOnly
          ? {labelSelector: ''}
          : {}),
    })
    const infos: Info[] = []
    const errors: Error[] = []
    const fetchNames = this.namesGiven()
    for await (const item of b.visit()) {
      if ('error' in item) {
        errors.push(item.error)
        continue
      }
      if (fetchNames) {
        try {
          await this.rest.get(resourcePath(item.info.mapping, item.info.namespace, item.info.name))
        } catch (e) {
          errors.push(e as Error)
          continue
        }
      }
      infos.push(item.info)
    }
    return {infos, errors}
  }

  /** run describes the objects. */
  async run(): Promise<void> {
    const {infos, errors: infoErrors} = await this.collect()
    const ctx = this.context()
    const allErrs: Error[] = []
    if (infoErrors.length > 0) {
      const notFound = infoErrors.some((e) => e instanceof StatusError && e.reason === 'NotFound')
      if (notFound && this.args.length === 2 && this.flags.filenames.length === 0) {
        return this.describeMatching(infoErrors.length === 1 ? infoErrors[0]! : new GoAggregate(infoErrors), ctx)
      }
      allErrs.push(infoErrors.length === 1 ? infoErrors[0]! : new GoAggregate(infoErrors))
    }
    const seen = new Set<string>()
    let first = true
    for (const info of infos) {
      let s: string
      try {
        s = await describerFor(info.mapping)(ctx, info.namespace, info.name)
      } catch (e) {
        const msg = (e as Error).message
        if (!seen.has(msg)) {
          allErrs.push(e as Error)
          seen.add(msg)
        }
        continue
      }
      await write(this.io.out, first ? s : `\n\n${s}`)
      first = false
    }
    if (infos.length === 0 && allErrs.length === 0) {
      await write(
        this.io.errOut,
        this.flags.allNamespaces ? 'No resources found\n' : `No resources found in ${this.namespace} namespace.\n`,
      )
    }
    const err = finalError(allErrs)
    if (err) throw err
  }

  /**
   * describeMatching is DescribeMatchingResources: list the type in the namespace and describe the objects whose names
   * start with the given prefix, each followed by a newline; the original error when none does.
   */
  private async describeMatching(original: Error, ctx: DescribeContext): Promise<void> {
    const [type, prefix] = this.args as [string, string]
    if (type.includes('/')) throw original
    const mapper = await this.factory.mapper()
    const types = type.split(',').filter((t) => t !== '')
    if (types.length !== 1) throw new Error('you must provide exactly one resource type')
    const mappings: ResourceInfo[] = await mapper.expand(types[0]!)
    if (mappings.length !== 1) throw new Error('you must provide exactly one resource type')
    const m = mappings[0]!
    const describe = describerFor(m)
    const ns = m.namespaced ? this.namespace : ''
    const names: string[] = []
    let cont: string | undefined
    do {
      const q: Record<string, string | number> = {}
      if (this.flags.chunkSize > 0) q.limit = this.flags.chunkSize
      if (cont) q.continue = cont
      const list = await this.rest.get<any>(resourcePath(m, ns), {query: q})
      for (const it of list?.items ?? []) names.push(String(it.metadata?.name ?? ''))
      cont = list?.metadata?.continue || undefined
    } while (cont)
    let found = false
    for (const name of names) {
      if (!name.startsWith(prefix)) continue
      found = true
      const s = await describe(ctx, ns, name)
      await write(this.io.out, `${s}\n`)
    }
    if (!found) throw original
  }
}
