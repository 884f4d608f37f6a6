import assert from 'node:assert/strict'

import {PATCH_META, SCHEMA_MAP_TYPE} from '../../../src/api/patch-meta.js'
import {builtinPatchSchema} from '../../../src/api/patch/schema.js'
import {RESOURCES} from '../../../src/api/resources.js'
import {upstreamOpenApi} from './oracle.js'

const DOCS = [
  'api__v1_openapi.json',
  'apis__apps__v1_openapi.json',
  'apis__batch__v1_openapi.json',
  'apis__discovery.k8s.io__v1_openapi.json',
]

// Facts of the 1.32 Go types that differ from the older upstream documents in ../shared/openapi.
const KNOWN_DIFFERENCES = new Set([
  // the patch tags on a string field were dropped upstream
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key',
])

describe('PATCH_META', () => {
  it('agrees with the upstream OpenAPI documents on patch strategies and merge keys', function () {
    let checked = 0
    for (const file of DOCS) {
      const doc = upstreamOpenApi(file)
      if (!doc) this.skip()
      for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
        for (const [field, prop] of Object.entries(schema.properties ?? {})) {
          if (KNOWN_DIFFERENCES.has(`${name}.${field}`)) continue
          const want = {
            mergeKey: prop['x-kubernetes-patch-merge-key'],
            strategy: prop['x-kubernetes-patch-strategy'],
          }
          const meta = PATCH_META[name]?.[field] ?? {}
          assert.deepEqual({mergeKey: meta.mergeKey, strategy: meta.strategy}, want, `${name}.${field}`)
          // list types and map types were added to more fields after these documents; where they say, we agree
          if (prop['x-kubernetes-list-type']) assert.equal(meta.listType, prop['x-kubernetes-list-type'], name + field)
          if (prop['x-kubernetes-list-map-keys']) assert.deepEqual(meta.listMapKeys, prop['x-kubernetes-list-map-keys'])
          checked++
        }
        if (schema['x-kubernetes-map-type']) assert.equal(SCHEMA_MAP_TYPE[name], schema['x-kubernetes-map-type'], name)
      }
    }
    assert.ok(checked > 1000)
  })

  it('has the facts the brief and kubectl-api.md §7.2 list', () => {
    assert.deepEqual(PATCH_META['io.k8s.api.core.v1.PodSpec'].containers, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['name'],
    })
    assert.equal(PATCH_META['io.k8s.api.core.v1.PodSpec'].volumes.strategy, 'merge,retainKeys')
    assert.equal(PATCH_META['io.k8s.api.apps.v1.DeploymentSpec'].strategy.strategy, 'retainKeys')
    assert.deepEqual(PATCH_META['io.k8s.api.core.v1.Container'].ports.listMapKeys, ['containerPort', 'protocol'])
    assert.equal(PATCH_META['io.k8s.api.core.v1.ServiceSpec'].ports.mergeKey, 'port')
    assert.equal(PATCH_META['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].ownerReferences.mergeKey, 'uid')
    assert.equal(PATCH_META['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].finalizers.strategy, 'merge')
    assert.equal(PATCH_META['io.k8s.api.core.v1.NodeStatus'].addresses.mergeKey, 'type')
    assert.equal(PATCH_META['io.k8s.api.core.v1.ServiceAccount'].secrets.mergeKey, 'name')
    assert.equal(PATCH_META['io.k8s.api.core.v1.EphemeralContainer'].env.mergeKey, 'name')
    assert.equal(PATCH_META['io.k8s.api.rbac.v1.ClusterRole'].rules.listType, 'atomic')
    assert.equal(PATCH_META['io.k8s.api.networking.v1.IngressSpec'].rules.listType, 'atomic')
    assert.equal(SCHEMA_MAP_TYPE['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'], 'atomic')
  })

  it('gives every built-in kind a schema', () => {
    for (const r of RESOURCES) {
      if (r.verbs.length === 1 && r.verbs[0] === 'create') continue // reviews and bindings have no metadata facts
      const s = builtinPatchSchema(r.group, r.version, r.kind)
      assert.ok(s, `${r.group}/${r.version} ${r.kind}`)
      assert.equal(s.field('metadata')?.schema?.field('finalizers')?.meta.strategy, 'merge', r.kind)
    }
  })
})
