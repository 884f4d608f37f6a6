// create-server.test.ts runs `create <kind>` against twin daemons (kubectl on one, mkctl on the other): the created
// lines, server dry-run output, server errors (AlreadyExists, invalid names) and the stored objects must match.
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('create <kind> against the server (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  const created = async (args: string[], get: string[]) => {
    await t.same(args)
    await t.same(['get', ...get, '-o', 'yaml'])
  }

  it('deployment: created, stored, AlreadyExists, invalid name, server dry run', async () => {
    await created(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80'], ['deploy', 'web'])
    await t.same(['create', 'deployment', 'web', '--image=nginx'])
    await t.same(['create', 'deployment', 'Bad_Name', '--image=nginx'])
    await t.same(['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server', '-o', 'yaml'])
    await t.same(['get', 'deploy', 'dry'])
    await created(
      ['create', 'deploy', 'cmd', '--image=busybox', '-o', 'name', '--', 'sleep', '3600'],
      ['deploy', 'cmd'],
    )
  })

  it('services of every type', async () => {
    await created(['create', 'service', 'clusterip', 'cip', '--tcp=80:8080'], ['svc', 'cip'])
    await created(['create', 'service', 'clusterip', 'headless', '--clusterip=None'], ['svc', 'headless'])
    await created(['create', 'service', 'nodeport', 'np', '--tcp=80', '--node-port=30080'], ['svc', 'np'])
    await created(['create', 'service', 'loadbalancer', 'lb', '--tcp=443:https'], ['svc', 'lb'])
    await created(['create', 'service', 'externalname', 'ext', '--external-name=example.com'], ['svc', 'ext'])
    await t.same(['create', 'service', 'clusterip', 'cip', '--tcp=80'])
    await t.same(['create', 'service', 'nodeport', 'np2', '--tcp=80', '--node-port=1'])
  })

  it('configmap, secret, namespace, serviceaccount, quota', async () => {
    await created(['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2'], ['cm', 'cfg'])
    await t.same(['create', 'cm', 'cfg', '--from-literal=a=1'])
    await created(['create', 'secret', 'generic', 'sec', '--from-literal=user=admin'], ['secret', 'sec'])
    await t.same(['create', 'secret', 'generic', 'sec', '--from-literal=user=admin'])
    await created(
      ['create', 'secret', 'docker-registry', 'reg', '--docker-username=u', '--docker-password=p'],
      ['secret', 'reg'],
    )
    await created(['create', 'namespace', 'team-a'], ['ns', 'team-a'])
    await t.same(['create', 'namespace', 'team-a'])
    await t.same(['create', 'namespace', 'Team_A'])
    await created(['create', 'serviceaccount', 'robot', '-n', 'team-a'], ['sa', 'robot', '-n', 'team-a'])
    await created(['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10'], ['quota', 'q'])
    await t.same(['create', 'cm', 'other', '--from-literal=a=1', '-n', 'nope'])
  })

  it('priorityclass, poddisruptionbudget, ingress', async () => {
    await created(['create', 'priorityclass', 'high', '--value=1000', '--description=important'], ['pc', 'high'])
    await t.same(['create', 'priorityclass', 'high', '--value=1'])
    await created(['create', 'pdb', 'pdb1', '--selector=app=web', '--min-available=1'], ['pdb', 'pdb1'])
    await created(
      ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar*=svc:80,tls=cert', '--rule=/x=s2:http'],
      ['ingress', 'ing'],
    )
  })

  it('rbac: role (resource mapping, subresources), clusterrole, bindings', async () => {
    await created(
      [
        'create',
        'role',
        'r1',
        '--verb=get,list',
        '--verb=get',
        '--resource=po,rs.apps,pods/status,deploy',
        '--resource-name=a',
      ],
      ['role', 'r1'],
    )
    await t.same(['create', 'role', 'r2', '--verb=foo', '--resource=pods', '--dry-run=client', '-o', 'yaml'])
    await t.same(['create', 'role', 'r3', '--verb=bind', '--resource=pods'])
    await t.same(['create', 'role', 'r4', '--verb=get'])
    await t.same(['create', 'role', 'r5', '--resource=pods'])
    await t.same(['create', 'role', 'r6', '--verb=get', '--resource=/status'])
    await t.same(['create', 'role', 'r1', '--verb=get', '--resource=pods'])
    await t.same(['create', 'clusterrole', 'bad', '--verb=get', '--resource=nodes,widgets.example.com'])
    await t.same(['create', 'clusterrole', 'bad', '--verb=get', '--resource=widgets'])
    await t.same(['create', 'role', 'imp', '--verb=impersonate', '--resource=users', '-o', 'yaml', '--dry-run=client'])
    await created(
      [
        'create',
        'clusterrole',
        'cr1',
        '--verb=get',
        '--resource=nodes,deployments/scale',
        '--non-resource-url=/logs/*',
      ],
      ['clusterrole', 'cr1'],
    )
    await t.same(['create', 'clusterrole', 'cr2', '--verb=list', '--non-resource-url=/x'])
    await t.same(['create', 'clusterrole', 'cr3', '--verb=get', '--non-resource-url=x'])
    await created(['create', 'clusterrole', 'agg', '--aggregation-rule=a=b'], ['clusterrole', 'agg'])
    await created(
      ['create', 'rolebinding', 'rb', '--role=r1', '--user=alice', '--serviceaccount=team-a:robot'],
      ['rolebinding', 'rb'],
    )
    await created(
      ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr1', '--group=devs'],
      ['clusterrolebinding', 'crb'],
    )
    await t.same(['create', 'clusterrolebinding', 'crb', '--clusterrole=cr1'])
  })

  it('cronjob and job --from=cronjob', async () => {
    await created(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], ['cj', 'cj'])
    await t.same(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=nope'])
    await created(['create', 'job', 'manual', '--from=cronjob/cj'], ['job', 'manual'])
    await t.same(['create', 'job', 'manual2', '--from=cronjob/missing'])
    await created(['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'], ['job', 'j1'])
  })
})
