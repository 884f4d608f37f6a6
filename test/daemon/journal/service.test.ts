// service.test.ts: the lab service journals finished write requests (not reads, not its own endpoints, nothing
// before a lab is registered) as audit events with the decoded body and the store revision, keeps the lab and its
// hints across a restart, and answers the live view with objects and history.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Request, Response} from 'express'
import {requestBodies} from '../../../src/daemon/journal/bodies.js'
import {LabConflict, LabService} from '../../../src/daemon/journal/service.js'
import type {CommandRecord} from '../../../src/api/journal.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

function request(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): [Request, Response] {
  const req = {
    method,
    originalUrl: url,
    headers: {'content-type': 'application/json', ...headers},
  } as unknown as Request
  if (body !== undefined) requestBodies.set(req, Buffer.from(JSON.stringify(body)))
  const res = {
    statusCode: method === 'POST' ? 201 : 200,
    locals: {user: {username: 'kubernetes-admin', groups: ['system:masters']}},
  }
  return [req, res as unknown as Response]
}

describe('lab service', () => {
  let f: Fixture
  let dir: string
  let svc: LabService
  const deps = () => ({
    dir,
    store: f.cluster.store,
    registry: f.cluster.registry,
    resources: f.cluster.resources,
    clock: f.clock,
  })
  beforeEach(() => {
    f = fixture()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-lab-svc-'))
    svc = new LabService(deps())
  })
  afterEach(async () => {
    await f.cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  })
  const start = () =>
    svc.start({lab: 'kind: Lab', file: '/x/lab.yaml', dir: '/x', name: 'demo', seed: 7, params: {ns: 'shop'}})

  it('journals nothing before a lab is registered', () => {
    svc.onRequest(...request('POST', '/api/v1/namespaces', {metadata: {name: 'a'}}))
    assert.equal(svc.active, false)
    assert.equal(svc.read().lines, 0)
  })

  it('journals writes as audit events, with body, revision and kubectl headers; not reads nor its own calls', () => {
    start()
    const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'shop'}}
    svc.onRequest(...request('GET', '/api/v1/namespaces/shop/configmaps'))
    svc.onRequest(...request('POST', '/mkctl/v1/lab/journal', {argv: ['mkctl']}))
    svc.onRequest(
      ...request('POST', '/api/v1/namespaces/shop/configmaps?fieldManager=kubectl-create', cm, {
        'kubectl-command': 'kubectl create configmap',
        'kubectl-session': 's-1',
        'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc',
      }),
    )
    svc.onRequest(
      ...request(
        'PATCH',
        '/apis/apps/v1/namespaces/shop/deployments/web/scale',
        {spec: {replicas: 3}},
        {'content-type': 'application/merge-patch+json'},
      ),
    )
    svc.onRequest(...request('DELETE', '/api/v1/namespaces/shop/pods'))
    const j = svc.read()
    assert.equal(j.ok, true)
    const kinds = j.events.map((e) => e.annotations?.['mkctl.dev/journal-kind'])
    assert.deepEqual(kinds, ['lab-started', 'api-write', 'api-write', 'api-write'])
    const [, create, scale, del] = j.events
    assert.equal(create.apiVersion, 'audit.k8s.io/v1')
    assert.equal(create.verb, 'create')
    assert.deepEqual(create.objectRef, {resource: 'configmaps', apiGroup: '', apiVersion: 'v1', namespace: 'shop'})
    assert.deepEqual(create.requestObject, cm)
    assert.equal(create.userAgent, 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc')
    assert.equal(create.annotations?.['mkctl.dev/kubectl-command'], 'kubectl create configmap')
    assert.equal(create.annotations?.['mkctl.dev/kubectl-session'], 's-1')
    assert.equal(create.annotations?.['mkctl.dev/revision'], String(f.cluster.store.currentRevision()))
    assert.equal(create.responseStatus?.code, 201)
    assert.equal(scale.verb, 'patch')
    assert.equal(scale.objectRef?.subresource, 'scale')
    assert.equal(scale.annotations?.['mkctl.dev/content-type'], 'application/merge-patch+json')
    assert.equal(del.verb, 'deletecollection')
  })

  it('journals the first resource read of each kubectl invocation and command, not mkctl reads', () => {
    const kubectl = (session: string, command: string) => ({
      'kubectl-command': command,
      'kubectl-session': session,
      'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc',
    })
    svc.onRequest(...request('GET', '/api/v1/namespaces/shop/pods', undefined, kubectl('k0', 'kubectl get')))
    start()
    svc.onRequest(...request('GET', '/api', undefined, kubectl('k1', 'kubectl get')))
    svc.onRequest(...request('GET', '/api/v1/namespaces/shop/pods', undefined, kubectl('k1', 'kubectl get')))
    svc.onRequest(...request('GET', '/api/v1/namespaces/shop/pods?watch=true', undefined, kubectl('k1', 'kubectl get')))
    const describe = '/apis/apps/v1/namespaces/shop/deployments/web'
    svc.onRequest(...request('GET', describe, undefined, kubectl('k2', 'kubectl describe')))
    svc.onRequest(...request('GET', '/api/v1/namespaces/shop/events', undefined, kubectl('k2', 'kubectl describe')))
    svc.onRequest(
      ...request('GET', describe, undefined, {...kubectl('m1', 'mkctl describe'), 'user-agent': 'mkctl/v1.32.4'}),
    )
    svc.onRequest(...request('GET', describe))
    const reads = svc.read().events.filter((e) => e.annotations?.['mkctl.dev/journal-kind'] === 'api-read')
    assert.deepEqual(
      reads.map((e) => [e.verb, e.objectRef, e.annotations?.['mkctl.dev/kubectl-command']]),
      [
        ['list', {resource: 'pods', apiGroup: '', apiVersion: 'v1', namespace: 'shop'}, 'kubectl get'],
        [
          'get',
          {resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: 'shop', name: 'web'},
          'kubectl describe',
        ],
      ],
    )
    assert.equal(reads[1].annotations?.['mkctl.dev/kubectl-session'], 'k2')
    assert.equal(reads[1].userAgent, 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc')
  })

  it('records commands and hints, refuses a second start, and reloads after a restart', () => {
    start()
    assert.throws(start, LabConflict)
    const cmd: CommandRecord = {argv: ['mkctl', 'get', 'pods'], exitCode: 0, start: 'a', end: 'b', session: 's'}
    svc.recordCommand(cmd, 'mkctl/v1.32.4')
    assert.deepEqual(svc.revealHint('deploy', 0), [{task: 'deploy', index: 0}])
    assert.deepEqual(svc.revealHint('deploy', 0), [{task: 'deploy', index: 0}], 'a hint is journaled once')
    const again = new LabService(deps())
    assert.equal(again.lab()?.name, 'demo')
    assert.deepEqual(again.lab()?.hints, [{task: 'deploy', index: 0}])
    const j = again.read()
    assert.equal(j.ok, true)
    assert.deepEqual(
      j.events.map((e) => e.annotations?.['mkctl.dev/journal-kind']),
      ['lab-started', 'command', 'hint'],
    )
    assert.deepEqual(j.events[1].requestObject, cmd)
  })

  it('answers the view with objects and their history', () => {
    start()
    f.seed('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop'}})
    const [cm] = f.seed('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'c', namespace: 'shop'},
      data: {a: '1'},
    })
    const r = f.cluster.resources().lookup('', 'v1', 'configmaps')!
    f.cluster.registry.update(r, 'shop', 'c', {...cm, data: {a: '2'}})
    const [ans, unknown] = svc.view([{type: 'cm', namespace: 'shop'}, {type: 'nothing'}])
    assert.equal(ans.resource?.plural, 'configmaps')
    assert.ok(ans.objects.some((o) => o.metadata?.name === 'c'))
    assert.deepEqual(
      ans.history
        .filter((e) => e.key.endsWith('/shop/c'))
        .map((e) => [e.type, (e.object as any).data.a, (e.prev as any)?.data.a]),
      [
        ['ADDED', '1', undefined],
        ['MODIFIED', '2', '1'],
      ],
    )
    assert.equal(unknown.resource, null)
  })
})
