// crds.ts serves custom resources: every established CustomResourceDefinition adds its served versions to the
// resource table (so discovery, routing and the generic handlers pick them up), and a new CRD is marked
// NamesAccepted and Established, as the apiextensions-apiserver's controllers do.
import type {KubeObject} from '../api/object.js'
import {CRUD, type ResourceInfo, type ResourceTable} from '../api/resources.js'
import {rfc3339, type Clock} from './clock.js'
import type {Registry} from './registry/generic.js'

function crdResource(table: ResourceTable): ResourceInfo {
  return table.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!
}

/** resourcesOfCRD lists the resources a CRD serves, one per served version. */
export function resourcesOfCRD(crd: any): ResourceInfo[] {
  const spec = crd?.spec ?? {}
  const names = spec.names ?? {}
  if (!spec.group || !names.plural || !names.kind) return []
  return (spec.versions ?? [])
    .filter((v: any) => v.served !== false)
    .map((v: any) => ({
      group: spec.group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      plural: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      shortNames: names.shortNames ?? [],
      namespaced: spec.scope !== 'Cluster',
      verbs: CRUD,
      categories: names.categories ?? [],
      subresources: [
        ...(v.subresources?.status ? [{name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update']}] : []),
        ...(v.subresources?.scale
          ? [{name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update']}]
          : []),
      ],
      custom: true,
      // Every version of a custom resource is stored under one key space.
      ...(spec.versions.find((x: any) => x.storage)?.name !== v.name ? {storageOf: {group: spec.group, plural: names.plural}} : {}),
    }))
}

/** crdDocuments builds one OpenAPI v3 document per custom group-version (kubectl explain, create -f, apply). */
export function crdDocuments(crds: any[]): Map<string, object> {
  const docs = new Map<string, {openapi: string; info: object; paths: Record<string, any>; components: {schemas: Record<string, any>}}>()
  for (const crd of crds) {
    const spec = crd?.spec ?? {}
    const names = spec.names ?? {}
    if (!spec.group || !names.kind) continue
    const reversed = String(spec.group).split('.').reverse().join('.')
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue
      const gvPath = `apis/${spec.group}/${v.name}`
      const doc = docs.get(gvPath) ?? {openapi: '3.0.0', info: {title: 'Kubernetes CRD Swagger', version: 'v0.1.0'}, paths: {}, components: {schemas: {}}}
      docs.set(gvPath, doc)
      const gvk = {group: spec.group, version: v.name, kind: names.kind}
      const schemaName = `${reversed}.${v.name}.${names.kind}`
      const s = v.schema?.openAPIV3Schema ?? {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}
      doc.components.schemas[schemaName] = {
        ...s,
        properties: {
          apiVersion: {type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.'},
          kind: {type: 'string', description: 'Kind is a string value representing the REST resource this object represents.'},
          metadata: {type: 'object', description: "Standard object's metadata."},
          ...(s.properties ?? {}),
        },
        'x-kubernetes-group-version-kind': [gvk],
      }
      const base = spec.scope === 'Cluster' ? `/apis/${spec.group}/${v.name}/${names.plural}` : `/apis/${spec.group}/${v.name}/namespaces/{namespace}/${names.plural}`
      const ref = {$ref: `#/components/schemas/${schemaName}`}
      const body = {content: {'application/json': {schema: ref}}}
      const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({name, in: 'query', schema: {type: name === 'force' ? 'boolean' : 'string'}}))
      doc.paths[`${base}/{name}`] = {
        get: {operationId: `read${names.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {'200': {description: 'OK', ...body}}},
        patch: {
          operationId: `patch${names.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
          parameters: params,
          requestBody: {content: {'application/merge-patch+json': {schema: {type: 'object'}}, 'application/apply-patch+yaml': {schema: {type: 'object'}}}},
          responses: {'200': {description: 'OK', ...body}},
        },
      }
      doc.paths[base] = {
        post: {operationId: `create${names.kind}`, 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': gvk, parameters: params.slice(0, 3), requestBody: body, responses: {'201': {description: 'Created', ...body}}},
      }
    }
  }
  return docs
}

/** crdResources reads every CRD in the store and returns their resources. */
export function crdResources(registry: Registry, resources: () => ResourceTable): ResourceInfo[] {
  const list = registry.list(crdResource(resources()), undefined)
  return list.items.flatMap((c) => resourcesOfCRD(c))
}

/** watchCRDs keeps the resource table in step with CRDs and marks new CRDs established. */
export function watchCRDs(
  registry: Registry,
  resources: () => ResourceTable,
  setCustom: (custom: ResourceInfo[]) => void,
  clock: Clock,
  setDocument?: (gvPath: string, doc: object | undefined) => void,
): () => void {
  const r = crdResource(resources())
  let published = new Set<string>()
  const publish = () => {
    if (!setDocument) return
    const docs = crdDocuments(registry.list(r, undefined).items)
    for (const gv of published) if (!docs.has(gv)) setDocument(gv, undefined)
    for (const [gv, doc] of docs) setDocument(gv, doc)
    published = new Set(docs.keys())
  }
  publish()
  return registry.watch(r, undefined, {resourceVersion: String(registry.currentRevision())}, (e) => {
    setCustom(crdResources(registry, resources))
    publish()
    if (e.type === 'ADDED') {
      const name = String(e.object.metadata?.name)
      setImmediate(() => {
        try {
          registry.guaranteedUpdate(
            r,
            undefined,
            name,
            (crd: KubeObject) => {
              const now = rfc3339(clock.now())
              const spec = crd.spec as any
              crd.status = {
                acceptedNames: spec.names,
                storedVersions: (spec.versions ?? []).filter((v: any) => v.storage).map((v: any) => v.name),
                conditions: [
                  {type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found'},
                  {type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted'},
                ],
              }
              return crd
            },
            {subresource: 'status'},
          )
        } catch {
          // Deleted before it could be established.
        }
      })
    }
  })
}
