import assert from 'node:assert/strict'
import {StatusError} from '../../../../src/api/errors.js'
import type {KubeObject} from '../../../../src/api/object.js'
import {findOpenAPIDir, loadOpenAPI} from '../../../../src/daemon/apiserver/openapi.js'
import {
  applyWithOwnership,
  kindSchema,
  managerOrUserAgent,
  updateManagedFields,
  type KindSchema,
  type ManagedFieldsEntry,
} from '../../../../src/daemon/registry/managedfields/index.js'

const T0 = '2026-01-01T00:00:00Z'
const T1 = '2026-01-01T00:01:00Z'

function deploymentSchema(): KindSchema {
  const ref = loadOpenAPI().schemaFor('apps', 'v1', 'Deployment')!
  const schemas = (ref.document.components as any).schemas
  return kindSchema(ref.schema, (n) => schemas[n], false)
}

function deploy(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace: 'default'},
    spec: {
      replicas,
      selector: {matchLabels: {app: 'web'}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 80}]}]},
      },
      ...extra,
    },
  }
}

/** stored adds what the registry adds on create (uid, creationTimestamp, resourceVersion, defaults). */
function stored(o: KubeObject, managedFields: ManagedFieldsEntry[] | undefined): KubeObject {
  const c = structuredClone(o) as any
  c.metadata = {...c.metadata, uid: 'u1', creationTimestamp: T0, resourceVersion: '5', generation: 1}
  if (managedFields) c.metadata.managedFields = managedFields
  c.spec.revisionHistoryLimit = 10
  c.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent'
  return c
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn()
  } catch (e) {
    if (e instanceof StatusError) return e
    throw e
  }
  assert.fail('expected a conflict')
}

describe('managedfields/apply', function () {
  let ks: KindSchema
  before(function () {
    if (!findOpenAPIDir()) this.skip()
    ks = deploymentSchema()
  })
  const opts = (manager: string, now = T0, force = false) => ({manager, force, apiVersion: 'apps/v1', now, ...ks})

  it('create: the Apply entry is the applied fields, encoded as kubectl --server-side shows them', () => {
    const r = applyWithOwnership(undefined, deploy(2), opts('kubectl'))
    assert.equal(r.changed, true)
    assert.deepEqual(r.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': {'f:labels': {'f:app': {}}},
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}}},
                  },
                },
              },
            },
          },
        },
      },
    ])
  })

  it('create by an Update: every field, "." on what the write added (not on spec or containers)', () => {
    const mf = updateManagedFields(undefined, deploy(2), undefined, {
      manager: 'kubectl-create',
      apiVersion: 'apps/v1',
      now: T0,
      ...ks,
    })!
    assert.equal(mf.length, 1)
    assert.deepEqual(mf[0].fieldsV1, {
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}},
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {'.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}}},
              },
            },
          },
        },
      },
    })
  })

  it('a changed field owned by an updater is a conflict worded as the apiserver words it', () => {
    const created = updateManagedFields(undefined, deploy(2), undefined, {
      manager: 'kubectl-client-side-apply',
      apiVersion: 'apps/v1',
      now: T0,
      ...ks,
    })
    const live = stored(deploy(2), created)
    const e = conflictOf(() => applyWithOwnership(live, deploy(3), opts('other')))
    assert.equal(e.status.code, 409)
    assert.equal(e.status.reason, 'Conflict')
    assert.equal(
      e.status.message,
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    )
    assert.deepEqual(e.status.details, {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    })
  })

  it('several conflicts are grouped by manager; appliers are printed without a version', () => {
    const a = applyWithOwnership(undefined, deploy(2), opts('a'))
    const live = stored(deploy(2), a.managedFields)
    const changed = deploy(3)
    ;(changed.spec as any).template.spec.containers[0].image = 'nginx:1.28'
    const e = conflictOf(() => applyWithOwnership(live, changed, opts('b')))
    assert.equal(
      e.status.message,
      'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    )
    assert.equal(e.status.details!.causes![1].field, '.spec.template.spec.containers[name="nginx"].image')
  })

  it('equal values are co-owned without conflict; force takes the field away', () => {
    const a = applyWithOwnership(undefined, deploy(2), opts('a'))
    const live = stored(deploy(2), a.managedFields)
    const same = applyWithOwnership(live, deploy(2), opts('b'))
    // A no-op apply sets no time, and entries without a time sort first (as upstream's zero time).
    assert.deepEqual(
      same.managedFields!.map((m) => [m.manager, m.time]),
      [
        ['b', undefined],
        ['a', T0],
      ],
    )
    assert.equal(same.changed, false)
    const forced = applyWithOwnership(live, deploy(4), opts('b', T1, true))
    assert.equal((forced.object.spec as any).replicas, 4)
    const aSet = forced.managedFields!.find((m) => m.manager === 'a')!.fieldsV1 as any
    assert.equal(aSet['f:spec']['f:replicas'], undefined)
    assert.deepEqual(aSet['f:spec']['f:selector'], {})
    assert.equal(forced.managedFields!.find((m) => m.manager === 'b')!.time, T1)
  })

  it('a field dropped from the applied config is removed unless another manager owns it', () => {
    const first = applyWithOwnership(undefined, deploy(2, {minReadySeconds: 5}), opts('kubectl'))
    let live = stored(first.object, first.managedFields)
    const second = applyWithOwnership(live, deploy(2), opts('kubectl', T1))
    assert.equal((second.object.spec as any).minReadySeconds, undefined)
    assert.equal((second.object.spec as any).revisionHistoryLimit, 10, 'fields never applied stay')
    // Co-owned by another applier: stays.
    live = stored(first.object, first.managedFields)
    const other = applyWithOwnership(
      live,
      {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {minReadySeconds: 5}},
      opts('other'),
    )
    live = stored(other.object, other.managedFields)
    const third = applyWithOwnership(live, deploy(2), opts('kubectl', T1))
    assert.equal((third.object.spec as any).minReadySeconds, 5)
  })

  it('a container dropped from the applied config goes, with everything under it', () => {
    const two = deploy(2)
    ;(two.spec as any).template.spec.containers.push({name: 'side', image: 'busybox'})
    const first = applyWithOwnership(undefined, two, opts('kubectl'))
    const r = applyWithOwnership(stored(first.object, first.managedFields), deploy(2), opts('kubectl', T1))
    assert.deepEqual(
      (r.object.spec as any).template.spec.containers.map((c: any) => c.name),
      ['nginx'],
    )
  })

  it('kubectl takes over fields its client-side apply annotation still describes', () => {
    const manifest = deploy(2)
    const annotated = structuredClone(manifest) as any
    annotated.metadata.annotations = {'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest)}
    const created = updateManagedFields(undefined, annotated, undefined, {
      manager: 'kubectl-client-side-apply',
      apiVersion: 'apps/v1',
      now: T0,
      ...ks,
    })
    const live = stored(annotated, created)
    // Same fields, new image: the annotation still matches the live object, so no conflict for kubectl...
    const changed = deploy(2)
    ;(changed.spec as any).template.spec.containers[0].image = 'nginx:1.28'
    const r = applyWithOwnership(live, changed, opts('kubectl', T1))
    assert.equal((r.object.spec as any).template.spec.containers[0].image, 'nginx:1.28')
    assert.match(
      (r.object.metadata as any).annotations['kubectl.kubernetes.io/last-applied-configuration'],
      /nginx:1\.28/,
    )
    // ...but another manager name conflicts.
    assert.equal(conflictOf(() => applyWithOwnership(live, changed, opts('someone'))).status.code, 409)
  })

  it('rejects managedFields and a wrong apiVersion in the applied object', () => {
    const withMF = deploy(1) as any
    withMF.metadata.managedFields = []
    assert.throws(() => applyWithOwnership(undefined, withMF, opts('x')), /metadata.managedFields must be nil/)
    assert.throws(
      () => applyWithOwnership(undefined, {...deploy(1), apiVersion: 'apps/v1beta1'}, opts('x')),
      /Incorrect version specified in apply patch. Specified patch version: apps\/v1beta1, expected: apps\/v1/,
    )
  })

  it('an untracked object gives its current fields to before-first-apply', () => {
    const live = stored(deploy(2), undefined)
    const r = applyWithOwnership(live, deploy(2), opts('kubectl', T1))
    assert.deepEqual(
      r.managedFields!.map((m) => [m.manager, m.operation]),
      [
        ['kubectl', 'Apply'],
        ['before-first-apply', 'Update'],
      ],
    )
  })

  describe('updates', () => {
    it('an update moves changed fields to the writer and keeps the others', () => {
      const a = applyWithOwnership(undefined, deploy(2), opts('kubectl'))
      const live = stored(a.object, a.managedFields)
      const next = structuredClone(live) as any
      next.spec.replicas = 5
      next.metadata.labels = {x: 'y'}
      const mf = updateManagedFields(live, next, undefined, {
        manager: 'kubectl',
        subresource: 'scale',
        apiVersion: 'apps/v1',
        now: T1,
        ...ks,
      })!
      assert.deepEqual(
        mf.map((m) => [m.manager, m.operation, m.subresource]),
        [
          ['kubectl', 'Apply', undefined],
          ['kubectl', 'Update', 'scale'],
        ],
      )
      assert.deepEqual(mf[1].fieldsV1, {'f:metadata': {'f:labels': {'.': {}, 'f:x': {}}}, 'f:spec': {'f:replicas': {}}})
      assert.equal((mf[0].fieldsV1 as any)['f:spec']['f:replicas'], undefined)
    })

    it('an update that changes nothing leaves the entries as they were', () => {
      const a = applyWithOwnership(undefined, deploy(2), opts('kubectl'))
      const live = stored(a.object, a.managedFields)
      assert.deepEqual(
        updateManagedFields(live, structuredClone(live), undefined, {
          manager: 'x',
          apiVersion: 'apps/v1',
          now: T1,
          ...ks,
        }),
        a.managedFields,
      )
    })

    it('untracked objects stay untracked; an empty list resets ownership', () => {
      const live = stored(deploy(2), undefined)
      const next = structuredClone(live) as any
      next.spec.replicas = 3
      assert.equal(
        updateManagedFields(live, next, undefined, {manager: 'x', apiVersion: 'apps/v1', now: T1, ...ks}),
        undefined,
      )
      const a = applyWithOwnership(undefined, deploy(2), opts('kubectl'))
      assert.equal(
        updateManagedFields(stored(a.object, a.managedFields), next, [], {
          manager: 'x',
          apiVersion: 'apps/v1',
          now: T1,
          ...ks,
        }),
        undefined,
      )
    })

    it('managerOrUserAgent: fieldManager, else the User-Agent product, else unknown', () => {
      assert.equal(
        managerOrUserAgent('kubectl-edit', 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'),
        'kubectl-edit',
      )
      assert.equal(managerOrUserAgent(undefined, 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'), 'kubectl')
      assert.equal(
        managerOrUserAgent(
          undefined,
          'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount',
        ),
        'kube-controller-manager',
      )
      assert.equal(managerOrUserAgent(undefined, undefined), 'unknown')
      assert.equal(managerOrUserAgent(undefined, 'x'.repeat(200)).length, 128)
    })
  })
})
