// port-forward.ts is `mkctl port-forward` (kubectl/pkg/cmd/portforward/portforward.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {PortForwardOptions} from '../options/port-forward.js'

/** PortForward forwards one or more local ports to a pod. */
export default class PortForward extends MkctlCommand {
  static override summary = 'Forward one or more local ports to a pod'
  static override description =
    "Forward one or more local ports to a pod.\n\nUse resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.\n\nIf there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding."
  static override usage = 'port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]'
  static override examples = [
    '# Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in the pod\nmkctl port-forward pod/mypod 5000 6000',
    '# Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in a pod selected by the deployment\nmkctl port-forward deployment/mydeployment 5000 6000',
    '# Listen on port 8443 locally, forwarding to the targetPort of the service\'s port named "https" in a pod selected by the service\nmkctl port-forward service/myservice 8443:https',
    '# Listen on port 8888 locally, forwarding to 5000 in the pod\nmkctl port-forward pod/mypod 8888:5000',
    '# Listen on port 8888 on all addresses, forwarding to 5000 in the pod\nmkctl port-forward --address 0.0.0.0 pod/mypod 8888:5000',
    '# Listen on a random port locally, forwarding to 5000 in the pod\nmkctl port-forward pod/mypod :5000',
  ]
  static override strict = false
  static override flags = {
    address: Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '[localhost]',
      multiple: true,
      summary:
        'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.',
    }),
    'pod-running-timeout': Flags.string({
      default: '1m0s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(PortForward)
    const o = new PortForwardOptions(this.io)
    o.args = argv as string[]
    o.commandPath = this.commandPath
    if (flags.address?.length) o.addresses = flags.address.flatMap((a) => a.split(','))
    o.podRunningTimeout = flags['pod-running-timeout']
    await o.complete(this.factory)
    o.validate()
    await o.run(this.factory)
  }
}
