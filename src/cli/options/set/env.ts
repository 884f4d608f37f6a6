// env.ts holds SetEnvOptions for `mkctl set env` (kubectl/pkg/cmd/set/set_env.go, set/env/env_parse.go,
// set/env/env_resolve.go): add, update or remove container environment variables of pod templates, import them from
// a ConfigMap or Secret (--from, --prefix, --keys), or list them (--list, --resolve).
import type {KubeObject} from '../../../api/object.js'
import {isEnvVarName} from '../../../api/validation.js'
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import {
  podSpecOf,
  selectContainers,
  SetOptionsBase,
  throwAll,
  type Container,
  type PendingPatch,
  type SetInfo,
} from './common.js'

/** EnvVar is a container environment variable. */
export interface EnvVar {
  name: string
  value?: string
  valueFrom?: Record<string, any>
}

const ENV_ARG = /^(.+)=(.*)$/s

/** splitEnvironmentFromResources separates resources from env arguments, which must come last (env_parse.go). */
export function splitEnvironmentFromResources(args: string[]): {resources: string[]; envArgs: string[]} | undefined {
  const resources: string[] = []
  const envArgs: string[] = []
  for (const s of args) {
    const isEnv = ENV_ARG.test(s) || s.endsWith('-')
    if (isEnv) envArgs.push(s)
    else if (envArgs.length > 0) return undefined
    else resources.push(s)
  }
  return {resources, envArgs}
}

/** parseEnv reads `KEY=VALUE`, `KEY-` and `-` (stdin) specs (env_parse.go parseIntoEnvVar). */
export async function parseEnv(
  specs: string[],
  readStdin: () => Promise<string>,
): Promise<{env: EnvVar[]; remove: string[]; usedStdin: boolean}> {
  const env: EnvVar[] = []
  const exists = new Set<string>()
  const remove: string[] = []
  let usedStdin = false
  for (const spec of specs) {
    if (spec === '-') {
      for (let line of (await readStdin()).split('\n')) {
        const hash = line.indexOf('#')
        if (hash >= 0) line = line.slice(0, hash)
        const eq = line.indexOf('=')
        if (eq >= 0) env.push({name: line.slice(0, eq), value: line.slice(eq + 1)})
      }
      usedStdin = true
    } else if (spec.includes('=')) {
      const eq = spec.indexOf('=')
      const name = spec.slice(0, eq)
      const errs = isEnvVarName(name)
      if (errs.length > 0) throw new Error(`${JSON.stringify(name)} is not a valid key name: ${errs.join(';')}`)
      exists.add(name)
      env.push({name, value: spec.slice(eq + 1)})
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1))
    } else {
      throw new Error(`unknown environment variable: ${spec}`)
    }
  }
  if (remove.some((r) => exists.has(r))) {
    throw new Error('can not both modify and remove the same environment variable in the same command')
  }
  return {env, remove, usedStdin}
}

/** updateEnv merges env into existing and drops the removed names (helper.go updateEnv). */
export function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const out: EnvVar[] = []
  const covered = new Set(remove)
  for (const e of existing) {
    if (covered.has(e.name)) continue
    const newer = env.find((x) => x.name === e.name)
    if (newer) {
      covered.add(e.name)
      out.push(newer)
      continue
    }
    out.push(e)
  }
  for (const e of env) {
    if (covered.has(e.name)) continue
    covered.add(e.name)
    out.push(e)
  }
  return out
}

/** envVarRefString describes a valueFrom (env_resolve.go GetEnvVarRefString). */
export function envVarRefString(from: Record<string, any>): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name ?? ''}, key ${from.configMapKeyRef.key ?? ''}`
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name ?? ''}, key ${from.secretKeyRef.key ?? ''}`
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath ?? ''}`
  if (from.resourceFieldRef) {
    const c = from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''
    return `resource field ${c}${from.resourceFieldRef.resource ?? ''}`
  }
  return 'invalid valueFrom'
}

/** SetEnvOptions updates environment variables on pod templates. */
export class SetEnvOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'env updated'
  envParams: string[] = []
  containerSelector = '*'
  from = ''
  prefix = ''
  keys: string[] = []
  list = false
  resolve = false
  overwrite = true
  resources: string[] = []
  envArgs: string[] = []

  /** complete splits the arguments (set_env.go Complete). */
  async complete(f: Factory): Promise<void> {
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    const split = splitEnvironmentFromResources(this.args)
    if (!split) throw new Error(`all resources must be specified before environment changes: ${this.args.join(' ')}`)
    this.resources = split.resources
    this.envArgs = split.envArgs
    await this.completeBase(f)
  }

  /** validate checks flag combinations (set_env.go Validate). */
  validate(): void {
    this.localCheck()
    if (this.filenames.length === 0 && this.resources.length < 1) {
      throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>')
    }
    if (this.list && this.output) throw new Error('--list and --output may not be specified together')
    if (this.keys.length > 0 && !this.from) {
      throw new Error('when specifying --keys, a configmap or secret must be provided with --from')
    }
  }

  private warn(msg: string): void {
    this.io.errOut.write(`Warning: ${msg}\n`)
  }

  private keyToEnvName(key: string): string {
    const name = key.replace(/[^a-zA-Z0-9_]/g, '_').toUpperCase()
    if (name !== key) this.warn(`key ${key} transferred to ${name}`)
    return name
  }

  /** run computes the new environment of every selected container and patches (or lists) it. */
  async run(): Promise<void> {
    let stdinText: Promise<string> | undefined
    const readStdin = () => (stdinText ??= readAll(this.io.in))
    const {env, remove} = await parseEnv([...this.envParams, ...this.envArgs], readStdin)
    if (this.from) {
      const sources = await this.loadInfos(this.local ? [] : [this.from])
      for (const info of sources) {
        const o = info.object as KubeObject & {data?: Record<string, string>}
        const kind = o.kind
        if (o.apiVersion !== 'v1' || (kind !== 'Secret' && kind !== 'ConfigMap')) {
          throw new Error('unsupported resource specified in --from')
        }
        const ref = kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef'
        for (const key of Object.keys(o.data ?? {}).sort()) {
          if (this.keys.length > 0 && !this.keys.includes(key)) continue
          env.push({
            name: this.keyToEnvName(key),
            valueFrom: {[ref]: {key, name: o.metadata?.name ?? ''}},
          })
        }
      }
    }
    if (this.prefix) for (const e of env) e.name = this.prefix + e.name

    const infos = await this.loadInfos(this.resources)
    const rest = this.local ? undefined : await this.rest!()
    const store = new Map<string, Promise<KubeObject>>()
    const errs: Error[] = []
    const patches: PendingPatch[] = []
    // CalculatePatches, with the list output written while the containers are visited
    await this.patchAll(
      infos,
      (obj, info) => {
        const spec = podSpecOf(obj)
        const containers = [
          ...selectContainers(spec.containers, this.containerSelector),
          ...selectContainers(spec.initContainers, this.containerSelector),
        ]
        if (containers.length === 0) {
          this.warn(`${obj.kind ?? ''}/${info.name} does not have any containers matching "${this.containerSelector}"`)
          return
        }
        for (const c of containers) {
          if (!this.overwrite) {
            for (const e of env) {
              const cur = ((c.env ?? []) as EnvVar[]).find((x) => x.name === e.name)
              if (cur && (cur.value ?? '') !== (e.value ?? '')) {
                throw new Error(`'${cur.name}' already has a value (${cur.value ?? ''}), and --overwrite is false`)
              }
            }
          }
          c.env = updateEnv((c.env ?? []) as EnvVar[], env, remove)
          if ((c.env as EnvVar[]).length === 0) delete c.env
          if (this.list) this.pendingLists.push({obj, container: c, info})
        }
      },
      'failed to patch env update to pod template: ',
      errs,
      {collectOnly: patches},
    )
    if (this.list) {
      await this.printLists(rest, store)
      return
    }
    for (const p of patches) {
      const before = errs.length
      await this.sendPatches([p], 'failed to patch env update to pod template: ', errs)
      const sent = p.patch && JSON.stringify(p.patch) !== '{}' && !this.local && this.dryRun !== 'client'
      if (sent && errs.length === before && env.length === 0 && this.envArgs.length === 0) {
        throw new Error('at least one environment variable must be provided')
      }
    }
    throwAll(errs)
  }

  private pendingLists: {obj: KubeObject; container: Container; info: SetInfo}[] = []

  // printLists writes `--list` output: `# Kind name, container c`, then NAME=value or `# NAME from <ref>` lines, with
  // --resolve looking the references up (resolution errors grouped by message, as set_env.go does).
  private async printLists(rest: RestClient | undefined, store: Map<string, Promise<KubeObject>>): Promise<void> {
    for (const {obj, container, info} of this.pendingLists) {
      const out: string[] = [`# ${obj.kind ?? ''} ${info.name}, container ${container.name ?? ''}\n`]
      const resolveErrors = new Map<string, string[]>()
      for (const e of (container.env ?? []) as EnvVar[]) {
        if (!e.valueFrom) {
          out.push(`${e.name}=${e.value ?? ''}\n`)
          continue
        }
        if (!this.resolve) {
          out.push(`# ${e.name} from ${envVarRefString(e.valueFrom)}\n`)
          continue
        }
        try {
          out.push(`${e.name}=${await this.refValue(rest, store, e.valueFrom, obj)}\n`)
        } catch (err) {
          out.push(`# ${e.name} from ${envVarRefString(e.valueFrom)}\n`)
          const msg = (err as Error).message
          resolveErrors.set(msg, [...(resolveErrors.get(msg) ?? []), e.name])
        }
      }
      this.io.out.write(out.join(''))
      const lines = [...resolveErrors].map(
        ([msg, vars]) => `error retrieving reference for ${[...vars].sort().join(', ')}: ${msg}`,
      )
      for (const l of lines.sort()) this.io.errOut.write(l + '\n')
    }
    // set_env.go returns before looking at the patches when listing, so resolution errors do not change the exit code
  }

  private async refValue(
    rest: RestClient | undefined,
    store: Map<string, Promise<KubeObject>>,
    from: Record<string, any>,
    obj: KubeObject,
  ): Promise<string> {
    const fetch = (plural: string, name: string) => {
      const key = `${plural}/${name}`
      let p = store.get(key)
      if (!p) {
        if (!rest) throw new Error(`${plural} "${name}" not found`)
        p = rest.get<KubeObject>(
          `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/${plural}/${encodeURIComponent(name)}`,
        )
        store.set(key, p)
      }
      return p
    }
    if (from.secretKeyRef) {
      const s = (await fetch('secrets', from.secretKeyRef.name ?? '')) as KubeObject & {data?: Record<string, string>}
      const v = s.data?.[from.secretKeyRef.key]
      if (v === undefined) throw new Error(`key ${from.secretKeyRef.key} not found in secret ${from.secretKeyRef.name}`)
      return Buffer.from(v, 'base64').toString('utf8')
    }
    if (from.configMapKeyRef) {
      const c = (await fetch('configmaps', from.configMapKeyRef.name ?? '')) as KubeObject & {
        data?: Record<string, string>
      }
      const v = c.data?.[from.configMapKeyRef.key]
      if (v === undefined) {
        throw new Error(`key ${from.configMapKeyRef.key} not found in config map ${from.configMapKeyRef.name}`)
      }
      return v
    }
    if (from.fieldRef) {
      const path = String(from.fieldRef.fieldPath ?? '')
      const m = obj.metadata ?? {}
      const fmtMap = (x: Record<string, string> | undefined) =>
        Object.keys(x ?? {})
          .sort()
          .map((k) => `${k}=${JSON.stringify(x![k])}`)
          .join('\n')
      const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(path)
      if (sub) return (sub[1] === 'metadata.labels' ? m.labels : m.annotations)?.[sub[2]] ?? ''
      switch (path) {
        case 'metadata.annotations':
          return fmtMap(m.annotations)
        case 'metadata.labels':
          return fmtMap(m.labels)
        case 'metadata.name':
          return m.name ?? ''
        case 'metadata.namespace':
          return m.namespace ?? ''
        case 'metadata.uid':
          return m.uid ?? ''
      }
      throw new Error(`unsupported fieldPath: ${path}`)
    }
    if (from.resourceFieldRef) throw new Error(`Unsupported container resource : ${from.resourceFieldRef.resource}`)
    throw new Error('invalid valueFrom')
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}
