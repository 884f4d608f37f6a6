// usage.test.ts checks the simulated metrics model: baselines with deterministic jitter, CPU added by served
// requests, CPU limits throttling, stress's memory ramp, and metrics-server's quantity and window formats.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {containerUsage, hash01, RESOLUTION_MS, scrapeTime} from '../../../src/daemon/metrics/usage.js'
import {noteRequest, requestsBetween} from '../../../src/daemon/metrics/requests.js'
import {cpuQuantity, goSeconds, memoryQuantity} from '../../../src/daemon/metrics/api.js'

const pod = {metadata: {name: 'web', namespace: 'default', uid: 'u-1'}} as KubeObject
const T = 1_700_000_010_000

function inst(profile: string, argv: string[] = [], memoryBytes = 0) {
  return {
    id: 'containerd://abc',
    startedAt: T - 60_000,
    image: {profile, ref: 'x'},
    process: {memoryBytes, spec: {argv}},
  }
}

describe('metrics usage model', () => {
  const ts = scrapeTime(T)

  it('reports a baseline with a small deterministic jitter', () => {
    const a = containerUsage(pod, {name: 'c', image: 'nginx'}, T - 60_000, inst('nginx', [], 3 * 1024 * 1024), ts)!
    const b = containerUsage(pod, {name: 'c', image: 'nginx'}, T - 60_000, inst('nginx', [], 3 * 1024 * 1024), ts)!
    assert.deepEqual(a, b)
    assert.ok(a.cpuNano > 0.5e6 && a.cpuNano < 1.5e6, String(a.cpuNano))
    assert.ok(a.memBytes > 2.8 * 1024 * 1024 && a.memBytes < 3.2 * 1024 * 1024)
    assert.equal(a.memBytes % 4096, 0)
    const later = containerUsage(pod, {name: 'c', image: 'nginx'}, T - 60_000, inst('nginx'), ts + RESOLUTION_MS)!
    assert.notEqual(later.cpuNano, a.cpuNano)
  })

  it('has no sample for a container younger than one window', () => {
    assert.equal(containerUsage(pod, {name: 'c', image: 'nginx'}, ts - 5_000, inst('nginx'), ts), undefined)
  })

  it('adds the CPU of the requests served in the window and throttles at the CPU limit', () => {
    const i = inst('nginx')
    for (let s = 0; s < 15; s++) noteRequest(i, ts - 15_000 + s * 1000, 100)
    assert.equal(requestsBetween(i, ts - 15_000, ts), 1500)
    const u = containerUsage(pod, {name: 'c', image: 'nginx'}, T - 60_000, i, ts)!
    // 100 req/s × 1 ms of CPU each ≈ 100m on top of the ~1m baseline
    assert.ok(u.cpuNano > 100e6 && u.cpuNano < 102e6, String(u.cpuNano))
    const capped = containerUsage(
      pod,
      {name: 'c', image: 'nginx', resources: {limits: {cpu: '50m'}}},
      T - 60_000,
      i,
      ts,
    )!
    assert.ok(capped.cpuNano <= 50.5e6 && capped.cpuNano > 49e6, String(capped.cpuNano))
  })

  it('makes stress spin its workers and grow its memory towards what it claims', () => {
    const MiB = 1024 * 1024
    const argv = ['stress', '--cpu', '1', '--vm', '1', '--vm-bytes', '150M']
    const young = {...inst('stress', argv, 151 * MiB), startedAt: ts - 16_000}
    const old = {...inst('stress', argv, 151 * MiB), startedAt: ts - 60_000}
    const spec = {name: 'c', image: 'polinux/stress'}
    const a = containerUsage(pod, spec, young.startedAt, young, ts)!
    const b = containerUsage(pod, spec, old.startedAt, old, ts)!
    assert.ok(a.memBytes < b.memBytes)
    assert.ok(b.memBytes > 140 * MiB)
    assert.ok(b.cpuNano > 1900e6)
    const limited = containerUsage(pod, {...spec, resources: {limits: {memory: '100Mi'}}}, old.startedAt, old, ts)!
    assert.ok(limited.memBytes < 100 * MiB)
  })

  it('formats quantities and windows as metrics-server does', () => {
    assert.equal(cpuQuantity(123456789), '123456789n')
    assert.equal(memoryQuantity(4096 * 3), '12Ki')
    assert.equal(goSeconds(15_000), '15s')
    assert.equal(goSeconds(10_063), '10.063s')
    assert.equal(goSeconds(10_060), '10.06s')
    assert.ok(hash01('a') >= 0 && hash01('a') < 1)
  })
})
