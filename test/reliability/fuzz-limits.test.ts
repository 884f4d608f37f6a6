// fuzz-limits.test.ts — the apiserver's size limits, each one byte either side, with its exact code and text
// (issue 7 §1): the 3 MiB request body (413 RequestEntityTooLarge `Request entity too large: limit is 3145728`), etcd's
// 1.5 MiB request (500 `etcdserver: request is too large`, reason Unknown), the 256 KiB annotations total, 1 MiB of
// ConfigMap data, 253-character names (63 for DNS-1123 label kinds: Namespace, Service) and 63-character label values.
// The real kubectl shows the first two as it shows them against a real cluster.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {FuzzClient, installTripwire, type Tripwire} from '../helpers/fuzz.js'

const NS = '/api/v1/namespaces/default'

describe('limits: request, object, annotation, data, name and label sizes', function () {
  this.timeout(60_000)
  let td: TestDaemon
  let client: FuzzClient
  let trip: Tripwire
  let dir: string

  before(async () => {
    trip = installTripwire()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-limits-'))
    td = await startTestDaemon({controllers: false})
    client = new FuzzClient(td.daemon.url, td.daemon.caCert, td.daemon.token)
  })
  after(async () => {
    client?.close()
    await td?.stop()
    trip?.remove()
    rmSync(dir, {recursive: true, force: true})
  })

  const post = (path: string, obj: unknown) => client.send({method: 'POST', path, body: JSON.stringify(obj)})
  const cm = (name: string, extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name},
    ...extra,
  })

  it('a body over 3 MiB is 413 RequestEntityTooLarge; 3 MiB exactly is read', async () => {
    const rev = td.daemon.store.currentRevision()
    const over = await client.send({
      method: 'POST',
      path: `${NS}/configmaps`,
      body: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20),
    })
    assert.equal(over.status, 413)
    assert.equal(over.json.reason, 'RequestEntityTooLarge')
    assert.equal(over.json.message, 'Request entity too large: limit is 3145728')
    const exact = await client.send({
      method: 'POST',
      path: `${NS}/configmaps`,
      body: Buffer.alloc(3 * 1024 * 1024, 0x20),
    })
    assert.equal(exact.status, 400) // read, then refused as an empty object, not as too large
    assert.equal(td.daemon.store.currentRevision(), rev)
  })

  it('an object over 1.5 MiB in storage is refused as etcd refuses it', async () => {
    // A Deployment has no size rule of its own: only etcd's request limit stops it.
    const dep = (name: string, size: number) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name},
      spec: {
        selector: {matchLabels: {a: 'b'}},
        template: {
          metadata: {labels: {a: 'b'}},
          spec: {containers: [{name: 'c', image: 'nginx', args: ['x'.repeat(size)]}]},
        },
      },
    })
    const rev = td.daemon.store.currentRevision()
    const big = await post('/apis/apps/v1/namespaces/default/deployments', dep('big', 1600 * 1024))
    assert.equal(big.status, 500)
    assert.deepEqual(big.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'etcdserver: request is too large',
      code: 500,
    })
    assert.equal(td.daemon.store.currentRevision(), rev)
    const fits = await post('/apis/apps/v1/namespaces/default/deployments', dep('fits', 1400 * 1024))
    assert.equal(fits.status, 201, fits.text.slice(0, 300))
  })

  it('annotations: 262144 bytes in total are accepted, one more is 422', async () => {
    const ok = await post(
      `${NS}/configmaps`,
      cm('ann-ok', {metadata: {name: 'ann-ok', annotations: {a: 'x'.repeat(262143)}}}),
    )
    assert.equal(ok.status, 201)
    const no = await post(
      `${NS}/configmaps`,
      cm('ann-no', {metadata: {name: 'ann-no', annotations: {a: 'x'.repeat(262144)}}}),
    )
    assert.equal(no.status, 422)
    assert.equal(
      no.json.message,
      'ConfigMap "ann-no" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
    )
  })

  it('ConfigMap data: 1 MiB of values accepted, one byte more is 422 (ValidateConfigMap counts values only)', async () => {
    const ok = await post(`${NS}/configmaps`, cm('data-ok', {data: {k: 'x'.repeat(1024 * 1024)}}))
    assert.equal(ok.status, 201)
    const no = await post(`${NS}/configmaps`, cm('data-no', {data: {k: 'x'.repeat(1024 * 1024 + 1)}}))
    assert.equal(no.status, 422)
    assert.match(no.json.message, /Too long: may not be more than 1048576 bytes/)
  })

  it('names: 253 for subdomain kinds, 63 for label kinds; label values 63', async () => {
    assert.equal((await post(`${NS}/configmaps`, cm('a'.repeat(253), {}))).status, 201)
    const long = await post(`${NS}/configmaps`, cm('a'.repeat(254), {}))
    assert.equal(long.status, 422)
    assert.match(long.json.message, /metadata.name: Invalid value: "a{254}": must be no more than 253 characters/)
    const svc = (name: string) => ({apiVersion: 'v1', kind: 'Service', metadata: {name}, spec: {ports: [{port: 80}]}})
    assert.equal((await post(`${NS}/services`, svc('s'.repeat(63)))).status, 201)
    const s64 = await post(`${NS}/services`, svc('s'.repeat(64)))
    assert.equal(s64.status, 422)
    assert.match(s64.json.message, /must be no more than 63 characters/)
    const ns64 = await post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: 'n'.repeat(64)},
    })
    assert.equal(ns64.status, 422)
    const lv = await post(`${NS}/configmaps`, cm('lv', {metadata: {name: 'lv', labels: {k: 'v'.repeat(64)}}}))
    assert.equal(lv.status, 422)
    assert.match(lv.json.message, /metadata.labels: Invalid value: "v{64}": must be no more than 63 characters/)
    trip.assertClean()
  })

  it('the real kubectl prints both size refusals as against a real cluster', async function () {
    if (!kubectlAvailable()) this.skip()
    const big = join(dir, 'big.yaml')
    writeFileSync(
      big,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  k: ${'x'.repeat(3 * 1024 * 1024 + 10)}\n`,
    )
    const a = await td.kubectl(['create', '-f', big])
    assert.equal(a.code, 1)
    assert.equal(
      a.stderr,
      `Error from server (RequestEntityTooLarge): error when creating "${big}": Request entity too large: limit is 3145728\n`,
    )
    const etcd = join(dir, 'etcd.yaml')
    writeFileSync(
      etcd,
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'etcd-big'},
        spec: {
          selector: {matchLabels: {a: 'b'}},
          template: {
            metadata: {labels: {a: 'b'}},
            spec: {containers: [{name: 'c', image: 'nginx', args: ['y'.repeat(1600 * 1024)]}]},
          },
        },
      }),
    )
    const b = await td.kubectl(['create', '-f', etcd])
    assert.equal(b.code, 1)
    assert.equal(b.stderr, `Error from server: error when creating "${etcd}": etcdserver: request is too large\n`)
  })
})
