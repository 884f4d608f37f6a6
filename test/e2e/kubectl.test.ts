// kubectl.test.ts is the end-to-end acceptance suite: the REAL kubectl 1.32 against an in-process daemon (HTTPS,
// bearer token, ':memory:', FakeClock at 2026-01-01T00:00:00Z, seed 1). Expected texts are what kubectl prints
// against a real 1.32 API server (shared/reference/kubectl-api.md §11, §13); where a real cluster's exact output is
// not known the test name says "structure only". Tests marked `it.skip` with `// DAEMON BUG:` document server
// behaviour that still differs from a real cluster; un-skip them once the daemon is fixed.
import assert from 'node:assert/strict'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ApiClient} from '../helpers/http.js'
import {kubeconfigYaml, kubectlAvailable, startTestDaemon, type RunResult, type TestDaemon} from '../helpers/daemon.js'

const HAVE_KUBECTL = kubectlAvailable()

/** Harness bundles one daemon with the small helpers every block uses. */
interface Harness {
  t: TestDaemon
  api: ApiClient
  /** k runs kubectl and returns its result. */
  k(args: string[], opts?: {input?: string; env?: Record<string, string>}): Promise<RunResult>
  /** ok runs kubectl, asserts exit 0 and an empty stderr, and returns stdout. */
  ok(args: string[], opts?: {input?: string; env?: Record<string, string>}): Promise<string>
  /** file writes a file into the daemon's temporary home and returns its absolute path. */
  file(name: string, text: string): string
  /** rev settles the controllers, then gives the store's revision: unchanged means the command wrote nothing. */
  rev(): Promise<number>
  /** idleWatchers is the number of store watches open when no client watches (the daemon's own). */
  idleWatchers: number
}

function useDaemon(): Harness {
  const h = {} as Harness
  before(async function () {
    if (!HAVE_KUBECTL) this.skip()
    const t = await startTestDaemon()
    h.t = t
    h.api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    // The cluster runs its controllers: let them finish what the last command started, so every command sees a
    // settled state (as a person typing at a real cluster a moment later would).
    h.k = async (args, opts) => {
      await t.settle()
      return t.kubectl(args, opts)
    }
    h.ok = async (args, opts) => {
      await t.settle()
      const r = await t.kubectl(args, opts)
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
      assert.equal(r.stderr, '', `kubectl ${args.join(' ')} wrote to stderr`)
      return r.stdout
    }
    h.file = (name, text) => {
      const p = join(t.home, name)
      writeFileSync(p, text)
      return p
    }
    h.rev = async () => {
      await t.settle()
      return t.daemon.store.currentRevision()
    }
    h.idleWatchers = t.daemon.store.watcherCount()
  })
  after(async () => {
    await h.t?.stop()
  })
  return h
}

/** expectFail asserts kubectl failed with exit 1 and exactly this stderr (stdout empty). */
function expectFail(r: RunResult, stderr: string): void {
  assert.equal(r.stderr, stderr)
  assert.equal(r.stdout, '')
  assert.equal(r.code, 1)
}

/** table joins rows of cells the way kubectl's tabwriter does (padding 3, left aligned). */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return (
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n') + '\n'
  )
}

const DEPLOY_WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels:
    app: app
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`
const MULTI = `${DEPLOY_WEB}---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  key: value
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
type: Opaque
data:
  password: czNjcmV0
`

/** Watcher is a running `kubectl get -w` whose stdout lines are collected as they arrive. */
class Watcher {
  readonly lines: string[] = []
  readonly child: ChildProcessWithoutNullStreams
  stderr = ''
  private buf = ''
  private waiters: (() => void)[] = []

  constructor(t: TestDaemon, args: string[]) {
    const cache = join(t.home, 'cache')
    this.child = spawn('kubectl', ['--kubeconfig', t.kubeconfig, '--cache-dir', cache, ...args], {
      env: {...process.env, KUBECONFIG: t.kubeconfig, HOME: t.home, KUBECACHEDIR: cache},
    })
    this.child.stdout.on('data', (d: Buffer) => {
      this.buf += d.toString()
      let i
      while ((i = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i))
        this.buf = this.buf.slice(i + 1)
      }
      this.wake()
    })
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()))
    this.child.on('close', () => this.wake())
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w()
  }

  /** waitLines resolves once at least n lines arrived; it rejects after ms (or when kubectl exits early). */
  async waitLines(n: number, ms = 10_000): Promise<string[]> {
    const deadline = Date.now() + ms
    while (this.lines.length < n) {
      if (this.child.exitCode !== null) throw new Error(`kubectl exited (${this.child.exitCode}): ${this.stderr}`)
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(`timed out waiting for ${n} lines, got ${JSON.stringify(this.lines)}; stderr ${this.stderr}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.lines.slice()
  }

  /** stop kills kubectl and resolves once it has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    await done
  }
}

/** until polls a condition of the in-process daemon (no fixed sleeps): it resolves as soon as cond() holds. */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('kubectl 1.32 end to end', function () {
  this.timeout(60_000)

  describe('reading the bootstrapped cluster', () => {
    const h = useDaemon()

    it('get nodes', async () => {
      const out = await h.ok(['get', 'nodes'])
      assert.equal(
        out,
        table([
          ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
          ['mkctl', 'Ready', 'control-plane', '0s', 'v1.32.0'],
        ]),
      )
    })

    it('get nodes -o wide (OS image, kernel and runtime values not pinned)', async () => {
      const out = await h.ok(['get', 'nodes', '-o', 'wide'])
      const [head, row, ...rest] = out.trimEnd().split('\n')
      assert.deepEqual(rest, [])
      assert.deepEqual(head!.split(/\s{2,}/), [
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        'INTERNAL-IP',
        'EXTERNAL-IP',
        'OS-IMAGE',
        'KERNEL-VERSION',
        'CONTAINER-RUNTIME',
      ])
      const cells = row!.split(/\s{2,}/)
      assert.deepEqual(cells.slice(0, 7), [
        'mkctl',
        'Ready',
        'control-plane',
        '0s',
        'v1.32.0',
        '192.168.49.2',
        '<none>',
      ])
      assert.equal(cells.length, 10)
      assert.match(cells[9]!, /^[a-z]+:\/\/\S+$/)
    })

    it('get pods -A lists the control plane, CoreDNS, kube-proxy and the storage provisioner Running', async () => {
      const out = await h.ok(['get', 'pods', '-A'])
      const lines = out.trimEnd().split('\n')
      assert.deepEqual(lines[0]!.split(/\s+/), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'])
      const rows = lines.slice(1).map((l) => l.split(/\s+/))
      const names = rows.map((r) => r[1]!)
      assert.equal(rows.length, 7)
      for (const r of rows)
        assert.deepEqual([r[0], r[2], r[3], r[4], r[5]], ['kube-system', '1/1', 'Running', '0', '0s'])
      assert.match(names[0]!, /^coredns-[a-z0-9]{8,10}-[a-z0-9]{5}$/)
      assert.deepEqual(names.slice(1, 5), [
        'etcd-mkctl',
        'kube-apiserver-mkctl',
        'kube-controller-manager-mkctl',
        names[4]!,
      ])
      assert.match(names[4]!, /^kube-proxy-[a-z0-9]{5}$/)
      assert.deepEqual(names.slice(5), ['kube-scheduler-mkctl', 'storage-provisioner'])
    })

    it('get ns', async () => {
      const out = await h.ok(['get', 'ns'])
      assert.equal(
        out,
        table([
          ['NAME', 'STATUS', 'AGE'],
          ['default', 'Active', '0s'],
          ['kube-node-lease', 'Active', '0s'],
          ['kube-public', 'Active', '0s'],
          ['kube-system', 'Active', '0s'],
        ]),
      )
    })

    it('get svc -A', async () => {
      const out = await h.ok(['get', 'svc', '-A'])
      assert.equal(
        out,
        table([
          ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
          ['default', 'kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '0s'],
          ['kube-system', 'kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '0s'],
        ]),
      )
    })

    it('get all -A prints one table per kind with kind-prefixed names (pods and services)', async () => {
      const out = await h.ok(['get', 'all', '-A'])
      const sections = out.trimEnd().split('\n\n')
      assert.match(sections[0]!, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/)
      assert.match(sections[0]!, /^kube-system\s+pod\/etcd-mkctl\s+1\/1\s+Running\s+0\s+0s$/m)
      const svc = sections.find((s) => s.includes('service/kubernetes'))
      assert.ok(svc, out)
      assert.match(svc, /^default\s+service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+0s$/m)
      assert.match(svc, /^kube-system\s+service\/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+/m)
    })

    it('get all -A also shows minikube workloads: deployment coredns, replicaset coredns-*, daemonset kube-proxy', async () => {
      const out = await h.ok(['get', 'all', '-A'])
      assert.match(
        out,
        /^kube-system\s+daemonset\.apps\/kube-proxy\s+1\s+1\s+1\s+1\s+1\s+kubernetes\.io\/os=linux\s+0s$/m,
      )
      assert.match(out, /^kube-system\s+deployment\.apps\/coredns\s+1\/1\s+1\s+1\s+0s$/m)
      assert.match(out, /^kube-system\s+replicaset\.apps\/coredns-[a-z0-9]+\s+1\s+1\s+1\s+0s$/m)
    })

    it('api-resources (sorted by group then name; core kinds, deployments, CRDs present)', async () => {
      const out = await h.ok(['api-resources'])
      const lines = out.trimEnd().split('\n')
      assert.deepEqual(lines[0]!.split(/\s+/), ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'])
      const want = [
        /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/,
        /^namespaces\s+ns\s+v1\s+false\s+Namespace$/,
        /^nodes\s+no\s+v1\s+false\s+Node$/,
        /^pods\s+po\s+v1\s+true\s+Pod$/,
        /^secrets\s+v1\s+true\s+Secret$/,
        /^services\s+svc\s+v1\s+true\s+Service$/,
        /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/,
        /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/,
        /^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/,
        /^ingresses\s+ing\s+networking\.k8s\.io\/v1\s+true\s+Ingress$/,
        /^roles\s+rbac\.authorization\.k8s\.io\/v1\s+true\s+Role$/,
      ]
      let at = 0
      for (const re of want) {
        const i = lines.findIndex((l, j) => j >= at && re.test(l))
        assert.ok(i > 0, `no line ${re} after line ${at}:\n${out}`)
        at = i
      }
    })

    it('api-versions (alphabetical)', async () => {
      const lines = (await h.ok(['api-versions'])).trimEnd().split('\n')
      assert.deepEqual([...lines].sort(), lines)
      for (const gv of [
        'apps/v1',
        'batch/v1',
        'v1',
        'networking.k8s.io/v1',
        'rbac.authorization.k8s.io/v1',
        'apiextensions.k8s.io/v1',
      ]) {
        assert.ok(lines.includes(gv), gv)
      }
    })

    it('version reports Server Version v1.32.0', async () => {
      const out = await h.ok(['version'])
      assert.match(out, /^Client Version: v1\.32\.\S+\n/)
      assert.match(out, /^Server Version: v1\.32\.0$/m)
      assert.doesNotMatch(out, /WARNING/)
    })

    it('cluster-info', async () => {
      const url = h.t.daemon.url
      const out = await h.ok(['cluster-info'])
      assert.equal(
        out,
        `Kubernetes control plane is running at ${url}\n` +
          `CoreDNS is running at ${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\n` +
          `To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
      )
    })

    it('describe node mkctl', async () => {
      const out = await h.ok(['describe', 'node', 'mkctl'])
      assert.match(out, /^Name:\s+mkctl$/m)
      assert.match(out, /^Roles:\s+control-plane$/m)
      assert.match(out, /^Labels:\s+beta\.kubernetes\.io\/arch=amd64$/m)
      assert.match(out, /^\s+kubernetes\.io\/hostname=mkctl$/m)
      assert.match(out, /^CreationTimestamp:\s+Thu, 01 Jan 2026 00:00:00 \+0000$/m)
      assert.match(out, /^Taints:\s+<none>$/m)
      assert.match(out, /^\s+Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status$/m)
      assert.match(out, /^\s+InternalIP:\s+192\.168\.49\.2$/m)
      assert.match(out, /^\s+Kubelet Version:\s+v1\.32\.0$/m)
      assert.match(out, /^Non-terminated Pods:\s+\(7 in total\)$/m)
      assert.match(out, /^\s+kube-system\s+etcd-mkctl\s+100m \(5%\)/m)
      assert.match(
        out,
        /^ {2}Normal {2}RegisteredNode\s+\S+\s+node-controller\s+Node mkctl event: Registered Node mkctl in Controller$/m,
      )
    })

    // Fixed daemon bug (regression test): no Lease kube-node-lease/mkctl, so describe node prints "Failed to get lease: ... not found".
    it('describe node mkctl shows the node Lease held by mkctl', async () => {
      const out = await h.ok(['describe', 'node', 'mkctl'])
      assert.match(out, /^Lease:\n {2}HolderIdentity:\s+mkctl$/m)
    })

    it('describe ns default', async () => {
      const out = await h.ok(['describe', 'ns', 'default'])
      assert.equal(
        out,
        'Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\n' +
          'No resource quota.\n\nNo LimitRange resource.\n',
      )
    })

    it('describe svc kubernetes', async () => {
      const out = await h.ok(['describe', 'svc', 'kubernetes'])
      assert.match(
        out,
        /^Name:\s+kubernetes\nNamespace:\s+default\nLabels:\s+component=apiserver\n\s+provider=kubernetes\n/,
      )
      assert.match(out, /^Selector:\s+<none>$/m)
      assert.match(out, /^Type:\s+ClusterIP$/m)
      assert.match(out, /^IP:\s+10\.96\.0\.1$/m)
      assert.match(out, /^Port:\s+https {2}443\/TCP$/m)
      assert.match(out, /^TargetPort:\s+8443\/TCP$/m)
      assert.match(out, /^Session Affinity:\s+None$/m)
    })

    // Fixed daemon bug (regression test): no EndpointSlice for the kubernetes service, so describe svc shows "Endpoints: <none>".
    it('describe svc kubernetes shows the apiserver endpoint 192.168.49.2:8443', async () => {
      const out = await h.ok(['describe', 'svc', 'kubernetes'])
      assert.match(out, /^Endpoints:\s+192\.168\.49\.2:8443$/m)
    })

    it('explain deployment.spec.replicas', async () => {
      const out = await h.ok(['explain', 'deployment.spec.replicas'])
      assert.match(out, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>\n/)
      assert.match(
        out,
        /DESCRIPTION:\n\s+Number of desired pods\. This is a pointer to distinguish between explicit\n\s+zero and not specified\. Defaults to 1\./,
      )
    })

    it('explain pods', async () => {
      const out = await h.ok(['explain', 'pods'])
      assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers/)
      assert.match(out, /^FIELDS:$/m)
      assert.match(out, /^ {2}spec\t<PodSpec>$/m)
      assert.match(out, /^ {2}status\t<PodStatus>$/m)
    })

    it('explain deployment --recursive | head', async () => {
      const out = await h.ok(['explain', 'deployment', '--recursive'])
      const head = out.split('\n').slice(0, 14)
      assert.deepEqual(head, [
        'GROUP:      apps',
        'KIND:       Deployment',
        'VERSION:    v1',
        '',
        'DESCRIPTION:',
        '    Deployment enables declarative updates for Pods and ReplicaSets.',
        '    ',
        'FIELDS:',
        '  apiVersion\t<string>',
        '  kind\t<string>',
        '  metadata\t<ObjectMeta>',
        '    annotations\t<map[string]string>',
        '    creationTimestamp\t<string>',
        '    deletionGracePeriodSeconds\t<integer>',
      ])
      assert.match(out, /^ {4}replicas\t<integer>$/m)
    })

    it('auth can-i create pods → yes', async () => {
      assert.equal(await h.ok(['auth', 'can-i', 'create', 'pods']), 'yes\n')
    })

    it('auth can-i --list (admin: everything)', async () => {
      const out = await h.ok(['auth', 'can-i', '--list'])
      const lines = out.split('\n')
      assert.deepEqual(lines[0]!.split(/\s{2,}/), ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'])
      assert.match(lines[1]!, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/)
      assert.match(out, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/m)
    })

    it('auth whoami', async () => {
      const out = await h.ok(['auth', 'whoami'])
      assert.equal(
        out,
        table([
          ['ATTRIBUTE', 'VALUE'],
          ['Username', 'kubernetes-admin'],
          ['Groups', '[system:masters system:authenticated]'],
        ]),
      )
    })

    it('wait --for=delete pod/nope exits 0 at once', async () => {
      const r = await h.k(['wait', '--for=delete', 'pod/nope', '--timeout=5s'])
      assert.deepEqual(r, {stdout: '', stderr: '', code: 0})
    })

    it('get of a missing object and of an unknown type', async () => {
      expectFail(
        await h.k(['get', 'deploy', 'nope']),
        'Error from server (NotFound): deployments.apps "nope" not found\n',
      )
      expectFail(await h.k(['get', 'foos']), 'error: the server doesn\'t have a resource type "foos"\n')
    })
  })

  describe('imperative create commands (protobuf bodies)', () => {
    const h = useDaemon()
    const cases: {args: string[]; created: string; again: string}[] = [
      {
        args: ['deployment', 'web', '--image=nginx'],
        created: 'deployment.apps/web',
        again: 'error: failed to create deployment: deployments.apps "web" already exists',
      },
      {
        args: ['configmap', 'cfg', '--from-literal=a=1'],
        created: 'configmap/cfg',
        again: 'error: failed to create configmap: configmaps "cfg" already exists',
      },
      {
        args: ['secret', 'generic', 'sec', '--from-literal=p=x'],
        created: 'secret/sec',
        again: 'error: failed to create secret secrets "sec" already exists',
      },
      {
        args: ['service', 'clusterip', 'web', '--tcp=80:80'],
        created: 'service/web',
        again: 'error: failed to create ClusterIP service: services "web" already exists',
      },
      {
        args: ['service', 'nodeport', 'np', '--tcp=80:8080'],
        created: 'service/np',
        again: 'error: failed to create NodePort service: services "np" already exists',
      },
      {
        args: ['namespace', 'team'],
        created: 'namespace/team',
        again: 'Error from server (AlreadyExists): namespaces "team" already exists',
      },
      {
        args: ['job', 'j1', '--image=busybox'],
        created: 'job.batch/j1',
        again: 'error: failed to create job: jobs.batch "j1" already exists',
      },
      {
        args: ['cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *'],
        created: 'cronjob.batch/cj1',
        again: 'error: failed to create cronjob: cronjobs.batch "cj1" already exists',
      },
      {
        args: ['role', 'r1', '--verb=get', '--resource=pods'],
        created: 'role.rbac.authorization.k8s.io/r1',
        again: 'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "r1" already exists',
      },
      {
        args: ['rolebinding', 'rb1', '--role=r1', '--user=bob'],
        created: 'rolebinding.rbac.authorization.k8s.io/rb1',
        again: 'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "rb1" already exists',
      },
      {
        args: ['clusterrole', 'cr1', '--verb=get', '--resource=pods'],
        created: 'clusterrole.rbac.authorization.k8s.io/cr1',
        again: 'Error from server (AlreadyExists): clusterroles.rbac.authorization.k8s.io "cr1" already exists',
      },
      {
        args: ['clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=bob'],
        created: 'clusterrolebinding.rbac.authorization.k8s.io/crb1',
        again:
          'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "crb1" already exists',
      },
      {
        args: ['quota', 'q1', '--hard=pods=10'],
        created: 'resourcequota/q1',
        again: 'error: failed to create quota: resourcequotas "q1" already exists',
      },
      {
        args: ['priorityclass', 'pc1', '--value=100'],
        created: 'priorityclass.scheduling.k8s.io/pc1',
        again: 'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "pc1" already exists',
      },
      {
        args: ['pdb', 'pdb1', '--selector=app=web', '--min-available=1'],
        created: 'poddisruptionbudget.policy/pdb1',
        again: 'error: failed to create poddisruptionbudgets: poddisruptionbudgets.policy "pdb1" already exists',
      },
      {
        args: ['serviceaccount', 'sa1'],
        created: 'serviceaccount/sa1',
        again: 'error: failed to create serviceaccount: serviceaccounts "sa1" already exists',
      },
      {
        args: ['ingress', 'ing1', '--rule=foo.com/bar=web:80'],
        created: 'ingress.networking.k8s.io/ing1',
        again: 'error: failed to create ingress: ingresses.networking.k8s.io "ing1" already exists',
      },
    ]
    for (const c of cases) {
      it(`create ${c.args.slice(0, c.args[0] === 'secret' || c.args[0] === 'service' ? 2 : 1).join(' ')}: created, then AlreadyExists`, async () => {
        assert.equal(await h.ok(['create', ...c.args]), `${c.created} created\n`)
        const before = await h.rev()
        expectFail(await h.k(['create', ...c.args]), `${c.again}\n`)
        assert.equal(await h.rev(), before, 'a failed create must not write')
      })
    }

    it('the created objects read back as a real server stores them (no protobuf zero values)', async () => {
      const y = await h.ok(['get', 'cm', 'cfg', '-o', 'yaml'])
      assert.match(
        y,
        /^apiVersion: v1\ndata:\n {2}a: "1"\nkind: ConfigMap\nmetadata:\n {2}creationTimestamp: "2026-01-01T00:00:00Z"\n {2}name: cfg\n {2}namespace: default\n {2}resourceVersion: "\d+"\n {2}uid: [0-9a-f-]{36}\n$/,
      )
      const d = JSON.parse(await h.ok(['get', 'deploy', 'web', '-o', 'json']))
      assert.deepEqual(d.metadata.labels, {app: 'web'})
      assert.equal(d.metadata.generation, 1)
      assert.equal(d.spec.replicas, 1)
      assert.deepEqual(d.spec.selector, {matchLabels: {app: 'web'}})
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx')
      assert.equal(d.spec.paused, undefined)
      assert.equal(d.metadata.generateName, undefined)
      assert.equal(
        await h.ok(['get', 'secret', 'sec', '-o', 'jsonpath={.data.p}']),
        Buffer.from('x').toString('base64'),
      )
      assert.equal(await h.ok(['get', 'cj', 'cj1', '-o', 'jsonpath={.spec.schedule}']), '*/5 * * * *')
    })

    it('create deployment is defaulted like the 1.32 apiserver does', async () => {
      const out = await h.ok([
        'get',
        'deploy',
        'web',
        '-o',
        'jsonpath={.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} {.spec.strategy.rollingUpdate.maxUnavailable} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} {.spec.template.spec.restartPolicy} {.spec.template.spec.dnsPolicy} {.spec.template.spec.schedulerName} {.spec.template.spec.terminationGracePeriodSeconds} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.containers[0].terminationMessagePath} {.spec.template.spec.containers[0].terminationMessagePolicy}',
      ])
      assert.equal(
        out,
        'RollingUpdate 25% 25% 10 600 Always ClusterFirst default-scheduler 30 Always /dev/termination-log File',
      )
      const desc = await h.ok(['describe', 'deployment', 'web'])
      assert.match(desc, /^StrategyType:\s+RollingUpdate$/m)
      assert.match(desc, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m)
    })

    // Fixed daemon bug (regression test): Services get a ClusterIP and node ports.
    it('create service allocates a ClusterIP in 10.96.0.0/12 and a nodePort in 30000-32767', async () => {
      const out = await h.ok(['get', 'svc', 'web', 'np', '--no-headers'])
      const [web, np] = out
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/))
      assert.match(web![2]!, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/)
      assert.match(np![2]!, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/)
      assert.match(np![4]!, /^80:3[0-2]\d{3}\/TCP$/)
      const d = await h.ok([
        'get',
        'svc',
        'web',
        '-o',
        'jsonpath={.spec.sessionAffinity} {.spec.ipFamilyPolicy} {.spec.ipFamilies} {.spec.internalTrafficPolicy}',
      ])
      assert.equal(d, 'None SingleStack ["IPv4"] Cluster')
    })

    it('get of several kinds lists what was created, kind by kind', async () => {
      const out = await h.ok(['get', 'deploy,cm,sa,job', '-o', 'name'])
      const mine = out.split('\n').filter((l) => !['configmap/kube-root-ca.crt', 'serviceaccount/default'].includes(l))
      assert.deepEqual(mine, ['deployment.apps/web', 'configmap/cfg', 'serviceaccount/sa1', 'job.batch/j1', ''])
    })

    // Fixed daemon bug (regression test): namespaces lack the controller-made `kube-root-ca.crt` ConfigMap and `default` ServiceAccount.
    it('every namespace has the kube-root-ca.crt ConfigMap and the default ServiceAccount', async () => {
      for (const ns of ['default', 'team']) {
        assert.equal(
          await h.ok(['-n', ns, 'get', 'cm/kube-root-ca.crt', 'sa/default', '-o', 'name']),
          'configmap/kube-root-ca.crt\nserviceaccount/default\n',
        )
      }
    })
  })

  describe('apply, diff, edit, patch, label, annotate, scale, delete', () => {
    const h = useDaemon()
    let multi: string

    before(async function () {
      if (!HAVE_KUBECTL) this.skip()
      multi = h.file('multi.yaml', MULTI)
      await h.ok(['create', 'deployment', 'web', '--image=nginx'])
    })

    it('apply -f of a multi-document file: created ×4', async () => {
      assert.equal(
        await h.ok(['apply', '-f', multi]),
        'deployment.apps/app created\nservice/app created\nconfigmap/app-config created\nsecret/app-secret created\n',
      )
      const ann = await h.ok([
        'get',
        'cm',
        'app-config',
        '-o',
        'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
      ])
      assert.equal(
        ann,
        '{"apiVersion":"v1","data":{"key":"value"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"app-config","namespace":"default"}}\n',
      )
    })

    it('apply -f again: unchanged ×4 and nothing is written', async () => {
      const before = await h.rev()
      assert.equal(
        await h.ok(['apply', '-f', multi]),
        'deployment.apps/app unchanged\nservice/app unchanged\nconfigmap/app-config unchanged\nsecret/app-secret unchanged\n',
      )
      assert.equal(await h.rev(), before)
    })

    it('diff -f exits 1 and shows the change; nothing is written', async () => {
      const edited = h.file('multi2.yaml', MULTI.replace('replicas: 2', 'replicas: 4'))
      const before = await h.rev()
      const r = await h.k(['diff', '-f', edited])
      assert.equal(r.code, 1, r.stderr)
      assert.match(
        r.stdout,
        /^diff -u -N \S+\/apps\.v1\.Deployment\.default\.app \S+\/apps\.v1\.Deployment\.default\.app$/m,
      )
      assert.match(r.stdout, /^- {2}replicas: 2\n\+ {2}replicas: 4$/m)
      assert.match(r.stdout, /^- {2}generation: 1\n\+ {2}generation: 2$/m)
      assert.doesNotMatch(r.stdout, /Service|ConfigMap|Secret/)
      assert.equal(await h.rev(), before, 'diff uses dryRun=All')
      assert.deepEqual(await h.k(['diff', '-f', multi]), {stdout: '', stderr: '', code: 0})
    })

    it('apply -f of an edited file: configured for the changed one only', async () => {
      const edited = h.file('multi2.yaml', MULTI.replace('replicas: 2', 'replicas: 4'))
      assert.equal(
        await h.ok(['apply', '-f', edited]),
        'deployment.apps/app configured\nservice/app unchanged\nconfigmap/app-config unchanged\nsecret/app-secret unchanged\n',
      )
      assert.equal(
        await h.ok(['get', 'deploy', 'app', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']),
        '4 2',
      )
    })

    it('apply --server-side: serverside-applied (create and update)', async () => {
      const edited = h.file('multi2.yaml', MULTI.replace('replicas: 2', 'replicas: 4'))
      assert.equal(
        await h.ok(['apply', '--server-side', '-f', edited]),
        'deployment.apps/app serverside-applied\nservice/app serverside-applied\nconfigmap/app-config serverside-applied\nsecret/app-secret serverside-applied\n',
      )
      const fresh = h.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v\n')
      assert.equal(await h.ok(['apply', '--server-side', '-f', fresh]), 'configmap/ssa serverside-applied\n')
      assert.equal(await h.ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.k}']), 'v')
    })

    // Fixed daemon bug (regression test): PATCH field validation runs on the raw patch body, so SMP directives ($setElementOrder/..., $patch,
    // $retainKeys) count as unknown fields: under Strict every apply/edit that touches a keyed list fails with 400.
    it('apply -f changing a container image: configured (3-way patch with $setElementOrder)', async () => {
      const img = DEPLOY_WEB.replace(/\bapp\b/g, 'img')
      try {
        assert.equal(await h.ok(['apply', '-f', h.file('img.yaml', img)]), 'deployment.apps/img created\n')
        assert.equal(
          await h.ok(['apply', '-f', h.file('img2.yaml', img.replace('nginx:1.27', 'nginx:1.28'))]),
          'deployment.apps/img configured\n',
        )
        assert.equal(
          await h.ok(['get', 'deploy', 'img', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']),
          'nginx:1.28',
        )
        const editor = h.file('img-editor.sh', '#!/bin/sh\nsed -i \'s/nginx:1.28/nginx:1.29/\' "$1"\n')
        chmodSync(editor, 0o755)
        assert.equal(
          await h.ok(['edit', 'deployment', 'img'], {env: {KUBE_EDITOR: editor}}),
          'deployment.apps/img edited\n',
        )
        assert.equal(
          await h.ok(['set', 'image', 'deployment/img', 'nginx=nginx:1.30']),
          'deployment.apps/img image updated\n',
        )
      } finally {
        await h.k(['delete', 'deploy', 'img', '--ignore-not-found'])
      }
    })

    // Fixed daemon bug (regression test): same cause: a `$patch: delete` list directive draws `Warning: unknown field "...containers[0].$patch"`.
    it('patch with $patch: delete prints no warning', async () => {
      try {
        await h.ok(['create', 'deployment', 'pd', '--image=nginx'])
        await h.ok([
          'patch',
          'deployment',
          'pd',
          '-p',
          '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
        ])
        assert.equal(
          await h.ok([
            'patch',
            'deployment',
            'pd',
            '-p',
            '{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}',
          ]),
          'deployment.apps/pd patched\n',
        )
      } finally {
        await h.k(['delete', 'deploy', 'pd', '--ignore-not-found'])
      }
    })

    it('apply of a Secret with stringData: configured every time (kubernetes#87736), stored as data, no write', async () => {
      const f = h.file(
        'sd.yaml',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sd\ntype: Opaque\nstringData:\n  user: admin\n',
      )
      try {
        assert.equal(await h.ok(['apply', '-f', f]), 'secret/sd created\n')
        const got = JSON.parse(await h.ok(['get', 'secret', 'sd', '-o', 'json']))
        assert.deepEqual(got.data, {user: Buffer.from('admin').toString('base64')})
        assert.equal(got.stringData, undefined)
        const before = await h.rev()
        assert.equal(await h.ok(['apply', '-f', f]), 'secret/sd configured\n')
        assert.equal(await h.rev(), before, 'the patch changes nothing once stringData is folded into data')
      } finally {
        await h.k(['delete', 'secret', 'sd', '--ignore-not-found'])
      }
    })

    it('edit deployment web with a sed editor: edited', async () => {
      const editor = h.file('editor.sh', '#!/bin/sh\nsed -i \'s/^  replicas: 1$/  replicas: 2/\' "$1"\n')
      chmodSync(editor, 0o755)
      assert.equal(
        await h.ok(['edit', 'deployment', 'web'], {env: {KUBE_EDITOR: editor}}),
        'deployment.apps/web edited\n',
      )
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2')
    })

    it('edit that changes nothing: Edit cancelled, no changes made.', async () => {
      const before = await h.rev()
      const r = await h.k(['edit', 'deployment', 'web'], {env: {KUBE_EDITOR: 'true'}})
      assert.deepEqual(r, {stdout: '', stderr: 'Edit cancelled, no changes made.\n', code: 0})
      assert.equal(await h.rev(), before)
    })

    it('patch (strategic): containers merge by name, $patch: delete removes one', async () => {
      const p = (body: unknown) => h.ok(['patch', 'deployment', 'web', '-p', JSON.stringify(body)])
      assert.equal(
        await p({spec: {template: {spec: {containers: [{name: 'side', image: 'busybox'}]}}}}),
        'deployment.apps/web patched\n',
      )
      // apimachinery's mergeSortedSlice puts patch-only items before server-only ones (as a real server does).
      assert.equal(
        await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']),
        'side nginx',
      )
      assert.equal(
        await p({spec: {template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}}}}),
        'deployment.apps/web patched\n',
      )
      assert.equal(
        await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']),
        'busybox nginx:1.27',
      )
      // (the Warning this draws today is covered by the skipped test above)
      const del = await h.k([
        'patch',
        'deployment',
        'web',
        '-p',
        JSON.stringify({spec: {template: {spec: {containers: [{name: 'side', $patch: 'delete'}]}}}}),
      ])
      assert.equal(del.code, 0, del.stderr)
      assert.equal(del.stdout, 'deployment.apps/web patched\n')
      assert.equal(
        await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']),
        'nginx',
      )
    })

    it('patch that changes nothing: patched (no change), resourceVersion kept', async () => {
      const rv = await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])
      const body = JSON.stringify({spec: {template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}}}})
      assert.equal(await h.ok(['patch', 'deployment', 'web', '-p', body]), 'deployment.apps/web patched (no change)\n')
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']), rv)
    })

    it('patch --type=merge and --type=json', async () => {
      assert.equal(
        await h.ok(['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}']),
        'deployment.apps/web patched\n',
      )
      assert.equal(
        await h.ok([
          'patch',
          'deploy',
          'web',
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/spec/replicas","value":1}]',
        ]),
        'deployment.apps/web patched\n',
      )
      assert.equal(
        await h.ok([
          'patch',
          'deploy',
          'web',
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/spec/replicas","value":1}]',
        ]),
        'deployment.apps/web patched (no change)\n',
      )
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.x}']), '1 y')
      const before = await h.rev()
      const r = await h.k([
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":9}]',
      ])
      assert.equal(r.code, 1)
      assert.match(r.stderr, /^The request is invalid: /)
      assert.equal(await h.rev(), before)
    })

    // The apiserver answers NewGenericServerResponse(422): a generic message, the jsonpatch text as a cause without
    // a field, which kubectl's checkErr renders as "<field>: <message>" with the field empty.
    it('a failed JSON-patch test op: The request is invalid: : testing value ... failed', async () => {
      const r = await h.k([
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":9}]',
      ])
      expectFail(r, 'The request is invalid: : testing value /spec/replicas failed: test failed\n')
    })

    // Fixed daemon bug (regression test): empty maps are stored and served ({} labels/annotations/data) where the apiserver's omitempty drops them.
    it('removing the last label leaves no `labels: {}`, and a merge patch of data:{} is a no-op', async () => {
      try {
        await h.ok(['create', 'cm', 'e1'])
        await h.ok(['label', 'cm', 'e1', 'a=b'])
        await h.ok(['label', 'cm', 'e1', 'a-'])
        assert.doesNotMatch(await h.ok(['get', 'cm', 'e1', '-o', 'yaml']), /labels/)
        assert.equal(
          await h.ok(['patch', 'cm', 'e1', '--type=merge', '-p', '{"data":{}}']),
          'configmap/e1 patched (no change)\n',
        )
      } finally {
        await h.k(['delete', 'cm', 'e1', '--ignore-not-found'])
      }
    })

    it('label (add, conflict, --overwrite, remove, remove missing)', async () => {
      assert.equal(await h.ok(['label', 'deploy', 'web', 'tier=front']), 'deployment.apps/web labeled\n')
      const before = await h.rev()
      expectFail(
        await h.k(['label', 'deploy', 'web', 'tier=back']),
        "error: 'tier' already has a value (front), and --overwrite is false\n",
      )
      assert.equal(await h.rev(), before)
      assert.equal(await h.ok(['label', 'deploy', 'web', 'tier=back', '--overwrite']), 'deployment.apps/web labeled\n')
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.tier}']), 'back')
      assert.equal(await h.ok(['label', 'deploy', 'web', 'tier-']), 'deployment.apps/web unlabeled\n')
      const r = await h.k(['label', 'deploy', 'web', 'tier-'])
      assert.deepEqual(r, {stdout: 'label "tier" not found.\ndeployment.apps/web not labeled\n', stderr: '', code: 0})
    })

    it('annotate (add, conflict, --overwrite, key-)', async () => {
      assert.equal(await h.ok(['annotate', 'deploy', 'web', 'note=hi']), 'deployment.apps/web annotated\n')
      expectFail(
        await h.k(['annotate', 'deploy', 'web', 'note=ho']),
        "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)\n",
      )
      assert.equal(
        await h.ok(['annotate', 'deploy', 'web', 'note=ho', '--overwrite']),
        'deployment.apps/web annotated\n',
      )
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.note}']), 'ho')
      assert.equal(await h.ok(['annotate', 'deploy', 'web', 'note-']), 'deployment.apps/web annotated\n')
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.note}']), '')
    })

    it('scale --replicas=3 through the scale subresource', async () => {
      assert.equal(await h.ok(['scale', 'deployment', 'web', '--replicas=3']), 'deployment.apps/web scaled\n')
      assert.equal(await h.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3')
      expectFail(
        await h.k(['scale', 'deploy/nope', '--replicas=3']),
        'error: no objects passed to scale deployments.apps "nope" not found\n',
      )
    })

    it('get -o yaml (single object, alphabetical keys, server metadata)', async () => {
      const y = await h.ok(['get', 'cm', 'app-config', '-o', 'yaml'])
      assert.match(
        y,
        /^apiVersion: v1\ndata:\n {2}key: value\nkind: ConfigMap\nmetadata:\n {2}annotations:\n {4}kubectl\.kubernetes\.io\/last-applied-configuration: \|\n {6}\{.*\}\n {2}creationTimestamp: "2026-01-01T00:00:00Z"\n {2}name: app-config\n {2}namespace: default\n {2}resourceVersion: "\d+"\n {2}uid: [0-9a-f-]{36}\n$/,
      )
    })

    it('get -o json of a list is a v1 List', async () => {
      const j = JSON.parse(await h.ok(['get', 'deploy', '-o', 'json']))
      assert.equal(j.kind, 'List')
      assert.equal(j.apiVersion, 'v1')
      assert.deepEqual(
        j.items.map((i: any) => [i.apiVersion, i.kind, i.metadata.name]),
        [
          ['apps/v1', 'Deployment', 'app'],
          ['apps/v1', 'Deployment', 'web'],
        ],
      )
    })

    it('get -o wide, -o name, custom-columns, jsonpath', async () => {
      assert.equal(
        await h.ok(['get', 'deploy', '-o', 'wide']),
        table([
          ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
          ['app', '4/4', '4', '4', '0s', 'nginx', 'nginx:1.27', 'app=app'],
          ['web', '3/3', '3', '3', '0s', 'nginx', 'nginx:1.27', 'app=web'],
        ]),
      )
      assert.equal(await h.ok(['get', 'deploy', '-o', 'name']), 'deployment.apps/app\ndeployment.apps/web\n')
      assert.equal(
        await h.ok(['get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']),
        table([
          ['NAME', 'REPLICAS'],
          ['app', '4'],
          ['web', '3'],
        ]),
      )
      assert.equal(await h.ok(['get', 'deploy', '-o', 'jsonpath={.items[*].metadata.name}']), 'app web')
    })

    it('get --show-labels and -L app', async () => {
      assert.equal(
        await h.ok(['get', 'deploy', '--show-labels']),
        table([
          ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'LABELS'],
          ['app', '4/4', '4', '4', '0s', 'app=app'],
          ['web', '3/3', '3', '3', '0s', 'app=web,x=y'],
        ]),
      )
      assert.equal(
        await h.ok(['get', 'deploy', '-L', 'app,x']),
        table([
          ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'APP', 'X'],
          ['app', '4/4', '4', '4', '0s', 'app', ''],
          ['web', '3/3', '3', '3', '0s', 'web', 'y'],
        ]),
      )
    })

    it('get --sort-by (includeObject=Object): by name and by replicas', async () => {
      assert.equal(
        await h.ok([
          'get',
          'deploy',
          '--sort-by=.metadata.name',
          '--no-headers',
          '-o',
          'custom-columns=N:.metadata.name',
        ]),
        'app\nweb\n',
      )
      const out = await h.ok(['get', 'deploy', '--sort-by=.spec.replicas'])
      assert.equal(
        out,
        table([
          ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
          ['web', '3/3', '3', '3', '0s'],
          ['app', '4/4', '4', '4', '0s'],
        ]),
      )
    })

    it('get --chunk-size=1 pages with continue tokens', async () => {
      const r = await h.k(['get', 'pods', '-n', 'kube-system', '--chunk-size=1', '-v=6'])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout.trimEnd().split('\n').length, 8, r.stdout)
      const pages = r.stderr
        .split('\n')
        .filter((l) => /GET https:\S+\/api\/v1\/namespaces\/kube-system\/pods\?\S*limit=1/.test(l))
      assert.equal(pages.length, 7, pages.join('\n'))
      assert.equal(pages.filter((l) => /[?&]continue=/.test(l)).length, 6)
    })

    it('get -l and --field-selector', async () => {
      assert.equal(
        await h.ok(['get', 'deploy', '-l', 'app=web']),
        table([
          ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
          ['web', '3/3', '3', '3', '0s'],
        ]),
      )
      assert.equal(await h.ok(['get', 'deploy', '-l', 'app in (app,web),x!=y', '-o', 'name']), 'deployment.apps/app\n')
      assert.equal(
        await h.ok(['get', 'deploy', '--field-selector=metadata.name=app', '-o', 'name']),
        'deployment.apps/app\n',
      )
      assert.equal(
        await h
          .ok(['get', 'pods', '-A', '--field-selector=spec.nodeName=mkctl,status.phase!=Failed', '-o', 'name'])
          .then((s) => s.split('\n').length - 1),
        14, // the 7 kube-system pods and the 7 pods of the app and web deployments
      )
      assert.deepEqual(await h.k(['get', 'deploy', '--field-selector=metadata.name=nope']), {
        stdout: '',
        stderr: 'No resources found in default namespace.\n',
        code: 0,
      })
    })

    /** startWatch waits until no client watch is left open, then starts `kubectl <args>`. */
    async function startWatch(args: string[]): Promise<Watcher> {
      await until(() => h.t.daemon.store.watcherCount() === h.idleWatchers, 'earlier watches to close')
      return new Watcher(h.t, args)
    }
    const watchOpen = () => until(() => h.t.daemon.store.watcherCount() > h.idleWatchers, 'the watch to open')

    it('get deploy -w streams a change (header and rows first, then a MODIFIED row)', async () => {
      const w = await startWatch(['get', 'deploy', '-w'])
      try {
        const first = await w.waitLines(3)
        assert.match(first[0]!, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/)
        assert.match(first[1]!, /^app\s+4\/4\s+4\s+4\s+0s$/)
        assert.match(first[2]!, /^web\s+3\/3\s+3\s+3\s+0s$/)
        await watchOpen()
        const r = await h.api.request(
          'PATCH',
          '/apis/apps/v1/namespaces/default/deployments/web/scale',
          {spec: {replicas: 5}},
          {'Content-Type': 'application/merge-patch+json'},
        )
        assert.equal(r.status, 200, r.text)
        // Then the rollout shows row by row: 5 desired at once, the new pods becoming ready after.
        const all = await w.waitLines(4)
        assert.match(all[3]!, /^web\s+3\/5\s+3\s+3\s+0s$/)
        await h.t.settle()
        await until(() => /^web\s+5\/5\s+5\s+5\s+0s$/.test(w.lines[w.lines.length - 1] ?? ''), 'web to reach 5/5')
      } finally {
        await w.stop()
      }
      assert.equal(w.stderr, '')
    })

    it('get -w --output-watch-events shows ADDED, MODIFIED, DELETED', async () => {
      const w = await startWatch(['get', 'cm', '-w', '--output-watch-events', '-l', 'w=1'])
      try {
        await watchOpen()
        assert.equal(w.lines.length, 0)
        await h.ok(['create', 'cm', 'w1'])
        await h.ok(['label', 'cm', 'w1', 'w=1'])
        const first = await w.waitLines(2)
        assert.match(first[0]!, /^EVENT\s+NAME\s+DATA\s+AGE$/)
        assert.match(first[1]!, /^(ADDED|MODIFIED)\s+w1\s+0\s+0s$/)
        await h.ok(['delete', 'cm', 'w1'])
        const all = await w.waitLines(3)
        assert.match(all[2]!, /^DELETED\s+w1\s+0\s+0s$/)
      } finally {
        await w.stop()
      }
    })

    it('describe deployment web', async () => {
      const out = await h.ok(['describe', 'deployment', 'web'])
      assert.match(
        out,
        /^Name:\s+web\nNamespace:\s+default\nCreationTimestamp:\s+Thu, 01 Jan 2026 00:00:00 \+0000\nLabels:\s+app=web\n\s+x=y\n/,
      )
      assert.match(out, /^Selector:\s+app=web$/m)
      assert.match(out, /^Replicas:\s+5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable$/m)
      assert.match(
        out,
        /^Pod Template:\n {2}Labels: {2}app=web\n {2}Containers:\n {3}nginx:\n {4}Image:\s+nginx:1\.27$/m,
      )
      // By now the deployment controller has reported nine other ScalingReplicaSet messages about web, so client-go's
      // correlator (and mkctl's) combines this one with them: "(combined from similar events): ...", counted.
      assert.match(
        out,
        /^ {2}Normal {2}ScalingReplicaSet\s+\S+(?: \(x\d+ over \S+\))?\s+deployment-controller\s+(?:\(combined from similar events\): )?Scaled up replica set web-\w+ from 3 to 5$/m,
      )
    })

    it('rollout history deployment web runs (no controllers yet: no ReplicaSets)', async () => {
      const out = await h.ok(['rollout', 'history', 'deployment', 'web'])
      assert.match(out, /^deployment\.apps\/web \n/)
    })

    it('replace -f with a stale resourceVersion: Conflict, store unchanged', async () => {
      const old = await h.ok(['get', 'cm', 'app-config', '-o', 'yaml'])
      await h.ok(['label', 'cm', 'app-config', 'bump=1'])
      const f = h.file('stale.yaml', old.replace('key: value', 'key: other'))
      const before = await h.rev()
      expectFail(
        await h.k(['replace', '-f', f]),
        `Error from server (Conflict): error when replacing "${f}": Operation cannot be fulfilled on configmaps "app-config": the object has been modified; please apply your changes to the latest version and try again\n`,
      )
      assert.equal(await h.rev(), before)
      assert.equal(await h.ok(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.key}']), 'value')
      const fresh = h.file(
        'fresh.yaml',
        old.replace('key: value', 'key: other').replace(/^ {2}resourceVersion: .*\n/m, ''),
      )
      assert.equal(await h.ok(['replace', '-f', fresh]), 'configmap/app-config replaced\n')
    })

    it('delete by name, -f, -l and --all', async () => {
      assert.equal(await h.ok(['delete', 'deploy', 'web']), 'deployment.apps "web" deleted\n')
      expectFail(
        await h.k(['delete', 'deploy', 'web']),
        'Error from server (NotFound): deployments.apps "web" not found\n',
      )
      assert.equal(
        await h.ok(['delete', '-f', multi]),
        'deployment.apps "app" deleted\nservice "app" deleted\nconfigmap "app-config" deleted\nsecret "app-secret" deleted\n',
      )
      for (const n of ['l1', 'l2', 'l3']) await h.ok(['create', 'cm', n])
      await h.ok(['label', 'cm', 'l1', 'l2', 'grp=x'])
      assert.equal(await h.ok(['delete', 'cm', '-l', 'grp=x']), 'configmap "l1" deleted\nconfigmap "l2" deleted\n')
      await h.ok(['create', 'ns', 'tmp'])
      for (const n of ['a', 'b']) await h.ok(['-n', 'tmp', 'create', 'cm', n])
      const kube = await h.ok(['-n', 'tmp', 'get', 'cm', '-o', 'name'])
      const expect = kube
        .trimEnd()
        .split('\n')
        .map((l) => `configmap "${l.slice('configmap/'.length)}" deleted\n`)
        .join('')
      assert.equal(await h.ok(['-n', 'tmp', 'delete', 'cm', '--all']), expect)
      // kube-root-ca.crt is deleted too, and its publisher puts it straight back, as on a real cluster.
      assert.deepEqual(await h.k(['-n', 'tmp', 'get', 'cm', '-o', 'name']), {
        stdout: 'configmap/kube-root-ca.crt\n',
        stderr: '',
        code: 0,
      })
      const left = (await h.ok(['get', 'cm', '-o', 'name']))
        .split('\n')
        .filter((l) => l !== 'configmap/kube-root-ca.crt')
      assert.deepEqual(left, ['configmap/l3', 'configmap/ssa', ''])
    })

    it('run creates a pod that the scheduler places and the kubelet starts', async () => {
      try {
        assert.equal(await h.ok(['run', 'r1', '--image=nginx']), 'pod/r1 created\n')
        assert.equal(
          await h.ok(['get', 'pod', 'r1', '-o', 'jsonpath={.status.phase} {.status.qosClass}']),
          'Running BestEffort',
        )
        assert.match(await h.ok(['get', 'pod', 'r1']), /^r1\s+1\/1\s+Running\s+0\s+0s$/m)
      } finally {
        await h.k(['delete', 'pod', 'r1', '--ignore-not-found', '--wait=false'])
      }
    })
  })

  describe('CustomResourceDefinitions', () => {
    const h = useDaemon()
    const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wg]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: integer
              color:
                type: string
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
`
    const CR = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n  color: red\n'

    before(async function () {
      if (!HAVE_KUBECTL) this.skip()
      assert.equal(
        await h.ok(['apply', '-f', h.file('crd.yaml', CRD)]),
        'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
      )
      assert.equal(
        await h.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']),
        'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n',
      )
    })

    it('apply a custom resource, get it by plural and short name, apply again unchanged, delete', async () => {
      const cr = h.file('cr.yaml', CR)
      assert.equal(await h.ok(['apply', '-f', cr]), 'widget.example.com/w1 created\n')
      for (const name of ['widgets', 'wg', 'widget.example.com']) {
        const out = await h.ok(['get', name])
        assert.match(out, /^NAME\s+.*\nw1\s+.*\n$/, `get ${name}`)
      }
      assert.equal(
        await h.ok(['get', 'wg', 'w1', '-o', 'jsonpath={.spec.size} {.spec.color} {.metadata.generation}']),
        '3 red 1',
      )
      assert.equal(await h.ok(['apply', '-f', cr]), 'widget.example.com/w1 unchanged\n')
      assert.equal(await h.ok(['delete', '-f', cr]), 'widget.example.com "w1" deleted\n')
      assert.deepEqual(await h.k(['get', 'wg']), {
        stdout: '',
        stderr: 'No resources found in default namespace.\n',
        code: 0,
      })
    })

    // Fixed daemon bug (regression test): custom resource Tables use the CRD's additionalPrinterColumns; Age is the
    // default only when a version declares none (apiextensions-apiserver serveDefaultColumnsIfEmpty).
    it('get widgets prints the CRD additionalPrinterColumns', async () => {
      await h.ok(['apply', '-f', h.file('cr.yaml', CR)])
      assert.equal(
        await h.ok(['get', 'widgets']),
        table([
          ['NAME', 'SIZE'],
          ['w1', '3'],
        ]),
      )
    })

    // Fixed daemon bug (regression test): /openapi/v3 does not publish apis/example.com/v1 for CRDs, so explain fails ("couldn't find resource").
    it('explain widgets.spec uses the CRD schema', async () => {
      const out = await h.ok(['explain', 'widgets.spec'])
      assert.match(out, /^GROUP:\s+example\.com\nKIND:\s+Widget\nVERSION:\s+v1\n/)
      assert.match(out, /^ {2}size\t<integer>$/m)
    })

    // Fixed daemon bug (regression test): fieldValidation=Strict is not applied to custom resources (unknown field accepted, pruned or stored).
    it('a custom resource with an unknown field is rejected under strict validation', async () => {
      const f = h.file('cr-bad.yaml', CR.replace('name: w1', 'name: w2').replace('color: red', 'colour: red'))
      const before = await h.rev()
      expectFail(
        await h.k(['create', '-f', f]),
        `Error from server (BadRequest): error when creating "${f}": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"\n`,
      )
      assert.equal(await h.rev(), before)
    })

    // Fixed daemon bug (regression test): custom resources are not validated against the CRD's openAPIV3Schema (size: "three" accepted).
    it('a custom resource of the wrong type is Invalid', async () => {
      const f = h.file('cr-bad2.yaml', CR.replace('name: w1', 'name: w3').replace('size: 3', 'size: three'))
      const before = await h.rev()
      expectFail(
        await h.k(['create', '-f', f]),
        'The Widget "w3" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"\n',
      )
      assert.equal(await h.rev(), before)
    })
  })

  describe('bad input leaves the store unchanged', () => {
    const h = useDaemon()

    /** unchanged runs fn and asserts that the store revision and the listed kind did not move. */
    async function unchanged(kind: string, fn: () => Promise<void>, ns = 'default') {
      const rev = await h.rev()
      const list = await h.ok(['get', kind, '-n', ns, '-o', 'name'])
      await fn()
      assert.equal(await h.rev(), rev, 'store revision moved')
      assert.equal(await h.ok(['get', kind, '-n', ns, '-o', 'name']), list)
    }

    it('invalid YAML: kubectl parse error', async () => {
      const f = h.file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a\ndata: {}\n')
      await unchanged('cm', async () => {
        for (const verb of ['create', 'apply']) {
          expectFail(
            await h.k([verb, '-f', f]),
            `error: error parsing ${f}: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'\n`,
          )
        }
      })
    })

    it('unknown kind with --validate=false: resource mapping not found', async () => {
      const f = h.file('foo.yaml', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n')
      await unchanged('cm', async () => {
        expectFail(
          await h.k(['apply', '--validate=false', '-f', f]),
          `error: resource mapping not found for name: "x" namespace: "" from "${f}": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n`,
        )
      })
    })

    // Fixed daemon bug (regression test): no /openapi/v2 (protobuf); default strict validation of a kind missing from v3 falls back to v2 and fails "failed to download openapi".
    it('unknown kind (default validation): resource mapping not found ... ensure CRDs are installed first', async () => {
      const f = h.file('foo.yaml', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n')
      await unchanged('cm', async () => {
        for (const verb of ['create', 'apply']) {
          expectFail(
            await h.k([verb, '-f', f]),
            `error: resource mapping not found for name: "x" namespace: "" from "${f}": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n`,
          )
        }
      })
    })

    it('invalid name: The ConfigMap "Web" is invalid', async () => {
      const f = h.file('badname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Web\ndata:\n  a: b\n')
      await unchanged('cm', async () => {
        for (const verb of ['create', 'apply']) {
          expectFail(
            await h.k([verb, '-f', f]),
            `The ConfigMap "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
          )
        }
      })
    })

    it('missing namespace: namespaces "nope" not found', async () => {
      const f = h.file(
        'nons.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inns\n  namespace: nope\ndata:\n  a: b\n',
      )
      await unchanged('cm', async () => {
        expectFail(
          await h.k(['create', '-f', f]),
          `Error from server (NotFound): error when creating "${f}": namespaces "nope" not found\n`,
        )
        expectFail(
          await h.k(['apply', '-f', f]),
          `Error from server (NotFound): error when creating "${f}": namespaces "nope" not found\n`,
        )
      })
      assert.deepEqual(await h.k(['get', 'cm', '-A', '--field-selector=metadata.name=inns']), {
        stdout: '',
        stderr: 'No resources found\n',
        code: 0,
      })
    })

    it('unknown field under strict validation: strict decoding error', async () => {
      const f = h.file(
        'unk.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: unk\nspec:\n  foo: bar\n  selector:\n    matchLabels: {app: unk}\n  template:\n    metadata:\n      labels: {app: unk}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      )
      await unchanged('deploy', async () => {
        for (const verb of ['create', 'apply']) {
          expectFail(
            await h.k([verb, '-f', f]),
            `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"\n`,
          )
        }
      })
      const r = await h.k(['create', '--validate=warn', '-f', f])
      assert.deepEqual(r, {
        stdout: 'deployment.apps/unk created\n',
        stderr: 'Warning: unknown field "spec.foo"\n',
        code: 0,
      })
    })

    // Fixed daemon bug (regression test): with fieldValidation=Warn/Ignore unknown fields are stored; the apiserver's typed decoding drops them.
    it('--validate=warn and --validate=false store the object without the unknown field', async () => {
      const f = h.file(
        'unk2.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: unk2\nspec:\n  foo: bar\n  selector:\n    matchLabels: {app: unk}\n  template:\n    metadata:\n      labels: {app: unk}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      )
      assert.equal(await h.ok(['create', '--validate=false', '-f', f]), 'deployment.apps/unk2 created\n')
      assert.equal(await h.ok(['get', 'deploy', 'unk2', '-o', 'jsonpath={.spec.foo}']), '')
    })

    it('invalid field value: The Deployment "neg" is invalid: spec.replicas', async () => {
      const f = h.file(
        'neg.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: neg\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: neg}\n  template:\n    metadata:\n      labels: {app: neg}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      )
      await unchanged('deploy', async () => {
        expectFail(
          await h.k(['apply', '-f', f]),
          'The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
        )
      })
    })

    it('a request with a wrong token: You must be logged in to the server', async () => {
      const kc = h.file(
        'badtoken.kubeconfig',
        kubeconfigYaml('mkctl', h.t.daemon.url, h.t.daemon.caCert, 'not-the-token'),
      )
      await unchanged('cm', async () => {
        const raw = await h.k(['--kubeconfig', kc, 'get', '--raw', '/api/v1/namespaces/default/configmaps'])
        expectFail(raw, 'error: You must be logged in to the server (Unauthorized)\n')
        const create = await h.k(['--kubeconfig', kc, 'create', 'cm', 'sneaky'])
        expectFail(create, 'error: failed to create configmap: Unauthorized\n')
        // Through discovery kubectl 1.32 words it after client-go's generic 401 text (as against a real cluster).
        const get = await h.k(['--kubeconfig', kc, '--cache-dir', join(h.t.home, 'cache-unauth'), 'get', 'cm'])
        assert.equal(get.code, 1)
        assert.match(
          get.stderr,
          /\nerror: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/,
        )
      })
    })

    it('a request without any token (basic auth only): Unauthorized', async () => {
      const kc = h.file(
        'notoken.kubeconfig',
        kubeconfigYaml('mkctl', h.t.daemon.url, h.t.daemon.caCert, 'x').replace(
          '    token: x\n',
          '    username: admin\n    password: admin\n',
        ),
      )
      await unchanged('cm', async () => {
        expectFail(
          await h.k(['--kubeconfig', kc, 'get', '--raw', '/api/v1/namespaces/default/configmaps']),
          'error: You must be logged in to the server (Unauthorized)\n',
        )
      })
      const anon = new ApiClient(h.t.daemon.url, h.t.daemon.caCert, undefined)
      const r = await anon.request('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: 'anon'},
      })
      assert.equal(r.status, 401)
      assert.equal(r.json.reason, 'Unauthorized')
    })
  })
})
