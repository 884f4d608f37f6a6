import assert from 'node:assert/strict'
import {BUILTIN, groupResource} from '../../../src/api/resources.js'
import {DiscoveryClient, type DiscoveryData} from '../../../src/cli/client/discovery.js'
import {RESTMapper} from '../../../src/cli/client/mapper.js'
import {RestClient} from '../../../src/cli/client/rest.js'
import {startStub, type Stub} from '../helpers/stub-server.js'

function builtinData(): DiscoveryData {
  return {
    groups: BUILTIN.groupVersions().map((g) => ({
      name: g.group,
      versions: g.versions,
      preferredVersion: g.versions[0],
    })),
    resources: BUILTIN.all,
  }
}

class FakeDiscovery {
  fetches = 0
  fresh = false
  constructor(private data: DiscoveryData) {}
  async serverGroupsAndResources(): Promise<DiscoveryData> {
    this.fetches++
    return this.data
  }
  invalidate(): void {}
}

describe('RESTMapper', () => {
  const mapper = new RESTMapper(new FakeDiscovery(builtinData()))
  const cases: [string, string][] = [
    ['po', 'pods'],
    ['pods', 'pods'],
    ['pod', 'pods'],
    ['Pod', 'pods'],
    ['deploy', 'deployments.apps'],
    ['deployments.apps', 'deployments.apps'],
    ['deployment.v1.apps', 'deployments.apps'],
    ['Deployment', 'deployments.apps'],
    ['deploy.apps', 'deployments.apps'],
    ['events', 'events'],
    ['events.events.k8s.io', 'events.events.k8s.io'],
    ['hpa', 'horizontalpodautoscalers.autoscaling'],
    ['crd', 'customresourcedefinitions.apiextensions.k8s.io'],
    ['netpol', 'networkpolicies.networking.k8s.io'],
  ]
  for (const [arg, want] of cases) {
    it(`resolves ${arg}`, async () => {
      assert.equal(groupResource(await mapper.resourceFor(arg)), want)
    })
  }
  it('prefers the preferred version (autoscaling/v2)', async () => {
    assert.equal((await mapper.resourceFor('hpa')).version, 'v2')
    assert.equal((await mapper.resourceFor('horizontalpodautoscalers.v1.autoscaling')).version, 'v1')
  })
  it('refetches once on a miss, then fails as kubectl does', async () => {
    const d = new FakeDiscovery(builtinData())
    await assert.rejects(new RESTMapper(d).resourceFor('foos'), {
      message: 'the server doesn\'t have a resource type "foos"',
    })
    assert.equal(d.fetches, 2)
  })
  it('expands the all category in discovery order', async () => {
    const all = await mapper.expand('all')
    assert.deepEqual(all.map(groupResource), [
      'pods', 'replicationcontrollers', 'services', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps',
      'statefulsets.apps', 'horizontalpodautoscalers.autoscaling', 'cronjobs.batch', 'jobs.batch',
    ]) // prettier-ignore
  })
  it('maps kinds for -f objects', async () => {
    assert.equal((await mapper.kindFor('apps/v1', 'Deployment')).plural, 'deployments')
    await assert.rejects(mapper.kindFor('x/v1', 'Foo'), {message: 'no matches for kind "Foo" in version "x/v1"'})
  })
})

describe('DiscoveryClient', () => {
  let legacy: Stub
  let agg: Stub
  before(async () => {
    legacy = await startStub()
    agg = await startStub({aggregated: true})
  })
  after(async () => {
    await legacy.close()
    await agg.close()
  })

  it('reads legacy and aggregated discovery to the same answer', async () => {
    const a = await new DiscoveryClient(new RestClient({server: legacy.url})).fetch()
    const b = await new DiscoveryClient(new RestClient({server: agg.url})).fetch()
    assert.deepEqual(b, a)
    assert.equal(
      a.resources.find((r) => r.plural === 'deployments')?.subresources.find((s) => s.name === 'scale')?.group,
      'autoscaling',
    )
    assert.ok(agg.requests.every((r) => r.url.endsWith('?timeout=32s')))
    assert.equal(agg.requests.length, 2)
  })

  it('caches on disk and honours the TTL', async () => {
    const {mkdtempSync, rmSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'mkctl-disco-'))
    let now = 1_000_000
    const mk = () => new DiscoveryClient(new RestClient({server: agg.url}), {cacheDir: dir, now: () => now})
    agg.requests.length = 0
    await mk().serverGroupsAndResources()
    await mk().serverGroupsAndResources()
    assert.equal(agg.requests.length, 2)
    now += 6 * 3600 * 1000 + 1
    await mk().serverGroupsAndResources()
    assert.equal(agg.requests.length, 4)
    rmSync(dir, {recursive: true, force: true})
  })
})
