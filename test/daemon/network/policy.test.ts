// policy.test.ts: NetworkPolicy evaluation on its own — isolation, peers, ports, both directions.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {allowed, inCidr, policyTypes, type Peer} from '../../../src/daemon/network/policy.js'

const pod = (ns: string, name: string, labels: Record<string, string>, ports: object[] = []): KubeObject => ({
  metadata: {namespace: ns, name, labels},
  spec: {containers: [{name: 'c', image: 'x', ports}]},
})
const np = (ns: string, name: string, spec: object): KubeObject => ({metadata: {namespace: ns, name}, spec})
const view = (...all: KubeObject[]) => ({policies: (ns: string) => all.filter((p) => p.metadata?.namespace === ns)})

describe('NetworkPolicy evaluation', () => {
  const db = pod('prod', 'db', {app: 'db'}, [{name: 'pg', containerPort: 5432}])
  const api: Peer = {ip: '10.244.0.5', pod: pod('prod', 'api', {app: 'api'}), namespaceLabels: {team: 'prod'}}
  const dev: Peer = {ip: '10.244.1.7', pod: pod('dev', 'x', {app: 'api'}), namespaceLabels: {team: 'dev'}}
  const dbPeer: Peer = {ip: '10.244.0.9', pod: db, namespaceLabels: {team: 'prod'}}

  it('allows everything when no policy selects the pods', () => {
    assert.equal(allowed(view(), api, dbPeer, 5432).allowed, true)
  })

  it('isolates a selected pod: only its rules let traffic in, by pod, namespace, port and named port', () => {
    const v = view(
      np('prod', 'db', {
        podSelector: {matchLabels: {app: 'db'}},
        ingress: [{from: [{podSelector: {matchLabels: {app: 'api'}}}], ports: [{port: 'pg'}]}],
      }),
    )
    assert.equal(allowed(v, api, dbPeer, 5432).allowed, true)
    assert.equal(allowed(v, api, dbPeer, 5433).allowed, false)
    const denied = allowed(v, dev, dbPeer, 5432)
    assert.deepEqual(denied, {allowed: false, by: ['prod/db'], side: 'ingress'})
    const byNs = view(
      np('prod', 'db', {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: 'dev'}}}]}]}),
    )
    assert.equal(allowed(byNs, dev, dbPeer, 5432).allowed, true)
    assert.equal(allowed(byNs, api, dbPeer, 5432).allowed, false)
  })

  it('applies ipBlock with exceptions, port ranges and egress isolation', () => {
    const v = view(
      np('prod', 'db', {
        podSelector: {},
        ingress: [
          {from: [{ipBlock: {cidr: '10.244.0.0/16', except: ['10.244.1.0/24']}}], ports: [{port: 5000, endPort: 6000}]},
        ],
      }),
    )
    assert.equal(allowed(v, api, dbPeer, 5432).allowed, true)
    assert.equal(allowed(v, dev, dbPeer, 5432).allowed, false)
    assert.equal(allowed(v, api, dbPeer, 7000).allowed, false)
    const egress = view(np('prod', 'no-out', {podSelector: {matchLabels: {app: 'api'}}, policyTypes: ['Egress']}))
    assert.deepEqual(allowed(egress, api, dbPeer, 5432), {allowed: false, by: ['prod/no-out'], side: 'egress'})
    assert.deepEqual(policyTypes(np('a', 'b', {egress: [{}]})), ['Ingress', 'Egress'])
    assert.equal(inCidr('192.168.49.2', '192.168.49.0/24'), true)
    assert.equal(inCidr('192.168.50.2', '192.168.49.0/24'), false)
    assert.equal(inCidr('1.2.3.4', '0.0.0.0/0'), true)
  })
})
