// bootstrap.ts lays out a fresh cluster the way minikube's looks right after `minikube start` (DESIGN §2):
// the four system namespaces, Ready nodes named after the profile (mkctl, mkctl-m02, ...), the control-plane
// static pods, kube-proxy per node, CoreDNS and the storage provisioner Running in kube-system, and the
// `kubernetes` (10.96.0.1:443) and `kube-dns` (10.96.0.10) services. It runs once, on an empty store; the
// controllers of later parts take these objects over as their own.
import {createHash} from 'node:crypto'
import type {KubeObject} from '../api/object.js'
import type {ResourceInfo, ResourceTable} from '../api/resources.js'
import {rfc3339, rfc3339Micro, type Clock} from './clock.js'
import type {Ids} from './ids.js'
import type {Registry} from './registry/generic.js'
import {defaultClusterRoleBindings, defaultClusterRoles} from './auth/policy.js'

/** ClusterShape says what a new cluster looks like. */
export interface ClusterShape {
  /** profile names the first node. */
  profile: string
  nodes: number
  /** cpus per node. */
  cpus: number
  /** memoryMiB per node. */
  memoryMiB: number
}

const DEFAULTS: ClusterShape = {profile: 'mkctl', nodes: 1, cpus: 2, memoryMiB: 4096}

/** KUBE_VERSION is the version every simulated component reports. */
export const KUBE_VERSION = 'v1.32.0'

/** nodeName follows minikube: the profile name, then <profile>-m02, -m03, ... */
export function nodeName(profile: string, i: number): string {
  return i === 0 ? profile : `${profile}-m${String(i + 1).padStart(2, '0')}`
}

/**
 * nodeIP is the node's InternalIP on the simulated network: minikube's 192.168.49.0/24 (.2 to .254) for the first
 * 253 nodes, then the next /24s (192.168.50.2, ...) the same way, so every address stays a valid host address.
 */
export function nodeIP(i: number): string {
  return `192.168.${49 + Math.floor(i / 253)}.${(i % 253) + 2}`
}

function hex(ids: Ids, n: number): string {
  let s = ''
  while (s.length < n) s += Math.floor(ids.random() * 16).toString(16)
  return s
}

/** nodeObject is a new Node as minikube registers it: labels, annotations and pod CIDR 10.244.<i>.0/24. */
export function nodeObject(profile: string, name: string, i: number): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'minikube.k8s.io/name': profile,
    'minikube.k8s.io/primary': String(i === 0),
  }
  if (i === 0) {
    labels['node-role.kubernetes.io/control-plane'] = ''
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = ''
  }
  const cidr = podCIDR(i)
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {podCIDR: cidr, podCIDRs: [cidr]},
  }
}

/**
 * podCIDR is node i's pod range: the i-th /24 of the cluster CIDR, as kube-controller-manager's range allocator
 * hands them out (--allocate-node-cidrs, --node-cidr-mask-size 24). minikube's --cluster-cidr 10.244.0.0/16 holds
 * 256 of them; beyond, the cluster CIDR is read as 10.244.0.0/14 (1,024 nodes, 10.245.0.0/24 follows
 * 10.244.255.0/24), so the first nodes keep their ranges.
 */
export function podCIDR(i: number): string {
  return `10.${244 + Math.floor(i / 256)}.${i % 256}.0/24`
}

/** podCIDRIndex is the inverse of podCIDR: which node's range a CIDR is, or undefined for another range. */
export function podCIDRIndex(cidr: string | undefined): number | undefined {
  const m = cidr ? /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr) : null
  if (!m) return undefined
  const [hi, lo] = [Number(m[1]), Number(m[2])]
  return hi >= 244 && lo < 256 ? (hi - 244) * 256 + lo : undefined
}

/** nodeStatus is a Ready node's status as its kubelet first posts it (capacity, conditions, addresses, info). */
export function nodeStatus(
  name: string,
  i: number,
  shape: Pick<ClusterShape, 'cpus' | 'memoryMiB'>,
  ids: Ids,
  nowMs: number,
): Record<string, unknown> {
  const now = rfc3339(nowMs)
  const mem = `${shape.memoryMiB * 1024}Ki`
  const resources = {
    cpu: String(shape.cpus),
    'ephemeral-storage': '102625208Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: mem,
    pods: '110',
  }
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  })
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      {type: 'InternalIP', address: nodeIP(i)},
      {type: 'Hostname', address: name},
    ],
    daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
    nodeInfo: {
      machineID: hex(ids, 32),
      systemUUID: ids.uid(),
      bootID: ids.uid(),
      kernelVersion: '6.1.0-mkctl',
      osImage: 'Ubuntu 22.04.5 LTS',
      containerRuntimeVersion: 'mkctl://0.1.0',
      kubeletVersion: KUBE_VERSION,
      kubeProxyVersion: KUBE_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  }
}

/** leaseObject is a node's heartbeat Lease in kube-node-lease, owned by the Node. */
export function leaseObject(name: string, nodeUid: string, nowMs: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ownerReferences: [{apiVersion: 'v1', kind: 'Node', name, uid: nodeUid}],
    },
    spec: {holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(nowMs)},
  } as KubeObject
}

/** bootstrapCluster creates the initial objects when the store holds no namespaces yet. */
export function bootstrapCluster(registry: Registry, table: ResourceTable, clock: Clock, ids: Ids, shape: Partial<ClusterShape>): void {
  const s = {...DEFAULTS, ...shape}
  const R = (group: string, plural: string): ResourceInfo => {
    const found = table.all.find((r) => r.group === group && r.plural === plural && !r.storageOf)
    if (!found) throw new Error(`no resource ${plural}.${group}`)
    return found
  }
  const nsR = R('', 'namespaces')
  if (registry.list(nsR, undefined, {limit: 1}).items.length > 0) {
    // a profile made before RBAC was enforced gets the default policy at its next start
    ensureDefaultPolicy(registry, R, ids)
    return
  }
  const now = rfc3339(clock.now())

  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    registry.create(nsR, undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name}})
  }

  const nodeR = R('', 'nodes')
  const names: string[] = []
  for (let i = 0; i < s.nodes; i++) {
    const name = nodeName(s.profile, i)
    names.push(name)
    registry.create(nodeR, undefined, nodeObject(s.profile, name, i))
    const status = nodeStatus(name, i, s, ids, clock.now())
    registry.guaranteedUpdate(nodeR, undefined, name, (n) => ({...n, status}), {subresource: 'status'})
  }

  // Node heartbeats: one Lease per node in kube-node-lease (describe node shows its holder and renew time).
  const leaseR = R('coordination.k8s.io', 'leases')
  for (const name of names) {
    const nodeUid = String(registry.get(nodeR, undefined, name).metadata?.uid)
    registry.create(leaseR, 'kube-node-lease', leaseObject(name, nodeUid, clock.now()))
  }

  // Services: the apiserver's own, and cluster DNS.
  const svcR = R('', 'services')
  registry.create(svcR, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'kubernetes', labels: {component: 'apiserver', provider: 'kubernetes'}},
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: 8443}],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
  })
  registry.create(svcR, 'kube-system', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      labels: {'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS'},
      annotations: {'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true'},
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      selector: {'k8s-app': 'kube-dns'},
      ports: [
        {name: 'dns', port: 53, protocol: 'UDP', targetPort: 53},
        {name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53},
        {name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153},
      ],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
  })
  const epR = R('', 'endpoints')
  registry.create(epR, 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {name: 'kubernetes', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
    subsets: [{addresses: [{ip: nodeIP(0)}], ports: [{name: 'https', port: 8443, protocol: 'TCP'}]}],
  })

  const sliceR = R('discovery.k8s.io', 'endpointslices')
  const slice = (ns: string, name: string, service: string, ip: string, ports: {name: string; port: number; protocol: string}[], extra: Record<string, string> = {}) =>
    registry.create(sliceR, ns, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {name, labels: {'kubernetes.io/service-name': service, ...extra}},
      addressType: 'IPv4',
      endpoints: [{addresses: [ip], conditions: {ready: true, serving: true, terminating: false}}],
      ports,
    } as KubeObject)
  slice('default', 'kubernetes', 'kubernetes', nodeIP(0), [{name: 'https', port: 8443, protocol: 'TCP'}])
  const dnsPorts = [
    {name: 'dns-tcp', port: 53, protocol: 'TCP'},
    {name: 'dns', port: 53, protocol: 'UDP'},
    {name: 'metrics', port: 9153, protocol: 'TCP'},
  ]
  slice('kube-system', `kube-dns-${ids.nameSuffix()}`, 'kube-dns', '10.244.0.2', dnsPorts, {'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'})
  registry.create(epR, 'kube-system', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {name: 'kube-dns', labels: {'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS'}},
    subsets: [{addresses: [{ip: '10.244.0.2', nodeName: names[0]}], ports: dnsPorts}],
  } as KubeObject)

  // kube-system workloads, shown Running.
  const podR = R('', 'pods')
  const cp = names[0]!
  const running = (podIP: string, hostIP: string, containers: {name: string; image: string}[]) => ({
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    })),
    hostIP,
    hostIPs: [{ip: hostIP}],
    podIP,
    podIPs: [{ip: podIP}],
    startTime: now,
    containerStatuses: containers.map((c) => ({
      name: c.name,
      state: {running: {startedAt: now}},
      lastState: {},
      ready: true,
      restartCount: 0,
      image: c.image,
      imageID: `docker-pullable://${c.image.split(':')[0]}@sha256:${hex(ids, 64)}`,
      containerID: `mkctl://${hex(ids, 64)}`,
      started: true,
    })),
    qosClass: 'Burstable',
  })
  const staticPod = (component: string, image: string, extraLabels: Record<string, string> = {}) => {
    const name = `${component}-${cp}`
    const nodeUid = String(registry.get(nodeR, undefined, cp).metadata?.uid)
    registry.create(podR, 'kube-system', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: {component, tier: 'control-plane', ...extraLabels},
        annotations: {'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': hex(ids, 32), 'kubernetes.io/config.seen': now},
        ownerReferences: [{apiVersion: 'v1', kind: 'Node', name: cp, uid: nodeUid, controller: true}],
      },
      spec: {
        nodeName: cp,
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        priority: 2000001000,
        containers: [{name: component, image, resources: {requests: {cpu: component === 'etcd' ? '100m' : '250m'}}}],
      },
    } as KubeObject)
    setRunning(name, nodeIP(0), nodeIP(0), [{name: component, image}])
  }
  const setRunning = (name: string, podIP: string, hostIP: string, containers: {name: string; image: string}[]) =>
    registry.guaranteedUpdate(
      podR,
      'kube-system',
      name,
      (p) => {
        p.status = running(podIP, hostIP, containers)
        return p
      },
      {subresource: 'status'},
    )

  staticPod('etcd', 'registry.k8s.io/etcd:3.5.16-0')
  staticPod('kube-apiserver', `registry.k8s.io/kube-apiserver:${KUBE_VERSION}`)
  staticPod('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${KUBE_VERSION}`)
  staticPod('kube-scheduler', `registry.k8s.io/kube-scheduler:${KUBE_VERSION}`)

  names.forEach((node, i) => {
    const image = `registry.k8s.io/kube-proxy:${KUBE_VERSION}`
    // generateName, as the DaemonSet controller creates them: a suffix drawn twice (a 1,000-node cluster has a few
    // per cent chance of it) is drawn again by the registry instead of failing the start with AlreadyExists.
    const {name} = registry.create(podR, 'kube-system', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {generateName: 'kube-proxy-', labels: {'k8s-app': 'kube-proxy', 'controller-revision-hash': '7b8f5d6c4d', 'pod-template-generation': '1'}},
      spec: {nodeName: node, hostNetwork: true, priorityClassName: 'system-node-critical', priority: 2000001000, containers: [{name: 'kube-proxy', image}]},
    } as KubeObject).metadata as {name: string}
    setRunning(name, nodeIP(i), nodeIP(i), [{name: 'kube-proxy', image}])
  })

  const dnsImage = 'registry.k8s.io/coredns/coredns:v1.11.3'
  const dnsName = `coredns-668d6bf9bc-${ids.nameSuffix()}`
  registry.create(podR, 'kube-system', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: dnsName, labels: {'k8s-app': 'kube-dns', 'pod-template-hash': '668d6bf9bc'}},
    spec: {
      nodeName: cp,
      priorityClassName: 'system-cluster-critical',
      priority: 2000000000,
      containers: [{name: 'coredns', image: dnsImage, ports: [{name: 'dns', containerPort: 53, protocol: 'UDP'}, {name: 'dns-tcp', containerPort: 53, protocol: 'TCP'}, {name: 'metrics', containerPort: 9153, protocol: 'TCP'}], resources: {limits: {memory: '170Mi'}, requests: {cpu: '100m', memory: '70Mi'}}}],
    },
  } as KubeObject)
  setRunning(dnsName, '10.244.0.2', nodeIP(0), [{name: 'coredns', image: dnsImage}])

  const spImage = 'gcr.io/k8s-minikube/storage-provisioner:v5'
  registry.create(podR, 'kube-system', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'storage-provisioner', labels: {'addonmanager.kubernetes.io/mode': 'Reconcile', 'integration-test': 'storage-provisioner'}},
    spec: {nodeName: cp, hostNetwork: true, serviceAccountName: 'storage-provisioner', containers: [{name: 'storage-provisioner', image: spImage}]},
  } as KubeObject)
  setRunning('storage-provisioner', nodeIP(0), nodeIP(0), [{name: 'storage-provisioner', image: spImage}])
  registry.guaranteedUpdate(podR, 'kube-system', 'storage-provisioner', (p) => {
    ;(p.status as any).qosClass = 'BestEffort'
    return p
  }, {subresource: 'status'})

  bootstrapWorkloads(registry, R, names.length, dnsImage)

  const scR = R('storage.k8s.io', 'storageclasses')
  registry.create(scR, undefined, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: 'standard',
      labels: {'addonmanager.kubernetes.io/mode': 'EnsureExists'},
      annotations: {'storageclass.kubernetes.io/is-default-class': 'true'},
    },
    provisioner: 'k8s.io/minikube-hostpath',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  })

  ensureDefaultPolicy(registry, R, ids)
}

/**
 * ensureDefaultPolicy creates the default ClusterRoles and ClusterRoleBindings (auth/policy.ts) that are missing,
 * as kube-apiserver's rbac/bootstrap-roles post-start hook does; existing ones are left as the admin changed them.
 */
export function ensureDefaultPolicy(
  registry: Registry,
  R: (group: string, plural: string) => ResourceInfo,
  ids: Ids,
): void {
  const crR = R('rbac.authorization.k8s.io', 'clusterroles')
  const crbR = R('rbac.authorization.k8s.io', 'clusterrolebindings')
  // The policy's uids come from a hash of the first node's uid and the object's name, not from the seeded stream:
  // a seeded cluster then draws the same names, uids and IPs for everything else as before the policy existed.
  const nodes = registry.list(R('', 'nodes'), undefined).items
  const salt = String(nodes[0]?.metadata?.uid ?? '')
  const streamUid = ids.uid
  let next = ''
  ids.uid = () => {
    const h = createHash('sha256').update(`${salt}/${next}`).digest('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
  try {
    for (const [r, objs] of [
      [crR, defaultClusterRoles()],
      [crbR, defaultClusterRoleBindings()],
    ] as const) {
      for (const o of objs) {
        const name = String(o.metadata?.name)
        next = `${r.plural}/${name}`
        if (!registry.tryGet(r, undefined, name)) registry.create(r, undefined, o)
      }
    }
  } finally {
    ids.uid = streamUid
  }
}

/**
 * bootstrapWorkloads adds the controllers that own the kube-system pods in a real cluster (the coredns
 * Deployment and its ReplicaSet, the kube-proxy DaemonSet), with the status a settled cluster shows.
 */
function bootstrapWorkloads(registry: Registry, R: (group: string, plural: string) => ResourceInfo, nodes: number, dnsImage: string) {
  const dnsLabels = {'k8s-app': 'kube-dns'}
  const dnsTemplate = {
    metadata: {labels: dnsLabels},
    spec: {
      priorityClassName: 'system-cluster-critical',
      containers: [{name: 'coredns', image: dnsImage, resources: {limits: {memory: '170Mi'}, requests: {cpu: '100m', memory: '70Mi'}}}],
    },
  }
  const deployR = R('apps', 'deployments')
  const deploy = registry.create(deployR, 'kube-system', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'coredns', labels: dnsLabels, annotations: {'deployment.kubernetes.io/revision': '1'}},
    spec: {replicas: 1, selector: {matchLabels: dnsLabels}, template: dnsTemplate},
  } as KubeObject)
  const rsR = R('apps', 'replicasets')
  registry.create(rsR, 'kube-system', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'coredns-668d6bf9bc',
      labels: {...dnsLabels, 'pod-template-hash': '668d6bf9bc'},
      annotations: {'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2', 'deployment.kubernetes.io/revision': '1'},
      ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', uid: String(deploy.metadata?.uid), controller: true, blockOwnerDeletion: true}],
    },
    spec: {
      replicas: 1,
      selector: {matchLabels: {...dnsLabels, 'pod-template-hash': '668d6bf9bc'}},
      template: {...dnsTemplate, metadata: {labels: {...dnsLabels, 'pod-template-hash': '668d6bf9bc'}}},
    },
  } as KubeObject)
  const setStatus = (r: ResourceInfo, name: string, status: Record<string, unknown>) =>
    registry.guaranteedUpdate(r, 'kube-system', name, (o) => ({...o, status}), {subresource: 'status'})
  setStatus(deployR, 'coredns', {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [
      {type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.'},
      {type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "coredns-668d6bf9bc" has successfully progressed.'},
    ],
  })
  setStatus(rsR, 'coredns-668d6bf9bc', {replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1})
  const dsR = R('apps', 'daemonsets')
  const proxyLabels = {'k8s-app': 'kube-proxy'}
  registry.create(dsR, 'kube-system', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {name: 'kube-proxy', labels: proxyLabels, annotations: {'deprecated.daemonset.template.generation': '1'}},
    spec: {
      selector: {matchLabels: proxyLabels},
      template: {
        metadata: {labels: proxyLabels},
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          nodeSelector: {'kubernetes.io/os': 'linux'},
          containers: [{name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${KUBE_VERSION}`}],
        },
      },
    },
  } as KubeObject)
  setStatus(dsR, 'kube-proxy', {
    currentNumberScheduled: nodes,
    desiredNumberScheduled: nodes,
    numberAvailable: nodes,
    numberMisscheduled: 0,
    numberReady: nodes,
    observedGeneration: 1,
    updatedNumberScheduled: nodes,
  })
}
