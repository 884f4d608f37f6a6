// start.ts is `mkctl cluster start` (minikube start): create or resume a local simulated cluster.
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {defaultKubeconfigPath} from '../../client/kubeconfig.js'
import {newProfileConfig, startCluster, type StartFlags} from '../../cluster/lifecycle.js'
import {
  DEFAULT_PROFILE,
  daemonEntry,
  daemonInfo,
  profileDir,
  profileToken,
  readProfileConfig,
  upsertKubeconfig,
  writeProfileConfig,
} from '../../cluster/profiles.js'
import {profileFlag} from './flags.js'

/** ClusterStart starts (or resumes) a profile's daemon and waits until every node is Ready. */
export default class ClusterStart extends MkctlCommand {
  static override summary = 'Start a local simulated Kubernetes cluster'
  static override description =
    'Starts the cluster of a profile (default "mkctl"), creating it on first use, and waits until the API answers and every node is Ready. A stopped cluster resumes with its state. The kubeconfig at $MKCTL_HOME/kubeconfig is pointed at it.'
  static override examples = [
    '# Start the default cluster\nmkctl cluster start',
    '# A three-node cluster with 4 CPUs and 8 GiB per node\nmkctl cluster start --nodes 3 --cpus 4 --memory 8g',
    '# A second, reproducible cluster\nmkctl cluster start -p exam --seed 42 --timing fast',
  ]
  static override flags = {
    profile: profileFlag,
    nodes: Flags.integer({summary: 'The number of nodes to spin up (new clusters only).'}),
    cpus: Flags.integer({summary: 'Number of CPUs of each node (new clusters only).'}),
    memory: Flags.string({summary: 'Memory of each node in MiB, or with a unit: 4g (new clusters only).'}),
    timing: Flags.string({
      summary: 'How long simulated work takes: realistic (default) or fast.',
      options: ['realistic', 'fast'],
    }),
    seed: Flags.integer({
      summary: 'Seed for generated names, uids and IPs, for a reproducible cluster (new clusters only).',
    }),
    port: Flags.integer({summary: 'Port of the API server on 127.0.0.1 (default: a free port, kept across restarts).'}),
    foreground: Flags.boolean({summary: 'Run the cluster daemon in the foreground until interrupted.'}),
    'update-kubeconfig': Flags.boolean({summary: 'Also merge the context into ~/.kube/config, as minikube does.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterStart)
    const f = {
      profile: flags.profile ?? DEFAULT_PROFILE,
      ...(flags.nodes !== undefined ? {nodes: flags.nodes} : {}),
      ...(flags.cpus !== undefined ? {cpus: flags.cpus} : {}),
      ...(flags.memory !== undefined ? {memory: flags.memory} : {}),
      ...(flags.timing !== undefined ? {timing: flags.timing} : {}),
      ...(flags.seed !== undefined ? {seed: flags.seed} : {}),
      ...(flags.port !== undefined ? {port: flags.port} : {}),
      updateKubeconfig: flags['update-kubeconfig'],
    }
    if (!flags.foreground) {
      await startCluster(f, this.io)
      return
    }
    await this.foreground(f)
  }

  /** foreground runs the daemon attached to this terminal; Ctrl-C stops it. */
  private async foreground(f: StartFlags) {
    if (daemonInfo(f.profile)) throw new Error(`the "${f.profile}" cluster is already running`)
    const cfg = readProfileConfig(f.profile) ?? newProfileConfig(f)
    if (f.port !== undefined) cfg.port = f.port
    writeProfileConfig(cfg)
    const token = profileToken(f.profile)
    const dir = profileDir(f.profile)
    const child = spawn(process.execPath, [daemonEntry(), '--profile-dir', dir], {stdio: 'inherit'})
    const poll = setInterval(() => {
      const info = daemonInfo(f.profile)
      if (!info) return
      clearInterval(poll)
      void upsertKubeconfig(
        defaultKubeconfigPath(),
        f.profile,
        info.url,
        readFileSync(join(dir, 'ca.crt'), 'utf8'),
        token,
      )
    }, 20)
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 0)))
    clearInterval(poll)
    process.exitCode = code
  }
}
