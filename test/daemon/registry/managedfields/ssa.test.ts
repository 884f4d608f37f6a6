// ssa.test.ts: server-side apply with field ownership, end to end: the REAL kubectl 1.32 against an in-process
// daemon (fake clock at 2026-01-01T00:00:00Z). Expected texts are what kubectl prints against a real apiserver:
// the conflict message is the apiserver's Status message followed by kubectl's own help paragraph
// (kubectl/pkg/cmd/apply/apply.go).
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../../helpers/daemon.js'
import {ApiClient} from '../../../helpers/http.js'

const HAVE_KUBECTL = kubectlAvailable()

const HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`

function deployment(name: string, replicas: number, extraSpec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
${extraSpec}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`
}

describe('managedfields: kubectl apply --server-side', function () {
  let t: TestDaemon
  const file = (name: string, text: string) => {
    const p = join(t.home, name)
    writeFileSync(p, text)
    return p
  }
  const ok = async (args: string[]) => {
    const r = await t.kubectl(args)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stderr, '')
    return r.stdout
  }
  const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json', '--show-managed-fields']))

  before(async function () {
    if (!HAVE_KUBECTL) this.skip()
    t = await startTestDaemon()
  })
  after(async () => {
    await t?.stop()
  })

  it('creates with 201 → serverside-applied, one Apply entry for kubectl with the clock time', async () => {
    assert.equal(
      await ok(['apply', '--server-side', '-f', file('a.yaml', deployment('ssa', 2))]),
      'deployment.apps/ssa serverside-applied\n',
    )
    const d = await json(['get', 'deploy', 'ssa'])
    assert.deepEqual(d.metadata.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': {'f:labels': {'f:app': {}}},
              'f:spec': {'f:containers': {'k:{"name":"nginx"}': {'.': {}, 'f:image': {}, 'f:name': {}}}},
            },
          },
        },
      },
    ])
  })

  it('get -o yaml hides managedFields; --show-managed-fields shows them with the time of the last change', async () => {
    t.clock.advance(90_000)
    await ok(['apply', '--server-side', '-f', file('a2.yaml', deployment('ssa', 3))])
    assert.doesNotMatch(await ok(['get', 'deploy', 'ssa', '-o', 'yaml']), /managedFields/)
    const y = await ok(['get', 'deploy', 'ssa', '-o', 'yaml', '--show-managed-fields'])
    assert.match(
      y,
      /\n {2}managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1\n {4}fieldsV1:\n {6}f:spec:\n {8}f:replicas: \{\}\n/,
    )
    assert.match(y, /\n {4}manager: kubectl\n {4}operation: Apply\n {4}time: "2026-01-01T00:01:30Z"\n/)
  })

  it('client-side apply, scale, then a different replicas server-side: the conflict, exit 1', async () => {
    await ok(['apply', '-f', file('c.yaml', deployment('web', 2))])
    await ok(['scale', 'deploy', 'web', '--replicas=5'])
    // The controllers' answer to the scale (new pods) is not the conflicting apply's.
    await t.settle()
    const before = t.daemon.store.currentRevision()
    const r = await t.kubectl(['apply', '--server-side', '-f', file('c3.yaml', deployment('web', 3))])
    assert.deepEqual(r, {
      stdout: '',
      stderr: `error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\n${HELP}`,
      code: 1,
    })
    assert.equal(t.daemon.store.currentRevision(), before, 'a conflict writes nothing')
  })

  it('the managers before the conflict: client-side apply and the scale subresource', async () => {
    const d = await json(['get', 'deploy', 'web'])
    assert.deepEqual(
      d.metadata.managedFields.map((m: any) => [m.manager, m.operation, m.subresource ?? '']),
      [
        ['kubectl', 'Update', 'scale'],
        ['kubectl-client-side-apply', 'Update', ''],
      ],
    )
    assert.deepEqual(d.metadata.managedFields[0].fieldsV1, {'f:spec': {'f:replicas': {}}})
  })

  it('--force-conflicts wins: serverside-applied, replicas taken from the scale manager', async () => {
    assert.equal(
      await ok(['apply', '--server-side', '--force-conflicts', '-f', file('c3.yaml', deployment('web', 3))]),
      'deployment.apps/web serverside-applied\n',
    )
    const d = await json(['get', 'deploy', 'web'])
    assert.equal(d.spec.replicas, 3)
    const managers = d.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}/${m.subresource ?? ''}`)
    assert.ok(managers.includes('kubectl/Apply/'), managers.join(' '))
    assert.ok(!managers.includes('kubectl/Update/scale'), managers.join(' '))
  })

  it('a field removed from the applied manifest is removed from the object', async () => {
    await ok(['apply', '--server-side', '-f', file('m.yaml', deployment('min', 1, '  minReadySeconds: 7\n'))])
    assert.equal(await ok(['get', 'deploy', 'min', '-o', 'jsonpath={.spec.minReadySeconds}']), '7')
    assert.equal(
      await ok(['apply', '--server-side', '-f', file('m2.yaml', deployment('min', 1))]),
      'deployment.apps/min serverside-applied\n',
    )
    assert.equal(await ok(['get', 'deploy', 'min', '-o', 'jsonpath={.spec.minReadySeconds}']), '')
  })

  it('two managers applying disjoint fields both keep theirs', async () => {
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n${data}`
    await ok(['apply', '--server-side', '--field-manager=alice', '-f', file('s1.yaml', cm('  a: "1"\n'))])
    await ok(['apply', '--server-side', '--field-manager=bob', '-f', file('s2.yaml', cm('  b: "2"\n'))])
    // alice applies again without change: bob's key stays.
    await ok(['apply', '--server-side', '--field-manager=alice', '-f', file('s1.yaml', cm('  a: "1"\n'))])
    const c = await json(['get', 'cm', 'shared'])
    assert.deepEqual(c.data, {a: '1', b: '2'})
    assert.deepEqual(
      c.metadata.managedFields.map((m: any) => [m.manager, m.fieldsV1]),
      [
        ['alice', {'f:data': {'f:a': {}}}],
        ['bob', {'f:data': {'f:b': {}}}],
      ],
    )
    // bob changing alice's key conflicts, naming alice as an applier (no version).
    const r = await t.kubectl([
      'apply',
      '--server-side',
      '--field-manager=bob',
      '-f',
      file('s3.yaml', cm('  a: "9"\n  b: "2"\n')),
    ])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `error: Apply failed with 1 conflict: conflict with "alice": .data.a\n${HELP}`)
  })

  it('over HTTP: 201 on create, 200 on update, the 409 Status shape, fieldManager required', async () => {
    const api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    const path = '/api/v1/namespaces/default/configmaps/http'
    const apply = (manager: string | undefined, data: Record<string, string>) =>
      api.request(
        'PATCH',
        `${path}?force=false${manager ? `&fieldManager=${manager}` : ''}`,
        {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'http'}, data},
        {
          'Content-Type': 'application/apply-patch+yaml',
        },
      )
    assert.equal((await apply('one', {k: 'v'})).status, 201)
    assert.equal((await apply('one', {k: 'v2'})).status, 200)
    const c = await apply('two', {k: 'v3'})
    assert.equal(c.status, 409)
    assert.deepEqual(c.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "one": .data.k',
      reason: 'Conflict',
      details: {causes: [{reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.k'}]},
      code: 409,
    })
    const m = await apply(undefined, {k: 'v'})
    assert.equal(m.status, 422)
    assert.equal(
      m.json.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    )
  })

  it('label records an Update entry under its own manager', async () => {
    await ok(['label', 'cm', 'shared', 'team=x'])
    const c = await json(['get', 'cm', 'shared'])
    const label = c.metadata.managedFields.find((m: any) => m.manager === 'kubectl-label')
    assert.deepEqual(label && [label.operation, label.fieldsV1], [
      'Update',
      {'f:metadata': {'f:labels': {'.': {}, 'f:team': {}}}},
    ])
  })
})
