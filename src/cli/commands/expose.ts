// expose.ts is `mkctl expose` (kubectl/pkg/cmd/expose/expose.go).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../generators/command.js'
import {dryRunFlag, fieldManagerFlag, printFlags, saveConfigFlag, type CommonFlagValues} from '../generators/options.js'
import {ExposeOptions} from '../options/expose.js'

type ExposeFlags = CommonFlagValues & {
  protocol?: string
  port?: string
  type?: string
  'load-balancer-ip'?: string
  selector?: string
  labels?: string
  'target-port'?: string
  'external-ip'?: string
  name?: string
  'session-affinity'?: string
  'cluster-ip'?: string
  overrides?: string
  'override-type': string
  filename?: string[]
  recursive: boolean
  kustomize?: string
}

/** Expose takes a replication controller, service, deployment or pod and exposes it as a new Kubernetes service. */
export default class Expose extends GeneratorCommand {
  static override summary =
    'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service'
  static override description = `Expose a resource as a new Kubernetes service.

Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.

Possible resources include (case insensitive):

pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)`
  static override examples = [
    '# Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000\nmkctl expose rc nginx --port=80 --target-port=8000',
    '# Create a service for a replication controller identified by type and name specified in "nginx-controller.yaml", which serves on port 80 and connects to the containers on port 8000\nmkctl expose -f nginx-controller.yaml --port=80 --target-port=8000',
    '# Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"\nmkctl expose pod valid-pod --port=444 --name=frontend',
    '# Create a second service based on the above service, exposing the container port 8443 as port 443 with the name "nginx-https"\nmkctl expose service nginx --port=443 --target-port=8443 --name=nginx-https',
    "# Create a service for a replicated streaming application on port 4100 balancing UDP traffic and named 'video-stream'.\nmkctl expose rc streamer --port=4100 --protocol=UDP --name=video-stream",
    '# Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000\nmkctl expose rs nginx --port=80 --target-port=8000',
    '# Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000\nmkctl expose deployment nginx --port=80 --target-port=8000',
  ]
  static override flags = {
    ...printFlags,
    record: Flags.boolean({summary: 'Record current kubectl command in the resource annotation.'}),
    protocol: Flags.string({summary: "The network protocol for the service to be created. Default is 'TCP'."}),
    port: Flags.string({
      summary: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified',
    }),
    type: Flags.string({
      summary: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
    }),
    'load-balancer-ip': Flags.string({
      summary:
        'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).',
    }),
    selector: Flags.string({
      summary:
        'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)',
    }),
    labels: Flags.string({char: 'l', summary: 'Labels to apply to the service created by this call.'}),
    'target-port': Flags.string({
      summary: 'Name or number for the port on the container that the service should direct traffic to. Optional.',
    }),
    'external-ip': Flags.string({
      summary:
        'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.',
    }),
    name: Flags.string({summary: 'The name for the newly created object.'}),
    'session-affinity': Flags.string({
      summary: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
    }),
    'cluster-ip': Flags.string({
      summary:
        "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.",
    }),
    ...fieldManagerFlag('kubectl-expose'),
    overrides: Flags.string({
      summary:
        'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.',
    }),
    'override-type': Flags.string({
      default: 'merge',
      summary: 'The method used to override the generated object: json, merge, or strategic.',
    }),
    ...dryRunFlag,
    ...saveConfigFlag,
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files identifying the resource to expose a service',
    }),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
  }

  override get commandPath(): string {
    return 'mkctl expose'
  }

  async run(): Promise<void> {
    const {flags, args, afterDash} = await this.parseGenerator<ExposeFlags>(Expose)
    const o = new ExposeOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.args = [...args, ...(afterDash ?? [])]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.protocol = flags.protocol ?? ''
    o.port = flags.port ?? ''
    o.type = flags.type ?? ''
    o.loadBalancerIP = flags['load-balancer-ip'] ?? ''
    o.selector = flags.selector ?? ''
    o.labels = flags.labels ?? ''
    o.targetPort = flags['target-port'] ?? ''
    o.externalIP = flags['external-ip'] ?? ''
    o.serviceName = flags.name ?? ''
    o.sessionAffinity = flags['session-affinity'] ?? ''
    o.clusterIP = flags['cluster-ip'] ?? ''
    o.overrides = flags.overrides ?? ''
    o.overrideType = flags['override-type']
    await o.complete(this.factory)
    await o.run()
  }
}
