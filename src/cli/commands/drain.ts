// drain.ts is `mkctl drain` (kubectl/pkg/cmd/drain/drain.go NewCmdDrain).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {DrainOptions} from '../options/drain.js'
import {noOptDefaults} from '../resource/openapi.js'

/** nodeSelectorFlags are -l and --dry-run, which cordon, uncordon and drain share. */
export const nodeSelectorFlags = {
  selector: Flags.string({
    char: 'l',
    summary:
      "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
  }),
  'dry-run': Flags.string({
    default: 'none',
    summary:
      'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
  }),
}

/** selectorGiven tells whether -l/--selector appears on the command line (cmd.Flags().Changed("selector")). */
export function selectorGiven(argv: string[]): boolean {
  return argv.some((a) => a === '-l' || a === '--selector' || a.startsWith('--selector=') || /^-l./.test(a))
}

/** Drain drains a node in preparation for maintenance. */
export default class Drain extends MkctlCommand {
  static override summary = 'Drain node in preparation for maintenance'
  static override description =
    "Drain node in preparation for maintenance.\n\nThe given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports eviction. Otherwise, it will use normal DELETE to delete the pods. The 'drain' evicts or deletes all pods except mirror pods (which cannot be deleted through the API server). If there are daemon set-managed pods, drain will not proceed without --ignore-daemonsets, and regardless it will not delete any daemon set-managed pods, because those pods would be immediately replaced by the daemon set controller, which ignores unschedulable markings. If there are any pods that are neither mirror pods nor managed by a replication controller, replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force. --force will also allow deletion to proceed if the managing resource of one or more pods is missing.\n\n'drain' waits for graceful termination. You should not operate on the machine until the command completes.\n\nWhen you are ready to put the node back into service, use mkctl uncordon, which will make the node schedulable again."
  static override usage = 'drain NODE'
  static override examples = [
    '# Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\nmkctl drain foo --force',
    '# As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes\nmkctl drain foo --grace-period=900',
  ]
  static override strict = false
  static override flags = {
    force: Flags.boolean({summary: 'Continue even if there are pods that do not declare a controller.'}),
    'ignore-daemonsets': Flags.boolean({summary: 'Ignore DaemonSet-managed pods.'}),
    'delete-emptydir-data': Flags.boolean({
      summary:
        'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).',
    }),
    'grace-period': Flags.integer({
      default: -1,
      summary:
        'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.',
    }),
    timeout: Flags.string({default: '0s', summary: 'The length of time to wait before giving up, zero means infinite'}),
    'pod-selector': Flags.string({summary: 'Label selector to filter pods on the node'}),
    'disable-eviction': Flags.boolean({
      summary:
        'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.',
    }),
    'skip-wait-for-delete-timeout': Flags.integer({
      default: 0,
      summary:
        'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.',
    }),
    'chunk-size': Flags.integer({
      default: 500,
      summary:
        'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.',
    }),
    ...nodeSelectorFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Drain, noOptDefaults(this.argv, {'--dry-run': 'unchanged'}))
    const o = new DrainOptions(this.io, this.commandPath, 'drain NODE')
    o.args = argv as string[]
    o.selector = flags.selector
    o.dryRunFlag = flags['dry-run']
    o.force = flags.force
    o.ignoreDaemonSets = flags['ignore-daemonsets']
    o.deleteEmptyDirData = flags['delete-emptydir-data']
    o.gracePeriod = flags['grace-period']
    o.timeoutFlag = flags.timeout
    o.podSelector = flags['pod-selector'] ?? ''
    o.disableEviction = flags['disable-eviction']
    o.skipWaitForDeleteTimeout = flags['skip-wait-for-delete-timeout']
    o.chunkSize = flags['chunk-size']
    await o.complete(this.factory, selectorGiven(this.argv))
    await o.runDrain()
  }
}
