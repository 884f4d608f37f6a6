// get.test.ts: differential tests of `mkctl get` against the real kubectl 1.32 on one in-process daemon (FakeClock,
// seed 1): for every case both programs run with the same kubeconfig and must print the same stdout and stderr and
// exit with the same code, after kubectl's own name in its messages is replaced by mkctl's. Golden files pin a few
// mkctl outputs so they stay checked on a machine without kubectl (STYLE §2.8).
import assert from 'node:assert/strict'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {peekContinue} from '../../src/cli/options/get.js'
import {expectGolden} from '../helpers/golden.js'
import {ApiClient} from '../helpers/http.js'
import {kubectlAvailable, startTestDaemon, type RunResult, type TestDaemon} from '../helpers/daemon.js'
import {scrub} from '../helpers/scrub.js'

const ROOT = join(import.meta.dirname, '..', '..')
const GOLDEN = join(import.meta.dirname, 'testdata', 'get')
const hasKubectl = kubectlAvailable()

/** asMkctl renames the program in kubectl's output (`Use "kubectl api-resources"`, `See 'kubectl get -h'`). */
const asMkctl = (s: string) => s.replace(/\bkubectl\b/g, 'mkctl')

const MINUTE = 60_000

/** seed creates the objects every case reads, advancing the clock between them so AGE and creation order differ. */
async function seed(t: TestDaemon, api: ApiClient): Promise<void> {
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await api.request(method, path, body)
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
    t.clock.advance(MINUTE)
    return r.json
  }
  for (const ns of ['team-a', 'team-b', 'nums'])
    await must('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns, labels: {team: ns}},
    })
  const cm = (name: string, labels: Record<string, string>, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name, labels},
    data,
  })
  // Created out of name order, so --sort-by has work to do.
  await must('POST', '/api/v1/namespaces/default/configmaps', cm('zeta', {app: 'x', tier: 'web'}, {k: 'v'}))
  await must('POST', '/api/v1/namespaces/default/configmaps', cm('alpha', {app: 'y'}, {a: '1', b: '2'}))
  await must('POST', '/api/v1/namespaces/default/configmaps', cm('mid', {app: 'x'}, {}))
  await must('POST', '/api/v1/namespaces/team-a/configmaps', cm('settings', {app: 'x'}, {mode: 'prod'}))
  // Names that parse as quantities sort as quantities (kubectl's isLess): 9 < 10 < 1k < 2k.
  for (const name of ['2k', '10', '1k', '9', 'b', 'a']) {
    await must('POST', '/api/v1/namespaces/nums/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name},
      data: {},
    })
  }
  await must('POST', '/api/v1/namespaces/default/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: 'db-pass', labels: {app: 'x'}},
    type: 'Opaque',
    data: {password: 'czNjcjN0'},
  })
  await must('POST', '/api/v1/namespaces/team-a/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: 'tls-cert'},
    type: 'Opaque',
    stringData: {a: 'b'},
  })
  const svc = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name, labels: {app: name}},
    spec,
  })
  const ports = [{name: 'http', port: 80, targetPort: 8080, protocol: 'TCP'}]
  await must(
    'POST',
    '/api/v1/namespaces/default/services',
    svc('web', {type: 'ClusterIP', selector: {app: 'web'}, ports}),
  )
  await must(
    'POST',
    '/api/v1/namespaces/default/services',
    svc('web-np', {type: 'NodePort', selector: {app: 'web'}, ports}),
  )
  await must(
    'POST',
    '/api/v1/namespaces/default/services',
    svc('web-lb', {
      type: 'LoadBalancer',
      selector: {app: 'web'},
      ports: [...ports, {name: 'https', port: 443, protocol: 'TCP'}],
    }),
  )
  await must(
    'POST',
    '/api/v1/namespaces/default/services',
    svc('db', {clusterIP: 'None', selector: {app: 'db'}, ports: [{port: 5432}]}),
  )
  await must(
    'POST',
    '/api/v1/namespaces/team-a/services',
    svc('ext', {type: 'ExternalName', externalName: 'example.com'}),
  )
  const deploy = (name: string, replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, labels: {app: name}},
    spec: {
      replicas,
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'main', image: 'nginx:1.27'}]}},
    },
  })
  await must('POST', '/apis/apps/v1/namespaces/default/deployments', deploy('web', 2))
  await must('POST', '/apis/apps/v1/namespaces/team-a/deployments', deploy('api', 1))
  await must('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: 'widgets.example.com'},
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: {plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all']},
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {spec: {type: 'object', properties: {size: {type: 'integer'}, color: {type: 'string'}}}},
            },
          },
          additionalPrinterColumns: [
            {name: 'Size', type: 'integer', jsonPath: '.spec.size'},
            {name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1},
            {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp'},
          ],
        },
      ],
    },
  })
  await waitEstablished(api, 'widgets.example.com')
  const widget = (name: string, size: number, color: string) => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: {name, labels: {app: 'x'}},
    spec: {size, color},
  })
  await must('POST', '/apis/example.com/v1/namespaces/default/widgets', widget('big', 10, 'red'))
  await must('POST', '/apis/example.com/v1/namespaces/default/widgets', widget('small', 1, 'blue'))
}

/** waitEstablished polls until the CRD is Established and its resources are served (a few ms in practice). */
async function waitEstablished(api: ApiClient, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await api.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)
    const ok = (r.json?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True')
    if (ok && (await api.request('GET', '/apis/example.com/v1')).status === 200) return
    await new Promise((res) => setImmediate(res))
  }
  throw new Error(`CRD ${name} never became established`)
}

/** Case is one differential invocation; skip names a known mismatch (printed in the test title). */
interface Case {
  args: string[]
  skip?: string
}

const cases: Case[] = [
  {args: ['get', 'nodes']},
  {args: ['get', 'nodes', '-o', 'wide']},
  {args: ['get', 'pods', '-A']},
  {args: ['get', 'pods', '-A', '-o', 'wide']},
  {args: ['get', 'pods']},
  {args: ['get', 'all']},
  {args: ['get', 'all', '-A']},
  {args: ['get', 'ns']},
  {args: ['get', 'namespaces', '--show-labels']},
  {args: ['get', 'svc,cm']},
  {args: ['get', 'svc', '-A', '-o', 'wide']},
  {args: ['get', 'cm', '-l', 'app=x']},
  {args: ['get', 'cm', '-l', 'app!=x,tier notin (db)']},
  {args: ['get', 'cm', '-A', '-l', 'app=x']},
  {args: ['get', 'cm', '-l', 'app=nothing']},
  {args: ['get', 'cm', '--field-selector', 'metadata.name=alpha']},
  {args: ['get', 'secrets', '-A', '--field-selector', 'type=Opaque']},
  {args: ['get', 'cm', '--field-selector', 'spec.foo=bar']},
  {args: ['get', 'cm', '--show-labels']},
  {args: ['get', 'cm', '-L', 'app']},
  {args: ['get', 'cm', '-L', 'app,tier', '-L', 'missing']},
  {args: ['get', 'cm', '--no-headers']},
  {args: ['get', 'svc,cm', '--no-headers']},
  {args: ['get', 'cm', '--show-kind']},
  {args: ['get', 'cm', '-o', 'name']},
  {args: ['get', 'svc,deploy', '-o', 'name']},
  {args: ['get', 'cm', 'alpha', '-o', 'yaml']},
  {args: ['get', 'cm', '-o', 'yaml']},
  {args: ['get', 'cm', 'alpha', '-o', 'json']},
  {args: ['get', 'cm', 'alpha', 'zeta', '-o', 'json']},
  {args: ['get', 'svc', '-o', 'jsonpath={.items[*].metadata.name}']},
  {args: ['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']},
  {args: ['get', 'cm', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.metadata.labels.app}{"\\n"}{end}']},
  {args: ['get', 'cm', '-o', 'custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,KEYS:.data']},
  {args: ['get', 'svc', '-A', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name,TYPE:.spec.type']},
  {args: ['get', 'cm', 'alpha']},
  {args: ['get', 'cm', 'alpha', 'zeta']},
  {args: ['get', 'cm/alpha']},
  {args: ['get', 'cm/alpha', 'svc/web', 'cm/zeta']},
  {args: ['get', 'configmap/alpha', 'deployment.apps/web', '-o', 'name']},
  {args: ['get', 'svc,deploy,secrets']},
  {args: ['get', 'cm', 'nope']},
  {args: ['get', 'cm', 'alpha', 'nope', 'zeta', 'nada']},
  {args: ['get', 'cm/nope', 'svc/web']},
  {args: ['get', 'cm', 'nope', '-o', 'yaml']},
  {args: ['get', 'cm', 'alpha', 'nope', '-o', 'name']},
  {args: ['get', 'cm', 'nope', '--ignore-not-found']},
  {args: ['get', 'cm', 'alpha', 'nope', '--ignore-not-found']},
  {args: ['get', 'cm', 'nope', '--ignore-not-found', '-o', 'json']},
  {args: ['get', 'pods', '-n', 'kube-system']},
  {args: ['get', 'pods', '-n', 'kube-system', '-o', 'wide']},
  {args: ['-n', 'kube-system', 'get', 'pods']},
  {args: ['--namespace=team-a', 'get', 'cm,svc,deploy']},
  {args: ['get', 'cm', '-n', 'no-such-ns']},
  {args: ['get', 'cm', '--sort-by=.metadata.name']},
  {args: ['get', 'cm', '--sort-by=.metadata.creationTimestamp']},
  {args: ['get', 'cm', '-A', '--sort-by=.metadata.name', '-o', 'name']},
  {args: ['get', 'svc', '--sort-by=.spec.ports[0].port']},
  {args: ['get', 'cm', '--chunk-size=1']},
  {args: ['get', 'pods', '-A', '--chunk-size=1']},
  {args: ['get', 'cm', '--chunk-size=1', '-o', 'name']},
  {args: ['get', 'foos']},
  {args: ['get', 'cm,foos']},
  {args: ['get']},
  {args: ['get', 'cm', '-l', 'a in']},
  {args: ['get', 'cm', '-o', 'foo']},
  {args: ['get', 'widgets']},
  {args: ['get', 'wd', '-o', 'wide']},
  {args: ['get', 'widget', 'big', '-o', 'yaml']},
  {args: ['get', 'widgets.example.com', '--show-labels']},
  {args: ['get', 'wd/small', 'cm/alpha']},
  {args: ['get', 'crd']},
  {args: ['get', 'deploy', '-A']},
  {args: ['get', 'deploy', '-A', '-o', 'wide']},
  {args: ['-n', 'team-b', 'get', 'svc,cm']},
  {args: ['-n', 'team-a', 'get', 'cm,secrets,pods']},
  {args: ['get', 'all', '-n', 'team-b']},
  {args: ['get', 'cm,cm']},
  {args: ['get', 'pods,cm', '-A', '--show-kind', '-o', 'wide']},
  {args: ['get', 'cm', 'alpha', '-A']},
  {args: ['get', 'cm', '-o', 'wide']},
  {args: ['get', 'cm,svc', '-l', 'app=x']},
  {args: ['get', 'secrets', '-o', 'yaml']},
  {args: ['get', 'svc/web', '-o', 'jsonpath={.metadata.name}']},
  {args: ['get', 'cm', '--sort-by=.metadata.name', '-o', 'jsonpath={.items[0].metadata.name}']},
  {args: ['get', 'cm', '--sort-by=.data.nothing']},
  {args: ['get', 'nodes,ns']},
  {args: ['get', 'nodes', '--show-labels']},
  {args: ['get', 'nodes', 'mkctl', '-o', 'jsonpath={.status.nodeInfo.kubeletVersion}']},
  {args: ['get', 'deploy', 'web', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']},
  {args: ['get', 'cm', '-o=custom-columns=NAME:.metadata.name', '--no-headers']},
  {args: ['get', 'cm', '-o', 'json', '-l', 'app=x']},
  {args: ['get', 'ns', 'team-a', '-o', 'yaml']},
  {args: ['get', 'cm', '-A', '--field-selector', 'metadata.namespace=default']},
  {args: ['get', 'cm', '-l', 'app in (x,y)', '--sort-by=.metadata.name']},
  {args: ['get', 'foo/bar']},
  {args: ['get', 'cm/']},
  {args: ['get', 'cm', 'cm/alpha']},
  {args: ['get', 'pod', 'nope', '-n', 'kube-system']},
  {args: ['get', 'wd,cm']},
  {args: ['get', 'deployment.v1.apps', '-A']},
  {args: ['get', 'deployments.apps', '-n', 'team-a', '-o', 'name']},
  {args: ['get', 'pods', '--selector=component=etcd', '-n', 'kube-system', '-o', 'name']},
  {args: ['get', 'cm', '-o', 'jsonpath={.items[*].metadata.nope}']},
  {args: ['get', 'cm', '-o', 'jsonpath={.items[0}']},
  {args: ['get', 'cm', '-o', 'custom-columns=NAME']},
  {args: ['get', 'svc', 'web', 'web-np', '-o', 'yaml']},
  {args: ['get', 'svc', '--no-headers', '-o', 'wide', '-n', 'team-a']},
  {args: ['get', 'cm', '--chunk-size=0']},
  {args: ['get', 'cm', '--chunk-size=-1']},
  {args: ['get', 'cm', '--sort-by=.data.nothing', '-o', 'name']},
  {args: ['get', 'cm', '-l', 'app=y', '--sort-by=.data.nothing', '-o', 'name']},
  {args: ['get', 'cm', 'alpha', '--sort-by=.data.nothing', '-o', 'name']},
  {args: ['get', 'cm', '-l', 'app=y', '--sort-by=.data.nothing']},
  {args: ['get', 'cm', '--sort-by=.metadata.labels.tier']},
  {args: ['get', 'cm', '--sort-by=.metadata.labels.tier', '-o', 'name']},
  {args: ['get', 'cm,svc', '--sort-by=.metadata.name']},
  {args: ['get', 'cm,svc', '--sort-by={.metadata.name}', '-o', 'name']},
  {args: ['get', 'cm', '-n', 'nums', '--sort-by=.metadata.name']},
  {args: ['get', 'cm', '-n', 'nums', '--sort-by=metadata.name', '-o', 'name']},
  {args: ['get', 'cm/a/b']},
  {args: ['get', 'cm,svc/web']},
  {args: ['get', 'foos/x', 'cm/']},
  {args: ['get', 'nodes', 'mkctl', '-A']},
  {args: ['get', 'nodes/mkctl', 'cm/alpha', '-A']},
  {args: ['get', 'cm', '-A', '-l', 'app=nothing']},
  {args: ['get', 'nodes', '-l', 'app=nothing']},
  {args: ['get', 'cm', '-l', 'app=nothing', '--ignore-not-found']},
  {args: ['get', 'cm', '-l', 'app=nothing', '-o', 'name']},
  {args: ['get', 'cm', '-l', 'app=nothing', '-o', 'json']},
  {args: ['get', 'cm,svc', '-l', 'app=nothing', '-n', 'team-a']},
  {args: ['get', 'cm', 'alpha', 'zeta', '--sort-by=.metadata.name']},
  {args: ['get', 'cm', 'zeta', 'alpha', '--sort-by=.metadata.resourceVersion']},
  {args: ['get', 'cm,svc', '--sort-by=.metadata.resourceVersion']},
  {args: ['get', 'cm/alpha', 'svc/web', 'cm/zeta', '--no-headers']},
  {args: ['get', 'cm', '--chunk-size=2', '--show-kind']},
]

describe('mkctl get', function () {
  let t: TestDaemon
  let api: ApiClient
  before(async function () {
    // A still cluster: these are printer tests over seeded objects, so no controller may change them meanwhile
    // (test/e2e/simulation.test.ts covers the cluster at work).
    t = await startTestDaemon({controllers: false})
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    await seed(t, api)
  })
  after(async () => t?.stop())

  describe('differential: same stdout, stderr and exit code as kubectl', function () {
    // Both programs run for every case up front, a few at a time (each run is a ~0.2 s process start); the cases
    // only read, so the order does not matter. Each `it` then compares one pair.
    const results = new Map<Case, Promise<[RunResult, RunResult]>>()
    before(async function () {
      if (!hasKubectl) this.skip()
      // ~300 process starts: a guard against a hang, not a speed requirement.
      this.timeout(300_000)
      const queue = cases.filter((c) => !c.skip)
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const pair = Promise.all([t.kubectl(c.args), t.mkctl(c.args)])
          results.set(c, pair)
          await pair
        }
      }
      await Promise.all([worker(), worker(), worker()])
    })
    for (const c of cases) {
      const title = c.args.join(' ')
      const test = async () => {
        const [k, m] = await results.get(c)!
        assertSame(m, k)
      }
      if (c.skip) it.skip(`${title} — MISMATCH: ${c.skip}`, test)
      else it(title, test)
    }

    // Each watch case runs both programs until the list is printed, creates a configmap through the API, waits for
    // it in both outputs, then interrupts both (Ctrl-C) and compares everything they printed and their exit codes.
    const watchCases: {args: string[]; ready: string}[] = [
      {args: ['get', 'cm', '-w'], ready: 'zeta'},
      {args: ['get', 'cm', '-w', '--sort-by=.metadata.name'], ready: 'zeta'},
      {args: ['get', 'cm', '-w', '-o', 'name'], ready: 'zeta'},
      {args: ['get', 'cm', '-A', '-w', '-l', 'app=x'], ready: 'settings'},
      {args: ['get', 'cm', '-w', '--output-watch-events'], ready: 'zeta'},
    ]
    let n = 0
    for (const c of watchCases) {
      it(`${c.args.join(' ')} prints the list, then each new object`, async function () {
        const name = `watched-${++n}`
        const k = startWatch(t, 'kubectl', [
          '--kubeconfig',
          t.kubeconfig,
          '--cache-dir',
          join(t.home, 'cache'),
          ...c.args,
        ])
        const m = startWatch(t, process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...c.args])
        try {
          await Promise.all([k.until((s) => s.includes(c.ready)), m.until((s) => s.includes(c.ready))])
          const body = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, labels: {app: 'x'}}, data: {x: '1'}}
          const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', body)
          assert.equal(r.status, 201, r.text)
          await Promise.all([k.until((s) => s.includes(name)), m.until((s) => s.includes(name))])
          const [kc, mc] = await Promise.all([k.interrupt(), m.interrupt()])
          assert.equal(mc, kc)
        } finally {
          k.kill()
          m.kill()
          await api.request('DELETE', `/api/v1/namespaces/default/configmaps/${name}`)
        }
        assert.deepEqual(
          {stdout: m.stdout(), stderr: m.stderr()},
          {stdout: asMkctl(k.stdout()), stderr: asMkctl(k.stderr())},
        )
      })
    }
  })

  // kubectl's builder hands on each chunk as it arrives, so when a later one fails (an expired continue token, a
  // server error) the chunks before it are printed and the error follows. A proxy in front of the daemon fails every
  // request that carries a continue token; mkctl, which asks for the next chunk before printing the current one,
  // must print exactly what kubectl prints.
  describe('a failing later chunk: the chunks before it are printed, then the error', function () {
    let proxy: http.Server
    let kubeconfig: string
    let status = 410
    before(async function () {
      if (!hasKubectl) this.skip()
      const agent = new https.Agent({ca: t.daemon.caCert, keepAlive: true})
      proxy = http.createServer((req, res) => {
        if (req.url?.includes('continue=')) {
          const body =
            status === 410
              ? {
                  reason: 'Expired',
                  message: 'The provided continue parameter is too old to display a consistent list result.',
                }
              : {
                  reason: 'InternalError',
                  message: 'an error on the server ("boom") has prevented the request from succeeding',
                }
          res.writeHead(status, {'Content-Type': 'application/json'})
          res.end(
            JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...body, code: status}),
          )
          return
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host'))
        const up = https.request(
          t.daemon.url + req.url,
          {method: req.method, headers: {...headers, authorization: `Bearer ${t.daemon.token}`}, agent},
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers)
            r.pipe(res)
          },
        )
        req.pipe(up)
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
      kubeconfig = join(t.home, 'proxy-kubeconfig')
      const server = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\nclusters:\n- name: p\n  cluster:\n    server: ${server}\ncontexts:\n- name: p\n  context:\n    cluster: p\n    user: u\n    namespace: default\ncurrent-context: p\nusers:\n- name: u\n  user: {}\n`,
      )
    })
    after(() => new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve())))
    const failing: {args: string[]; status: number}[] = [
      {args: ['get', 'cm', '-A', '--chunk-size=3'], status: 410},
      {args: ['get', 'cm', '-A', '--chunk-size=3', '-o', 'name'], status: 410},
      {args: ['get', 'cm', '-A', '--chunk-size=3', '-o', 'json'], status: 410},
      {args: ['get', 'cm,svc', '-A', '--chunk-size=3'], status: 410},
      {args: ['get', 'cm', '-A', '--chunk-size=3'], status: 500},
    ]
    for (const c of failing) {
      it(`${c.args.join(' ')} (${c.status} on the second chunk)`, async () => {
        status = c.status
        const env = {KUBECONFIG: kubeconfig}
        const k = await t.kubectl(['--kubeconfig', kubeconfig, ...c.args], {env})
        const m = await t.mkctl(c.args, {env})
        assert.equal(k.code, 1, k.stderr)
        assert.match(m.stdout, /\S/)
        assertSame(m, k)
      })
    }
  })

  describe('golden output', function () {
    const goldens: {name: string; args: string[]}[] = [
      {name: 'nodes', args: ['get', 'nodes', '-o', 'wide']},
      {name: 'pods-all-namespaces', args: ['get', 'pods', '-A']},
      {name: 'all', args: ['get', 'all', '-A']},
      {name: 'services-wide', args: ['get', 'svc', '-A', '-o', 'wide']},
      {name: 'configmaps-labels', args: ['get', 'cm', '-A', '--show-labels', '--sort-by=.metadata.name']},
      {name: 'configmap-yaml', args: ['get', 'cm', 'alpha', '-o', 'yaml']},
      {name: 'service-json', args: ['get', 'svc', 'web-lb', '-o', 'json']},
      {name: 'widgets-wide', args: ['get', 'wd', '-o', 'wide']},
      {name: 'not-found', args: ['get', 'cm', 'alpha', 'nope']},
    ]
    for (const g of goldens) {
      it(`${g.name}: ${g.args.join(' ')}`, async () => {
        const r = await t.mkctl(g.args)
        expectGolden(scrub(render(r)), join(GOLDEN, `${g.name}.golden`))
      })
    }
  })
})

describe('peekContinue', function () {
  const tok = (s: string) => peekContinue(Buffer.from(s))
  it('reads the token from list metadata written before the items', () => {
    assert.equal(
      tok(
        '{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"continue":"abc","resourceVersion":"9"},"rows":[]}',
      ),
      'abc',
    )
    assert.equal(
      tok(' {"metadata":{"resourceVersion":"9","continue":"x\\"y","remainingItemCount":3},"items":[{}]}'),
      'x"y',
    )
  })
  it('says nothing when there is no token or the metadata comes late or malformed', () => {
    assert.equal(tok('{"kind":"Table","metadata":{"resourceVersion":"9"},"rows":[]}'), undefined)
    assert.equal(tok('{"kind":"Table","metadata":{"continue":""}}'), undefined)
    assert.equal(tok('{"rows":[],"metadata":{"continue":"abc"}}'), undefined)
    assert.equal(tok('{"kind":"Table","metadata":{"continue":'), undefined)
    assert.equal(tok('not json'), undefined)
    assert.equal(tok(''), undefined)
  })
})

/** render lays out a result as one golden file: stdout, stderr and exit code in sections. */
function render(r: RunResult): string {
  return `# stdout\n${r.stdout}# stderr\n${r.stderr}# exit\n${r.code}\n`
}

function assertSame(m: RunResult, k: RunResult): void {
  assert.deepEqual(
    {stdout: m.stdout, stderr: m.stderr, code: m.code},
    {stdout: asMkctl(k.stdout), stderr: asMkctl(k.stderr), code: k.code},
  )
}

/** startWatch runs a long-lived `get -w` and lets the test wait for its output. */
function startWatch(t: TestDaemon, cmd: string, args: string[]) {
  const env = {...process.env, KUBECONFIG: t.kubeconfig, MKCTL_HOME: t.home, HOME: t.home, MKCTL_AUTOSTART: '0'}
  const child: ChildProcessWithoutNullStreams = spawn(cmd, args, {cwd: ROOT, env})
  let out = ''
  let err = ''
  const waiters: {pred: (s: string) => boolean; resolve: () => void}[] = []
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pred(out)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  }
  child.stdout.on('data', (d) => {
    out += d
    check()
  })
  child.stderr.on('data', (d) => (err += d))
  let exited = false
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  child.on('exit', () => {
    exited = true
    for (const w of waiters.splice(0)) w.resolve()
  })
  return {
    stdout: () => out,
    stderr: () => err,
    until(pred: (s: string) => boolean): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (pred(out)) return resolve()
        if (exited) return reject(new Error(`${cmd} exited early:\n${out}\n${err}`))
        waiters.push({pred, resolve})
      }).then(() => {
        if (!pred(out)) throw new Error(`${cmd} exited before printing what was awaited:\n${out}\n${err}`)
      })
    },
    /** interrupt sends SIGINT and resolves with the exit code once all output is read. */
    interrupt(): Promise<number | null> {
      child.kill('SIGINT')
      return closed
    },
    kill: () => {
      if (!exited) child.kill('SIGKILL')
    },
  }
}
