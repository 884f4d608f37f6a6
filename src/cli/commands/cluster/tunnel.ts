// tunnel.ts is `mkctl cluster tunnel` (minikube tunnel, without sudo): LoadBalancer services get an EXTERNAL-IP and
// are served on 127.0.0.1 while it runs.
import {MkctlCommand} from '../../base-command.js'
import {tunnel} from '../../cluster/addons.js'
import {profileFlag} from './flags.js'

/** ClusterTunnel serves LoadBalancer services on the host until interrupted. */
export default class ClusterTunnel extends MkctlCommand {
  static override summary = 'Give LoadBalancer services an external IP and serve them on 127.0.0.1 while it runs'
  static override examples = ['mkctl cluster tunnel']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterTunnel)
    await tunnel(flags.profile, this.io)
  }
}
