// set.test.ts compares `mkctl set image|env|resources|selector|serviceaccount|subject` with the real kubectl on twin
// daemons: printed lines, errors, exit codes and the objects left on the server.
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: local
  labels: {app: local}
spec:
  selector:
    matchLabels: {app: local}
  template:
    metadata:
      labels: {app: local}
    spec:
      initContainers:
      - name: init
        image: busybox
      containers:
      - name: web
        image: nginx
        env:
        - name: A
          value: "1"
      - name: side
        image: envoy
---
apiVersion: v1
kind: Service
metadata:
  name: local-svc
spec:
  ports: [{port: 80}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: local-rb}
roleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}
`

describe('mkctl set (differential)', function () {
  this.timeout(120000)
  let t: Twins
  let dir: string
  let file: string
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-set-'))
    file = join(dir, 'objs.yaml')
    writeFileSync(file, DEPLOY)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=1'])
    await t.setup(['create', 'deployment', 'api', '--image=busybox', '--image=redis'])
    await t.setup(['label', 'deploy', 'web', 'api', 'tier=front'])
    await t.setup(['create', 'configmap', 'cm', '--from-literal=my-key=v1'])
    await t.setup(['create', 'secret', 'generic', 'sec', '--from-literal=pw=s3'])
    await t.setup(['create', 'service', 'clusterip', 'front', '--tcp=80:8080'])
    await t.setup(['create', 'serviceaccount', 'robot'])
    await t.setup(['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=alice'])
    await t.setup(['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--group=devs'])
  })
  after(async () => t?.stop())

  const getDeploy = (name = 'web') => t.same(['get', 'deploy', name, '-o', 'yaml'])

  describe('set image', () => {
    it('updates a container image and the deployment', async () => {
      await t.same(['set', 'image', 'deployment/web', 'nginx=nginx:1.25'])
      await getDeploy()
    })
    it('does nothing when the image is already set', async () => {
      await t.same(['set', 'image', 'deployment/web', 'nginx=nginx:1.25'])
    })
    it('sets every container with *', async () => {
      await t.same(['set', 'image', 'deploy', 'api', '*=alpine:3'])
      await getDeploy('api')
    })
    it('selects with -l and --all, prints -o name', async () => {
      await t.same(['set', 'image', 'deployments', '-l', 'tier=front', 'nginx=nginx:2', '-o', 'name'])
      await t.same(['set', 'image', 'deployments', '--all', 'busybox=busybox:2'])
      await getDeploy('web')
    })
    it('dry runs and prints yaml', async () => {
      await t.same(['set', 'image', 'deploy/web', 'nginx=nginx:3', '--dry-run=client'])
      await t.same(['set', 'image', 'deploy/web', 'nginx=nginx:3', '--dry-run=server'])
      await t.same(['set', 'image', 'deploy/web', 'nginx=nginx:3', '--dry-run=server', '-o', 'yaml'])
      await getDeploy()
    })
    it('works on local files', async () => {
      await t.same(['set', 'image', '--local', '-f', file, 'web=nginx:9', '-o', 'yaml'])
      // -o json of a --local object is not compared: kubectl prints typed objects in Go struct field order
      await t.same(['set', 'image', '--local', '-f', file, '*=x:1', '-o', 'name'])
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'image', 'deploy/web', 'nope=nginx'])
      await t.same(['set', 'image', 'deploy/web', 'nginx=nginx:4', 'nope=x'])
      await t.same(['set', 'image', 'deploy/missing', 'a=b'])
      await t.same(['set', 'image'])
      await t.same(['set', 'image', 'deploy/web'])
      await t.same(['set', 'image', 'deploy', 'web'])
      await t.same(['set', 'image', 'deploy', 'nginx=x'])
      await t.same(['set', 'image', 'deploy/web', '*=x', 'a=b'])
      await t.same(['set', 'image', 'deploy/web', 'a=b', '--all', '-l', 'x=y'])
      await t.same(['set', 'image', '--local', 'deploy/web', 'a=b'])
      await t.same(['set', 'image', 'deploy/web', 'a=b', 'deploy/api'])
      await t.same(['set', 'image', 'svc/front', 'a=b'])
      await t.same(['set', 'image', 'deploy/web', 'nginx=x', '--dry-run=bogus'])
      await t.same(['set', 'image', 'deploy/web', 'nginx=x', '--bogus'])
      await getDeploy()
    })
  })

  describe('set env', () => {
    it('adds, updates and removes variables', async () => {
      await t.same(['set', 'env', 'deployment/web', 'A=1', 'B=two'])
      await t.same(['set', 'env', 'deployment/web', 'A=3'])
      await t.same(['set', 'env', 'deployment/web', 'B-'])
      await getDeploy()
    })
    it('imports from config maps and secrets', async () => {
      await t.same(['set', 'env', 'deploy/web', '--from=configmap/cm', '--prefix=P_'])
      await t.same(['set', 'env', 'deploy/web', '--from=secret/sec', '-c', 'ngi*'])
      await t.same(['set', 'env', 'deploy/web', '--from=configmap/cm', '--keys=my-key'])
      await getDeploy()
    })
    it('lists and resolves', async () => {
      await t.same(['set', 'env', 'deploy/web', '--list'])
      await t.same(['set', 'env', 'deploy/web', '--list', '--resolve'])
      await t.same(['set', 'env', 'deploy/api', 'X=1', '--list'])
      await t.same(['set', 'env', 'deployments', '--all', '--list'])
    })
    it('honours --overwrite=false, -c, -e and --local', async () => {
      await t.same(['set', 'env', 'deploy/web', 'A=9', '--overwrite=false'])
      await t.same(['set', 'env', 'deploy/web', '-c', 'zz', 'C=1'])
      await t.same(['set', 'env', 'deploy/web', '-e', 'E=1', '-e', 'F=2'])
      await t.same(['set', 'env', '--local', '-f', file, 'Z=1', '-o', 'yaml'])
      await t.same(['set', 'env', '--local', '-f', file, 'A-', '-c', 'web', '-o', 'yaml'])
      await getDeploy()
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'env', 'deploy/web', '1A=1'])
      await t.same(['set', 'env', 'deploy/web', 'A=1', 'A-'])
      await t.same(['set', 'env', 'deploy/web', '--keys=a'])
      await t.same(['set', 'env', 'deploy/web', '--list', '-o', 'yaml'])
      await t.same(['set', 'env', 'deploy/web', 'A=1', 'deploy/x'])
      await t.same(['set', 'env', 'svc/front', 'A=1'])
      await t.same(['set', 'env', 'deploy/web', '--from=deploy/web'])
      await t.same(['set', 'env', 'deploy/web'])
      await t.same(['set', 'env', 'A=1'])
      await t.same(['set', 'env', 'deploy/missing', 'A=1'])
    })
  })

  describe('set resources', () => {
    it('sets limits and requests', async () => {
      await t.same(['set', 'resources', 'deployment', 'web', '--limits=cpu=200m,memory=512Mi'])
      await t.same(['set', 'resources', 'deployment', 'web', '-c', 'nginx', '--requests=cpu=0.1,memory=256Mi'])
      await t.same(['set', 'resources', 'deployment', 'web', '--requests=cpu=0.1,memory=256Mi'])
      await getDeploy()
      await t.same(['set', 'resources', '--local', '-f', file, '--limits=cpu=1', '-o', 'yaml'])
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'resources', 'deploy/web'])
      await t.same(['set', 'resources', 'deploy/web', '--limits=cpu=abc'])
      await t.same(['set', 'resources', 'deploy/web', '--limits=cpu'])
      await t.same(['set', 'resources', 'deploy/web', '-c', 'zz', '--limits=cpu=1'])
      await t.same(['set', 'resources', 'svc/front', '--limits=cpu=1'])
    })
  })

  describe('set selector', () => {
    it('sets a service selector', async () => {
      await t.same(['set', 'selector', 'svc/front', 'app=web,tier=a'])
      await t.same(['get', 'svc', 'front', '-o', 'yaml'])
      await t.same(['set', 'selector', '--local', '-f', file, 'x=y', '-o', 'yaml'])
      await t.same(['set', 'selector', 'svc', 'front', 'app=web', '--dry-run=client', '-o', 'yaml'])
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'selector', 'svc/front'])
      await t.same(['set', 'selector', 'deploy/web', 'a=b'])
      await t.same(['set', 'selector', 'svc/front', 'a in (b)'])
      await t.same(['set', 'selector', 'svc/front', 'a!=b'])
      await t.same(['set', 'selector'])
    })
  })

  describe('set serviceaccount', () => {
    it('sets the service account of a pod template', async () => {
      await t.same(['set', 'serviceaccount', 'deployment', 'web', 'robot'])
      await t.same(['set', 'sa', 'deploy/api', 'robot', '--dry-run=server', '-o', 'yaml'])
      await getDeploy()
      await t.same(['set', 'sa', '--local', '-f', file, 'robot', '-o', 'yaml'])
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'serviceaccount'])
      await t.same(['set', 'serviceaccount', 'svc/front', 'robot'])
      await t.same(['set', 'serviceaccount', 'deploy/missing', 'robot'])
    })
  })

  describe('set subject', () => {
    it('adds users, groups and service accounts', async () => {
      await t.same(['set', 'subject', 'rolebinding', 'rb', '--user=bob', '--user=alice', '--group=ops'])
      await t.same(['set', 'subject', 'rolebinding/rb', '--serviceaccount=:robot'])
      await t.same(['set', 'subject', 'clusterrolebinding', 'crb', '--serviceaccount=default:robot'])
      await t.same(['get', 'rolebinding', 'rb', '-o', 'yaml'])
      await t.same(['get', 'clusterrolebinding', 'crb', '-o', 'yaml'])
      await t.same(['set', 'subject', 'rolebinding', 'rb', '--user=bob'])
      await t.same(['set', 'subject', '--local', '-f', file, '--user=x', '-o', 'yaml'])
    })
    it('reports errors as kubectl does', async () => {
      await t.same(['set', 'subject', 'rolebinding', 'rb'])
      await t.same(['set', 'subject', 'rolebinding', 'rb', '--serviceaccount=robot'])
      await t.same(['set', 'subject', 'clusterrolebinding', 'crb', '--serviceaccount=:robot'])
      await t.same(['set', 'subject', 'deploy/web', '--user=x'])
    })
  })

  it('leaves the twins identical', async () => {
    const r = await t.both(['get', 'deploy,svc,rolebinding', '-o', 'yaml'])
    assert.equal(r.mkctl.stdout, r.kubectl.stdout)
  })
})
