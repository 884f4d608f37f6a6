import assert from 'node:assert/strict'
import {buildTable, convertorFor, partialObjectMetadata} from '../../../../src/daemon/registry/tables/index.js'
import {M, meta, NOW, pod, running, terminated} from './fixtures.js'

const web = pod(
  'web',
  {phase: 'Running', podIPs: [{ip: '10.244.0.5'}], containerStatuses: [running()]},
  {},
  {
    labels: {app: 'web'},
    annotations: {note: 'x'},
    ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true}],
    managedFields: [{manager: 'kubectl', operation: 'Apply'}],
  },
)
const done = pod('done', {phase: 'Succeeded', containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})]})

describe('buildTable', () => {
  const conv = convertorFor('', 'Pod')

  it('builds the whole Table with list metadata, columns and PartialObjectMetadata rows', () => {
    const t = buildTable([web], conv, NOW, {
      listMeta: {resourceVersion: '1007', continue: 'abc', remainingItemCount: 3},
    })
    assert.deepEqual(Object.keys(t), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows'])
    assert.equal(t.kind, 'Table')
    assert.equal(t.apiVersion, 'meta.k8s.io/v1')
    assert.deepEqual(t.metadata, {resourceVersion: '1007', continue: 'abc', remainingItemCount: 3})
    assert.equal(t.columnDefinitions!.length, 9)
    for (const c of t.columnDefinitions!) {
      assert.deepEqual(Object.keys(c).sort(), ['description', 'format', 'name', 'priority', 'type'])
      assert.ok(c.description.length > 0)
    }
    assert.deepEqual(t.rows, [
      {
        cells: ['web', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', '<none>', '<none>'],
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: {
            name: 'web',
            namespace: 'default',
            uid: 'uid-web',
            resourceVersion: '10',
            creationTimestamp: new Date(NOW - 5 * M).toISOString().replace('.000Z', 'Z'),
            labels: {app: 'web'},
            annotations: {note: 'x'},
            ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true}],
          },
        },
      },
    ])
    // the source object is not changed
    assert.equal((web.metadata.managedFields as unknown[]).length, 1)
  })

  it('omits empty list metadata fields', () => {
    assert.deepEqual(buildTable([], conv, NOW, {}).metadata, {})
    assert.deepEqual(buildTable([], conv, NOW, {listMeta: {resourceVersion: '5', continue: ''}}).metadata, {
      resourceVersion: '5',
    })
    assert.deepEqual(buildTable([], conv, NOW).rows, [])
  })

  it('includeObject=Object carries the full object, None carries null', () => {
    assert.equal(buildTable([web], conv, NOW, {includeObject: 'Object'}).rows[0].object, web)
    assert.equal(buildTable([web], conv, NOW, {includeObject: 'None'}).rows[0].object, null)
    assert.equal(
      (buildTable([web], conv, NOW, {includeObject: 'Metadata'}).rows[0].object as any).kind,
      'PartialObjectMetadata',
    )
  })

  it('noHeaders leaves out the column definitions (watch events after the first)', () => {
    const t = buildTable([web], conv, NOW, {noHeaders: true, listMeta: {resourceVersion: '9'}})
    assert.equal('columnDefinitions' in t, false)
    assert.equal(t.rows.length, 1)
  })

  it('keeps row conditions of finished pods', () => {
    const t = buildTable([web, done], conv, NOW)
    assert.equal(t.rows[0].conditions, undefined)
    assert.deepEqual(t.rows[1].conditions, [
      {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
    ])
  })

  it('serialises int64 cells as JSON numbers', () => {
    const d = {
      metadata: meta('web'),
      spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: {spec: {containers: []}}},
      status: {updatedReplicas: 3, availableReplicas: 2, readyReplicas: 2},
    }
    const json = JSON.stringify(buildTable([d], convertorFor('apps', 'Deployment'), NOW))
    assert.match(json, /"cells":\["web","2\/3",3,2,"5m","","","app=web"\]/)
  })

  it('partialObjectMetadata works on objects without metadata', () => {
    assert.deepEqual(partialObjectMetadata({}), {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {},
    })
  })
})
