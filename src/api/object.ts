// object.ts: the shape every Kubernetes object shares. Concrete kinds come from kubernetes-types.
import type {ObjectMeta} from 'kubernetes-types/meta/v1.js'

export type {ObjectMeta}

/** KubeObject is any Kubernetes object: apiVersion, kind, metadata and kind-specific fields. */
export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata?: ObjectMeta
  [field: string]: unknown
}

/** KubeList is a typed list as the apiserver returns it. */
export interface KubeList<T = KubeObject> {
  apiVersion: string
  kind: string
  metadata: {resourceVersion?: string; continue?: string; remainingItemCount?: number}
  items: T[]
}

/** WatchEvent is one line of a watch stream. */
export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: T
}
