// api.test.ts drives the daemon's HTTP API in-process (port 0, ':memory:', FakeClock): authentication,
// discovery, CRUD with resourceVersion rules, Status errors worded as the apiserver words them, Tables, watch.
import assert from 'node:assert/strict'
import {ApiClient} from '../../helpers/http.js'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const cm = (name: string, data: Record<string, string> = {a: '1'}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name},
  data,
})

describe('API server', () => {
  let t: TestDaemon
  let api: ApiClient
  before(async () => {
    t = await startTestDaemon()
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
  })
  after(async () => t.stop())

  describe('authentication', () => {
    it('answers 401 Unauthorized without the bearer token', async () => {
      const anon = new ApiClient(t.daemon.url, t.daemon.caCert, undefined)
      const r = await anon.request('GET', '/api/v1/namespaces')
      assert.equal(r.status, 401)
      assert.deepEqual(r.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      })
    })
    it('answers 401 for a wrong token and for /version', async () => {
      const bad = new ApiClient(t.daemon.url, t.daemon.caCert, 'nope')
      assert.equal((await bad.request('GET', '/version')).status, 401)
    })
    it('serves health probes anonymously', async () => {
      const anon = new ApiClient(t.daemon.url, t.daemon.caCert, undefined)
      for (const p of ['/healthz', '/livez', '/readyz']) {
        const r = await anon.request('GET', p)
        assert.equal(r.status, 200)
        assert.equal(r.text, 'ok')
      }
    })
  })

  it('reports Kubernetes 1.32 on /version', async () => {
    const r = await api.request('GET', '/version')
    assert.equal(r.json.major, '1')
    assert.equal(r.json.minor, '32')
    assert.match(r.json.gitVersion, /^v1\.32\./)
  })

  describe('discovery', () => {
    it('serves aggregated discovery when asked', async () => {
      const r = await api.request('GET', '/apis', undefined, {
        Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      })
      assert.equal(r.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
      const apps = r.json.items.find((g: any) => g.metadata.name === 'apps')
      const deploy = apps.versions[0].resources.find((x: any) => x.resource === 'deployments')
      assert.deepEqual(deploy.responseKind, {group: 'apps', version: 'v1', kind: 'Deployment'})
      assert.deepEqual(deploy.shortNames, ['deploy'])
      assert.deepEqual(deploy.subresources.find((s: any) => s.subresource === 'scale').responseKind, {
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
      })
    })
    it('serves legacy discovery otherwise', async () => {
      const api1 = await api.request('GET', '/api')
      assert.deepEqual(api1.json.versions, ['v1'])
      const v1 = await api.request('GET', '/api/v1')
      const pods = v1.json.resources.find((x: any) => x.name === 'pods')
      assert.equal(pods.namespaced, true)
      assert.ok(v1.json.resources.some((x: any) => x.name === 'pods/log'))
      const groups = await api.request('GET', '/apis')
      assert.equal(groups.json.kind, 'APIGroupList')
      assert.equal(groups.json.groups[0].name, 'apps')
    })
    it('answers an unknown path with the apiserver NotFound Status', async () => {
      const r = await api.request('GET', '/api/v1/foos')
      assert.equal(r.status, 404)
      assert.equal(r.json.message, 'the server could not find the requested resource')
    })
  })

  describe('objects', () => {
    it('creates, reads, updates and deletes with resourceVersion rules', async () => {
      const c = await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('c1'))
      assert.equal(c.status, 201)
      assert.ok(c.json.metadata.uid)
      assert.equal(c.json.metadata.creationTimestamp, '2026-01-01T00:00:00Z')
      const rv = c.json.metadata.resourceVersion
      const g = await api.request('GET', '/api/v1/namespaces/default/configmaps/c1')
      assert.equal(g.json.metadata.resourceVersion, rv)

      const dup = await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('c1'))
      assert.equal(dup.status, 409)
      assert.equal(dup.json.reason, 'AlreadyExists')
      assert.equal(dup.json.message, 'configmaps "c1" already exists')

      const same = await api.request('PUT', '/api/v1/namespaces/default/configmaps/c1', g.json)
      assert.equal(same.status, 200)
      assert.equal(same.json.metadata.resourceVersion, rv, 'a no-op write keeps the resourceVersion')

      const changed = await api.request('PUT', '/api/v1/namespaces/default/configmaps/c1', {...g.json, data: {a: '2'}})
      assert.equal(changed.status, 200)
      assert.notEqual(changed.json.metadata.resourceVersion, rv)

      const stale = await api.request('PUT', '/api/v1/namespaces/default/configmaps/c1', {...g.json, data: {a: '3'}})
      assert.equal(stale.status, 409)
      assert.equal(stale.json.reason, 'Conflict')
      assert.equal(
        stale.json.message,
        'Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again',
      )
      const after = await api.request('GET', '/api/v1/namespaces/default/configmaps/c1')
      assert.deepEqual(after.json.data, {a: '2'}, 'the stale write changed nothing')

      const d = await api.request('DELETE', '/api/v1/namespaces/default/configmaps/c1', {
        propagationPolicy: 'Background',
      })
      assert.equal(d.status, 200)
      assert.equal(d.json.status, 'Success')
      const gone = await api.request('GET', '/api/v1/namespaces/default/configmaps/c1')
      assert.equal(gone.status, 404)
      assert.equal(gone.json.message, 'configmaps "c1" not found')
    })

    it('rejects invalid names with a 422 Invalid Status', async () => {
      const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('Bad_Name'))
      assert.equal(r.status, 422)
      assert.equal(r.json.reason, 'Invalid')
      assert.match(
        r.json.message,
        /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      )
      assert.equal(r.json.details.causes[0].field, 'metadata.name')
    })

    it("answers malformed input the soak found with the apiserver's 4xx, not a 500", async () => {
      // a null item of a struct list decodes to the zero struct: validation names what it lacks
      const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'nullc'}, spec: {containers: [null]}}
      const r = await api.request('POST', '/api/v1/namespaces/default/pods', pod)
      assert.equal(r.status, 422, r.text)
      assert.match(r.json.message, /spec\.containers\[0\]\.name: Required value/)
      // limit is an int64: past it the parameter fails to parse
      const l = await api.request('GET', '/api/v1/namespaces?limit=9999999999999999999999')
      assert.equal(l.status, 400, l.text)
      assert.equal(l.json.message, 'strconv.ParseInt: parsing "9999999999999999999999": value out of range')
      const big = await api.request('GET', '/api/v1/namespaces?limit=99999999999999999')
      assert.equal(big.status, 200, big.text)
      // a null value in a map[string]string decodes to "" (labels, annotations, data)
      const nulls = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {name: 'nulls', labels: {a: null}, annotations: {b: null}},
        data: {c: null},
      }
      const n = await api.request('POST', '/api/v1/namespaces/default/configmaps', nulls)
      assert.equal(n.status, 201, n.text)
      assert.deepEqual([n.json.metadata.labels, n.json.metadata.annotations, n.json.data], [{a: ''}, {b: ''}, {c: ''}])
      const bad = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'nullk', annotations: {'': null}}}
      assert.equal((await api.request('POST', '/api/v1/namespaces/default/configmaps', bad)).status, 422)
    })

    it('rejects writes into a missing namespace', async () => {
      const r = await api.request('POST', '/api/v1/namespaces/nope/configmaps', cm('x'))
      assert.equal(r.status, 404)
      assert.equal(r.json.message, 'namespaces "nope" not found')
    })

    it('rejects unknown fields under fieldValidation=Strict and warns under Warn', async () => {
      const body = {...cm('strict'), spec: {foo: 1}}
      const strict = await api.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body)
      assert.equal(strict.status, 400)
      assert.equal(
        strict.json.message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"',
      )
      const listed = await api.request('GET', '/api/v1/namespaces/default/configmaps')
      assert.ok(!listed.json.items.some((i: any) => i.metadata.name === 'strict'), 'nothing was stored')
      const warn = await api.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body)
      assert.equal(warn.status, 201)
      assert.equal(warn.headers.warning, '299 - "unknown field \\"spec\\""')
    })

    it('rejects a scalar of the wrong JSON type as the Go decoder words it', async () => {
      const dep = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'typed'},
        spec: {
          replicas: 'two',
          selector: {matchLabels: {a: 'b'}},
          template: {
            metadata: {labels: {a: 'b'}},
            spec: {containers: [{name: 'c', image: 'nginx', ports: [{containerPort: 80}]}]},
          },
        },
      }
      const r = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', dep)
      assert.equal(r.status, 400)
      assert.equal(
        r.json.message,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      )
      dep.spec.replicas = 2 as unknown as string
      ;(dep.spec.template.spec.containers[0]!.ports[0] as any).containerPort = '80'
      const p = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', dep)
      assert.equal(
        p.json.message,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
      )
      assert.equal((await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/typed')).status, 404)
    })

    it('keeps dryRun=All writes out of the store', async () => {
      const r = await api.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'))
      assert.equal(r.status, 201)
      assert.equal((await api.request('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404)
    })

    it('pages lists with limit and continue at one revision', async () => {
      for (const n of ['p1', 'p2', 'p3']) await api.request('POST', '/api/v1/namespaces/default/configmaps', cm(n))
      const page1 = await api.request('GET', '/api/v1/namespaces/default/configmaps?limit=2')
      assert.equal(page1.json.items.length, 2)
      assert.ok(page1.json.metadata.continue)
      await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('p4'))
      const page2 = await api.request(
        'GET',
        `/api/v1/namespaces/default/configmaps?limit=10&continue=${page1.json.metadata.continue}`,
      )
      const names = page2.json.items.map((i: any) => i.metadata.name)
      assert.ok(!names.includes('p4'), 'the second page reads at the first page revision')
      assert.equal(page2.json.metadata.resourceVersion, page1.json.metadata.resourceVersion)
    })

    it('filters by label and field selectors', async () => {
      await api.request('POST', '/api/v1/namespaces/default/configmaps', {
        ...cm('sel-a'),
        metadata: {name: 'sel-a', labels: {app: 'web'}},
      })
      await api.request('POST', '/api/v1/namespaces/default/configmaps', {
        ...cm('sel-b'),
        metadata: {name: 'sel-b', labels: {app: 'db'}},
      })
      const l = await api.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb')
      assert.deepEqual(
        l.json.items.map((i: any) => i.metadata.name),
        ['sel-a'],
      )
      const f = await api.request('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dsel-b')
      assert.deepEqual(
        f.json.items.map((i: any) => i.metadata.name),
        ['sel-b'],
      )
      const bad = await api.request('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dx')
      assert.equal(bad.status, 400)
      assert.equal(
        bad.json.message,
        '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
      )
    })

    it('answers Table requests with server-side columns', async () => {
      const r = await api.request('GET', '/api/v1/nodes', undefined, {
        Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      })
      assert.equal(r.json.kind, 'Table')
      assert.deepEqual(r.json.columnDefinitions.map((c: any) => c.name).slice(0, 5), [
        'Name',
        'Status',
        'Roles',
        'Age',
        'Version',
      ])
      assert.deepEqual(r.json.rows[0].cells.slice(0, 5), ['mkctl', 'Ready', 'control-plane', '0s', 'v1.32.0'])
    })
  })

  describe('namespaces', () => {
    it('has the four system namespaces', async () => {
      const r = await api.request('GET', '/api/v1/namespaces')
      assert.deepEqual(
        r.json.items.map((i: any) => i.metadata.name),
        ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
      )
      assert.equal(r.json.items[0].status.phase, 'Active')
    })
    it('terminates a namespace: Terminating, contents removed, then gone once its finalizers are', async () => {
      // A finalizer of our own holds the namespace in Terminating so the test can look at that state.
      await api.request('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name: 'doomed', finalizers: ['example.com/hold']},
      })
      await api.request('POST', '/api/v1/namespaces/doomed/configmaps', cm('inside'))
      const d = await api.request('DELETE', '/api/v1/namespaces/doomed')
      assert.equal(d.status, 200)
      assert.equal(d.json.status.phase, 'Terminating')
      const refused = await api.request('POST', '/api/v1/namespaces/doomed/configmaps', cm('late'))
      assert.equal(refused.status, 403)
      assert.equal(
        refused.json.message,
        'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      )
      assert.equal((await api.request('GET', '/api/v1/namespaces/doomed/configmaps/inside')).status, 404)
      const held = await api.request('GET', '/api/v1/namespaces/doomed')
      assert.equal(held.status, 200)
      assert.deepEqual(held.json.spec.finalizers ?? [], [])
      const released = await api.request(
        'PATCH',
        '/api/v1/namespaces/doomed',
        {metadata: {finalizers: null}},
        {'Content-Type': 'application/merge-patch+json'},
      )
      assert.equal(released.status, 200)
      assert.equal((await api.request('GET', '/api/v1/namespaces/doomed')).status, 404)
    })
  })

  describe('watch', () => {
    it('replays changes after a resourceVersion, then streams live ones, in order', async () => {
      const start = (await api.request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion
      await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('w1'))
      let created = false
      const got = await api.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`, (e) => {
        if (!created) {
          created = true
          void api.request('POST', '/api/v1/namespaces/default/configmaps', cm('w2'))
        }
        return e.object.metadata.name === 'w2'
      })
      assert.deepEqual(
        got.events.map((e) => [e.type, e.object.metadata.name]),
        [
          ['ADDED', 'w1'],
          ['ADDED', 'w2'],
        ],
      )
      assert.ok(
        Number(got.events[1].object.metadata.resourceVersion) > Number(got.events[0].object.metadata.resourceVersion),
      )
    })
    it('sends an ERROR event with 410 Expired for a compacted revision', async () => {
      for (let i = 0; i < 5; i++) await api.request('POST', '/api/v1/namespaces/default/configmaps', cm(`cmp${i}`))
      const cur = t.daemon.store.currentRevision()
      t.daemon.store.compact(cur, {minRetain: 0})
      const got = await api.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', () => false)
      assert.equal(got.events.length, 1)
      assert.equal(got.events[0].type, 'ERROR')
      assert.equal(got.events[0].object.code, 410)
      assert.equal(got.events[0].object.reason, 'Expired')
    })
  })
})
