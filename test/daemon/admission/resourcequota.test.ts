// resourcequota.test.ts (admission): creates over a quota are refused with the apiserver's exact 403 text, pods
// lacking a tracked cpu/memory value are refused with "must specify", and a burst in one transaction cannot
// overshoot because each admitted create charges status.used at once.
import assert from 'node:assert/strict'
import {StatusError} from '../../../src/api/errors.js'
import type {KubeObject} from '../../../src/api/object.js'
import {ResourceQuotaController} from '../../../src/daemon/controllers/resourcequota.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

function pod(name: string, resources: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default'},
    spec: {containers: [{name: 'nginx', image: 'nginx', resources}]},
  }
}

function refused(fn: () => unknown): StatusError {
  try {
    fn()
  } catch (e) {
    if (e instanceof StatusError) return e
    throw e
  }
  assert.fail('the write was admitted')
}

describe('ResourceQuota admission', () => {
  let f: Fixture
  beforeEach(() => {
    f = fixture()
    f.start(new ResourceQuotaController(f.ctx))
  })
  afterEach(async () => {
    await f.stop()
  })

  const quota = async (name: string, hard: Record<string, string>) => {
    f.seed('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {name, namespace: 'default'},
      spec: {hard},
    })
    await f.settle()
  }

  it('refuses the pod over the count with the exact message', async () => {
    await quota('q', {pods: '2'})
    f.seed('pods', pod('a'), pod('b'))
    const e = refused(() => f.seed('pods', pod('x')))
    assert.equal(e.code, 403)
    assert.equal(e.reason, 'Forbidden')
    assert.equal(
      e.message,
      'pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    )
    assert.deepEqual(e.status.details, {name: 'x', kind: 'pods'})
  })

  it('names every exceeded resource, sorted, with quantities as the apiserver prints them', async () => {
    await quota('compute', {'requests.cpu': '500m', 'requests.memory': '1Gi', pods: '10'})
    f.seed('pods', pod('a', {requests: {cpu: '400m', memory: '512Mi'}}))
    const e = refused(() => f.seed('pods', pod('big', {requests: {cpu: '200m', memory: '768Mi'}})))
    assert.equal(
      e.message,
      'pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=200m,requests.memory=768Mi, used: requests.cpu=400m,requests.memory=512Mi, limited: requests.cpu=500m,requests.memory=1Gi',
    )
  })

  it('requires containers to state what a quota tracks', async () => {
    await quota('q', {'limits.cpu': '2', 'requests.memory': '1Gi'})
    const e = refused(() => f.seed('pods', pod('bare')))
    assert.equal(
      e.message,
      'pods "bare" is forbidden: failed quota: q: must specify limits.cpu for: nginx; requests.memory for: nginx',
    )
  })

  it('charges each admitted create at once, so a burst stops at the limit', async () => {
    await quota('q', {pods: '2', 'count/configmaps': '1'})
    const made: string[] = []
    const errors: string[] = []
    f.ctx.client.transaction(() => {
      for (const n of ['p1', 'p2', 'p3']) {
        try {
          made.push(String(f.ctx.client.create('pods', pod(n)).metadata?.name))
        } catch (e) {
          errors.push((e as Error).message)
        }
      }
    })
    assert.deepEqual(made, ['p1', 'p2'])
    assert.deepEqual(errors, [
      'pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    ])
    // kube-root-ca.crt already uses the one configmap.
    const e = refused(() =>
      f.seed('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'default'}}),
    )
    assert.equal(
      e.message,
      'configmaps "c" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
    )
    await f.settle()
    assert.equal((f.get('resourcequotas', 'default', 'q')!.status as any).used.pods, '2')
  })

  it('lets a pod in once a finished pod stops counting, and ignores other namespaces', async () => {
    await quota('q', {pods: '1'})
    f.seed('pods', pod('a'))
    f.ctx.client.mutate('pods', 'default', 'a', (p) => ({...p, status: {...(p.status as any), phase: 'Failed'}}), {
      subresource: 'status',
    })
    await f.settle()
    f.seed('pods', pod('b'))
    f.seed('pods', {...pod('elsewhere'), metadata: {name: 'elsewhere', namespace: 'kube-public'}})
  })
})

describe('ResourceQuota and LimitRanger through the real kubectl', function () {
  let d: TestDaemon | undefined
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    d = await startTestDaemon()
  })
  after(async () => {
    await d?.stop()
  })

  it('prints the apiserver error and the LimitRanger annotation', async function () {
    this.timeout(60_000)
    const k = d!.kubectl
    assert.equal((await k(['create', 'quota', 'q', '--hard=pods=1'])).code, 0)
    assert.equal(
      (
        await k(['create', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'v1',
            kind: 'LimitRange',
            metadata: {name: 'lr'},
            spec: {limits: [{type: 'Container', default: {cpu: '200m'}}]},
          }),
        })
      ).code,
      0,
    )
    await d!.settle()
    assert.equal((await k(['run', 'a', '--image=nginx'])).code, 0)
    await d!.settle()
    const over = await k(['run', 'b', '--image=nginx'])
    assert.equal(over.code, 1)
    assert.equal(
      over.stderr.trim(),
      'Error from server (Forbidden): pods "b" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    )
    const ann = await k(['get', 'pod', 'a', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}'])
    assert.equal(ann.stdout, 'LimitRanger plugin set: cpu request for container a; cpu limit for container a')
  })
})
