// service.ts is `mkctl cluster service NAME [--url] [-n NS]` (minikube service): the localhost URLs of a NodePort or
// LoadBalancer service, served by the daemon while it runs.
import {Args, Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {serviceURL} from '../../cluster/addons.js'
import {profileFlag} from './flags.js'

/** ClusterService prints the URLs of a service. */
export default class ClusterService extends MkctlCommand {
  static override summary = 'Returns a URL to connect to a service'
  static override examples = [
    'mkctl cluster service web --url',
    'mkctl cluster service ingress-nginx-controller -n ingress-nginx --url',
  ]
  static override args = {name: Args.string({required: true, description: 'Name of the service'})}
  static override flags = {
    profile: profileFlag,
    url: Flags.boolean({summary: 'Display the URLs only, one per line, instead of a table.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterService)
    await serviceURL(flags.profile, flags.namespace ?? 'default', args.name, flags.url, this.io)
  }
}
