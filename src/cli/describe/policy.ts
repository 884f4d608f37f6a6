// policy.ts describes PodDisruptionBudgets, PriorityClasses and HorizontalPodAutoscalers. Follows
// kubectl/pkg/describe/describe.go (describePodDisruptionBudgetV1, describePriorityClass,
// describeHorizontalPodAutoscalerV2, printDirectionBehavior).
import {formatLabelSelector, formatLabels} from '../../api/labels.js'
import {goQuote} from '../../api/gofmt.js'
import {apiPath, getObject, type DescribeContext} from './context.js'
import {describeEvents, eventsFor} from './events.js'
import {
  num,
  printAnnotationsMultiline,
  printLabelsMultiline,
  quantityString,
  rfc1123z,
  str,
  type Obj,
} from './format.js'
import {LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString, type PrefixWriter} from './prefix-writer.js'

/** describePodDisruptionBudget is PodDisruptionBudgetDescriber (policy/v1). */
export async function describePodDisruptionBudget(
  ctx: DescribeContext,
  namespace: string,
  name: string,
): Promise<string> {
  const pdb = await getObject(ctx, apiPath('policy', 'v1', namespace, 'poddisruptionbudgets', name))
  const events = await eventsFor(ctx, pdb, 'PodDisruptionBudget')
  const now = ctx.now()
  return tabbedString((w) => {
    const spec = pdb.spec ?? {}
    const st = pdb.status ?? {}
    w.write(LEVEL_0, `Name:\t${str(pdb.metadata?.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(pdb.metadata?.namespace)}\n`)
    if (spec.minAvailable !== undefined && spec.minAvailable !== null)
      w.write(LEVEL_0, `Min available:\t${spec.minAvailable}\n`)
    else if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      w.write(LEVEL_0, `Max unavailable:\t${spec.maxUnavailable}\n`)
    }
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`)
    w.write(LEVEL_0, 'Status:\n')
    w.write(LEVEL_2, `Allowed disruptions:\t${num(st.disruptionsAllowed)}\n`)
    w.write(LEVEL_2, `Current:\t${num(st.currentHealthy)}\n`)
    w.write(LEVEL_2, `Desired:\t${num(st.desiredHealthy)}\n`)
    w.write(LEVEL_2, `Total:\t${num(st.expectedPods)}\n`)
    if (events) describeEvents(events, w, now)
  })
}

/** describePriorityClass is PriorityClassDescriber. */
export async function describePriorityClass(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  const pc = await getObject(ctx, apiPath('scheduling.k8s.io', 'v1', undefined, 'priorityclasses', name))
  const events = await eventsFor(ctx, pc, 'PriorityClass')
  const now = ctx.now()
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(pc.metadata?.name)}\n`)
    w.write(LEVEL_0, `Value:\t${num(pc.value)}\n`)
    w.write(LEVEL_0, `GlobalDefault:\t${pc.globalDefault === true}\n`)
    w.write(LEVEL_0, `PreemptionPolicy:\t${str(pc.preemptionPolicy)}\n`)
    w.write(LEVEL_0, `Description:\t${str(pc.description)}\n`)
    w.write(LEVEL_0, `Annotations:\t${formatLabels(pc.metadata?.annotations)}\n`)
    if (events) describeEvents(events, w, now)
  })
}

function printDirectionBehavior(w: PrefixWriter, direction: string, rules: Obj | undefined): void {
  if (!rules) return
  w.write(LEVEL_1, `${direction}:\n`)
  if (typeof rules.stabilizationWindowSeconds === 'number') {
    w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`)
  }
  const policies: Obj[] = rules.policies ?? []
  if (policies.length > 0) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ? rules.selectPolicy : 'Max'}\n`)
    w.write(LEVEL_2, 'Policies:\n')
    for (const p of policies) {
      w.write(LEVEL_3, `- Type: ${str(p.type)}\tValue: ${num(p.value)}\tPeriod: ${num(p.periodSeconds)} seconds\n`)
    }
  }
}

/** describeHorizontalPodAutoscaler is HorizontalPodAutoscalerDescriber (autoscaling/v2). */
export async function describeHorizontalPodAutoscaler(
  ctx: DescribeContext,
  namespace: string,
  name: string,
): Promise<string> {
  const hpa = await getObject(ctx, apiPath('autoscaling', 'v2', namespace, 'horizontalpodautoscalers', name))
  const events = await eventsFor(ctx, hpa, 'HorizontalPodAutoscaler')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = hpa.metadata ?? {}
    const spec = hpa.spec ?? {}
    const st = hpa.status ?? {}
    const current: Obj[] = st.currentMetrics ?? []
    const q = (v: unknown) => quantityString(v)
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    w.write(LEVEL_0, `Reference:\t${str(spec.scaleTargetRef?.kind)}/${str(spec.scaleTargetRef?.name)}\n`)
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n')
    ;(spec.metrics ?? []).forEach((m: Obj, i: number) => {
      const cur = current[i]
      switch (m.type) {
        case 'External': {
          const t = m.external?.target ?? {}
          if (t.averageValue !== undefined) {
            const c =
              cur?.external?.current?.averageValue !== undefined ? q(cur.external.current.averageValue) : '<unknown>'
            w.write(
              LEVEL_1,
              `${goQuote(str(m.external?.metric?.name))} (target average value):\t${c} / ${q(t.averageValue)}\n`,
            )
          } else {
            const c = cur?.external ? q(cur.external.current?.value) : '<unknown>'
            w.write(LEVEL_1, `${goQuote(str(m.external?.metric?.name))} (target value):\t${c} / ${q(t.value)}\n`)
          }
          break
        }
        case 'Pods': {
          const c = cur?.pods ? q(cur.pods.current?.averageValue) : '<unknown>'
          w.write(
            LEVEL_1,
            `${goQuote(str(m.pods?.metric?.name))} on pods:\t${c} / ${q(m.pods?.target?.averageValue)}\n`,
          )
          break
        }
        case 'Object': {
          const o = m.object ?? {}
          w.write(
            LEVEL_1,
            `"${str(o.metric?.name)}" on ${str(o.describedObject?.kind)}/${str(o.describedObject?.name)} `,
          )
          if (o.target?.type === 'AverageValue') {
            const c = cur?.object ? q(cur.object.current?.averageValue) : '<unknown>'
            w.write(LEVEL_0, `(target average value):\t${c} / ${q(o.target?.averageValue)}\n`)
          } else {
            const c = cur?.object ? q(cur.object.current?.value) : '<unknown>'
            w.write(LEVEL_0, `(target value):\t${c} / ${q(o.target?.value)}\n`)
          }
          break
        }
        case 'Resource':
        case 'ContainerResource': {
          const key = m.type === 'Resource' ? 'resource' : 'containerResource'
          const r = m[key] ?? {}
          if (m.type === 'Resource') w.write(LEVEL_1, `resource ${str(r.name)} on pods`)
          else w.write(LEVEL_1, `resource ${str(r.name)} of container "${str(r.container)}" on pods`)
          if (r.target?.averageValue !== undefined) {
            const c = cur?.[key] ? q(cur[key].current?.averageValue) : '<unknown>'
            w.write(LEVEL_0, `:\t${c} / ${q(r.target.averageValue)}\n`)
          } else {
            const cc = cur?.[key]?.current
            const c =
              typeof cc?.averageUtilization === 'number'
                ? `${cc.averageUtilization}% (${q(cc.averageValue)})`
                : '<unknown>'
            const t = typeof r.target?.averageUtilization === 'number' ? `${r.target.averageUtilization}%` : '<auto>'
            w.write(LEVEL_1, `(as a percentage of request):\t${c} / ${t}\n`)
          }
          break
        }
        default:
          w.write(LEVEL_1, `<unknown metric type ${goQuote(str(m.type))}>\n`)
      }
    })
    w.write(LEVEL_0, `Min replicas:\t${typeof spec.minReplicas === 'number' ? spec.minReplicas : '<unset>'}\n`)
    w.write(LEVEL_0, `Max replicas:\t${num(spec.maxReplicas)}\n`)
    if (spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n')
      printDirectionBehavior(w, 'Scale Up', spec.behavior.scaleUp)
      printDirectionBehavior(w, 'Scale Down', spec.behavior.scaleDown)
    }
    w.write(LEVEL_0, `${str(spec.scaleTargetRef?.kind)} pods:\t`)
    w.write(LEVEL_0, `${num(st.currentReplicas)} current / ${num(st.desiredReplicas)} desired\n`)
    const conditions: Obj[] = st.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t------\t-------\n')
      for (const c of conditions)
        w.write(LEVEL_1, `${str(c.type)}\t${str(c.status)}\t${str(c.reason)}\t${str(c.message)}\n`)
    }
    if (events) describeEvents(events, w, now)
  })
}
