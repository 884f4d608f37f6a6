// images.ts: the catalog as an index: normalized repository → variants, tag or digest → image. Digests are
// sha256 of the repository and the variant's first tag, so they are stable across runs and differ per image.
import {createHash} from 'node:crypto'
import type {Behavior, ImageDef, OsFamily} from './catalog-types.js'
import {parseReference, type ImageReference} from './reference.js'
import type {ImageInfo} from './types.js'

/** CatalogImage is a resolved image: the contract's ImageInfo plus what the runtime needs to run it. */
export interface CatalogImage extends ImageInfo {
  os: OsFamily
  version: string
  /** tags are every tag of this image (for Node.status.images names). */
  tags: string[]
  behavior?: Behavior
}

/** digestOf is the deterministic repo digest of a variant. */
export function digestOf(repository: string, firstTag: string): string {
  return 'sha256:' + createHash('sha256').update(`${repository}:${firstTag}`).digest('hex')
}

/** ImageIndex resolves references against a list of image definitions (later definitions win on conflicts). */
export class ImageIndex {
  private readonly repos = new Map<string, {byTag: Map<string, CatalogImage>; byDigest: Map<string, CatalogImage>}>()

  constructor(defs: ImageDef[]) {
    for (const def of defs) this.add(def)
  }

  /** add indexes one definition; its variants override same-named tags already present. */
  add(def: ImageDef): void {
    const ref = parseReference(def.name)
    let repo = this.repos.get(ref.repository)
    if (!repo) this.repos.set(ref.repository, (repo = {byTag: new Map(), byDigest: new Map()}))
    for (const variant of def.images) {
      const first = variant.tags[0]
      const version = variant.version ?? first.replace(/^v(?=\d)/, '')
      const fill = (s: string) => s.replace(/\{version\}/g, version).replace(/\{major\}/g, version.split('.')[0])
      const img: CatalogImage = {
        ref: `${ref.repository}:${first}`,
        repository: ref.repository,
        tag: first,
        digest: variant.digest ?? digestOf(ref.repository, first),
        sizeBytes: variant.sizeBytes,
        entrypoint: variant.entrypoint ?? def.entrypoint ?? [],
        cmd: variant.cmd ?? def.cmd ?? [],
        env: (variant.env ?? def.env ?? []).map(fill),
        workingDir: variant.workingDir ?? def.workingDir,
        ports: variant.ports ?? def.ports ?? [],
        profile: variant.profile ?? def.profile,
        os: variant.os ?? def.os,
        version,
        tags: [...variant.tags],
        behavior: variant.behavior ?? def.behavior,
      }
      for (const tag of variant.tags) repo.byTag.set(tag, img)
      repo.byDigest.set(img.digest, img)
    }
  }

  /** hasRepository says whether any image of the repository is known. */
  hasRepository(repository: string): boolean {
    return this.repos.has(repository)
  }

  /** resolve finds the image a parsed reference names (by digest when it pins one), with ref/tag as written. */
  resolve(ref: ImageReference): CatalogImage | undefined {
    const repo = this.repos.get(ref.repository)
    if (!repo) return undefined
    if (ref.digest) {
      const img = repo.byDigest.get(ref.digest)
      return img && {...img, ref: ref.ref, tag: ref.tag ?? img.tag}
    }
    const img = repo.byTag.get(ref.tag!)
    return img && {...img, ref: ref.ref, tag: ref.tag!}
  }

  /** images lists every distinct image (one per digest). */
  images(): CatalogImage[] {
    const out: CatalogImage[] = []
    for (const repo of this.repos.values()) out.push(...repo.byDigest.values())
    return out
  }

  /** repositories lists the normalized repository names. */
  repositories(): string[] {
    return [...this.repos.keys()]
  }
}
