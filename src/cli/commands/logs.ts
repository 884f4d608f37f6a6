// logs.ts is `mkctl logs` (kubectl/pkg/cmd/logs/logs.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {BUILTIN} from '../../api/resources.js'
import {enhanceListError} from '../options/list-error.js'
import {LogsOptions} from '../options/logs.js'

/** Logs prints the logs for a container in a pod. */
export default class Logs extends MkctlCommand {
  static override summary = 'Print the logs for a container in a pod'
  static override description =
    'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.'
  static override usage = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]'
  static override examples = [
    '# Return snapshot logs from pod nginx with only one container\nmkctl logs nginx',
    '# Return snapshot logs from pod nginx, prefixing each line with the source pod and container name\nmkctl logs nginx --prefix',
    '# Return snapshot logs from pod nginx, limiting output to 500 bytes\nmkctl logs nginx --limit-bytes=500',
    '# Return snapshot logs from pod nginx, waiting up to 20 seconds for it to start running.\nmkctl logs nginx --pod-running-timeout=20s',
    '# Return snapshot logs from pod nginx with multi containers\nmkctl logs nginx --all-containers=true',
    '# Return snapshot logs from all pods in the deployment nginx\nmkctl logs deployment/nginx --all-pods=true',
    '# Return snapshot logs from all containers in pods defined by label app=nginx\nmkctl logs -l app=nginx --all-containers=true',
    '# Return snapshot logs from all pods defined by label app=nginx, limiting concurrent log requests to 10 pods\nmkctl logs -l app=nginx --max-log-requests=10',
    '# Return snapshot of previous terminated ruby container logs from pod web-1\nmkctl logs -p -c ruby web-1',
    '# Begin streaming the logs from pod nginx, continuing even if errors occur\nmkctl logs nginx -f --ignore-errors=true',
    '# Begin streaming the logs of the ruby container in pod web-1\nmkctl logs -f -c ruby web-1',
    '# Begin streaming the logs from all containers in pods defined by label app=nginx\nmkctl logs -f -l app=nginx --all-containers=true',
    '# Display only the most recent 20 lines of output in pod nginx\nmkctl logs --tail=20 nginx',
    '# Show all logs from pod nginx written in the last hour\nmkctl logs --since=1h nginx',
    '# Show all logs with timestamps from pod nginx starting from August 30, 2024, at 06:00:00 UTC\nmkctl logs nginx --since-time=2024-08-30T06:00:00Z --timestamps=true',
    '# Show logs from a kubelet with an expired serving certificate\nmkctl logs --insecure-skip-tls-verify-backend nginx',
    '# Return snapshot logs from first container of a job named hello\nmkctl logs job/hello',
    '# Return snapshot logs from container nginx-1 of a deployment named nginx\nmkctl logs deployment/nginx -c nginx-1',
  ]
  static override strict = false
  static override flags = {
    'all-containers': Flags.boolean({summary: "Get all containers' logs in the pod(s)."}),
    'all-pods': Flags.boolean({summary: 'Get logs from all pod(s). Sets prefix to true.'}),
    container: Flags.string({char: 'c', summary: 'Print the logs of this container'}),
    follow: Flags.boolean({char: 'f', summary: 'Specify if the logs should be streamed.'}),
    'ignore-errors': Flags.boolean({
      summary: 'If watching / following pod logs, allow for any errors that occur to be non-fatal',
    }),
    'insecure-skip-tls-verify-backend': Flags.boolean({
      summary:
        'Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.',
    }),
    'limit-bytes': Flags.string({default: '0', summary: 'Maximum bytes of logs to return. Defaults to no limit.'}),
    'max-log-requests': Flags.string({
      default: '5',
      summary: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.',
    }),
    'pod-running-timeout': Flags.string({
      default: '20s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
    prefix: Flags.boolean({summary: 'Prefix each log line with the log source (pod name and container name)'}),
    previous: Flags.boolean({
      char: 'p',
      summary: 'If true, print the logs for the previous instance of the container in a pod if it exists.',
    }),
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
    }),
    since: Flags.string({
      default: '0s',
      summary:
        'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.',
    }),
    'since-time': Flags.string({
      summary:
        'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.',
    }),
    tail: Flags.string({
      default: '-1',
      summary:
        'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.',
    }),
    timestamps: Flags.boolean({summary: 'Include timestamps on each line in the log output'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Logs)
    const o = new LogsOptions(this.io)
    o.commandPath = this.commandPath
    o.args = argv as string[]
    o.container = flags.container ?? ''
    o.containerSpecified = flags.container !== undefined
    o.allContainers = flags['all-containers']
    o.allPods = flags['all-pods']
    o.follow = flags.follow
    o.previous = flags.previous
    o.timestamps = flags.timestamps
    o.ignoreErrors = flags['ignore-errors']
    o.insecureSkipTLSVerifyBackend = flags['insecure-skip-tls-verify-backend']
    o.prefix = flags.prefix
    o.limitBytes = flags['limit-bytes']
    o.tail = flags.tail
    o.tailSpecified = this.argv.some((a) => a === '--tail' || a.startsWith('--tail='))
    o.sinceTime = flags['since-time'] ?? ''
    o.since = flags.since
    o.selector = flags.selector ?? ''
    o.maxLogRequests = flags['max-log-requests']
    o.podRunningTimeout = flags['pod-running-timeout']
    o.parseFlags()
    await o.complete(this.factory).catch((e: unknown) => {
      // With -l kubectl lists the pods through the resource builder, which words a failed list (EnhanceListError).
      const pods = BUILTIN.lookup('', 'v1', 'pods')
      throw o.selector && o.args.length === 0 && pods ? enhanceListError(e, pods, o.selector, '') : e
    })
    o.validate()
    await o.run(this.factory)
  }
}
