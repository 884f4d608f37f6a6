// last-applied.ts handles the `kubectl.kubernetes.io/last-applied-configuration` annotation that client-side apply
// diffs against (follows kubectl/pkg/util/apply.go: GetModifiedConfiguration, CreateApplyAnnotation,
// GetOriginalConfiguration). The stored text is the manifest as compact JSON (encoding/json: sorted keys, HTML-safe
// escapes) plus a newline, with the annotation itself taken out and `annotations: {}` left in its place.
import type {KubeObject} from '../../api/object.js'
import {toJson} from '../printers/json.js'

/** LAST_APPLIED is the annotation key (corev1.LastAppliedConfigAnnotation). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

function encode(obj: unknown): string {
  return toJson(obj, '') + '\n'
}

/**
 * modifiedConfiguration returns the object encoded without its last-applied annotation; with annotate, the
 * encoding of the object carrying that first encoding as its annotation (what apply sends).
 */
export function modifiedConfiguration(obj: KubeObject, annotate: boolean): string {
  const copy = structuredClone(obj)
  const meta = (copy.metadata ??= {})
  const annots: Record<string, string> = {...(meta.annotations ?? {})}
  delete annots[LAST_APPLIED]
  meta.annotations = annots
  const modified = encode(copy)
  if (!annotate) return modified
  annots[LAST_APPLIED] = modified
  return encode(copy)
}

/** createApplyAnnotation sets the annotation to the object's own configuration (create --save-config, apply create). */
export function createApplyAnnotation(obj: KubeObject): void {
  const modified = modifiedConfiguration(obj, false)
  const meta = (obj.metadata ??= {})
  meta.annotations = {...(meta.annotations ?? {}), [LAST_APPLIED]: modified}
}

/** originalConfiguration returns the annotation's text, or undefined when the object has none. */
export function originalConfiguration(obj: KubeObject): string | undefined {
  return obj.metadata?.annotations?.[LAST_APPLIED]
}
