// trace.ts is `mkctl cluster trace URL|svc/NAME`: the path one request takes through the simulated cluster.
import {Args, Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {traceRequest} from '../../cluster/trace.js'
import {profileFlag} from './flags.js'

/** ClusterTrace shows how a request travels to a container. */
export default class ClusterTrace extends MkctlCommand {
  static override summary =
    'Send one request and show the path it takes: ingress rule, service, endpoint, pod, container'
  static override description =
    'A URL with a host name enters from the host through the ingress addon (like curl --resolve); a 127.0.0.1 URL from `mkctl cluster service --url` enters through its NodePort; with --from the request starts in that pod (cluster DNS, NetworkPolicies); svc/NAME sends to the Service from a node. The request is real in the simulation: the serving process logs it.'
  static override examples = [
    'mkctl cluster trace http://app.local/api',
    'mkctl cluster trace http://web --from pod/client',
    'mkctl cluster trace svc/web -n shop --port 8080',
  ]
  static override args = {target: Args.string({required: true, description: 'URL, or svc/NAME'})}
  static override flags = {
    profile: profileFlag,
    from: Flags.string({summary: 'Send the request from this pod (POD or pod/POD) in the namespace.'}),
    port: Flags.integer({summary: 'Service port for svc/NAME (the first port by default).'}),
    request: Flags.string({char: 'X', summary: 'HTTP method.', default: 'GET'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterTrace)
    await traceRequest(
      flags.profile,
      {
        target: args.target,
        namespace: flags.namespace ?? 'default',
        ...(flags.from ? {from: flags.from} : {}),
        ...(flags.port ? {port: flags.port} : {}),
        method: flags.request,
      },
      this.io,
    )
  }
}
