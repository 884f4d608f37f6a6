// describe.test.ts compares `mkctl describe` with the real kubectl describe on twin daemons: every describer, every
// command form, and the errors. Ages in the Events sections are measured against the local clock on both sides (the
// daemons' fake clock sits at a fixed date), so they are large but equal within one run.
import {startTwins, type Twins} from '../../helpers/differential.js'

// OBJECTS are created with `kubectl create -f -` (not apply: the last-applied annotation names kubectl, which the
// harness rewrites to mkctl in kubectl's output only). Maps that kubectl ranges over in Go's random order
// (ConfigMap/Secret data, LimitRange resources) hold one key each here, so kubectl's output is deterministic.
const OBJECTS = `
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, labels: {app: web}}
data: {greeting: "hello\\nworld"}
binaryData: {blob: aGVsbG8=}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {password: s3cr3t}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
secrets: [{name: missing-secret}]
imagePullSecrets: [{name: app-secret}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec: {hard: {pods: "10", requests.cpu: "4", configmaps: "20"}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
    defaultRequest: {cpu: 250m}
    max: {cpu: "2"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  resourceNames: [web]
  verbs: [get, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-binding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: builder, namespace: default}
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-pdb}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
description: important things
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
      policies: [{type: Pods, value: 1, periodSeconds: 30}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, annotations: {team: blue}}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
  tls: [{hosts: [web.example.com], secretName: app-secret}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: rich
  labels: {app: rich}
  annotations:
    note: a short one
    long: "${'x'.repeat(150)}"
spec:
  priorityClassName: high
  nodeSelector: {kubernetes.io/os: linux}
  tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  volumes:
  - {name: cfg, configMap: {name: app-config}}
  - {name: sec, secret: {secretName: app-secret}}
  - {name: scratch, emptyDir: {sizeLimit: 1Gi}}
  - {name: data, persistentVolumeClaim: {claimName: data}}
  - {name: host, hostPath: {path: /tmp, type: Directory}}
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  initContainers:
  - {name: init, image: busybox, command: ["true"]}
  containers:
  - name: app
    image: nginx:1.27
    command: [sh, -c]
    args: ["echo hi; sleep 3600"]
    ports: [{containerPort: 80}, {containerPort: 443, name: https}]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
    livenessProbe: {httpGet: {path: /healthz, port: 80}, initialDelaySeconds: 5}
    readinessProbe: {tcpSocket: {port: 80}}
    startupProbe: {exec: {command: [cat, /tmp/ready]}}
    env:
    - {name: PLAIN, value: x}
    - {name: MULTI, value: "a\\nb"}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
    - {name: MEM_REQ, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}}
    - {name: PASS, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
    - {name: GREET, valueFrom: {configMapKeyRef: {name: app-config, key: greeting, optional: true}}}
    envFrom: [{configMapRef: {name: app-config}}, {secretRef: {name: app-secret}, prefix: S_}]
    volumeMounts:
    - {name: cfg, mountPath: /etc/cfg, readOnly: true}
    - {name: scratch, mountPath: /scratch, subPath: sub}
    - {name: data, mountPath: /data}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432, name: pg}]}]
  volumeClaimTemplates:
  - metadata: {name: pgdata}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]
`

describe('mkctl describe (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    this.timeout(120_000)
    t = await startTwins(this, {cluster: {nodes: 2}} as never)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await t.setup(['expose', 'deployment', 'web', '--port=80'])
    await t.setup(['create', '-f', '-'], {input: OBJECTS})
    await t.setup(['create', 'job', 'once', '--image=busybox', '--', 'echo', 'done'])
    await t.setup(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'])
    await t.setup(['create', 'clusterrole', 'viewer', '--verb=get,list', '--resource=pods,nodes,deployments.apps'])
    await t.setup(['create', 'clusterrolebinding', 'viewer-b', '--clusterrole=viewer', '--user=bob'])
    await t.setup(['create', 'service', 'nodeport', 'np', '--tcp=8080:80'])
    await t.setup(['create', 'namespace', 'empty'])
    // A rollout leaves an old ReplicaSet behind; scaling back and forth gives the Deployment more than 12 events
    // with one timestamp, which kubectl orders with Go's pdqsort.
    await t.setup(['set', 'image', 'deployment/web', 'nginx=nginx:1.27'])
    for (const n of [3, 1, 4, 2, 5, 1, 3, 2]) await t.setup(['scale', 'deployment/web', `--replicas=${n}`])
  })
  after(async () => t?.stop())

  describe('describers', () => {
    const cases: [string, string[]][] = [
      ['Pod (containers, probes, env, mounts, volumes, QoS, tolerations, events)', ['pod', 'rich']],
      ['Pod of a ReplicaSet', ['pods', '-l', 'app=web']],
      ['Pod of a StatefulSet', ['pod', 'db-0']],
      ['Deployment with old and new ReplicaSets', ['deployment', 'web']],
      ['ReplicaSet', ['replicasets', '-l', 'app=web']],
      ['Service', ['service', 'web']],
      ['NodePort Service', ['svc', 'np']],
      ['Node', ['nodes']],
      ['Namespace with quota and limit range', ['namespace', 'default']],
      ['Namespace without any', ['ns', 'empty']],
      ['ConfigMap', ['configmap', 'app-config']],
      ['Secret', ['secret', 'app-secret']],
      ['StatefulSet with volumeClaimTemplates', ['statefulset', 'db']],
      ['DaemonSet', ['daemonset', 'agent']],
      ['Job', ['job', 'once']],
      ['CronJob', ['cronjob', 'tick']],
      ['PersistentVolumeClaim used by a pod', ['pvc', 'data']],
      ['PersistentVolumeClaim of a StatefulSet', ['pvc', 'pgdata-db-0']],
      ['PersistentVolume', ['pv']],
      ['StorageClass', ['storageclass']],
      ['Endpoints', ['endpoints', 'web']],
      ['EndpointSlice', ['endpointslices']],
      ['Ingress', ['ingress', 'web']],
      ['ServiceAccount with missing secrets', ['serviceaccount', 'builder']],
      ['ResourceQuota', ['quota', 'compute']],
      ['LimitRange', ['limitrange', 'limits']],
      ['Role', ['role', 'reader']],
      ['ClusterRole', ['clusterrole', 'viewer']],
      ['ClusterRole with non-resource URLs', ['clusterrole', 'system:discovery']],
      ['RoleBinding', ['rolebinding', 'reader-binding']],
      ['ClusterRoleBinding', ['clusterrolebinding', 'viewer-b']],
      ['PodDisruptionBudget', ['pdb', 'web-pdb']],
      ['PriorityClass', ['priorityclass', 'high']],
      ['HorizontalPodAutoscaler', ['hpa', 'web']],
      ['generic describer (Lease)', ['lease', '-n', 'kube-node-lease']],
      ['generic describer (ControllerRevision)', ['controllerrevisions']],
      ['generic describer (CustomResourceDefinition list, none)', ['crd']],
      ['kube-system pods', ['pods', '-n', 'kube-system']],
    ]
    for (const [name, args] of cases) it(name, () => t.same(['describe', ...args]))
  })

  describe('command forms', () => {
    it('TYPE lists and describes every object, two blank lines apart', () => t.same(['describe', 'pods']))
    it('TYPE NAME_PREFIX describes every match, each followed by a blank line', () =>
      t.same(['describe', 'pod', 'web']))
    it('TYPE/NAME, several', () => t.same(['describe', 'pod/rich', 'deploy/web']))
    it('TYPE NAME NAME', () => t.same(['describe', 'pods', 'rich', 'db-0']))
    it('TYPE1,TYPE2 with a selector', () => t.same(['describe', 'deploy,svc', '-l', 'app=web']))
    it('-f FILE', () => t.same(['describe', '-f', '-'], {input: OBJECTS}))
    it('-A', () => t.same(['describe', 'deployments', '-A']))
    it('--show-events=false', () => t.same(['describe', 'deployment', 'web', '--show-events=false']))
    it('--chunk-size', () => t.same(['describe', 'pods', '-l', 'app=db', '--chunk-size=1']))
    it('-n', () => t.same(['describe', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy']))
    it('a category', () => t.same(['describe', 'all', '-l', 'app=db']))
  })

  describe('errors', () => {
    it('no arguments', () => t.same(['describe']))
    it('unknown resource type', () => t.same(['describe', 'podz']))
    it('NotFound', () => t.same(['describe', 'pod', 'nope']))
    it('NotFound among names: the others are described', () => t.same(['describe', 'pods', 'rich', 'nope']))
    it('several NotFound', () => t.same(['describe', 'pods', 'nope1', 'nope2']))
    it('NotFound as TYPE/NAME', () => t.same(['describe', 'deploy/nope']))
    it('no resources in the namespace', () => t.same(['describe', 'pods', '-n', 'empty']))
    it('no resources across namespaces', () => t.same(['describe', 'pods', '-A', '-l', 'app=none']))
    it('missing file', () => t.same(['describe', '-f', '/nonexistent.yaml']))
    it('name with a selector', () => t.same(['describe', 'pods', 'rich', '-l', 'app=rich']))
    it('unknown flag', async () => {
      // cobra appends its usage block to kubectl's output; only the first line must match.
      const r = await t.both(['describe', 'pods', '--bogus'])
      const first = (s: string) => s.split('\n')[0]
      if (first(r.kubectl.stderr) !== first(r.mkctl.stderr) || r.kubectl.code !== r.mkctl.code) {
        throw new Error(`kubectl: ${r.kubectl.stderr}\nmkctl: ${r.mkctl.stderr}`)
      }
    })
  })
})
