// attach.ts is `mkctl attach` (kubectl/pkg/cmd/attach/attach.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {AttachOptions} from '../options/attach.js'

/** Attach attaches to a process that is already running inside an existing container. */
export default class Attach extends MkctlCommand {
  static override summary = 'Attach to a running container'
  static override description = 'Attach to a process that is already running inside an existing container.'
  static override usage = 'attach (POD | TYPE/NAME) -c CONTAINER'
  static override examples = [
    "# Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation\n# for selecting the container to be attached or the first container in the pod will be chosen\nmkctl attach mypod",
    '# Get output from ruby-container from pod mypod\nmkctl attach mypod -c ruby-container',
    "# Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod\n# and sends stdout/stderr from 'bash' back to the client\nmkctl attach mypod -c ruby-container -i -t",
    '# Get output from the first pod of a replica set named nginx\nmkctl attach rs/nginx',
  ]
  static override strict = false
  static override flags = {
    container: Flags.string({
      char: 'c',
      summary:
        'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    }),
    'pod-running-timeout': Flags.string({
      default: '1m0s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
    quiet: Flags.boolean({char: 'q', summary: 'Only print output from the remote session'}),
    stdin: Flags.boolean({char: 'i', summary: 'Pass stdin to the container'}),
    tty: Flags.boolean({char: 't', summary: 'Stdin is a TTY'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Attach)
    const o = new AttachOptions(this.io)
    o.commandPath = this.commandPath
    o.args = argv as string[]
    o.container = flags.container ?? ''
    o.podRunningTimeout = flags['pod-running-timeout']
    o.quiet = flags.quiet
    o.stdin = flags.stdin
    o.tty = flags.tty
    await o.complete(this.factory)
    await o.run(this.factory)
  }
}
