// Table-driven validation: bad objects → the exact 422 (or 400/403) messages a 1.32 apiserver returns.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../../src/api/object.js'
import {cronScheduleError} from '../../../../src/daemon/registry/kinds/batch.js'
import {makeHarness, type Harness} from './harness.js'

const pod = (spec: Record<string, unknown>, name = 'p'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name},
  spec,
})
const deploy = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'web'},
  spec,
})
const tpl = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: {labels},
  spec: {containers: [{name: 'nginx', image: 'nginx'}], ...extra},
})
const svc = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {name},
  spec,
})
const CONFIG_KEY =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

const createCases: {name: string; input: KubeObject; want: string}[] = [
  {name: 'pod without containers', input: pod({}), want: 'Pod "p" is invalid: spec.containers: Required value'},
  {
    name: 'pod container without image',
    input: pod({containers: [{name: 'a'}]}),
    want: 'Pod "p" is invalid: spec.containers[0].image: Required value',
  },
  {
    name: 'pod container name not a DNS label',
    input: pod({containers: [{name: 'Web', image: 'nginx'}]}),
    want: `Pod "p" is invalid: spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    name: 'duplicate container names',
    input: pod({
      containers: [
        {name: 'a', image: 'nginx'},
        {name: 'a', image: 'redis'},
      ],
    }),
    want: 'Pod "p" is invalid: spec.containers[1].name: Duplicate value: "a"',
  },
  {
    name: 'restartPolicy value',
    input: pod({restartPolicy: 'Sometimes', containers: [{name: 'a', image: 'nginx'}]}),
    want: 'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  {
    name: 'container port out of range and bad protocol',
    input: pod({containers: [{name: 'a', image: 'nginx', ports: [{containerPort: 70000, protocol: 'HTTP'}]}]}),
    want: 'Pod "p" is invalid: [spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"]',
  },
  {
    name: 'requests above limits',
    input: pod({containers: [{name: 'a', image: 'nginx', resources: {requests: {cpu: '2'}, limits: {cpu: '1'}}}]}),
    want: 'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  },
  {
    // Requests are defaulted from limits first, so both lists report the name.
    name: 'non-standard resource name',
    input: pod({containers: [{name: 'a', image: 'nginx', resources: {limits: {cpus: '1'}}}]}),
    want: 'Pod "p" is invalid: [spec.containers[0].resources.limits[cpus]: Invalid value: "cpus": must be a standard resource for containers, spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers]',
  },
  {
    name: 'volume mount of an unknown volume',
    input: pod({containers: [{name: 'a', image: 'nginx', volumeMounts: [{name: 'data', mountPath: '/data'}]}]}),
    want: 'Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"',
  },
  {
    name: 'liveness probe successThreshold and no handler',
    input: pod({containers: [{name: 'a', image: 'nginx', livenessProbe: {successThreshold: 2}}]}),
    want: 'Pod "p" is invalid: [spec.containers[0].livenessProbe: Required value: must specify a handler type, spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1]',
  },
  {
    name: 'deployment without selector',
    input: deploy({template: tpl({app: 'web'})}),
    want: 'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
  },
  {
    name: 'deployment selector does not match',
    input: deploy({selector: {matchLabels: {app: 'x'}}, template: tpl({app: 'web', tier: 'fe'})}),
    want: 'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"fe"}: `selector` does not match template `labels`',
  },
  {
    name: 'deployment negative replicas, Never restart, zero surge and unavailable',
    input: deploy({
      replicas: -1,
      selector: {matchLabels: {app: 'web'}},
      template: tpl({app: 'web'}, {restartPolicy: 'Never'}),
      strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: '0%'}},
    }),
    want: 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always", spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0]',
  },
  {
    name: 'deployment Recreate with rollingUpdate',
    input: deploy({
      selector: {matchLabels: {app: 'web'}},
      template: tpl({app: 'web'}),
      strategy: {type: 'Recreate', rollingUpdate: {maxSurge: 1}},
    }),
    want: 'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'',
  },
  {
    name: 'service without ports',
    input: svc({selector: {app: 'web'}}),
    want: 'Service "web" is invalid: spec.ports: Required value',
  },
  {
    name: 'service with two unnamed ports and a bad type',
    input: svc({type: 'Internal', ports: [{port: 80}, {port: 443}]}),
    want: 'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value, spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]',
  },
  {
    name: 'service cluster IP outside the range',
    input: svc({clusterIP: '10.0.0.1', ports: [{port: 80}]}),
    want: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  },
  {
    name: 'service node port outside the range',
    input: svc({type: 'NodePort', ports: [{port: 80, nodePort: 8080}]}),
    want: 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    name: 'configmap key',
    input: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {'a b': 'x'}},
    want: `ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": ${CONFIG_KEY}`,
  },
  {
    name: 'tls secret without its keys',
    input: {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, type: 'kubernetes.io/tls', data: {}},
    want: 'Secret "s" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
  },
  {
    name: 'job with restartPolicy Always',
    input: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'j'},
      spec: {template: {spec: {containers: [{name: 'a', image: 'busybox'}]}}},
    },
    want: 'Job.batch "j" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  },
  {
    name: 'job with negative parallelism',
    input: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'j'},
      spec: {parallelism: -1, template: {spec: {restartPolicy: 'Never', containers: [{name: 'a', image: 'busybox'}]}}},
    },
    want: 'Job.batch "j" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    name: 'cronjob schedule',
    input: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {name: 'c'},
      spec: {
        schedule: 'bad',
        jobTemplate: {spec: {template: {spec: {restartPolicy: 'Never', containers: [{name: 'a', image: 'busybox'}]}}}},
      },
    },
    want: 'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]',
  },
  {
    name: 'ingress path without pathType and backend',
    input: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {name: 'i'},
      spec: {rules: [{http: {paths: [{path: '/'}]}}]},
    },
    want: 'Ingress.networking.k8s.io "i" is invalid: [spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified, spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required]',
  },
  {
    name: 'pvc without access modes and storage',
    input: {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'c'}, spec: {}},
    want: 'PersistentVolumeClaim "c" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
  },
  {
    name: 'role rule without verbs',
    input: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: {name: 'r'},
      rules: [{apiGroups: [''], resources: ['pods']}],
    },
    want: 'Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
  },
  {
    name: 'rolebinding without roleRef',
    input: {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'rb'}},
    want: 'RoleBinding.rbac.authorization.k8s.io "rb" is invalid: [roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole", roleRef.name: Required value]',
  },
  {
    name: 'bad quantity is a decode error',
    input: pod({containers: [{name: 'a', image: 'nginx', resources: {limits: {memory: '1Gb'}}}]}),
    want: `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  },
  {
    name: 'unknown priority class is forbidden',
    input: pod({priorityClassName: 'gold', containers: [{name: 'a', image: 'nginx'}]}),
    want: 'pods "p" is forbidden: no PriorityClass with name gold was found',
  },
]

describe('kinds: validation on create', () => {
  let h: Harness
  beforeEach(() => (h = makeHarness()))
  afterEach(() => h.close())
  for (const c of createCases) {
    it(c.name, () => assert.equal(h.createError(c.input), c.want))
  }

  it('service cluster IP already allocated', () => {
    h.create(svc({clusterIP: '10.96.0.10', ports: [{port: 53}]}, 'dns'))
    assert.equal(
      h.createError(svc({clusterIP: '10.96.0.10', ports: [{port: 53}]})),
      'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    )
  })

  it('service node port already allocated', () => {
    h.create(svc({type: 'NodePort', ports: [{port: 80, nodePort: 30080}]}, 'one'))
    assert.equal(
      h.createError(svc({type: 'NodePort', ports: [{port: 80, nodePort: 30080}]})),
      'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    )
  })

  it('a failed create does not keep its allocation', () => {
    const bad = svc({type: 'NodePort', clusterIP: '10.96.5.5', ports: [{port: 80, nodePort: 30081, protocol: 'HTTP'}]})
    assert.match(h.createError(bad), /Unsupported value: "HTTP"/)
    return Promise.resolve().then(() => {
      const ok = h.create(svc({type: 'NodePort', clusterIP: '10.96.5.5', ports: [{port: 80, nodePort: 30081}]}))
      assert.equal((ok.spec as any).clusterIP, '10.96.5.5')
    })
  })
})

describe('kinds: validation on update', () => {
  let h: Harness
  beforeEach(() => (h = makeHarness()))
  afterEach(() => h.close())

  it('deployment selector is immutable', () => {
    const d = h.create(deploy({selector: {matchLabels: {app: 'web'}}, template: tpl({app: 'web', v: '1'})}))
    ;(d.spec as any).selector = {matchLabels: {app: 'web', v: '1'}}
    assert.equal(
      h.updateError(d),
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    )
  })

  it('pod spec changes other than the image are forbidden; the image may change', () => {
    const p = h.create(pod({containers: [{name: 'a', image: 'nginx'}]}))
    const img = structuredClone(p)
    ;(img.spec as any).containers[0].image = 'nginx:1.27'
    assert.equal((h.update(img).spec as any).containers[0].image, 'nginx:1.27')
    const bad = h.registry.get(h.r('', 'Pod'), 'default', 'p')
    ;(bad.spec as any).restartPolicy = 'Never'
    const msg = h.updateError(bad)
    assert.ok(
      msg.startsWith(
        'Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n',
      ),
      msg,
    )
    assert.match(msg, /- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",/)
  })

  it('pods/binding style nodeName update is allowed once', () => {
    const p = h.create(pod({containers: [{name: 'a', image: 'nginx'}]}))
    ;(p.spec as any).nodeName = 'mkctl'
    assert.equal((h.update(p).spec as any).nodeName, 'mkctl')
  })

  it('immutable configmap and secret', () => {
    const cm = h.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, immutable: true, data: {a: '1'}})
    cm.data = {a: '2'}
    assert.equal(
      h.updateError(cm),
      'ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    )
    const s = h.create({apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, immutable: true, stringData: {a: '1'}})
    s.data = {a: 'Mg=='}
    ;(s as any).immutable = false
    assert.equal(
      h.updateError(s),
      'Secret "s" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]',
    )
  })

  it('service cluster IP may not change', () => {
    const s = h.create(svc({clusterIP: '10.96.7.7', ports: [{port: 80}]}))
    ;(s.spec as any).clusterIP = '10.96.7.8'
    ;(s.spec as any).clusterIPs = ['10.96.7.8']
    assert.equal(
      h.updateError(s),
      'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.7.8"}: may not change once set',
    )
  })

  it('rolebinding roleRef may not change', () => {
    const rb = h.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {name: 'rb'},
      roleRef: {kind: 'Role', name: 'a'},
    })
    ;(rb as any).roleRef.name = 'b'
    assert.equal(
      h.updateError(rb),
      'RoleBinding.rbac.authorization.k8s.io "rb" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    )
  })

  it('pvc spec is immutable except storage growth of bound claims', () => {
    const c = h.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'c'},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
    })
    ;(c.spec as any).accessModes = ['ReadWriteMany']
    assert.equal(
      h.updateError(c),
      'PersistentVolumeClaim "c" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    )
  })

  it('statefulset volumeClaimTemplates are immutable', () => {
    const s = h.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name: 'db'},
      spec: {selector: {matchLabels: {app: 'db'}}, template: tpl({app: 'db'})},
    })
    ;(s.spec as any).serviceName = 'other'
    assert.equal(
      h.updateError(s),
      "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    )
  })
})

describe('kinds: cron schedules (robfig/cron standard parser messages)', () => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['0 9 * * mon-fri', undefined],
    ['@hourly', undefined],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['@sometimes', 'unrecognized descriptor: @sometimes'],
  ]
  for (const [spec, want] of cases) it(`${spec} → ${want ?? 'ok'}`, () => assert.equal(cronScheduleError(spec), want))
})
