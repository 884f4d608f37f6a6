// top.test.ts compares `kubectl top node|pod` (the real one) with `mkctl top` on twin daemons serving the
// Metrics API (the metrics-server addon enabled through the admin API).
import assert from 'node:assert/strict'
import {startTwins, type Twins} from '../../helpers/differential.js'
import {enableMetricsServer} from '../../daemon/metrics/enable.js'
import {printPodMetrics} from '../../../src/cli/options/top.js'

describe('mkctl top', function () {
  this.timeout(120_000)
  let t: Twins

  before(async function () {
    t = await startTwins(this, {cluster: {nodes: 2}})
  })
  after(async () => t?.stop())

  it('says the Metrics API is not available while the addon is off', async () => {
    await t.same(['top', 'node'])
    await t.same(['top', 'pod', '-A'])
  })

  it('prints nodes and pods as kubectl does against metrics-server', async () => {
    for (const d of [t.k, t.m]) await enableMetricsServer(d)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=3'])
    await t.setup(['create', 'deployment', 'db', '--image=redis'])
    await t.advance(60_000)
    await t.same(['top', 'node'])
    await t.same(['top', 'node', '--sort-by=cpu'])
    await t.same(['top', 'node', '--sort-by=memory', '--no-headers'])
    await t.same(['top', 'node', 'mkctl-m02', '--show-capacity'])
    await t.same(['top', 'node', '-l', 'kubernetes.io/hostname=mkctl'])
    await t.same(['top', 'pod'])
    await t.same(['top', 'pods', '-A'])
    await t.same(['top', 'pod', '-A', '--sort-by=memory'])
    await t.same(['top', 'po', '-A', '--sort-by=cpu', '--containers'])
    await t.same(['top', 'pod', '-l', 'app=web', '--containers', '--no-headers'])
    await t.same(['top', 'pod', '--sum'])
    await t.same(['top', 'pod', '-A', '--containers', '--sum'])
    await t.same(['top', 'pod', '--field-selector', 'metadata.namespace=default', '--use-protocol-buffers=false'])
  })

  it('fails like kubectl', async () => {
    await t.same(['top', 'node', 'nope'])
    await t.same(['top', 'pod', 'nope'])
    await t.same(['top', 'pod', '--sort-by=disk'])
    await t.same(['top', 'node', 'mkctl', '-l', 'a=b'])
    await t.same(['top', 'pod', 'x', '-l', 'a=b'])
    await t.same(['top', 'pod', '-n', 'empty-ns'])
    await t.same(['top', 'pod', '-l', 'app=none'])
  })

  it('prints --sum under the columns (metrics_printer.go printPodResourcesSum)', () => {
    let out = ''
    const m = (name: string, cpu: string, mem: string) => ({
      metadata: {name},
      containers: [{name: 'c', usage: {cpu, memory: mem}}],
    })
    printPodMetrics(
      {write: (s: string) => (out += s)},
      [m('b', '2500000n', '2048Ki'), m('a', '1m', '1Mi')],
      false,
      false,
      false,
      '',
      true,
    )
    assert.equal(
      out,
      'NAME   CPU(cores)   MEMORY(bytes)   \na      1m           1Mi             \nb      3m           2Mi             \n       ________     ________        \n       4m           3Mi             \n',
    )
  })
})
