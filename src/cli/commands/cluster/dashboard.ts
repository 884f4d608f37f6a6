// dashboard.ts is `mkctl cluster dashboard [--url]` (minikube dashboard): it asks the running daemon, with the
// profile's token, for a one-time login ticket and prints the URL that spends it. The page is served by the daemon
// on a plain-HTTP 127.0.0.1 listener (docs/security.md, "Dashboard"). Like `minikube dashboard --url`, --url prints
// the URL alone; without it the minikube-like progress lines come first. No browser is started: the lines say so.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {call} from '../../cluster/admin.js'
import {profileFlag} from './flags.js'

/** ClusterDashboard prints a login URL for the cluster's web dashboard. */
export default class ClusterDashboard extends MkctlCommand {
  static override summary = 'Access the web dashboard of the cluster'
  static override description =
    'Prints a one-time login URL for the dashboard the cluster daemon serves on 127.0.0.1 (nodes and pods, workloads, services and ingresses, live events, YAML, logs, the path of a request, the lab). The URL works once, within 60 seconds; run the command again for a new one.'
  static override examples = ['mkctl cluster dashboard', 'mkctl cluster dashboard --url']
  static override flags = {
    profile: profileFlag,
    url: Flags.boolean({summary: 'Display the dashboard URL instead of the progress lines.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterDashboard)
    if (!flags.url) this.io.out.write('* Verifying dashboard health ...\n')
    const t = (await call(flags.profile, 'POST', '/dashboard/ticket', {})) as {url: string; loginURL: string}
    if (flags.url) {
      this.io.out.write(`${t.loginURL}\n`)
      return
    }
    this.io.out.write(`* The dashboard is served on ${t.url}\n`)
    this.io.out.write('* Open this URL in your browser (it logs you in once and expires in 60 seconds):\n')
    this.io.out.write(`${t.loginURL}\n`)
  }
}
