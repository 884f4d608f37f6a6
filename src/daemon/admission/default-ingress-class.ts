// default-ingress-class.ts: the DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass):
// a new Ingress that names no class (neither spec.ingressClassName nor the legacy kubernetes.io/ingress.class
// annotation) gets the IngressClass marked `ingressclass.kubernetes.io/is-default-class: "true"`; with several
// defaults the newest wins (Kubernetes ≥1.28).
import type {KubeObject} from '../../api/object.js'
import type {AdmissionDeps} from '../controllers/index.js'
import {resolveResource} from '../controllers/framework/informer.js'
import type {AdmissionPlugin} from '../registry/types.js'

/** DEFAULT_CLASS_ANNOTATION marks the default IngressClass. */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class'

/** defaultIngressClass picks the default class among classes, or undefined. */
export function defaultIngressClass(classes: KubeObject[]): string | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
  defaults.sort((a, b) => {
    const ta = String(a.metadata?.creationTimestamp ?? '')
    const tb = String(b.metadata?.creationTimestamp ?? '')
    return ta === tb ? String(a.metadata?.name).localeCompare(String(b.metadata?.name)) : tb.localeCompare(ta)
  })
  return defaults[0]?.metadata?.name
}

/** defaultIngressClassAdmission builds the plugin; it mutates ingresses on CREATE only. */
export const defaultIngressClassAdmission = (d: AdmissionDeps): AdmissionPlugin => ({
  name: 'DefaultIngressClass',
  mutate(a) {
    if (
      a.operation !== 'CREATE' ||
      a.subresource ||
      a.resource.group !== 'networking.k8s.io' ||
      a.resource.plural !== 'ingresses'
    )
      return
    const ing = a.object as KubeObject & {spec?: {ingressClassName?: string}}
    if (ing.spec?.ingressClassName || ing.metadata?.annotations?.['kubernetes.io/ingress.class']) return
    const classes = d.registry.list(resolveResource(d.resources(), 'networking.k8s.io/ingressclasses'), undefined).items
    const name = defaultIngressClass(classes)
    if (name) ing.spec = {...(ing.spec ?? {}), ingressClassName: name}
  },
})
