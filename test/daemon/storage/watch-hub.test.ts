// watch-hub.test.ts: which subscribers a committed row reaches, and in what order (watch-hub.ts). The hub finds
// a row's prefixes by looking up the key's ancestors; these cases pin the same answers as testing every prefix.
import assert from 'node:assert/strict'
import {matchesPrefix, WatchHub, type StoreEvent} from '../../../src/daemon/storage/watch-hub.js'
import type {LogRow} from '../../../src/daemon/storage/log-store.js'

let rev = 0
const row = (key: string): LogRow => ({
  id: ++rev,
  key,
  created: true,
  deleted: false,
  createRevision: 0,
  prevRevision: 0,
  value: '{}',
  oldValue: null,
})
const toEvent = (r: LogRow): StoreEvent => ({type: 'ADDED', key: r.key, rev: r.id, object: {}})

describe('WatchHub', () => {
  it('delivers a row to every prefix it falls under, exact keys included, in the order they were subscribed', () => {
    const hub = new WatchHub(toEvent)
    const got: string[] = []
    const prefixes = [
      '/registry/pods/default/',
      '/registry/pods/',
      '/registry/pods/default/web',
      '/',
      '/registry/pods/default/we',
      '/registry/pods/other/',
      '/registry/podsx/',
      '/registry/',
    ]
    for (const p of prefixes) hub.subscribe(p, (e) => got.push(`${p} ${e.key}`))
    const keys = [
      '/registry/pods/default/web',
      '/registry/pods/other/a',
      '/registry/podsx/b',
      '/registry/pods/default/we',
    ]
    hub.publish(keys.map(row))
    const want = keys.flatMap((k) => prefixes.filter((p) => matchesPrefix(p, k)).map((p) => `${p} ${k}`))
    assert.deepEqual(got, want)
    assert.ok(want.includes('/registry/pods/default/web /registry/pods/default/web'))
    assert.ok(!want.some((w) => w.startsWith('/registry/pods/default/we /registry/pods/default/web')))
  })

  it('keeps first-subscription order when a prefix empties and comes back', () => {
    const hub = new WatchHub(toEvent)
    const got: string[] = []
    const stopA = hub.subscribe('/a/', () => got.push('a1'))
    hub.subscribe('/', () => got.push('root'))
    stopA()
    hub.subscribe('/a/', () => got.push('a2'))
    hub.publish([row('/a/x')])
    assert.deepEqual(got, ['root', 'a2'])
    assert.equal(hub.size, 2)
  })

  it('lets listeners subscribe, unsubscribe and write while being told, in revision order', () => {
    const hub = new WatchHub(toEvent)
    const got: string[] = []
    let stopB: () => void = () => {}
    hub.subscribe('/k/', (e) => {
      got.push(`a ${e.rev}`)
      if (e.key === '/k/1') {
        stopB()
        hub.subscribe('/k/', (e2) => got.push(`c ${e2.rev}`))
        hub.publish([row('/k/2')])
      }
    })
    stopB = hub.subscribe('/k/', (e) => got.push(`b ${e.rev}`))
    const first = row('/k/1')
    hub.publish([first])
    // b was removed before its turn; c, added meanwhile, starts with the next row; the nested write comes after.
    assert.deepEqual(got, [`a ${first.id}`, `a ${first.id + 1}`, `c ${first.id + 1}`])
  })

  it('logs a listener that throws and goes on with the others', () => {
    const logged: string[] = []
    const hub = new WatchHub(toEvent, (m) => logged.push(m))
    const got: string[] = []
    hub.subscribe('/k/', () => {
      throw new Error('boom')
    })
    hub.subscribe('/k/', (e) => got.push(e.key))
    hub.publish([row('/k/x')])
    assert.deepEqual(got, ['/k/x'])
    assert.equal(logged.length, 1)
    assert.match(logged[0]!, /watch listener on \/k\/ failed at revision \d+: Error: boom/)
  })
})
