// common.ts holds what the rollout subcommands share: kubectl's builder chain for them (kubectl/pkg/cmd/rollout:
// NamespaceParam, LabelSelectorParam, FilenameParam, ResourceTypeOrNameArgs(true, ...), ContinueOnError, Latest,
// Flatten): a bare type selects every object of it, and every object is fetched fresh from the server.
import type {KubeObject} from '../../../api/object.js'
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import type {IOStreams} from '../../io.js'
import {newBuilder, resourcePath, type Builder, type Info} from '../../resource/builder.js'

/** RolloutTarget names what a rollout subcommand works on. */
export interface RolloutTarget {
  args: string[]
  filenames: string[]
  recursive: boolean
  selector?: string
}

/** rolloutBuilder builds the resource builder; ResourceTypeOrNameArgs(true, ...) lets a bare type select all. */
export async function rolloutBuilder(f: Factory, io: IOStreams, t: RolloutTarget): Promise<Builder> {
  const bareType = t.args.length === 1 && !t.args[0].includes('/') && t.filenames.length === 0
  const b = await newBuilder(f, io.in, {
    filenames: t.filenames,
    recursive: t.recursive,
    labelSelector: t.selector ?? (bareType ? '' : undefined),
    args: t.args,
  })
  await b.resolve()
  return b
}

/** VisitLatest is an object fetched fresh (Latest()), or an error about one object. */
export type LatestItem = {info: Info; object: KubeObject} | {error: Error}

/** visitLatest walks the builder and GETs each object, as kubectl's Latest() visitor does. */
export async function* visitLatest(b: Builder, rest: RestClient): AsyncGenerator<LatestItem> {
  for await (const item of b.visit()) {
    if ('error' in item) {
      yield {error: item.error}
      continue
    }
    const info = item.info
    try {
      const obj = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
      const object = {...obj, apiVersion: obj.apiVersion ?? info.object.apiVersion, kind: obj.kind ?? info.mapping.kind}
      info.object = object
      yield {info, object}
    } catch (e) {
      yield {error: e as Error}
    }
  }
}
