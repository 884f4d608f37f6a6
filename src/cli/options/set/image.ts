// image.ts holds SetImageOptions for `mkctl set image` (kubectl/pkg/cmd/set/set_image.go): `NAME=IMAGE` pairs (or
// `*=IMAGE`) set the image of matching containers and init containers of each pod template.
import type {Factory} from '../../client/factory.js'
import {parsePairs, podSpecOf, SetOptionsBase, splitPairs, throwAll, type Container, type SetInfo} from './common.js'

/** SetImageOptions updates container images. */
export class SetImageOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'image updated'
  resources: string[] = []
  images = new Map<string, string>()
  infos: SetInfo[] = []

  /** complete parses the arguments, then resolves the objects (set_image.go Complete). */
  async complete(f: Factory): Promise<void> {
    await this.completeBase(f)
    const {resources, pairs} = splitPairs(this.args, 'image')
    this.resources = resources
    this.images = parsePairs(pairs, 'image', false).set
    this.infos = await this.loadInfos(this.resources)
  }

  /** validate checks the flag combinations (set_image.go Validate), reporting every problem at once. */
  validate(): void {
    const errs: Error[] = []
    if (this.all && this.selector) errs.push(new Error('cannot set --all and --selector at the same time'))
    if (this.resources.length < 1 && this.filenames.length === 0 && !this.kustomize) {
      errs.push(new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>'))
    }
    if (this.images.size < 1) errs.push(new Error('at least one image update is required'))
    else if (this.images.size > 1 && this.images.has('*')) {
      errs.push(
        new Error(
          'all containers are already specified by *, but saw more than one container_name=container_image pairs',
        ),
      )
    }
    if (this.local && this.dryRun === 'server') {
      errs.push(new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?'))
    }
    throwAll(errs)
  }

  /** run sets the images and patches each object. */
  async run(): Promise<void> {
    const errs: Error[] = []
    await this.patchAll(
      this.infos,
      (obj) => {
        const spec = podSpecOf(obj)
        for (const [name, image] of this.images) {
          const inInit = setImage(spec.initContainers, name, image)
          const inMain = setImage(spec.containers, name, image)
          if (!inInit && !inMain) errs.push(new Error(`error: unable to find container named ${JSON.stringify(name)}`))
        }
      },
      'failed to patch image update to pod template: ',
      errs,
    )
    throwAll(errs)
  }
}

function setImage(containers: Container[] | undefined, name: string, image: string): boolean {
  let found = false
  for (const c of containers ?? []) {
    if (c.name === name || name === '*') {
      found = true
      c.image = image
    }
  }
  return found
}
