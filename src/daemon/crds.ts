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
): () => void {
  const r = crdResource(resources())
  return registry.watch(r, undefined, {resourceVersion: String(registry.currentRevision())}, (e) => {
    setCustom(crdResources(registry, resources))
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
