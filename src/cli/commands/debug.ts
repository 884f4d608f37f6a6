// debug.ts is `mkctl debug` (kubectl/pkg/cmd/debug/debug.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {DebugOptions} from '../options/debug.js'

/** Debug creates debugging sessions for troubleshooting workloads and nodes. */
export default class Debug extends MkctlCommand {
  static override summary = 'Create debugging sessions for troubleshooting workloads and nodes'
  static override description =
    "Debug cluster resources using interactive debugging containers.\n\n'debug' provides automation for common debugging tasks for cluster objects identified by resource and name. Pods will be used by default if no resource is specified.\n\nThe action taken by 'debug' varies depending on what resource is specified. Supported actions include:\n\n* Workload: Create a copy of an existing pod with certain attributes changed, for example changing the image tag to a new version.\n* Workload: Add an ephemeral container to an already running pod, for example to add debugging utilities without restarting the pod.\n* Node: Create a new pod that runs in the node's host namespaces and can access the node's filesystem."
  static override usage = 'debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ]'
  static override examples = [
    '# Create an interactive debugging session in pod mypod and immediately attach to it.\nmkctl debug mypod -it --image=busybox',
    '# Create an interactive debugging session for the pod in the file pod.yaml and immediately attach to it.\n# (requires the EphemeralContainers feature to be enabled in the cluster)\nmkctl debug -f pod.yaml -it --image=busybox',
    '# Create a debug container named debugger using a custom automated debugging image.\nmkctl debug --image=myproj/debug-tools -c debugger mypod',
    '# Create a copy of mypod adding a debug container and attach to it\nmkctl debug mypod -it --image=busybox --copy-to=my-debugger',
    '# Create a copy of mypod changing the command of mycontainer\nmkctl debug mypod -it --copy-to=my-debugger --container=mycontainer -- sh',
    '# Create a copy of mypod changing all container images to busybox\nmkctl debug mypod --copy-to=my-debugger --set-image=*=busybox',
    '# Create a copy of mypod adding a debug container and changing container images\nmkctl debug mypod -it --copy-to=my-debugger --image=debian --set-image=app=app:debug,sidecar=sidecar:debug',
    "# Create an interactive debugging session on a node and immediately attach to it.\n# The container will run in the host namespaces and the host's filesystem will be mounted at /host\nmkctl debug node/mynode -it --image=busybox",
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, summary: 'identifying the resource to debug'}),
    'arguments-only': Flags.boolean({
      summary: 'If specified, everything after -- will be passed to the new container as Args instead of Command.',
    }),
    attach: Flags.boolean({
      summary:
        "If true, wait for the container to start running, and then attach as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true.",
    }),
    container: Flags.string({char: 'c', summary: 'Container name to use for debug container.'}),
    'copy-to': Flags.string({summary: 'Create a copy of the target Pod with this name.'}),
    replace: Flags.boolean({summary: "When used with '--copy-to', delete the original Pod."}),
    env: Flags.string({multiple: true, summary: 'Environment variables to set in the container.'}),
    image: Flags.string({summary: 'Container image to use for debug container.'}),
    'keep-labels': Flags.boolean({
      summary: "If true, keep the original pod labels.(This flag only works when used with '--copy-to')",
    }),
    'keep-annotations': Flags.boolean({
      summary: "If true, keep the original pod annotations.(This flag only works when used with '--copy-to')",
    }),
    'keep-liveness': Flags.boolean({
      summary: "If true, keep the original pod liveness probes.(This flag only works when used with '--copy-to')",
    }),
    'keep-readiness': Flags.boolean({
      summary: "If true, keep the original pod readiness probes.(This flag only works when used with '--copy-to')",
    }),
    'keep-startup': Flags.boolean({
      summary: "If true, keep the original startup probes.(This flag only works when used with '--copy-to')",
    }),
    'keep-init-containers': Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        "Run the init containers for the pod. Defaults to true.(This flag only works when used with '--copy-to')",
    }),
    'set-image': Flags.string({
      multiple: true,
      summary:
        "When used with '--copy-to', a list of name=image pairs for changing container images, similar to how 'kubectl set image' works.",
    }),
    'image-pull-policy': Flags.string({
      summary:
        'The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.',
    }),
    stdin: Flags.boolean({
      char: 'i',
      summary: 'Keep stdin open on the container(s) in the pod, even if nothing is attached.',
    }),
    quiet: Flags.boolean({char: 'q', summary: 'If true, suppress informational messages.'}),
    'same-node': Flags.boolean({
      summary: "When used with '--copy-to', schedule the copy of target Pod on the same node.",
    }),
    'share-processes': Flags.boolean({
      default: true,
      allowNo: true,
      summary: "When used with '--copy-to', enable process namespace sharing in the copy.",
    }),
    target: Flags.string({summary: 'When using an ephemeral container, target processes in this container name.'}),
    tty: Flags.boolean({char: 't', summary: 'Allocate a TTY for the debugging container.'}),
    profile: Flags.string({
      default: 'legacy',
      summary: 'Options are "legacy", "general", "baseline", "netadmin", "restricted" or "sysadmin".',
    }),
    custom: Flags.string({
      summary: 'Path to a JSON or YAML file containing a partial container spec to customize built-in debug profiles.',
    }),
  }

  async run(): Promise<void> {
    // Everything after `--` is the command: it is kept away from the flag parser (cobra's ArgsLenAtDash).
    const raw = [...this.argv]
    const dash = raw.indexOf('--')
    const flagArgs = dash < 0 ? raw : raw.slice(0, dash)
    const {flags, argv} = await this.parse(Debug, flagArgs)
    const o = new DebugOptions(this.io)
    o.commandPath = this.commandPath
    const before = argv as string[]
    o.args = dash < 0 ? before : [...before, ...raw.slice(dash + 1)]
    o.argsLenAtDash = dash < 0 ? -1 : before.length
    // cobra's Flags().Changed: whether the flag was given at all, whatever its value.
    const changed = (name: string) => flagArgs.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    o.filenames = flags.filename ?? []
    o.argsOnly = flags['arguments-only']
    o.attach = flags.attach
    o.attachChanged = changed('attach')
    o.container = flags.container ?? ''
    o.copyTo = flags['copy-to'] ?? ''
    o.replace = flags.replace
    o.envFlags = flags.env ?? []
    o.image = flags.image ?? ''
    o.keep = {
      labels: flags['keep-labels'],
      annotations: flags['keep-annotations'],
      liveness: flags['keep-liveness'],
      readiness: flags['keep-readiness'],
      startup: flags['keep-startup'],
      initContainers: flags['keep-init-containers'],
    }
    for (const spec of flags['set-image'] ?? [])
      for (const pair of spec.split(',')) {
        const i = pair.indexOf('=')
        if (i < 0)
          throw new Error(`invalid argument "${spec}" for "--set-image" flag: ${pair} must be formatted as key=value`)
        o.setImages[pair.slice(0, i)] = pair.slice(i + 1)
      }
    o.pullPolicy = flags['image-pull-policy'] ?? ''
    o.stdin = flags.stdin
    o.quiet = flags.quiet
    o.sameNode = flags['same-node']
    o.shareProcesses = flags['share-processes']
    o.shareProcessesChanged = changed('share-processes')
    o.target = flags.target ?? ''
    o.tty = flags.tty
    o.profile = flags.profile
    o.customFile = flags.custom ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run(this.factory)
  }
}
