// context.ts: what a describer needs to fetch (the REST client, kubectl's DescriberSettings, a clock for ages),
// the list helper that follows continue tokens in chunks (cli-runtime resource.FollowContinue), and the
// Describer signature shared by every module in this folder.
import type {RestClient} from '../client/rest.js'
import type {Obj} from './format.js'

/** DescriberSettings are `describe`'s --show-events and --chunk-size (describe.DescriberSettings). */
export interface DescriberSettings {
  showEvents: boolean
  chunkSize: number
}

/** DescribeContext is handed to every describer. */
export interface DescribeContext {
  rest: RestClient
  settings: DescriberSettings
  /** now is the local clock ages are measured against (kubectl's time.Now()). */
  now: () => number
}

/** Describer renders one object, fetching it (and what it shows beside it) itself, as kubectl's describers do. */
export type Describer = (ctx: DescribeContext, namespace: string, name: string) => Promise<string>

/** nsPath builds `/api/v1/namespaces/<ns>/<rest>` style paths for a group/version (core when group is ''). */
export function apiPath(group: string, version: string, namespace: string | undefined, plural: string, name?: string) {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  return `${base}${ns}/${plural}${name !== undefined ? '/' + encodeURIComponent(name) : ''}`
}

/** getObject GETs one object. */
export function getObject(ctx: DescribeContext, path: string): Promise<Obj> {
  return ctx.rest.get<Obj>(path)
}

/** listAll lists a collection in chunks of settings.chunkSize, following continue tokens, and returns the items. */
export async function listAll(ctx: DescribeContext, path: string, query: Record<string, string> = {}): Promise<Obj[]> {
  const items: Obj[] = []
  let cont: string | undefined
  do {
    const q: Record<string, string | number | undefined> = {...query}
    if (ctx.settings.chunkSize > 0) q.limit = ctx.settings.chunkSize
    if (cont) q.continue = cont
    const list = await ctx.rest.get<Obj>(path, {query: q})
    items.push(...(list?.items ?? []))
    cont = list?.metadata?.continue || undefined
  } while (cont)
  return items
}
