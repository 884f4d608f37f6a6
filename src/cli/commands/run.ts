// run.ts is `mkctl run` (kubectl/pkg/cmd/run/run.go).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../generators/command.js'
import {
  checkRequired,
  dryRunFlag,
  fieldManagerFlag,
  printFlags,
  saveConfigFlag,
  type CommonFlagValues,
} from '../generators/options.js'
import {RunOptions} from '../options/run.js'

type RunFlags = CommonFlagValues & {
  annotations?: string[]
  attach?: boolean
  command: boolean
  env?: string[]
  expose: boolean
  image?: string
  'image-pull-policy'?: string
  labels?: string
  'leave-stdin-open': boolean
  'override-type': string
  overrides?: string
  'pod-running-timeout': string
  port?: string
  privileged: boolean
  quiet: boolean
  restart: string
  rm: boolean
  stdin: boolean
  tty: boolean
}

/** Run creates and runs a particular image in a pod. */
export default class Run extends GeneratorCommand {
  static override summary = 'Run a particular image on the cluster'
  static override description = 'Create and run a particular image in a pod.'
  static override examples = [
    '# Start a nginx pod\nmkctl run nginx --image=nginx',
    '# Start a hazelcast pod and let the container expose port 5701\nmkctl run hazelcast --image=hazelcast/hazelcast --port=5701',
    '# Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" in the container\nmkctl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"',
    '# Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container\nmkctl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"',
    '# Dry run; print the corresponding API objects without creating them\nmkctl run nginx --image=nginx --dry-run=client',
    '# Start a nginx pod, but overload the spec with a partial set of values parsed from JSON\nmkctl run nginx --image=nginx --overrides=\'{ "apiVersion": "v1", "spec": { ... } }\'',
    "# Start a busybox pod and keep it in the foreground, don't restart it if it exits\nmkctl run -i -t busybox --image=busybox --restart=Never",
    '# Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command\nmkctl run nginx --image=nginx -- <arg1> <arg2> ... <argN>',
    '# Start the nginx pod using a different command and custom arguments\nmkctl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>',
  ]
  static override flags = {
    ...printFlags,
    ...dryRunFlag,
    ...saveConfigFlag,
    ...fieldManagerFlag('kubectl-run'),
    annotations: Flags.string({multiple: true, summary: 'Annotations to apply to the pod.'}),
    attach: Flags.boolean({
      summary:
        "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.",
    }),
    command: Flags.boolean({
      summary:
        "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
    }),
    env: Flags.string({multiple: true, summary: 'Environment variables to set in the container.'}),
    expose: Flags.boolean({
      summary: 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.',
    }),
    image: Flags.string({summary: 'The image for the container to run.'}),
    'image-pull-policy': Flags.string({
      summary:
        'The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.',
    }),
    labels: Flags.string({
      char: 'l',
      summary: 'Comma separated labels to apply to the pod. Will override previous values.',
    }),
    'leave-stdin-open': Flags.boolean({
      summary:
        'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.',
    }),
    'override-type': Flags.string({
      default: 'merge',
      summary: 'The method used to override the generated object: json, merge, or strategic.',
    }),
    overrides: Flags.string({
      summary:
        'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.',
    }),
    'pod-running-timeout': Flags.string({
      default: '1m0s',
      summary: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    }),
    port: Flags.string({summary: 'The port that this container exposes.'}),
    privileged: Flags.boolean({summary: 'If true, run the container in privileged mode.'}),
    quiet: Flags.boolean({char: 'q', summary: 'If true, suppress prompt messages.'}),
    restart: Flags.string({
      default: 'Always',
      summary: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].',
    }),
    rm: Flags.boolean({
      summary:
        "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
    }),
    stdin: Flags.boolean({
      char: 'i',
      summary: 'Keep stdin open on the container in the pod, even if nothing is attached.',
    }),
    tty: Flags.boolean({char: 't', summary: 'Allocate a TTY for the container in the pod.'}),
    // kubectl's delete flags (used by --rm) and --record are accepted.
    cascade: Flags.string({default: 'background', summary: 'Must be "background", "orphan", or "foreground".'}),
    filename: Flags.string({char: 'f', multiple: true, summary: 'to use to replace the resource.'}),
    force: Flags.boolean({summary: 'If true, immediately remove resources from API and bypass graceful deletion.'}),
    'grace-period': Flags.integer({
      default: -1,
      summary: 'Period of time in seconds given to the resource to terminate gracefully.',
    }),
    kustomize: Flags.string({char: 'k', summary: 'Process a kustomization directory.'}),
    now: Flags.boolean({summary: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'}),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    timeout: Flags.string({default: '0s', summary: 'The length of time to wait before giving up on a delete.'}),
    wait: Flags.boolean({default: false, summary: 'If true, wait for resources to be gone before returning.'}),
    record: Flags.boolean({summary: 'Record current kubectl command in the resource annotation.'}),
  }

  override get commandPath(): string {
    return 'mkctl run'
  }

  async run(): Promise<void> {
    const {flags, args, afterDash} = await this.parseGenerator<RunFlags>(Run, {'--cascade': 'background'})
    checkRequired(flags, ['image'])
    const o = new RunOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.args = [...args, ...(afterDash ?? [])]
    o.argsLenAtDash = afterDash === undefined ? -1 : args.length
    o.image = flags.image ?? ''
    o.imageGiven = flags.image !== undefined
    o.annotations = flags.annotations ?? []
    o.env = flags.env ?? []
    o.port = flags.port ?? ''
    o.labels = flags.labels ?? ''
    o.restart = flags.restart
    o.command = flags.command
    o.expose = flags.expose
    o.privileged = flags.privileged
    o.imagePullPolicy = flags['image-pull-policy'] ?? ''
    o.overrides = flags.overrides ?? ''
    o.overrideType = flags['override-type']
    o.stdin = flags.stdin
    o.tty = flags.tty
    o.attach = flags.attach ?? false
    o.attachGiven = this.argv.some((a) => a === '--attach' || a.startsWith('--attach='))
    o.leaveStdinOpen = flags['leave-stdin-open']
    o.rm = flags.rm
    o.quiet = flags.quiet
    o.podRunningTimeout = flags['pod-running-timeout']
    await o.complete(this.factory)
    await o.run()
  }
}
