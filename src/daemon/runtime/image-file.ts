// image-file.ts: lab authors' image files. A file is a YAML list of image definitions in the catalog's shape
// (catalog-types.ts ImageDef), with a shorthand: `tags` plus `sizeBytes` instead of `images` makes one image per
// tag. Only the path the daemon passes is read.
import {readFileSync} from 'node:fs'
import {parse} from 'yaml'
import type {ImageDef, ImageVariant, OsFamily} from './catalog-types.js'
import {PROFILES} from './profiles.js'
import {parseReference} from './reference.js'

const OS: OsFamily[] = ['debian', 'ubuntu', 'alpine', 'busybox', 'rhel', 'distroless', 'scratch']

/** ImageFileError says what is wrong with an image file, naming the entry. */
export class ImageFileError extends Error {}

const strings = (v: unknown, what: string): string[] | undefined => {
  if (v === undefined) return undefined
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw new ImageFileError(`${what} must be a list of strings`)
  return v as string[]
}

/** parseImageDefs validates parsed YAML/JSON data as a list of image definitions. */
export function parseImageDefs(data: unknown, source = 'images'): ImageDef[] {
  const list = Array.isArray(data) ? data : (data as {images?: unknown})?.images
  if (!Array.isArray(list)) throw new ImageFileError(`${source}: expected a list of images`)
  return list.map((raw, i) => {
    const e = raw as Record<string, unknown>
    const where = `${source}: image ${i + 1}${typeof e?.name === 'string' ? ` (${e.name})` : ''}`
    try {
      if (typeof e?.name !== 'string') throw new ImageFileError('name is required')
      parseReference(e.name)
      if (e.name.includes('@') || e.name.split('/').pop()!.includes(':'))
        throw new ImageFileError('name must not have a tag or digest')
      const profile = (e.profile as string | undefined) ?? 'app'
      if (!PROFILES[profile])
        throw new ImageFileError(`unknown profile "${profile}" (known: ${Object.keys(PROFILES).sort().join(', ')})`)
      const os = (e.os as OsFamily | undefined) ?? (profile === 'app' ? 'distroless' : 'debian')
      if (!OS.includes(os)) throw new ImageFileError(`unknown os "${os}"`)
      let images: ImageVariant[]
      if (e.images !== undefined) {
        if (!Array.isArray(e.images)) throw new ImageFileError('images must be a list')
        images = e.images.map((v: Record<string, unknown>, j: number) => {
          const tags = strings(v.tags, `images[${j}].tags`)
          if (!tags?.length) throw new ImageFileError(`images[${j}].tags is required`)
          return {...v, tags, sizeBytes: typeof v.sizeBytes === 'number' ? v.sizeBytes : 10_000_000} as ImageVariant
        })
      } else {
        const tags = strings(e.tags, 'tags') ?? ['latest']
        images = tags.map((tag) => ({
          tags: [tag],
          sizeBytes: typeof e.sizeBytes === 'number' ? e.sizeBytes : 10_000_000,
        }))
      }
      const seen = new Set<string>()
      for (const v of images) {
        for (const t of v.tags) {
          if (!/^[\w][\w.-]{0,127}$/.test(t)) throw new ImageFileError(`invalid tag "${t}"`)
          if (seen.has(t)) throw new ImageFileError(`tag "${t}" appears twice`)
          seen.add(t)
        }
      }
      return {
        name: e.name,
        profile,
        os,
        entrypoint: strings(e.entrypoint, 'entrypoint'),
        cmd: strings(e.cmd, 'cmd'),
        env: strings(e.env, 'env'),
        workingDir: e.workingDir as string | undefined,
        ports: e.ports as number[] | undefined,
        behavior: e.behavior as ImageDef['behavior'],
        images,
      }
    } catch (err) {
      throw new ImageFileError(`${where}: ${(err as Error).message}`)
    }
  })
}

/** loadImageFile reads a lab author's image file (YAML or JSON) and returns its image definitions. */
export function loadImageFile(path: string): ImageDef[] {
  return parseImageDefs(parse(readFileSync(path, 'utf8')), path)
}
