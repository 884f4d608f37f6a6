// Table-driven defaulting: what kubectl sends → what the registry stores (and `kubectl get -o yaml` shows), checked
// against the 1.32 apiserver's SetDefaults_*, admission plugins and PrepareForCreate.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../../src/api/object.js'
import {makeHarness, strip, type Harness} from './harness.js'

const templateDefaults = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
}

const nginx = {
  image: 'nginx',
  imagePullPolicy: 'Always',
  name: 'nginx',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
}

interface Case {
  name: string
  input: KubeObject
  want: (o: KubeObject) => KubeObject
}

const cases: Case[] = [
  {
    name: 'Deployment from `kubectl create deployment web --image=nginx`',
    input: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web', labels: {app: 'web'}},
      spec: {
        replicas: 1,
        selector: {matchLabels: {app: 'web'}},
        strategy: {},
        template: {
          metadata: {labels: {app: 'web'}},
          spec: {containers: [{image: 'nginx', name: 'nginx', resources: {}}]},
        },
      },
    },
    want: () => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}, generation: 1},
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: {matchLabels: {app: 'web'}},
        strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
        template: {
          metadata: {creationTimestamp: null, labels: {app: 'web'}},
          spec: {containers: [nginx], ...templateDefaults},
        },
      },
      status: {},
    }),
  },
  {
    name: 'StatefulSet with a volumeClaimTemplate',
    input: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name: 'db'},
      spec: {
        serviceName: 'db',
        selector: {matchLabels: {app: 'db'}},
        template: {
          metadata: {labels: {app: 'db'}},
          spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 80}]}]},
        },
        volumeClaimTemplates: [
          {metadata: {name: 'www'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}},
        ],
      },
    },
    want: () => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name: 'db', namespace: 'default', generation: 1},
      spec: {
        persistentVolumeClaimRetentionPolicy: {whenDeleted: 'Retain', whenScaled: 'Retain'},
        podManagementPolicy: 'OrderedReady',
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: {matchLabels: {app: 'db'}},
        serviceName: 'db',
        template: {
          metadata: {creationTimestamp: null, labels: {app: 'db'}},
          spec: {
            containers: [
              {
                ...nginx,
                image: 'nginx:1.27',
                imagePullPolicy: 'IfNotPresent',
                ports: [{containerPort: 80, protocol: 'TCP'}],
              },
            ],
            ...templateDefaults,
          },
        },
        updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}},
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {creationTimestamp: null, name: 'www'},
            spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, volumeMode: 'Filesystem'},
            status: {phase: 'Pending'},
          },
        ],
      },
      status: {availableReplicas: 0, replicas: 0},
    }),
  },
  {
    name: 'DaemonSet',
    input: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {name: 'agent'},
      spec: {
        selector: {matchLabels: {app: 'agent'}},
        template: {metadata: {labels: {app: 'agent'}}, spec: {containers: [{name: 'nginx', image: 'nginx'}]}},
      },
    },
    want: () => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {name: 'agent', namespace: 'default', generation: 1},
      spec: {
        revisionHistoryLimit: 10,
        selector: {matchLabels: {app: 'agent'}},
        template: {
          metadata: {creationTimestamp: null, labels: {app: 'agent'}},
          spec: {containers: [nginx], ...templateDefaults},
        },
        updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 0, maxUnavailable: 1}},
      },
      status: {currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0},
    }),
  },
  {
    name: 'Job from `kubectl create job pi --image=perl`: generated selector and labels',
    input: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'pi'},
      spec: {
        template: {
          metadata: {},
          spec: {containers: [{image: 'perl:5.34', name: 'pi', resources: {}}], restartPolicy: 'Never'},
        },
      },
    },
    want: (o) => {
      const uid = String(o.metadata?.uid)
      const labels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': uid,
        'job-name': 'pi',
      }
      return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {name: 'pi', namespace: 'default', generation: 1, labels},
        spec: {
          backoffLimit: 6,
          completionMode: 'NonIndexed',
          completions: 1,
          manualSelector: false,
          parallelism: 1,
          podReplacementPolicy: 'TerminatingOrFailed',
          selector: {matchLabels: {'batch.kubernetes.io/controller-uid': uid}},
          suspend: false,
          template: {
            metadata: {creationTimestamp: null, labels},
            spec: {
              containers: [{...nginx, image: 'perl:5.34', imagePullPolicy: 'IfNotPresent', name: 'pi'}],
              ...templateDefaults,
              restartPolicy: 'Never',
            },
          },
        },
        status: {},
      }
    },
  },
  {
    name: 'CronJob: history limits, no Job-level defaults inside the jobTemplate',
    input: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {name: 'hello'},
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          metadata: {name: 'hello'},
          spec: {
            template: {
              metadata: {},
              spec: {containers: [{image: 'busybox', name: 'hello'}], restartPolicy: 'OnFailure'},
            },
          },
        },
      },
    },
    want: () => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {name: 'hello', namespace: 'default', generation: 1},
      spec: {
        concurrencyPolicy: 'Allow',
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: {creationTimestamp: null, name: 'hello'},
          spec: {
            template: {
              metadata: {creationTimestamp: null},
              spec: {
                containers: [{...nginx, image: 'busybox', name: 'hello'}],
                ...templateDefaults,
                restartPolicy: 'OnFailure',
              },
            },
          },
        },
        schedule: '*/1 * * * *',
        successfulJobsHistoryLimit: 3,
        suspend: false,
      },
      status: {},
    }),
  },
  {
    name: 'Secret: stringData merged into base64 data, type Opaque',
    input: {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, data: {a: 'YQ=='}, stringData: {b: 'bee', a: 'x'}},
    want: () => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: 's', namespace: 'default'},
      data: {a: 'eA==', b: 'YmVl'},
      type: 'Opaque',
    }),
  },
  {
    name: 'PVC: volumeMode, the default StorageClass, phase Pending',
    input: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'data'},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1024Mi'}}},
    },
    want: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'data', namespace: 'default', generation: 1, finalizers: ['kubernetes.io/pvc-protection']},
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: {requests: {storage: '1Gi'}},
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: {phase: 'Pending'},
    }),
  },
  {
    name: 'NetworkPolicy: policyTypes and port protocols',
    input: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'np'},
      spec: {podSelector: {}, egress: [{ports: [{port: 53}]}]},
    },
    want: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'np', namespace: 'default', generation: 1},
      spec: {podSelector: {}, egress: [{ports: [{port: 53, protocol: 'TCP'}]}], policyTypes: ['Ingress', 'Egress']},
    }),
  },
  {
    name: 'HPA v2 from `kubectl autoscale`: minReplicas and behavior filled in',
    input: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {name: 'web'},
      spec: {
        maxReplicas: 5,
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
        behavior: {scaleDown: {stabilizationWindowSeconds: 60}},
      },
    },
    want: () => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {name: 'web', namespace: 'default', generation: 1},
      spec: {
        behavior: {
          scaleDown: {
            policies: [{periodSeconds: 15, type: 'Percent', value: 100}],
            selectPolicy: 'Max',
            stabilizationWindowSeconds: 60,
          },
          scaleUp: {
            policies: [
              {periodSeconds: 15, type: 'Pods', value: 4},
              {periodSeconds: 15, type: 'Percent', value: 100},
            ],
            selectPolicy: 'Max',
            stabilizationWindowSeconds: 0,
          },
        },
        maxReplicas: 5,
        metrics: [{resource: {name: 'cpu', target: {averageUtilization: 80, type: 'Utilization'}}, type: 'Resource'}],
        minReplicas: 1,
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
      },
      status: {currentMetrics: null, desiredReplicas: 0},
    }),
  },
  {
    name: 'RoleBinding: roleRef and User subjects get the rbac group',
    input: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {name: 'rb'},
      roleRef: {kind: 'Role', name: 'r'},
      subjects: [
        {kind: 'User', name: 'jane'},
        {kind: 'ServiceAccount', name: 'default', namespace: 'default'},
      ],
    },
    want: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {name: 'rb', namespace: 'default'},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r'},
      subjects: [
        {apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane'},
        {kind: 'ServiceAccount', name: 'default', namespace: 'default'},
      ],
    }),
  },
]

describe('kinds: defaults on create', () => {
  let h: Harness
  beforeEach(() => {
    h = makeHarness()
    h.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {name: 'standard', annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}},
      provisioner: 'k8s.io/minikube-hostpath',
    })
  })
  afterEach(() => h.close())

  for (const c of cases) {
    it(c.name, () => {
      const got = h.create(c.input)
      assert.deepEqual(strip(got), c.want(got))
    })
  }

  it('Pod from `kubectl run p --image=nginx`: admission adds the account, token volume, tolerations, priority', () => {
    const got = h.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', labels: {run: 'p'}},
      spec: {
        containers: [{image: 'nginx', name: 'p', resources: {}}],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
      },
    })
    const spec = got.spec as any
    const vol = spec.volumes[0].name as string
    assert.match(vol, /^kube-api-access-[a-z0-9]{5}$/)
    assert.deepEqual(strip(got), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', namespace: 'default', labels: {run: 'p'}},
      spec: {
        containers: [
          {
            ...nginx,
            name: 'p',
            volumeMounts: [{mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol, readOnly: true}],
          },
        ],
        ...templateDefaults,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        serviceAccount: 'default',
        serviceAccountName: 'default',
        tolerations: [
          {effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300},
          {effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300},
        ],
        volumes: [
          {
            name: vol,
            projected: {
              defaultMode: 420,
              sources: [
                {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
                {configMap: {items: [{key: 'ca.crt', path: 'ca.crt'}], name: 'kube-root-ca.crt'}},
                {
                  downwardAPI: {
                    items: [{fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}, path: 'namespace'}],
                  },
                },
              ],
            },
          },
        ],
      },
      status: {phase: 'Pending', qosClass: 'BestEffort'},
    })
  })

  it("Pod: a ServiceAccount's automountServiceAccountToken: false is followed, and a change of it too", () => {
    const pod = (name: string, extra: Record<string, unknown> = {}) =>
      h.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name},
        spec: {serviceAccountName: 'quiet', containers: [{name: 'c', image: 'nginx'}], ...extra},
      })
    const volumes = (p: KubeObject) => ((p.spec as any).volumes ?? []).map((v: any) => v.name.replace(/-\w+$/, ''))
    const sa = h.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {name: 'quiet'},
      automountServiceAccountToken: false,
    })
    assert.deepEqual(volumes(pod('p1')), [], 'the account turns the token volume off')
    assert.deepEqual(volumes(pod('p2')), [], 'asked again: same answer')
    assert.deepEqual(
      volumes(pod('p3', {automountServiceAccountToken: true})),
      ['kube-api-access'],
      'the pod overrides it',
    )
    h.update({...sa, automountServiceAccountToken: true})
    assert.deepEqual(volumes(pod('p4')), ['kube-api-access'], 'the updated account is read again')
  })

  it('Pod: probes, ports, env fieldRef, volumes, requests from limits, Guaranteed QoS', () => {
    const got = h.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'q'},
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'app',
            image: 'registry.example.com/app@sha256:abc',
            ports: [{containerPort: 8080}],
            env: [{name: 'NS', valueFrom: {fieldRef: {fieldPath: 'metadata.namespace'}}}],
            livenessProbe: {httpGet: {port: 8080}},
            readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 5},
            resources: {limits: {cpu: '0.5', memory: '128Mi'}},
          },
        ],
        volumes: [
          {name: 'cfg', configMap: {name: 'c'}},
          {name: 'sec', secret: {secretName: 's'}},
          {name: 'tmp'},
          {name: 'h', hostPath: {path: '/x'}},
        ],
      },
    })
    const c = (got.spec as any).containers[0]
    assert.equal(c.imagePullPolicy, 'IfNotPresent')
    assert.deepEqual(c.ports, [{containerPort: 8080, protocol: 'TCP'}])
    assert.deepEqual(c.env[0].valueFrom.fieldRef, {apiVersion: 'v1', fieldPath: 'metadata.namespace'})
    assert.deepEqual(c.livenessProbe, {
      httpGet: {path: '/', port: 8080, scheme: 'HTTP'},
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    })
    assert.deepEqual(c.readinessProbe, {
      tcpSocket: {port: 8080},
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    })
    assert.deepEqual(c.resources, {limits: {cpu: '500m', memory: '128Mi'}, requests: {cpu: '500m', memory: '128Mi'}})
    assert.deepEqual((got.spec as any).volumes, [
      {name: 'cfg', configMap: {name: 'c', defaultMode: 420}},
      {name: 'sec', secret: {secretName: 's', defaultMode: 420}},
      {name: 'tmp', emptyDir: {}},
      {name: 'h', hostPath: {path: '/x', type: ''}},
    ])
    assert.equal(c.volumeMounts, undefined)
    assert.deepEqual(got.status, {phase: 'Pending', qosClass: 'Guaranteed'})
  })

  it('Pod QoS is Burstable with requests only', () => {
    const got = h.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'b'},
      spec: {containers: [{name: 'a', image: 'nginx', resources: {requests: {cpu: '100m'}}}]},
    })
    assert.equal((got.status as any).qosClass, 'Burstable')
  })

  it('Service NodePort: cluster IP and node port allocated, families and policies defaulted', () => {
    const got = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'web', labels: {app: 'web'}},
      spec: {
        ports: [{name: '80-80', port: 80, protocol: 'TCP', targetPort: 80}],
        selector: {app: 'web'},
        type: 'NodePort',
      },
    })
    const s = got.spec as any
    assert.match(s.clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/)
    assert.deepEqual(s.clusterIPs, [s.clusterIP])
    assert.ok(s.ports[0].nodePort >= 30086 && s.ports[0].nodePort <= 32767, String(s.ports[0].nodePort))
    assert.deepEqual(strip(got), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}},
      spec: {
        clusterIP: s.clusterIP,
        clusterIPs: [s.clusterIP],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{name: '80-80', nodePort: s.ports[0].nodePort, port: 80, protocol: 'TCP', targetPort: 80}],
        selector: {app: 'web'},
        sessionAffinity: 'None',
        type: 'NodePort',
      },
      status: {loadBalancer: {}},
    })
  })

  it('Service: targetPort defaults to port, LoadBalancer allocates node ports, headless and ExternalName get no IP', () => {
    const lb = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'lb'},
      spec: {type: 'LoadBalancer', ports: [{port: 443}]},
    }).spec as any
    assert.equal(lb.allocateLoadBalancerNodePorts, true)
    assert.equal(lb.ports[0].targetPort, 443)
    assert.equal(typeof lb.ports[0].nodePort, 'number')
    const hl = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'hl'},
      spec: {clusterIP: 'None', selector: {app: 'x'}},
    }).spec as any
    assert.deepEqual([hl.clusterIP, hl.clusterIPs, hl.ipFamilyPolicy], ['None', ['None'], 'SingleStack'])
    const en = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'en'},
      spec: {type: 'ExternalName', externalName: 'example.com'},
    }).spec as any
    assert.deepEqual(en, {externalName: 'example.com', sessionAffinity: 'None', type: 'ExternalName'})
  })

  it('Service replace without clusterIP keeps the allocated values; delete frees them', () => {
    const first = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'a'},
      spec: {type: 'NodePort', ports: [{port: 80}]},
    })
    const s = first.spec as any
    const replaced = h.update({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'a'},
      spec: {type: 'NodePort', ports: [{port: 80}], selector: {app: 'a'}},
    })
    assert.equal((replaced.spec as any).clusterIP, s.clusterIP)
    assert.equal((replaced.spec as any).ports[0].nodePort, s.ports[0].nodePort)
    h.registry.delete(h.r('', 'Service'), 'default', 'a')
    const again = h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'b'},
      spec: {clusterIP: s.clusterIP, type: 'NodePort', ports: [{port: 80, nodePort: s.ports[0].nodePort}]},
    })
    assert.equal((again.spec as any).clusterIP, s.clusterIP)
  })

  it('Deployment update keeps the defaults and bumps generation on spec change only', () => {
    const d = h.create(cases[0]!.input)
    const next = structuredClone(d)
    ;(next.spec as any).replicas = 3
    delete (next.spec as any).strategy
    const got = h.update(next)
    assert.equal(got.metadata?.generation, 2)
    assert.deepEqual((got.spec as any).strategy, {
      type: 'RollingUpdate',
      rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'},
    })
  })
})
