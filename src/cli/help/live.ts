// live.ts gives completion its cluster and kubeconfig lookups through the Factory, the way kubectl's completion
// functions run a `get -o template` or `api-resources -o name --cached` in-process (kubectl/pkg/util/completion).
// Auto-start is switched off (MKCTL_AUTOSTART=0): pressing TAB must never start a cluster. Every failure is an empty
// answer, as kubectl discards the errors of completion requests.
import {Factory, type GlobalFlagValues} from '../client/factory.js'
import {bufferedIOStreams} from '../io.js'
import {preferredResources} from '../options/api-resources.js'
import {resourcePath} from '../resource/builder.js'
import type {GlobalValues, Live} from './complete.js'

/** COMPLETION_TIMEOUT is the request timeout of completion lookups (kubectl's TODO: `--request-timeout=5s`). */
export const COMPLETION_TIMEOUT = '5s'

const quiet = async <T>(fn: () => Promise<T[]>): Promise<T[]> => {
  try {
    return await fn()
  } catch {
    return []
  }
}

/** factoryLive builds the Live lookups for the global flags given on the command line being completed. */
export function factoryLive(globals: GlobalValues, env: NodeJS.ProcessEnv = process.env): Live {
  const {'insecure-skip-tls-verify': insecure, ...rest} = globals
  const flags: GlobalFlagValues = {...rest, 'request-timeout': globals['request-timeout'] || COMPLETION_TIMEOUT}
  if (insecure !== undefined) flags['insecure-skip-tls-verify'] = insecure === 'true'
  const io = bufferedIOStreams()
  let factory: Factory | undefined
  const f = () => (factory ??= new Factory({flags, io, env: {...env, MKCTL_AUTOSTART: '0'}}))
  const names = async (type: string, namespace: string | undefined): Promise<string[]> =>
    quiet(async () => {
      const info = await (await f().mapper()).resourceFor(type)
      const ns = namespace ?? (await f().namespace()).namespace
      const list = await (await f().restClient()).get<{items?: {metadata?: {name?: string}}[]}>(resourcePath(info, ns))
      return (list.items ?? []).map((o) => o.metadata?.name ?? '').filter(Boolean)
    })
  const entries = async (key: 'contexts' | 'clusters' | 'users'): Promise<string[]> =>
    quiet(async () => ((await f().rawConfig()).config[key] ?? []).map((e) => e.name))
  return {
    resourceTypes: () =>
      quiet(async () => {
        const data = await (await f().discovery()).serverGroupsAndResources()
        const rows = preferredResources(data).filter(({r}) => r.verbs.includes('get'))
        // api-resources' default order: by group, ties by name
        rows.sort((a, b) => cmp(a.r.group, b.r.group) || cmp(a.r.plural, b.r.plural))
        return rows.map(({r}) => r.plural + (r.group ? `.${r.group}` : ''))
      }),
    names,
    containers: (pod, namespace) =>
      quiet(async () => {
        const ns = namespace ?? (await f().namespace()).namespace
        const p = await (
          await f().restClient()
        ).get<{
          spec?: {initContainers?: {name: string}[]; containers?: {name: string}[]}
        }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}`)
        return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name)
      }),
    contexts: () => entries('contexts'),
    clusters: () => entries('clusters'),
    users: () => entries('users'),
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
