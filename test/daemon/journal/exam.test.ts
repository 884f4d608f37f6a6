// exam.test.ts: a lab with a timeLimit (exam mode). The deadline is on an injected wall clock: events after it are
// journaled with mkctl.dev/late, and the live view answers the cluster as it was at the deadline's store revision.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Request, Response} from 'express'
import {LATE_ANNOTATION, LabService} from '../../../src/daemon/journal/service.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const req = (method: string, url: string) =>
  [
    {method, originalUrl: url, headers: {}} as unknown as Request,
    {statusCode: 200, locals: {}} as unknown as Response,
  ] as const

describe('lab service: exam mode', () => {
  let f: Fixture
  let dir: string
  let wall = Date.parse('2026-03-01T10:00:00Z')
  beforeEach(() => {
    f = fixture()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-lab-exam-'))
    wall = Date.parse('2026-03-01T10:00:00Z')
  })
  afterEach(async () => {
    await f.cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  it('marks what comes after the deadline late and grades the state of the deadline revision', () => {
    const svc = new LabService({
      dir,
      store: f.cluster.store,
      registry: f.cluster.registry,
      resources: f.cluster.resources,
      clock: f.clock,
      wallNow: () => wall,
    })
    const cms = f.cluster.resources().lookup('', 'v1', 'configmaps')!
    const rec = svc.start({
      lab: 'kind: Lab\ntimeLimit: 30m\n',
      file: '/x',
      dir: '/x',
      name: 'exam',
      seed: 1,
      params: {},
    })
    assert.equal(rec.timeLimitMs, 30 * 60_000)
    assert.equal(svc.deadline(), wall + 30 * 60_000)
    f.cluster.registry.create(cms, 'default', {metadata: {name: 'before'}, data: {a: '1'}})
    svc.onRequest(...req('POST', '/api/v1/namespaces/default/configmaps'))
    wall += 31 * 60_000
    f.cluster.registry.create(cms, 'default', {metadata: {name: 'after'}, data: {a: '2'}})
    svc.onRequest(...req('POST', '/api/v1/namespaces/default/configmaps'))
    const events = svc.read().events
    const late = events.map((e) => e.annotations?.[LATE_ANNOTATION] === 'true')
    assert.deepEqual(late, [false, false, true])
    assert.ok(svc.deadlineRevision() !== undefined)
    const [view] = svc.view([{type: 'configmaps', namespace: 'default'}])
    const names = view!.objects.map((o) => o.metadata?.name).sort()
    assert.ok(names.includes('before'), JSON.stringify(names))
    assert.ok(!names.includes('after'), JSON.stringify(names))
    assert.equal(view!.atRevision, svc.deadlineRevision())
  })

  it('has no deadline without a timeLimit', () => {
    const svc = new LabService({
      store: f.cluster.store,
      registry: f.cluster.registry,
      resources: f.cluster.resources,
      clock: f.clock,
      wallNow: () => wall,
    })
    svc.start({lab: 'kind: Lab\n', file: '/x', dir: '/x', name: 'lab', seed: 1, params: {}})
    assert.equal(svc.deadline(), undefined)
  })
})
