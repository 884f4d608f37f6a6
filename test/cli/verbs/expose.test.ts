// expose.test.ts compares `mkctl expose` with kubectl against twin daemons: services for deployments, pods,
// services, replica sets and manifests, the flags that shape them, and kubectl's errors.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('expose (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--port=80'])
    await t.setup(['create', 'deployment', 'noport', '--image=nginx'])
    await t.setup(['run', 'pod1', '--image=nginx', '--port=8080', '--labels=app=pod1'])
    await t.setup(['create', 'job', 'j', '--image=busybox', '--', 'true'])
  })
  after(async () => t?.stop())

  it('exposes a deployment, a pod, a service and a replica set', async () => {
    await t.same(['expose', 'deployment', 'web'])
    await t.same(['get', 'svc', 'web', '-o', 'yaml'])
    await t.same(['expose', 'pod', 'pod1', '--name=pod1-svc', '--port=80', '--target-port=8080', '--type=NodePort'])
    await t.same(['get', 'svc', 'pod1-svc', '-o', 'yaml'])
    await t.same(['expose', 'svc', 'web', '--name=web2', '--port=443', '--target-port=https', '--protocol=TCP'])
    await t.same(['get', 'svc', 'web2', '-o', 'yaml'])
    await t.same(['expose', 'deploy/web', '--name=web-lb', '--type=LoadBalancer', '--load-balancer-ip=1.2.3.4',
      '--session-affinity=ClientIP', '--external-ip=5.6.7.8', '-l', 'x=y', '--selector=app=web']) // prettier-ignore
    await t.same(['get', 'svc', 'web-lb', '-o', 'yaml'])
    await t.same(['expose', 'deployment', 'web', '--name=hl', '--cluster-ip=None', '-o', 'name'])
  })

  it('dry runs and -f', async () => {
    await t.same(['expose', 'deployment', 'web', '--name=dry', '--dry-run=client', '-o', 'yaml'])
    await t.same(['expose', 'deployment', 'web', '--name=dry', '--dry-run=server', '-o', 'yaml'])
    await t.same(['expose', 'deployment', 'web', '--name=dry', '--dry-run=client', '-o', 'json', '-n', 'default'])
    const dir = mkdtempSync(join(tmpdir(), 'mkctl-expose-'))
    const file = join(dir, 'rc.yaml')
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc1\n  labels: {app: rc1}\nspec:\n  selector: {app: rc1}\n  template:\n    metadata: {labels: {app: rc1}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports: [{containerPort: 80}, {containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]\n',
    )
    await t.same(['expose', '-f', file, '--dry-run=client', '-o', 'yaml'])
  })

  it("kubectl's errors", async () => {
    await t.same(['expose', 'deployment', 'noport'])
    await t.same(['expose', 'job', 'j', '--port=80'])
    await t.same(['expose', 'deployment', 'missing', '--port=80'])
    await t.same(['expose', 'deployment', 'web'])
    await t.same(['expose', 'deployment', 'web', '--name=sa', '--session-affinity=Sticky'])
    await t.same(['expose', 'deployment', 'web', '--name=bad', '--selector=nope'])
    await t.same(['expose'])
    await t.same(['expose', 'deployment'])
    await t.same(['expose', 'deployment', 'web', '--name=Bad_Name'])
  })
})
