// exec.ts is `mkctl exec` (kubectl/pkg/cmd/exec/exec.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {ExecOptions} from '../options/exec.js'

/** Exec executes a command in a container. */
export default class Exec extends MkctlCommand {
  static override summary = 'Execute a command in a container'
  static override description = 'Execute a command in a container.'
  static override usage = 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'
  static override examples = [
    "# Get output from running the 'date' command from pod mypod, using the first container by default\nmkctl exec mypod -- date",
    "# Get output from running the 'date' command in ruby-container from pod mypod\nmkctl exec mypod -c ruby-container -- date",
    "# Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod\n# and sends stdout/stderr from 'bash' back to the client\nmkctl exec mypod -c ruby-container -i -t -- bash -il",
    '# List contents of /usr from the first container of pod mypod and sort by modification time\n# If the command you want to execute in the pod has any flags in common (e.g. -i),\n# you must use two dashes (--) to separate your command\'s flags/arguments\n# Also note, do not surround your command and its flags/arguments with quotes\n# unless that is how you would execute it normally (i.e., do ls -t /usr, not "ls -t /usr")\nmkctl exec mypod -i -t -- ls -t /usr',
    "# Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default\nmkctl exec deploy/mydeployment -- date",
    "# Get output from running 'date' command from the first pod of the service myservice, using the first container by default\nmkctl exec svc/myservice -- date",
  ]
  static override strict = false
  static override flags = {
    container: Flags.string({
      char: 'c',
      summary:
        'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    }),
    filename: Flags.string({char: 'f', multiple: true, summary: 'to use to exec into the resource'}),
    'pod-running-timeout': Flags.string({
      default: '1m0s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
    quiet: Flags.boolean({char: 'q', summary: 'Only print output from the remote session'}),
    stdin: Flags.boolean({char: 'i', summary: 'Pass stdin to the container'}),
    tty: Flags.boolean({char: 't', summary: 'Stdin is a TTY'}),
  }

  async run(): Promise<void> {
    // Everything after `--` is the command: it is kept away from the flag parser (cobra's ArgsLenAtDash).
    const raw = [...this.argv]
    const dash = raw.indexOf('--')
    const {flags, argv} = await this.parse(Exec, dash < 0 ? raw : raw.slice(0, dash))
    const o = new ExecOptions(this.io)
    o.commandPath = this.commandPath
    const before = argv as string[]
    o.args = dash < 0 ? before : [...before, ...raw.slice(dash + 1)]
    o.argsLenAtDash = dash < 0 ? -1 : before.length
    o.container = flags.container ?? ''
    o.filenames = flags.filename ?? []
    o.podRunningTimeout = flags['pod-running-timeout']
    o.quiet = flags.quiet
    o.stdin = flags.stdin
    o.tty = flags.tty
    await o.complete(this.factory)
    o.validate()
    await o.run(this.factory)
  }
}
