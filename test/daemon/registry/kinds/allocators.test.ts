// Allocators: random picks in the upper band, explicit requests reserved, the apiserver's messages, nothing leaked.
import assert from 'node:assert/strict'
import {
  AllocationError,
  allocationsOf,
  createAllocators,
  ipToNumber,
} from '../../../../src/daemon/registry/allocators.js'

function seq(values: number[]) {
  let i = 0
  return () => values[i++ % values.length]!
}

describe('allocators', () => {
  it('picks cluster IPs above the static band of 10.96.0.0/12 and skips taken ones', () => {
    const taken = {clusterIPs: ['10.96.1.0'], nodePorts: []}
    const a = createAllocators({random: seq([0]), existing: () => taken})
    assert.equal(a.allocateClusterIP(), '10.96.1.1')
    assert.equal(a.allocateClusterIP(), '10.96.1.2', 'the first pick is pending until the next microtask')
    const top = createAllocators({random: seq([0.999999999]), existing: () => ({clusterIPs: [], nodePorts: []})})
    assert.equal(top.allocateClusterIP(), '10.111.255.254')
  })

  it('never hands out 10.96.0.1 or 10.96.0.10 at random', () => {
    const a = createAllocators({random: Math.random, existing: () => ({clusterIPs: [], nodePorts: []})})
    for (let i = 0; i < 200; i++) {
      const n = ipToNumber(a.allocateClusterIP())! - ipToNumber('10.96.0.0')!
      assert.ok(n >= 256 && n < 2 ** 20 - 1)
    }
  })

  it('reserves requested values with the apiserver messages', () => {
    const a = createAllocators({random: seq([0]), existing: () => ({clusterIPs: ['10.96.0.10'], nodePorts: [30080]})})
    assert.equal(a.allocateClusterIP('10.96.0.1'), '10.96.0.1')
    assert.throws(() => a.allocateClusterIP('10.96.0.1'), {message: 'provided IP is already allocated'})
    assert.throws(() => a.allocateClusterIP('10.96.0.10'), {message: 'provided IP is already allocated'})
    assert.throws(() => a.allocateClusterIP('10.112.0.1'), {
      message: 'the provided IP (10.112.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    })
    assert.throws(() => a.allocateClusterIP('10.96.0.0'), AllocationError)
    assert.throws(() => a.allocateNodePort(30080), {message: 'provided port is already allocated'})
    assert.throws(() => a.allocateNodePort(80), {
      message: 'provided port is not in the valid range. The range of valid ports is 30000-32767',
    })
    assert.equal(a.allocateNodePort(30000), 30000)
  })

  it('random node ports prefer 30086-32767 and fall back to the lower band when full', () => {
    const a = createAllocators({random: seq([0]), existing: () => ({clusterIPs: [], nodePorts: []})})
    assert.equal(a.allocateNodePort(), 30086)
    const upper = Array.from({length: 32767 - 30086 + 1}, (_, i) => 30086 + i)
    const b = createAllocators({random: seq([0.5]), existing: () => ({clusterIPs: [], nodePorts: upper})})
    assert.equal(b.allocateNodePort(), 30043)
    const all = Array.from({length: 2768}, (_, i) => 30000 + i)
    const c = createAllocators({random: seq([0]), existing: () => ({clusterIPs: [], nodePorts: all})})
    assert.throws(
      () => c.allocateNodePort(),
      (e: unknown) => e instanceof AllocationError && e.full && e.message === 'range is full',
    )
  })

  it('pending picks expire after the current task, and release forgets them at once', async () => {
    const a = createAllocators({random: seq([0]), existing: () => ({clusterIPs: [], nodePorts: []})})
    assert.equal(a.allocateNodePort(), 30086)
    await Promise.resolve()
    assert.equal(a.allocateNodePort(), 30086, 'a value that never reached the store is free again')
    a.releaseNodePort(30086)
    assert.equal(a.allocateNodePort(), 30086)
  })

  it('allocationsOf reads cluster IPs, node ports and health check ports from Services', () => {
    const got = allocationsOf([
      {spec: {clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{port: 443}]}},
      {spec: {clusterIP: 'None', clusterIPs: ['None']}},
      {spec: {clusterIPs: ['10.96.3.3'], ports: [{nodePort: 30001}], healthCheckNodePort: 30002}},
    ])
    assert.deepEqual(got, {clusterIPs: ['10.96.0.1', '10.96.3.3'], nodePorts: [30001, 30002]})
  })
})
