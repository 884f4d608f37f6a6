// load.ts is `mkctl cluster load URL|svc/NAME --rps N --duration D`: simulated load inside the cluster, on its clock.
import {Args, Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {runLoad} from '../../cluster/load.js'
import {profileFlag} from './flags.js'

/** ClusterLoad sends N requests per second of cluster time for a duration and prints a latency summary. */
export default class ClusterLoad extends MkctlCommand {
  static override summary = 'Send simulated load to a Service or URL and show progress, throughput and latency'
  static override description =
    "Requests travel as with `mkctl cluster trace`: svc/NAME from a node; a URL with a host name from the host through the ingress addon; with --from, from that pod. The rate is per second of cluster time, so `mkctl cluster time advance` runs the load faster. Each request is served by a pod (its log grows, its CPU in `kubectl top` rises, HorizontalPodAutoscalers react). Latency is simulated: a network hop and the image profile's time per request for each container on the way, stretched by queueing as a container nears its CPU limit. Ctrl-C stops the load and prints the summary."
  static override examples = [
    'mkctl cluster load svc/web --rps 200 --duration 1m',
    'mkctl cluster load http://app.local/api --rps 50 --duration 30s',
    'mkctl cluster load http://web --from pod/client --rps 20 --duration 10s --path /healthz',
  ]
  static override args = {target: Args.string({required: true, description: 'URL, or svc/NAME'})}
  static override flags = {
    profile: profileFlag,
    rps: Flags.integer({summary: 'Requests per second (of cluster time).', required: true, min: 1}),
    duration: Flags.string({summary: 'How long to send, e.g. 30s, 2m (a bare number is seconds).', required: true}),
    path: Flags.string({summary: "Request path (for svc/NAME, or instead of the URL's path)."}),
    from: Flags.string({summary: 'Send the requests from this pod (POD or pod/POD) in the namespace.'}),
    port: Flags.integer({summary: 'Service port for svc/NAME (the first port by default).'}),
    request: Flags.string({char: 'X', summary: 'HTTP method.', default: 'GET'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterLoad)
    const ctl = new AbortController()
    const onInt = () => ctl.abort()
    process.once('SIGINT', onInt)
    try {
      await runLoad(
        flags.profile,
        {
          target: args.target,
          namespace: flags.namespace ?? 'default',
          rps: flags.rps,
          duration: flags.duration,
          ...(flags.from ? {from: flags.from} : {}),
          ...(flags.port ? {port: flags.port} : {}),
          ...(flags.path ? {path: flags.path} : {}),
          method: flags.request,
        },
        this.io,
        {signal: ctl.signal},
      )
    } finally {
      process.removeListener('SIGINT', onInt)
    }
  }
}
