// limitranger.test.ts: LimitRange defaults are filled into new pods with the kubernetes.io/limit-ranger annotation,
// and min/max/ratio (per Container, per Pod) and PVC storage bounds refuse writes with the apiserver's wording.
import assert from 'node:assert/strict'
import {StatusError} from '../../../src/api/errors.js'
import type {KubeObject} from '../../../src/api/object.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

function pod(name: string, resources: Record<string, unknown> = {}, init = false): KubeObject {
  const spec: any = {containers: [{name: 'nginx', image: 'nginx', resources}]}
  if (init) spec.initContainers = [{name: 'setup', image: 'busybox'}]
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default'}, spec}
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

describe('LimitRanger admission', () => {
  let f: Fixture
  beforeEach(() => {
    f = fixture()
  })
  afterEach(async () => {
    await f.stop()
  })

  const limits = (...items: any[]) =>
    f.seed('limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: {name: 'lr', namespace: 'default'},
      spec: {limits: items},
    })

  it('fills in defaults and says so in the annotation', () => {
    limits({type: 'Container', default: {cpu: '500m', memory: '256Mi'}, defaultRequest: {cpu: '100m', memory: '128Mi'}})
    const [p] = f.seed('pods', pod('web', {}, true))
    const c = (p!.spec as any).containers[0]
    assert.deepEqual(c.resources, {limits: {cpu: '500m', memory: '256Mi'}, requests: {cpu: '100m', memory: '128Mi'}})
    assert.equal(
      p!.metadata?.annotations?.['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx; cpu, memory request for init container setup; cpu, memory limit for init container setup',
    )
    assert.equal((p!.status as any).qosClass, 'Burstable')
  })

  it('keeps what the container states and only notes what it set', () => {
    limits({type: 'Container', default: {cpu: '500m', memory: '256Mi'}})
    const [p] = f.seed('pods', pod('web', {limits: {cpu: '1'}}))
    const c = (p!.spec as any).containers[0]
    // The LimitRange's defaultRequest defaults to its default; the pod's own cpu limit made its cpu request.
    assert.deepEqual(c.resources, {limits: {cpu: '1', memory: '256Mi'}, requests: {cpu: '1', memory: '256Mi'}})
    assert.equal(
      p!.metadata?.annotations?.['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: memory request for container nginx; memory limit for container nginx',
    )
  })

  it('refuses a container over the maximum, with every violation listed', () => {
    limits({type: 'Container', max: {cpu: '1', memory: '1Gi'}, min: {cpu: '100m'}})
    const one = refused(() => f.seed('pods', pod('big', {limits: {cpu: '2', memory: '512Mi'}})))
    assert.equal(one.code, 403)
    assert.equal(one.message, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2')
    // The missing memory limit is no error: LimitRange defaulting made max the default limit.
    const many = refused(() => f.seed('pods', pod('bad', {requests: {cpu: '50m'}, limits: {cpu: '2'}})))
    assert.equal(
      many.message,
      'pods "bad" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, but limit is 2]',
    )
  })

  it('checks the limit to request ratio and per-Pod bounds', () => {
    limits({type: 'Container', maxLimitRequestRatio: {cpu: '2'}}, {type: 'Pod', max: {memory: '1Gi'}})
    const e = refused(() =>
      f.seed('pods', pod('r', {requests: {cpu: '100m', memory: '100Mi'}, limits: {cpu: '300m', memory: '2Gi'}})),
    )
    assert.equal(
      e.message,
      'pods "r" is forbidden: [cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000, maximum memory usage per Pod is 1Gi, but limit is 2Gi]',
    )
    // Pod items get no defaults, so an unstated limit is refused.
    const none = refused(() => f.seed('pods', pod('n', {requests: {cpu: '100m'}, limits: {cpu: '100m'}})))
    assert.equal(none.message, 'pods "n" is forbidden: maximum memory usage per Pod is 1Gi.  No limit is specified')
  })

  it('bounds claim storage', () => {
    limits({type: 'PersistentVolumeClaim', max: {storage: '2Gi'}, min: {storage: '1Gi'}})
    const claim = (name: string, size: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name, namespace: 'default'},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: size}}},
    })
    assert.equal(
      refused(() => f.seed('persistentvolumeclaims', claim('big', '5Gi'))).message,
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi',
    )
    assert.equal(
      refused(() => f.seed('persistentvolumeclaims', claim('small', '500Mi'))).message,
      'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    )
    f.seed('persistentvolumeclaims', claim('ok', '1Gi'))
  })
})
