import assert from 'node:assert/strict'
import {convertorFor} from '../../../../src/daemon/registry/tables/index.js'
import {ago, D, H, M, meta, NOW, S} from './fixtures.js'

// Table-driven cases: for each kind, objects and the full (wide) row of cells a 1.32 apiserver prints.
interface Case {
  name: string
  object: any
  now?: number
  wantCells: unknown[]
}

const tpl = (containers: [string, string][]) => ({
  metadata: {labels: {app: 'web'}},
  spec: {containers: containers.map(([name, image]) => ({name, image}))},
})

const kinds: Record<string, {group: string; kind: string; columns: string[]; cases: Case[]}> = {
  Node: {
    group: '',
    kind: 'Node',
    columns: [
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP',
      'External-IP',
      'OS-Image',
      'Kernel-Version',
      'Container-Runtime',
    ],
    cases: [
      {
        name: 'ready control plane with two role labels',
        object: {
          metadata: meta('mkctl', {
            namespace: undefined,
            creationTimestamp: ago(3 * D + 4 * H),
            labels: {
              'node-role.kubernetes.io/control-plane': '',
              'kubernetes.io/role': 'master',
              'node-role.kubernetes.io/': '',
            },
          }),
          status: {
            conditions: [
              {type: 'MemoryPressure', status: 'False'},
              {type: 'Ready', status: 'True'},
            ],
            addresses: [
              {type: 'Hostname', address: 'mkctl'},
              {type: 'InternalIP', address: '192.168.49.2'},
            ],
            nodeInfo: {
              kubeletVersion: 'v1.32.0',
              osImage: 'Ubuntu 22.04.4 LTS',
              kernelVersion: '6.8.0',
              containerRuntimeVersion: 'docker://27.2.0',
            },
          },
        },
        wantCells: [
          'mkctl',
          'Ready',
          'control-plane,master',
          '3d4h',
          'v1.32.0',
          '192.168.49.2',
          '<none>',
          'Ubuntu 22.04.4 LTS',
          '6.8.0',
          'docker://27.2.0',
        ],
      },
      {
        name: 'cordoned, not ready, no roles, no node info',
        object: {
          metadata: meta('m02', {namespace: undefined}),
          spec: {unschedulable: true},
          status: {
            conditions: [{type: 'Ready', status: 'Unknown'}],
            addresses: [{type: 'ExternalIP', address: '1.2.3.4'}],
          },
        },
        wantCells: [
          'm02',
          'NotReady,SchedulingDisabled',
          '<none>',
          '5m',
          '',
          '<none>',
          '1.2.3.4',
          '<unknown>',
          '<unknown>',
          '<unknown>',
        ],
      },
      {
        name: 'no Ready condition → Unknown',
        object: {metadata: meta('m03', {namespace: undefined}), status: {}},
        wantCells: ['m03', 'Unknown', '<none>', '5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
      },
    ],
  },
  Namespace: {
    group: '',
    kind: 'Namespace',
    columns: ['Name', 'Status', 'Age'],
    cases: [
      {name: 'active', object: {metadata: meta('dev'), status: {phase: 'Active'}}, wantCells: ['dev', 'Active', '5m']},
      {
        name: 'terminating',
        object: {metadata: meta('old'), status: {phase: 'Terminating'}},
        wantCells: ['old', 'Terminating', '5m'],
      },
      {
        name: 'no status yet: the v1 default Active',
        object: {metadata: meta('new')},
        wantCells: ['new', 'Active', '5m'],
      },
    ],
  },
  Service: {
    group: '',
    kind: 'Service',
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
    cases: [
      {
        name: 'ClusterIP',
        object: {
          metadata: meta('kubernetes', {creationTimestamp: ago(2 * H)}),
          spec: {
            type: 'ClusterIP',
            clusterIP: '10.96.0.1',
            clusterIPs: ['10.96.0.1'],
            ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: 8443}],
          },
        },
        wantCells: ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '120m', '<none>'],
      },
      {
        name: 'NodePort with two ports and a selector',
        object: {
          metadata: meta('web'),
          spec: {
            type: 'NodePort',
            clusterIPs: ['10.96.5.5'],
            selector: {tier: 'fe', app: 'web'},
            ports: [
              {port: 80, nodePort: 30080, protocol: 'TCP'},
              {port: 53, nodePort: 30053, protocol: 'UDP'},
            ],
          },
        },
        wantCells: ['web', 'NodePort', '10.96.5.5', '<none>', '80:30080/TCP,53:30053/UDP', '5m', 'app=web,tier=fe'],
      },
      {
        name: 'ClusterIP with externalIPs',
        object: {
          metadata: meta('x'),
          spec: {
            type: 'ClusterIP',
            clusterIPs: ['10.96.0.9'],
            externalIPs: ['1.1.1.1', '2.2.2.2'],
            ports: [{port: 80, protocol: 'TCP'}],
          },
        },
        wantCells: ['x', 'ClusterIP', '10.96.0.9', '1.1.1.1,2.2.2.2', '80/TCP', '5m', '<none>'],
      },
      {
        name: 'LoadBalancer without an address → <pending>',
        object: {
          metadata: meta('lb'),
          spec: {
            type: 'LoadBalancer',
            clusterIPs: ['10.96.0.7'],
            ports: [{port: 80, nodePort: 31000, protocol: 'TCP'}],
          },
          status: {loadBalancer: {}},
        },
        wantCells: ['lb', 'LoadBalancer', '10.96.0.7', '<pending>', '80:31000/TCP', '5m', '<none>'],
      },
      {
        name: 'LoadBalancer: sorted unique ingress, then externalIPs',
        object: {
          metadata: meta('lb'),
          spec: {
            type: 'LoadBalancer',
            clusterIPs: ['10.96.0.7'],
            externalIPs: ['9.9.9.9'],
            ports: [{port: 80, nodePort: 31000, protocol: 'TCP'}],
          },
          status: {
            loadBalancer: {
              ingress: [{ip: '10.0.0.2'}, {hostname: 'a.example.com'}, {ip: '10.0.0.1'}, {ip: '10.0.0.2'}],
            },
          },
        },
        wantCells: [
          'lb',
          'LoadBalancer',
          '10.96.0.7',
          '10.0.0.1,10.0.0.2,a.example.com,9.9.9.9',
          '80:31000/TCP',
          '5m',
          '<none>',
        ],
      },
      {
        name: 'ExternalName',
        object: {metadata: meta('db'), spec: {type: 'ExternalName', externalName: 'db.example.com'}},
        wantCells: ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m', '<none>'],
      },
      {
        name: 'headless',
        object: {
          metadata: meta('h'),
          spec: {type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: {app: 'h'}},
        },
        wantCells: ['h', 'ClusterIP', 'None', '<none>', '<none>', '5m', 'app=h'],
      },
    ],
  },
  Endpoints: {
    group: '',
    kind: 'Endpoints',
    columns: ['Name', 'Endpoints', 'Age'],
    cases: [
      {name: 'no subsets', object: {metadata: meta('e')}, wantCells: ['e', '<none>', '5m']},
      {
        name: 'four addresses, one port → + 1 more...',
        object: {
          metadata: meta('e'),
          subsets: [
            {
              addresses: ['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4'].map((ip) => ({ip})),
              ports: [{port: 80, protocol: 'TCP'}],
            },
          ],
        },
        wantCells: ['e', '10.244.0.1:80,10.244.0.2:80,10.244.0.3:80 + 1 more...', '5m'],
      },
      {
        name: 'two addresses × two ports',
        object: {
          metadata: meta('e'),
          subsets: [
            {
              addresses: [{ip: '10.0.0.1'}, {ip: '10.0.0.2'}],
              notReadyAddresses: [{ip: '10.0.0.3'}],
              ports: [{port: 80}, {port: 443}],
            },
          ],
        },
        wantCells: ['e', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '5m'],
      },
      {
        name: 'headless without ports, IPv6 with brackets',
        object: {
          metadata: meta('e'),
          subsets: [{addresses: [{ip: '10.0.0.1'}]}, {addresses: [{ip: 'fd00::1'}], ports: [{port: 8080}]}],
        },
        wantCells: ['e', '10.0.0.1,[fd00::1]:8080', '5m'],
      },
    ],
  },
  EndpointSlice: {
    group: 'discovery.k8s.io',
    kind: 'EndpointSlice',
    columns: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    cases: [
      {
        name: 'ports and endpoints',
        object: {
          metadata: meta('web-abc'),
          addressType: 'IPv4',
          ports: [{name: 'http', port: 80}, {name: 'named'}, {}],
          endpoints: [{addresses: ['10.0.0.1']}, {addresses: ['10.0.0.2', '10.0.0.3']}, {addresses: ['10.0.0.4']}],
        },
        wantCells: ['web-abc', 'IPv4', '80,named,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '5m'],
      },
      {
        name: 'empty',
        object: {metadata: meta('e'), addressType: 'IPv4'},
        wantCells: ['e', 'IPv4', '<unset>', '<unset>', '5m'],
      },
    ],
  },
  ConfigMap: {
    group: '',
    kind: 'ConfigMap',
    columns: ['Name', 'Data', 'Age'],
    cases: [
      {
        name: 'data + binaryData',
        object: {metadata: meta('cm'), data: {a: '1', b: '2'}, binaryData: {c: 'AA=='}},
        wantCells: ['cm', 3, '5m'],
      },
    ],
  },
  Secret: {
    group: '',
    kind: 'Secret',
    columns: ['Name', 'Type', 'Data', 'Age'],
    cases: [
      {
        name: 'tls',
        object: {metadata: meta('s'), type: 'kubernetes.io/tls', data: {'tls.crt': 'x', 'tls.key': 'y'}},
        wantCells: ['s', 'kubernetes.io/tls', 2, '5m'],
      },
    ],
  },
  ServiceAccount: {
    group: '',
    kind: 'ServiceAccount',
    columns: ['Name', 'Secrets', 'Age'],
    cases: [{name: 'no secrets', object: {metadata: meta('default')}, wantCells: ['default', 0, '5m']}],
  },
  Event: {
    group: '',
    kind: 'Event',
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cases: [
      {
        name: 'classic event with count',
        object: {
          metadata: meta('web.17a'),
          involvedObject: {kind: 'Pod', name: 'web', fieldPath: 'spec.containers{c}'},
          reason: 'BackOff',
          message: 'Back-off restarting failed container\n',
          type: 'Warning',
          source: {component: 'kubelet', host: 'node-1'},
          firstTimestamp: ago(10 * M),
          lastTimestamp: ago(30 * S),
          count: 7,
        },
        wantCells: [
          '30s',
          'Warning',
          'BackOff',
          'pod/web',
          'spec.containers{c}',
          'kubelet, node-1',
          'Back-off restarting failed container',
          '10m',
          7,
          'web.17a',
        ],
      },
      {
        name: 'new-style event: eventTime, reporting controller, no count',
        object: {
          metadata: meta('x.1'),
          involvedObject: {kind: 'Deployment', name: 'web'},
          reason: 'ScalingReplicaSet',
          message: 'Scaled up replica set web-1 to 3',
          type: 'Normal',
          source: {},
          eventTime: '2024-06-01T11:58:00.000000Z',
          reportingController: 'deployment-controller',
        },
        wantCells: [
          '2m',
          'Normal',
          'ScalingReplicaSet',
          'deployment/web',
          '',
          'deployment-controller',
          'Scaled up replica set web-1 to 3',
          '2m',
          1,
          'x.1',
        ],
      },
      {
        name: 'series overrides last seen and count; no involved name',
        object: {
          metadata: meta('n.1'),
          involvedObject: {kind: 'Node'},
          reason: 'R',
          message: 'm',
          type: 'Normal',
          eventTime: ago(H),
          series: {count: 4, lastObservedTime: ago(20 * S)},
          reportingController: 'c',
          reportingInstance: 'i',
        },
        wantCells: ['20s', 'Normal', 'R', 'node', '', 'c, i', 'm', '60m', 4, 'n.1'],
      },
      {
        name: 'no timestamps at all',
        object: {
          metadata: meta('z'),
          involvedObject: {kind: 'Pod', name: 'p'},
          reason: 'R',
          message: 'm',
          type: 'Normal',
          count: 2,
        },
        wantCells: ['<unknown>', 'Normal', 'R', 'pod/p', '', '', 'm', '<unknown>', 2, 'z'],
      },
    ],
  },
  EventsV1: {
    group: 'events.k8s.io',
    kind: 'Event',
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    cases: [
      {
        name: 'events.k8s.io/v1 fields map onto the core printer',
        object: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: meta('web.17a'),
          regarding: {kind: 'Pod', name: 'web', fieldPath: 'spec.containers{c}'},
          reason: 'Pulled',
          note: 'Successfully pulled image "nginx"',
          type: 'Normal',
          eventTime: null,
          reportingController: '',
          reportingInstance: '',
          deprecatedSource: {component: 'kubelet', host: 'node-1'},
          deprecatedFirstTimestamp: ago(3 * M),
          deprecatedLastTimestamp: ago(M),
          deprecatedCount: 2,
        },
        wantCells: [
          '60s',
          'Normal',
          'Pulled',
          'pod/web',
          'spec.containers{c}',
          'kubelet, node-1',
          'Successfully pulled image "nginx"',
          '3m',
          2,
          'web.17a',
        ],
      },
      {
        name: 'new-style events.k8s.io event',
        object: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: meta('e2'),
          regarding: {kind: 'Pod', name: 'p'},
          reason: 'Scheduled',
          note: 'ok',
          type: 'Normal',
          eventTime: ago(90 * S),
          reportingController: 'default-scheduler',
          reportingInstance: 'default-scheduler-mkctl',
          action: 'Binding',
        },
        wantCells: [
          '90s',
          'Normal',
          'Scheduled',
          'pod/p',
          '',
          'default-scheduler, default-scheduler-mkctl',
          'ok',
          '90s',
          1,
          'e2',
        ],
      },
    ],
  },
  PersistentVolume: {
    group: '',
    kind: 'PersistentVolume',
    columns: [
      'Name',
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
      'VolumeMode',
    ],
    cases: [
      {
        name: 'bound',
        object: {
          metadata: meta('pvc-1', {namespace: undefined}),
          spec: {
            capacity: {storage: '1Gi'},
            accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Delete',
            storageClassName: 'standard',
            claimRef: {namespace: 'default', name: 'data'},
            volumeMode: 'Filesystem',
          },
          status: {phase: 'Bound'},
        },
        wantCells: [
          'pvc-1',
          '1Gi',
          'RWO,RWX',
          'Delete',
          'Bound',
          'default/data',
          'standard',
          '<unset>',
          '',
          '5m',
          'Filesystem',
        ],
      },
      {
        name: 'unset phase, reclaim policy and volume mode print their v1 defaults',
        object: {
          metadata: meta('pv0', {namespace: undefined}),
          spec: {capacity: {storage: '1Gi'}, accessModes: ['ReadWriteOnce']},
        },
        wantCells: ['pv0', '1Gi', 'RWO', 'Retain', 'Pending', '', '', '<unset>', '', '5m', 'Filesystem'],
      },
      {
        name: 'terminating, beta class annotation wins',
        object: {
          metadata: meta('pv', {
            namespace: undefined,
            deletionTimestamp: ago(S),
            annotations: {'volume.beta.kubernetes.io/storage-class': 'old'},
          }),
          spec: {
            capacity: {storage: '5Gi'},
            accessModes: ['ReadWriteOncePod'],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: 'new',
          },
          status: {phase: 'Released', reason: 'x'},
        },
        wantCells: ['pv', '5Gi', 'RWOP', 'Retain', 'Terminating', '', 'old', '<unset>', 'x', '5m', 'Filesystem'],
      },
    ],
  },
  PersistentVolumeClaim: {
    group: '',
    kind: 'PersistentVolumeClaim',
    columns: [
      'Name',
      'Status',
      'Volume',
      'Capacity',
      'Access Modes',
      'StorageClass',
      'VolumeAttributesClass',
      'Age',
      'VolumeMode',
    ],
    cases: [
      {
        name: 'pending: capacity and modes are empty',
        object: {
          metadata: meta('data'),
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: {requests: {storage: '1Gi'}},
            storageClassName: 'standard',
            volumeMode: 'Filesystem',
          },
          status: {phase: 'Pending'},
        },
        wantCells: ['data', 'Pending', '', '', '', 'standard', '<unset>', '5m', 'Filesystem'],
      },
      {
        name: 'bound: capacity and modes from status',
        object: {
          metadata: meta('data'),
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: {requests: {storage: '1Gi'}},
            storageClassName: 'standard',
            volumeName: 'pvc-1',
            volumeMode: 'Filesystem',
          },
          status: {phase: 'Bound', capacity: {storage: '2Gi'}, accessModes: ['ReadWriteOnce']},
        },
        wantCells: ['data', 'Bound', 'pvc-1', '2Gi', 'RWO', 'standard', '<unset>', '5m', 'Filesystem'],
      },
    ],
  },
  ResourceQuota: {
    group: '',
    kind: 'ResourceQuota',
    columns: ['Name', 'Age', 'Request', 'Limit'],
    cases: [
      {
        name: 'requests and limits, sorted, missing used is 0',
        object: {
          metadata: meta('q'),
          status: {
            hard: {pods: '10', 'requests.cpu': '1', 'limits.memory': '1Gi', 'limits.cpu': '2'},
            used: {pods: '3', 'requests.cpu': '0.5', 'limits.cpu': '1000m'},
          },
        },
        wantCells: ['q', '5m', 'pods: 3/10, requests.cpu: 500m/1', 'limits.cpu: 1/2, limits.memory: 0/1Gi'],
      },
    ],
  },
  ReplicationController: {
    group: '',
    kind: 'ReplicationController',
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    cases: [
      {
        name: 'plain label selector',
        object: {
          metadata: meta('rc'),
          spec: {replicas: 2, selector: {app: 'web'}, template: tpl([['c', 'nginx']])},
          status: {replicas: 2, readyReplicas: 1},
        },
        wantCells: ['rc', 2, 2, 1, '5m', 'c', 'nginx', 'app=web'],
      },
    ],
  },
  Deployment: {
    group: 'apps',
    kind: 'Deployment',
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    cases: [
      {
        name: 'rolling out',
        object: {
          metadata: meta('web'),
          spec: {
            replicas: 3,
            selector: {matchLabels: {app: 'web'}},
            template: tpl([
              ['nginx', 'nginx:1.25'],
              ['log', 'busybox'],
            ]),
          },
          status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2},
        },
        wantCells: ['web', '2/3', 3, 2, '5m', 'nginx,log', 'nginx:1.25,busybox', 'app=web'],
      },
      {
        name: 'fresh: no status, match expressions',
        object: {
          metadata: meta('d'),
          spec: {
            replicas: 0,
            selector: {
              matchLabels: {tier: 'a'},
              matchExpressions: [
                {key: 'env', operator: 'In', values: ['prod', 'dev']},
                {key: 'x', operator: 'DoesNotExist'},
              ],
            },
            template: tpl([['c', 'nginx']]),
          },
        },
        wantCells: ['d', '0/0', 0, 0, '5m', 'c', 'nginx', 'env in (dev,prod),tier=a,!x'],
      },
    ],
  },
  ReplicaSet: {
    group: 'apps',
    kind: 'ReplicaSet',
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    cases: [
      {
        name: 'with pod-template-hash',
        object: {
          metadata: meta('web-5d8'),
          spec: {
            replicas: 3,
            selector: {matchLabels: {app: 'web', 'pod-template-hash': '5d8'}},
            template: tpl([['c', 'nginx']]),
          },
          status: {replicas: 3, readyReplicas: 3},
        },
        wantCells: ['web-5d8', 3, 3, 3, '5m', 'c', 'nginx', 'app=web,pod-template-hash=5d8'],
      },
    ],
  },
  StatefulSet: {
    group: 'apps',
    kind: 'StatefulSet',
    columns: ['Name', 'Ready', 'Age', 'Containers', 'Images'],
    cases: [
      {
        name: 'ready/desired',
        object: {
          metadata: meta('db'),
          spec: {replicas: 3, template: tpl([['pg', 'postgres:16']])},
          status: {readyReplicas: 1},
        },
        wantCells: ['db', '1/3', '5m', 'pg', 'postgres:16'],
      },
    ],
  },
  DaemonSet: {
    group: 'apps',
    kind: 'DaemonSet',
    columns: [
      'Name',
      'Desired',
      'Current',
      'Ready',
      'Up-to-date',
      'Available',
      'Node Selector',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ],
    cases: [
      {
        name: 'kube-proxy',
        object: {
          metadata: meta('kube-proxy'),
          spec: {
            selector: {matchLabels: {'k8s-app': 'kube-proxy'}},
            template: {
              spec: {
                nodeSelector: {'kubernetes.io/os': 'linux'},
                containers: [{name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.0'}],
              },
            },
          },
          status: {
            desiredNumberScheduled: 3,
            currentNumberScheduled: 3,
            numberReady: 2,
            updatedNumberScheduled: 3,
            numberAvailable: 2,
          },
        },
        wantCells: [
          'kube-proxy',
          3,
          3,
          2,
          3,
          2,
          'kubernetes.io/os=linux',
          '5m',
          'kube-proxy',
          'registry.k8s.io/kube-proxy:v1.32.0',
          'k8s-app=kube-proxy',
        ],
      },
    ],
  },
  ControllerRevision: {
    group: 'apps',
    kind: 'ControllerRevision',
    columns: ['Name', 'Controller', 'Revision', 'Age'],
    cases: [
      {
        name: 'owned by a statefulset',
        object: {
          metadata: meta('db-7c9', {
            ownerReferences: [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true}],
          }),
          revision: 2,
        },
        wantCells: ['db-7c9', 'statefulset.apps/db', 2, '5m'],
      },
      {name: 'no owner', object: {metadata: meta('r'), revision: 1}, wantCells: ['r', '<none>', 1, '5m']},
    ],
  },
  Job: {
    group: 'batch',
    kind: 'Job',
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
    cases: [
      {
        name: 'running with completions',
        object: {
          metadata: meta('pi'),
          spec: {
            completions: 3,
            parallelism: 1,
            selector: {matchLabels: {'batch.kubernetes.io/controller-uid': 'u1'}},
            template: tpl([['pi', 'perl']]),
          },
          status: {startTime: ago(90 * S), succeeded: 1, active: 1},
        },
        wantCells: ['pi', 'Running', '1/3', '90s', '5m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1'],
      },
      {
        name: 'complete: duration is completion - start',
        object: {
          metadata: meta('pi'),
          spec: {completions: 1, parallelism: 1, template: tpl([['pi', 'perl']])},
          status: {
            startTime: ago(4 * M),
            completionTime: ago(4 * M - 65 * S),
            succeeded: 1,
            conditions: [
              {type: 'SuccessCriteriaMet', status: 'True'},
              {type: 'Complete', status: 'True'},
            ],
          },
        },
        wantCells: ['pi', 'Complete', '1/1', '65s', '5m', 'pi', 'perl', '<none>'],
      },
      {
        name: 'parallel without completions, not started',
        object: {metadata: meta('w'), spec: {parallelism: 3, template: tpl([['w', 'busybox']])}},
        wantCells: ['w', 'Running', '0/1 of 3', '', '5m', 'w', 'busybox', '<none>'],
      },
      {
        name: 'failed',
        object: {
          metadata: meta('f'),
          spec: {template: tpl([['w', 'busybox']])},
          status: {
            startTime: ago(M),
            conditions: [
              {type: 'FailureTarget', status: 'True'},
              {type: 'Failed', status: 'True'},
            ],
          },
        },
        wantCells: ['f', 'Failed', '0/1', '60s', '5m', 'w', 'busybox', '<none>'],
      },
      {
        name: 'suspended, and terminating wins over suspended',
        object: {
          metadata: meta('s', {deletionTimestamp: ago(S)}),
          spec: {suspend: true, template: tpl([['w', 'busybox']])},
          status: {conditions: [{type: 'Suspended', status: 'True'}]},
        },
        wantCells: ['s', 'Terminating', '0/1', '', '5m', 'w', 'busybox', '<none>'],
      },
      {
        name: 'suspended',
        object: {
          metadata: meta('s'),
          spec: {template: tpl([['w', 'busybox']])},
          status: {conditions: [{type: 'Suspended', status: 'True'}]},
        },
        wantCells: ['s', 'Suspended', '0/1', '', '5m', 'w', 'busybox', '<none>'],
      },
    ],
  },
  CronJob: {
    group: 'batch',
    kind: 'CronJob',
    columns: [
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ],
    cases: [
      {
        name: 'never scheduled, suspend unset',
        object: {
          metadata: meta('hello'),
          spec: {schedule: '*/1 * * * *', jobTemplate: {spec: {template: tpl([['hello', 'busybox']])}}},
        },
        wantCells: ['hello', '*/1 * * * *', '<none>', '<unset>', 0, '<none>', '5m', 'hello', 'busybox', '<none>'],
      },
      {
        name: 'scheduled, suspended false, time zone',
        object: {
          metadata: meta('hello'),
          spec: {
            schedule: '0 * * * *',
            timeZone: 'Europe/Paris',
            suspend: false,
            jobTemplate: {spec: {template: tpl([['hello', 'busybox']])}},
          },
          status: {active: [{name: 'hello-1'}], lastScheduleTime: ago(45 * S)},
        },
        wantCells: ['hello', '0 * * * *', 'Europe/Paris', 'False', 1, '45s', '5m', 'hello', 'busybox', '<none>'],
      },
    ],
  },
  HorizontalPodAutoscaler: {
    group: 'autoscaling',
    kind: 'HorizontalPodAutoscaler',
    columns: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    cases: [
      {
        name: 'v2 cpu utilization with a current value',
        object: {
          apiVersion: 'autoscaling/v2',
          metadata: meta('web'),
          spec: {
            scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
            minReplicas: 1,
            maxReplicas: 10,
            metrics: [
              {type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}},
            ],
          },
          status: {
            currentReplicas: 2,
            currentMetrics: [
              {type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: 20, averageValue: '10m'}}},
            ],
          },
        },
        wantCells: ['web', 'Deployment/web', 'cpu: 20%/50%', '1', 10, 2, '5m'],
      },
      {
        name: 'v2 no current metrics yet → <unknown>',
        object: {
          apiVersion: 'autoscaling/v2',
          metadata: meta('web'),
          spec: {
            scaleTargetRef: {kind: 'Deployment', name: 'web'},
            minReplicas: 2,
            maxReplicas: 5,
            metrics: [
              {type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}},
            ],
          },
          status: {currentReplicas: 0},
        },
        wantCells: ['web', 'Deployment/web', 'cpu: <unknown>/50%', '2', 5, 0, '5m'],
      },
      {
        name: 'v2 three metrics: value, pods, external avg → + 1 more...',
        object: {
          apiVersion: 'autoscaling/v2',
          metadata: meta('web'),
          spec: {
            scaleTargetRef: {kind: 'Deployment', name: 'web'},
            maxReplicas: 5,
            metrics: [
              {type: 'Resource', resource: {name: 'memory', target: {type: 'AverageValue', averageValue: '100Mi'}}},
              {type: 'Pods', pods: {metric: {name: 'qps'}, target: {type: 'AverageValue', averageValue: '1k'}}},
              {
                type: 'External',
                external: {metric: {name: 'queue'}, target: {type: 'AverageValue', averageValue: '30'}},
              },
            ],
          },
          status: {
            currentReplicas: 3,
            currentMetrics: [{type: 'Resource', resource: {name: 'memory', current: {averageValue: '80Mi'}}}],
          },
        },
        wantCells: ['web', 'Deployment/web', 'memory: 80Mi/100Mi, <unknown>/1k + 1 more...', '<unset>', 5, 3, '5m'],
      },
      {
        name: 'v2 object and external values, container resource',
        object: {
          apiVersion: 'autoscaling/v2',
          metadata: meta('web'),
          spec: {
            scaleTargetRef: {kind: 'Deployment', name: 'web'},
            minReplicas: 1,
            maxReplicas: 5,
            metrics: [
              {
                type: 'Object',
                object: {
                  metric: {name: 'rps'},
                  describedObject: {kind: 'Ingress', name: 'i'},
                  target: {type: 'Value', value: '10k'},
                },
              },
              {
                type: 'ContainerResource',
                containerResource: {
                  name: 'cpu',
                  container: 'app',
                  target: {type: 'Utilization', averageUtilization: 60},
                },
              },
            ],
          },
          status: {
            currentReplicas: 1,
            currentMetrics: [
              {type: 'Object', object: {metric: {name: 'rps'}, current: {value: '2k'}}},
              {
                type: 'ContainerResource',
                containerResource: {name: 'cpu', container: 'app', current: {averageUtilization: 30}},
              },
            ],
          },
        },
        wantCells: ['web', 'Deployment/web', '2k/10k, cpu: 30%/60%', '1', 5, 1, '5m'],
      },
      {
        name: 'v2 without metrics → <none>',
        object: {
          apiVersion: 'autoscaling/v2',
          metadata: meta('web'),
          spec: {scaleTargetRef: {kind: 'Deployment', name: 'web'}, minReplicas: 1, maxReplicas: 3},
        },
        wantCells: ['web', 'Deployment/web', '<none>', '1', 3, 0, '5m'],
      },
      {
        name: 'v1 target and current CPU',
        object: {
          apiVersion: 'autoscaling/v1',
          metadata: meta('web'),
          spec: {
            scaleTargetRef: {kind: 'Deployment', name: 'web'},
            minReplicas: 1,
            maxReplicas: 10,
            targetCPUUtilizationPercentage: 50,
          },
          status: {currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 20},
        },
        wantCells: ['web', 'Deployment/web', 'cpu: 20%/50%', '1', 10, 1, '5m'],
      },
      {
        name: 'v1 without a target uses the 80% default',
        object: {
          apiVersion: 'autoscaling/v1',
          metadata: meta('web'),
          spec: {scaleTargetRef: {kind: 'Deployment', name: 'web'}, minReplicas: 1, maxReplicas: 10},
          status: {currentReplicas: 1, desiredReplicas: 1},
        },
        wantCells: ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 10, 1, '5m'],
      },
    ],
  },
  PodDisruptionBudget: {
    group: 'policy',
    kind: 'PodDisruptionBudget',
    columns: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
    cases: [
      {
        name: 'minAvailable int',
        object: {metadata: meta('pdb'), spec: {minAvailable: 2}, status: {disruptionsAllowed: 1}},
        wantCells: ['pdb', '2', 'N/A', 1, '5m'],
      },
      {
        name: 'maxUnavailable percent',
        object: {metadata: meta('pdb'), spec: {maxUnavailable: '25%'}},
        wantCells: ['pdb', 'N/A', '25%', 0, '5m'],
      },
    ],
  },
  Ingress: {
    group: 'networking.k8s.io',
    kind: 'Ingress',
    columns: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
    cases: [
      {
        name: 'class, one host, tls, address',
        object: {
          metadata: meta('web'),
          spec: {ingressClassName: 'nginx', rules: [{host: 'web.example.com'}], tls: [{hosts: ['web.example.com']}]},
          status: {loadBalancer: {ingress: [{ip: '192.168.49.2'}]}},
        },
        wantCells: ['web', 'nginx', 'web.example.com', '192.168.49.2', '80, 443', '5m'],
      },
      {
        name: 'no class, no hosts',
        object: {metadata: meta('web'), spec: {defaultBackend: {service: {name: 'web', port: {number: 80}}}}},
        wantCells: ['web', '<none>', '*', '', '80', '5m'],
      },
      {
        name: 'four rules, one without host: three hosts, no "more" (formatHosts counts hosts, not rules)',
        object: {metadata: meta('web'), spec: {rules: [{host: 'a'}, {}, {host: 'b'}, {host: 'c'}]}},
        wantCells: ['web', '<none>', 'a,b,c', '', '80', '5m'],
      },
      {
        name: 'five rules with hosts',
        object: {
          metadata: meta('web'),
          spec: {rules: [{host: 'a'}, {host: 'b'}, {host: 'c'}, {host: 'd'}, {host: 'e'}]},
        },
        wantCells: ['web', '<none>', 'a,b,c + 2 more...', '', '80', '5m'],
      },
    ],
  },
  IngressClass: {
    group: 'networking.k8s.io',
    kind: 'IngressClass',
    columns: ['Name', 'Controller', 'Parameters', 'Age'],
    cases: [
      {
        name: 'nginx',
        object: {metadata: meta('nginx'), spec: {controller: 'k8s.io/ingress-nginx'}},
        wantCells: ['nginx', 'k8s.io/ingress-nginx', '<none>', '5m'],
      },
      {
        name: 'with parameters',
        object: {
          metadata: meta('x'),
          spec: {controller: 'c', parameters: {apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p'}},
        },
        wantCells: ['x', 'c', 'IngressParameters.k8s.example.com/p', '5m'],
      },
    ],
  },
  NetworkPolicy: {
    group: 'networking.k8s.io',
    kind: 'NetworkPolicy',
    columns: ['Name', 'Pod-Selector', 'Age'],
    cases: [
      {
        name: 'all pods',
        object: {metadata: meta('deny'), spec: {podSelector: {}}},
        wantCells: ['deny', '<none>', '5m'],
      },
      {
        name: 'some pods',
        object: {metadata: meta('np'), spec: {podSelector: {matchLabels: {app: 'db'}}}},
        wantCells: ['np', 'app=db', '5m'],
      },
    ],
  },
  StorageClass: {
    group: 'storage.k8s.io',
    kind: 'StorageClass',
    columns: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
    cases: [
      {
        name: 'default class',
        object: {
          metadata: meta('standard', {annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}}),
          provisioner: 'k8s.io/minikube-hostpath',
          reclaimPolicy: 'Delete',
          volumeBindingMode: 'Immediate',
        },
        wantCells: ['standard (default)', 'k8s.io/minikube-hostpath', 'Delete', 'Immediate', false, '5m'],
      },
      {
        name: 'defaults when unset',
        object: {
          metadata: meta('fast'),
          provisioner: 'x',
          allowVolumeExpansion: true,
          volumeBindingMode: 'WaitForFirstConsumer',
        },
        wantCells: ['fast', 'x', 'Delete', 'WaitForFirstConsumer', true, '5m'],
      },
    ],
  },
  PriorityClass: {
    group: 'scheduling.k8s.io',
    kind: 'PriorityClass',
    columns: ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
    cases: [
      {
        name: 'system-node-critical',
        object: {metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority'},
        wantCells: ['system-node-critical', 2000001000, false, '5m', 'PreemptLowerPriority'],
      },
      {
        name: 'global default',
        object: {metadata: meta('p'), value: 5, globalDefault: true, preemptionPolicy: 'Never'},
        wantCells: ['p', 5, true, '5m', 'Never'],
      },
    ],
  },
  Lease: {
    group: 'coordination.k8s.io',
    kind: 'Lease',
    columns: ['Name', 'Holder', 'Age'],
    cases: [
      {
        name: 'held',
        object: {metadata: meta('mkctl'), spec: {holderIdentity: 'mkctl'}},
        wantCells: ['mkctl', 'mkctl', '5m'],
      },
      {name: 'free', object: {metadata: meta('x'), spec: {}}, wantCells: ['x', '', '5m']},
    ],
  },
  RoleBinding: {
    group: 'rbac.authorization.k8s.io',
    kind: 'RoleBinding',
    columns: ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'],
    cases: [
      {
        name: 'mixed subjects',
        object: {
          metadata: meta('rb'),
          roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader'},
          subjects: [
            {kind: 'User', name: 'alice'},
            {kind: 'User', name: 'bob'},
            {kind: 'Group', name: 'devs'},
            {kind: 'ServiceAccount', name: 'ci', namespace: 'default'},
          ],
        },
        wantCells: ['rb', 'Role/reader', '5m', 'alice, bob', 'devs', 'default/ci'],
      },
    ],
  },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    kind: 'ClusterRoleBinding',
    columns: ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'],
    cases: [
      {
        name: 'cluster-admin',
        object: {
          metadata: meta('cluster-admin', {namespace: undefined}),
          roleRef: {kind: 'ClusterRole', name: 'cluster-admin'},
          subjects: [{kind: 'Group', name: 'system:masters'}],
        },
        wantCells: ['cluster-admin', 'ClusterRole/cluster-admin', '5m', '', 'system:masters', ''],
      },
    ],
  },
  CertificateSigningRequest: {
    group: 'certificates.k8s.io',
    kind: 'CertificateSigningRequest',
    columns: ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
    cases: [
      {
        name: 'pending',
        object: {
          metadata: meta('csr'),
          spec: {
            signerName: 'kubernetes.io/kube-apiserver-client',
            username: 'minikube-user',
            expirationSeconds: 86400,
          },
        },
        wantCells: ['csr', '5m', 'kubernetes.io/kube-apiserver-client', 'minikube-user', '24h', 'Pending'],
      },
      {
        name: 'approved and issued',
        object: {
          metadata: meta('csr'),
          spec: {signerName: 'kubernetes.io/kube-apiserver-client', username: 'u'},
          status: {conditions: [{type: 'Approved', status: 'True'}], certificate: 'LS0t'},
        },
        wantCells: ['csr', '5m', 'kubernetes.io/kube-apiserver-client', 'u', '<none>', 'Approved,Issued'],
      },
      {
        name: 'denied and failed',
        object: {
          metadata: meta('csr'),
          spec: {username: 'u'},
          status: {conditions: [{type: 'Approved'}, {type: 'Denied'}, {type: 'Failed'}]},
        },
        wantCells: ['csr', '5m', '<none>', 'u', '<none>', 'Denied,Failed'],
      },
    ],
  },
}

describe('tables: kinds', () => {
  for (const [title, k] of Object.entries(kinds)) {
    describe(title, () => {
      const conv = convertorFor(k.group, k.kind)
      it('has the 1.32 columns', () =>
        assert.deepEqual(
          conv.columns.map((c) => c.name),
          k.columns,
        ))
      for (const c of k.cases) {
        it(c.name, () => {
          const rows = conv.rows(c.object, c.now ?? NOW)
          assert.equal(rows.length, 1)
          assert.deepEqual(rows[0].cells, c.wantCells)
          assert.equal(rows[0].cells.length, conv.columns.length)
        })
      }
    })
  }
})

describe('tables: column types and priorities', () => {
  const spec = (group: string, kind: string) =>
    convertorFor(group, kind)
      .columns.filter((c) => c.type !== 'string' || c.priority !== 0 || c.format !== '')
      .map((c) => `${c.name}:${c.type}:${c.format}:${c.priority}`)
  it('matches printers.go for a few kinds', () => {
    assert.deepEqual(spec('apps', 'Deployment'), [
      'Name:string:name:0',
      'Containers:string::1',
      'Images:string::1',
      'Selector:string::1',
    ])
    assert.deepEqual(spec('batch', 'CronJob'), [
      'Name:string:name:0',
      'Suspend:boolean::0',
      'Active:integer::0',
      'Containers:string::1',
      'Images:string::1',
      'Selector:string::1',
    ])
    assert.deepEqual(spec('', 'Event'), [
      'Subobject:string::1',
      'Source:string::1',
      'First Seen:string::1',
      'Count:string::1',
      'Name:string:name:1',
    ])
    assert.deepEqual(spec('scheduling.k8s.io', 'PriorityClass'), [
      'Name:string:name:0',
      'Value:integer::0',
      'Global-Default:boolean::0',
    ])
  })
})

describe('tables: default convertor', () => {
  for (const [group, kind] of [
    ['rbac.authorization.k8s.io', 'Role'],
    ['rbac.authorization.k8s.io', 'ClusterRole'],
    ['', 'LimitRange'],
    ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    ['example.com', 'Widget'],
  ]) {
    it(`${group}/${kind} prints Name | Created At`, () => {
      const conv = convertorFor(group, kind)
      assert.deepEqual(
        conv.columns.map((c) => [c.name, c.type, c.format]),
        [
          ['Name', 'string', 'name'],
          ['Created At', 'date', ''],
        ],
      )
      const [row] = conv.rows({metadata: {name: 'x', creationTimestamp: '2024-06-01T11:55:00Z'}}, NOW)
      assert.deepEqual(row.cells, ['x', '2024-06-01T11:55:00Z'])
    })
  }
  it('prints Go zero time without a creationTimestamp', () => {
    assert.deepEqual(convertorFor('', 'LimitRange').rows({metadata: {name: 'x'}}, NOW)[0].cells, [
      'x',
      '0001-01-01T00:00:00Z',
    ])
  })
})

describe('tables: robustness', () => {
  // Objects straight from a create request can lack spec and status; no printer may throw on them.
  const all: [string, string][] = [
    ['', 'Pod'],
    ['', 'PodTemplate'],
    ['', 'Node'],
    ['', 'Namespace'],
    ['', 'Service'],
    ['', 'Endpoints'],
    ['discovery.k8s.io', 'EndpointSlice'],
    ['', 'ConfigMap'],
    ['', 'Secret'],
    ['', 'ServiceAccount'],
    ['', 'Event'],
    ['events.k8s.io', 'Event'],
    ['', 'PersistentVolume'],
    ['', 'PersistentVolumeClaim'],
    ['', 'StorageClass'],
    ['', 'ResourceQuota'],
    ['', 'ReplicationController'],
    ['apps', 'Deployment'],
    ['apps', 'ReplicaSet'],
    ['apps', 'StatefulSet'],
    ['apps', 'DaemonSet'],
    ['apps', 'ControllerRevision'],
    ['batch', 'Job'],
    ['batch', 'CronJob'],
    ['autoscaling', 'HorizontalPodAutoscaler'],
    ['networking.k8s.io', 'Ingress'],
    ['networking.k8s.io', 'IngressClass'],
    ['networking.k8s.io', 'NetworkPolicy'],
    ['policy', 'PodDisruptionBudget'],
    ['scheduling.k8s.io', 'PriorityClass'],
    ['coordination.k8s.io', 'Lease'],
    ['rbac.authorization.k8s.io', 'RoleBinding'],
    ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
    ['certificates.k8s.io', 'CertificateSigningRequest'],
    ['storage.k8s.io', 'StorageClass'],
  ]
  for (const [group, kind] of all) {
    it(`${group || 'core'}/${kind} prints a bare object with one cell per column`, () => {
      const conv = convertorFor(group, kind)
      const [row] = conv.rows({metadata: {name: 'bare', creationTimestamp: ago(D)}}, NOW)
      assert.equal(row.cells.length, conv.columns.length)
      for (const cell of row.cells)
        assert.ok(['string', 'number', 'boolean'].includes(typeof cell), `${kind}: ${String(cell)}`)
    })
  }
})
