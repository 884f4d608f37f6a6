// namespace-defaults.ts gives every namespace what kube-controller-manager gives it: the `default`
// ServiceAccount (serviceaccounts-controller) and the `kube-root-ca.crt` ConfigMap holding the cluster CA
// (root-ca-cert-publisher). Level-based: it ensures both exist for every active namespace, at start and on
// every namespace event, and puts them back if deleted.
import {isAlreadyExists, isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceTable} from '../../api/resources.js'
import type {Registry} from '../registry/generic.js'

/** startNamespaceDefaults ensures the default objects and keeps them; returns a stop function. */
export function startNamespaceDefaults(registry: Registry, resources: () => ResourceTable, caCert: string): () => void {
  const t = resources()
  const nsR = t.lookup('', 'v1', 'namespaces')!
  const saR = t.lookup('', 'v1', 'serviceaccounts')!
  const cmR = t.lookup('', 'v1', 'configmaps')!
  const ensure = (ns: string) => {
    const objs: [typeof saR, KubeObject][] = [
      [saR, {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'default'}}],
      [
        cmR,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {name: 'kube-root-ca.crt', annotations: {'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.'}},
          data: {'ca.crt': caCert},
        },
      ],
    ]
    for (const [r, obj] of objs) {
      if (registry.tryGet(r, ns, String(obj.metadata!.name))) continue
      try {
        registry.create(r, ns, obj)
      } catch (e) {
        // A namespace that is going away, or a race with a user's create: both are fine.
        if (!isAlreadyExists(e) && !isNotFound(e) && !(e as {reason?: string}).reason?.includes('Forbidden')) throw e
      }
    }
  }
  const active = (o: KubeObject) => !o.metadata?.deletionTimestamp && (o.status as any)?.phase !== 'Terminating'
  for (const ns of registry.list(nsR, undefined).items) if (active(ns)) ensure(String(ns.metadata?.name))
  const rv = String(registry.currentRevision())
  const stops = [
    registry.watch(nsR, undefined, {resourceVersion: rv}, (e) => {
      if (e.type !== 'DELETED' && active(e.object)) ensure(String(e.object.metadata?.name))
    }),
    ...[saR, cmR].map((r) =>
      registry.watch(r, undefined, {resourceVersion: rv}, (e) => {
        const name = e.object.metadata?.name
        if (e.type !== 'DELETED' || (name !== 'default' && name !== 'kube-root-ca.crt')) return
        const ns = registry.tryGet(nsR, undefined, String(e.object.metadata?.namespace))
        if (ns && active(ns)) ensure(String(ns.metadata?.name))
      }),
    ),
  ]
  return () => stops.forEach((s) => s())
}
