// events.test.ts: the event recorder's EventCorrelator (client-go tools/record/events_cache.go) on the cluster
// clock: similar events combine from the 10th, the same event again bumps its count, and the spam filter lets a
// source write 25 Events (or bumps) about one object, then one per 5 minutes, while the counts keep adding up.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../../src/api/object.js'
import {fixture, type Fixture} from '../../../helpers/cluster.js'

describe('event recorder (EventCorrelator)', () => {
  let f: Fixture
  let rs: KubeObject
  beforeEach(() => {
    f = fixture()
    ;[rs] = f.seed('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'web', namespace: 'default'}})
  })
  afterEach(() => f.stop())

  const stored = () =>
    f
      .list('events', 'default')
      .filter((e: any) => e.involvedObject?.name === 'web')
      .map((e: any) => ({message: e.message, count: e.count}))

  it('writes 9 similar events, then one combined event whose count grows until the spam filter stops it', () => {
    const events = f.ctx.events.withSource({component: 'replicaset-controller'})
    for (let i = 1; i <= 30; i++) events.normal(rs!, 'SuccessfulCreate', `Created pod: web-${i}`)
    f.ctx.events.flush()
    const got = stored()
    assert.deepEqual(
      got.filter((e) => !e.message.startsWith('(combined')).map((e) => e.message),
      Array.from({length: 9}, (_, i) => `Created pod: web-${i + 1}`),
    )
    // The 10th to the 25th event (25 tokens: 9 creates, 1 combined create, 15 bumps); 26 to 30 dropped.
    assert.deepEqual(
      got.filter((e) => e.message.startsWith('(combined')),
      [{message: '(combined from similar events): Created pod: web-25', count: 16}],
    )
    // Five minutes refill one token: the next bump carries the dropped ones' counts too.
    f.clock.advance(300_000)
    events.normal(rs!, 'SuccessfulCreate', 'Created pod: web-31')
    f.ctx.events.flush()
    assert.deepEqual(
      stored().filter((e) => e.message.startsWith('(combined')),
      [{message: '(combined from similar events): Created pod: web-31', count: 22}],
    )
  })

  it('counts the same event again on the stored one, and a source of its own has its own 25', () => {
    const kcm = f.ctx.events.withSource({component: 'kube-controller-manager'})
    for (let i = 0; i < 4; i++) kcm.warning(rs!, 'Failed', 'same message')
    const other = f.ctx.events.withSource({component: 'kubelet', host: 'mkctl'})
    for (let i = 0; i < 30; i++) other.warning(rs!, 'BackOff', 'Back-off restarting failed container')
    f.ctx.events.flush()
    assert.deepEqual(
      stored().sort((a, b) => a.message.localeCompare(b.message)),
      [
        {message: 'Back-off restarting failed container', count: 25},
        {message: 'same message', count: 4},
      ],
    )
  })
})
