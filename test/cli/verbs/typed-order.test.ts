// typed-order.test.ts checks that what kubectl prints as a typed object comes out byte for byte alike: the objects
// the generator commands (create <kind>, run, expose) get back from real creates and server dry runs, and the lists
// of `cluster-info dump`. kubectl holds them as Go structs, so -o json has Go struct field order (kind before
// apiVersion, the fields the server defaulted in their declared places), fields Go writes even when zero
// (`rules: null`) and canonical quantities; yaml and templates see the zero fields too.
import assert from 'node:assert/strict'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('typed -o json|yaml of generator commands and cluster-info dump (differential)', function () {
  this.timeout(180000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  it('create deployment: real create as json and yaml, server dry run', async () => {
    await t.same(['create', 'deployment', 'x', '--image=nginx', '-o', 'yaml'])
    await t.same(['create', 'deployment', 'y', '--image=nginx', '--port=80', '--replicas=2', '-o', 'json'])
    await t.same(['create', 'deployment', 'z', '--image=nginx', '--dry-run=server', '-o', 'json'])
    await t.same(['create', 'deployment', 'w', '--image=busybox', '-o', 'json', '--', 'date'])
  })

  it('services of every type', async () => {
    await t.same(['create', 'service', 'clusterip', 'cip', '--tcp=80:8080', '-o', 'json'])
    await t.same(['create', 'service', 'clusterip', 'headless', '--clusterip=None', '-o', 'json'])
    await t.same(['create', 'service', 'nodeport', 'np', '--tcp=80', '--node-port=30080', '-o', 'json'])
    await t.same(['create', 'service', 'loadbalancer', 'lb', '--tcp=443:https', '-o', 'yaml'])
    await t.same(['create', 'service', 'externalname', 'ext', '--external-name=example.com', '-o', 'json'])
  })

  it('job, cronjob, job --from=cronjob', async () => {
    await t.same(['create', 'job', 'j1', '--image=busybox', '-o', 'json', '--', 'echo', 'hi'])
    await t.same(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '-o', 'json', '--', 'date'])
    await t.same(['create', 'job', 'manual', '--from=cronjob/cj', '-o', 'json'])
  })

  it('configmap, secrets, namespace, serviceaccount, token', async () => {
    await t.same([
      'create',
      'configmap',
      'cfg',
      '--from-literal=b=2',
      '--from-literal=a=1',
      '--from-literal=10=x',
      '-o',
      'json',
    ])
    await t.same(['create', 'secret', 'generic', 'sec', '--from-literal=user=admin', '-o', 'json'])
    await t.same([
      'create',
      'secret',
      'docker-registry',
      'reg',
      '--docker-username=u',
      '--docker-password=p',
      '-o',
      'json',
    ])
    await t.same(['create', 'namespace', 'team-a', '-o', 'json'])
    await t.same(['create', 'serviceaccount', 'robot', '-n', 'team-a', '-o', 'json'])
    // the twins sign tokens with different keys: compare all but the signature
    const r = await t.both(['create', 'token', 'robot', '-n', 'team-a', '--duration=1h', '-o', 'json'])
    const unsigned = (s: string) => s.replace(/("token": "[^."]*\.[^."]*)\.[^"]*"/, '$1.SIG"')
    assert.equal(unsigned(r.mkctl.stdout), unsigned(r.kubectl.stdout))
    assert.match(r.mkctl.stdout, /^\{\n {4}"kind": "TokenRequest",\n {4}"apiVersion"/)
  })

  it('rbac: role, clusterrole (aggregated: rules null), bindings', async () => {
    await t.same(['create', 'role', 'r1', '--verb=get,list', '--resource=pods,deploy', '-o', 'json'])
    await t.same([
      'create',
      'clusterrole',
      'cr1',
      '--verb=get',
      '--resource=nodes',
      '--non-resource-url=/x',
      '-o',
      'json',
    ])
    await t.same(['create', 'clusterrole', 'agg', '--aggregation-rule=a=b', '-o', 'json'])
    await t.same(['create', 'clusterrole', 'agg2', '--aggregation-rule=a=b', '-o', 'yaml'])
    await t.same([
      'create',
      'rolebinding',
      'rb',
      '--role=r1',
      '--user=alice',
      '--serviceaccount=team-a:robot',
      '-o',
      'json',
    ])
    await t.same(['create', 'clusterrolebinding', 'crb', '--clusterrole=cr1', '--group=devs', '-o', 'json'])
  })

  it('quota, pdb, priorityclass, ingress', async () => {
    await t.same(['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10', '-o', 'json'])
    await t.same(['create', 'pdb', 'pdb1', '--selector=app=web', '--min-available=1', '-o', 'json'])
    await t.same(['create', 'pdb', 'pdb2', '--selector=app=web', '--max-unavailable=50%', '-o', 'yaml'])
    await t.same(['create', 'priorityclass', 'high', '--value=1000', '--description=important', '-o', 'json'])
    await t.same([
      'create',
      'ingress',
      'ing',
      '--class=nginx',
      '--rule=foo.com/bar*=svc:80,tls=cert',
      '--default-backend=d:80',
      '-o',
      'json',
    ])
  })

  it('run and expose', async () => {
    await t.same(['run', 'p1', '--image=nginx', '-o', 'yaml'])
    await t.same(['run', 'p2', '--image=nginx', '--port=80', '--labels=app=p2,tier=web', '-o', 'json'])
    await t.same(['run', 'p3', '--image=nginx', '--port=80', '--expose', '-o', 'json'])
    await t.same(['expose', 'pod', 'p2', '--name=p2-svc', '-o', 'yaml'])
    await t.same(['expose', 'deployment', 'y', '--port=8080', '--target-port=80', '-o', 'json'])
  })

  it('cluster-info dump prints the typed lists byte for byte', async () => {
    await t.same(['cluster-info', 'dump'])
    await t.same(['cluster-info', 'dump', '-A', '-o', 'yaml'])
    await t.same(['cluster-info', 'dump', '--namespaces=default,team-a'])
  })
})
