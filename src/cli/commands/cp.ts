// cp.ts is `mkctl cp` (kubectl/pkg/cmd/cp/cp.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {CopyOptions} from '../options/cp.js'

/** Cp copies files and directories to and from containers. */
export default class Cp extends MkctlCommand {
  static override summary = 'Copy files and directories to and from containers'
  static override description = 'Copy files and directories to and from containers.'
  static override usage = 'cp <file-spec-src> <file-spec-dest> [options]'
  static override examples = [
    "# !!!Important Note!!!\n# Requires that the 'tar' binary is present in your container\n# image.  If 'tar' is not present, 'mkctl cp' will fail.\n#\n# For advanced use cases, such as symlinks, wildcard expansion or\n# file mode preservation, consider using 'mkctl exec'.\n\n# Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>\ntar cf - /tmp/foo | mkctl exec -i -n <some-namespace> <some-pod> -- tar xf - -C /tmp/bar",
    '# Copy /tmp/foo from a remote pod to /tmp/bar locally\nmkctl exec -n <some-namespace> <some-pod> -- tar cf - /tmp/foo | tar xf - -C /tmp/bar',
    '# Copy /tmp/foo_dir local directory to /tmp/bar_dir in a remote pod in the default namespace\nmkctl cp /tmp/foo_dir <some-pod>:/tmp/bar_dir',
    '# Copy /tmp/foo local file to /tmp/bar in a remote pod in a specific container\nmkctl cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>',
    '# Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>\nmkctl cp /tmp/foo <some-namespace>/<some-pod>:/tmp/bar',
    '# Copy /tmp/foo from a remote pod to /tmp/bar locally\nmkctl cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar',
  ]
  static override strict = false
  static override flags = {
    container: Flags.string({
      char: 'c',
      summary:
        'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    }),
    'no-preserve': Flags.boolean({
      summary: "The copied file/directory's ownership and permissions will not be preserved in the container",
    }),
    retries: Flags.integer({
      default: 0,
      summary:
        'Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Cp)
    const o = new CopyOptions(this.io)
    o.args = argv as string[]
    o.container = flags.container ?? ''
    o.noPreserve = flags['no-preserve']
    o.maxTries = flags.retries
    await o.complete(this.factory)
    o.validate()
    await o.run(this.factory)
  }
}
