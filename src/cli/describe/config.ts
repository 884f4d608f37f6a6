// config.ts describes ConfigMaps, Secrets, ServiceAccounts, Namespaces, ResourceQuotas and LimitRanges. Follows
// kubectl/pkg/describe/describe.go (ConfigMapDescriber, describeSecret, describeServiceAccount, describeNamespace,
// DescribeResourceQuotas, DescribeLimitRanges, describeQuota, describeLimitRange). Where kubectl ranges over a Go map
// (ConfigMap and Secret data, LimitRange resources) its order is random; mkctl prints those keys sorted.
import {compareCodePoints} from '../../api/gofmt.js'
import {Quantity} from '../../api/quantity.js'
import {apiPath, getObject, listAll, type DescribeContext} from './context.js'
import {describeEvents, eventsFor, searchEvents, refFor} from './events.js'
import {
  goSortStrings,
  printAnnotationsMultiline,
  printLabelsMultiline,
  quantity,
  quantityString,
  rfc1123z,
  str,
  type Obj,
} from './format.js'
import {goSort} from './gosort.js'
import {LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter} from './prefix-writer.js'
import {StatusError} from '../../api/errors.js'

/** describeConfigMap is ConfigMapDescriber. */
export async function describeConfigMap(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const cm = await getObject(ctx, apiPath('', 'v1', namespace, 'configmaps', name))
  let events: Obj[] | undefined
  if (ctx.settings.showEvents) {
    events = await searchEvents(ctx, refFor(cm, 'ConfigMap'))
    if (!events) throw new Error('events could not be listed')
  }
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = cm.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, '\nData\n====\n')
    const data: Record<string, string> = cm.data ?? {}
    for (const k of goSortStrings(Object.keys(data))) {
      w.write(LEVEL_0, `${k}:\n----\n`)
      w.write(LEVEL_0, `${data[k]}\n`)
      w.write(LEVEL_0, '\n')
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n')
    const bin: Record<string, string> = cm.binaryData ?? {}
    for (const k of goSortStrings(Object.keys(bin)))
      w.write(LEVEL_0, `${k}: ${Buffer.from(bin[k]!, 'base64').length} bytes\n`)
    w.write(LEVEL_0, '\n')
    if (events) describeEvents(events, w, now)
  })
}

/** describeSecret is SecretDescriber: data values are shown as byte counts, except a service account token. */
export async function describeSecret(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const s = await getObject(ctx, apiPath('', 'v1', namespace, 'secrets', name))
  return tabbedString((w) => {
    const meta = s.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `\nType:\t${str(s.type)}\n`)
    w.write(LEVEL_0, '\nData\n====\n')
    const data: Record<string, string> = s.data ?? {}
    for (const k of goSortStrings(Object.keys(data))) {
      const bytes = Buffer.from(data[k] ?? '', 'base64')
      if (k === 'token' && s.type === 'kubernetes.io/service-account-token')
        w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`)
      else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`)
    }
  })
}

/** describeServiceAccount is ServiceAccountDescriber. */
export async function describeServiceAccount(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const sa = await getObject(ctx, apiPath('', 'v1', namespace, 'serviceaccounts', name))
  const tokens: string[] = []
  const missing = new Set<string>()
  try {
    const secrets = await listAll(ctx, apiPath('', 'v1', namespace, 'secrets'))
    const existing = new Set<string>()
    for (const s of secrets) {
      if (s.type === 'kubernetes.io/service-account-token') {
        const ann = s.metadata?.annotations ?? {}
        if (
          ann['kubernetes.io/service-account.name'] === sa.metadata?.name &&
          ann['kubernetes.io/service-account.uid'] === sa.metadata?.uid
        ) {
          tokens.push(str(s.metadata?.name))
        }
      }
      existing.add(str(s.metadata?.name))
    }
    for (const s of [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])])
      if (!existing.has(str(s.name))) missing.add(str(s.name))
  } catch {
    // kubectl describes the account with the secrets it references even when they cannot be listed
  }
  const events = await eventsFor(ctx, sa, 'ServiceAccount')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = sa.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    const sections: [string, string[]][] = [
      ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s: Obj) => str(s.name))],
      ['Mountable secrets: ', (sa.secrets ?? []).map((s: Obj) => str(s.name))],
      ['Tokens:            ', tokens],
    ]
    for (const [header, names] of sections) {
      if (names.length === 0) {
        w.write(LEVEL_0, `${header}\t<none>\n`)
        continue
      }
      let prefix = header
      for (const n of names) {
        w.write(LEVEL_0, `${prefix}\t${n}${missing.has(n) ? ' (not found)' : ''}\n`)
        prefix = '                   '
      }
    }
    if (events) describeEvents(events, w, now)
  })
}

const SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort:
    'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
}

function describeResourceQuotas(quotas: Obj[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n')
    return
  }
  w.write(LEVEL_0, 'Resource Quotas\n')
  for (const q of goSort(quotas, (a, b) => compareCodePoints(str(a.metadata?.name), str(b.metadata?.name)) < 0)) {
    w.write(LEVEL_1, `Name:\t${str(q.metadata?.name)}\n`)
    const scopes = goSortStrings(q.spec?.scopes ?? [])
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`)
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`)
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n')
    w.write(LEVEL_1, '--------\t---\t---\n')
    const hard = q.status?.hard ?? {}
    for (const r of goSortStrings(Object.keys(hard))) {
      w.write(LEVEL_1, `${r}\t${quantityString(q.status?.used?.[r])}\t${quantityString(hard[r])}\n`)
    }
  }
}

function describeLimitRangeSpec(spec: Obj | undefined, prefix: string, w: PrefixWriter): void {
  for (const item of spec?.limits ?? []) {
    const lists = [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]
    const names = goSortStrings([...new Set(lists.flatMap((l) => Object.keys(l ?? {})))])
    const v = (l: Obj | undefined, k: string) => (l && k in l ? quantityString(l[k]) : '-')
    for (const k of names) {
      w.write(
        LEVEL_0,
        `${prefix}${str(item.type)}\t${k}\t${v(item.min, k)}\t${v(item.max, k)}\t${v(item.defaultRequest, k)}\t${v(item.default, k)}\t${v(item.maxLimitRequestRatio, k)}\n`,
      )
    }
  }
}

function describeLimitRanges(ranges: Obj[], w: PrefixWriter): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n')
    return
  }
  w.write(
    LEVEL_0,
    'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n',
  )
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n')
  for (const lr of ranges) describeLimitRangeSpec(lr.spec, ' ', w)
}

async function listOrNotFound(ctx: DescribeContext, path: string): Promise<Obj[] | undefined> {
  try {
    return await listAll(ctx, path)
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'NotFound') return undefined
    throw e
  }
}

/** describeNamespace is NamespaceDescriber (with the namespace's quotas and limit ranges). */
export async function describeNamespace(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  const ns = await getObject(ctx, apiPath('', 'v1', undefined, 'namespaces', name))
  const quotas = await listOrNotFound(ctx, apiPath('', 'v1', name, 'resourcequotas'))
  const limits = await listOrNotFound(ctx, apiPath('', 'v1', name, 'limitranges'))
  return tabbedString((w) => {
    const meta = ns.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Status:\t${str(ns.status?.phase)}\n`)
    const conditions: Obj[] = ns.status?.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n')
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${str(c.type)}\t${str(c.status)}\t${rfc1123z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`,
        )
      }
    }
    if (quotas) {
      w.write(LEVEL_0, '\n')
      describeResourceQuotas(quotas, w)
    }
    if (limits) {
      w.write(LEVEL_0, '\n')
      describeLimitRanges(limits, w)
    }
  })
}

/** describeLimitRange is LimitRangeDescriber. */
export async function describeLimitRange(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const lr = await getObject(ctx, apiPath('', 'v1', namespace, 'limitranges', name))
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(lr.metadata?.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(lr.metadata?.namespace)}\n`)
    w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n')
    w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n')
    describeLimitRangeSpec(lr.spec, '', w)
  })
}

/** describeResourceQuota is ResourceQuotaDescriber; a used amount is shown in the hard amount's format. */
export async function describeResourceQuota(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const rq = await getObject(ctx, apiPath('', 'v1', namespace, 'resourcequotas', name))
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(rq.metadata?.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(rq.metadata?.namespace)}\n`)
    const scopes = goSortStrings(rq.spec?.scopes ?? [])
    if (scopes.length > 0) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`)
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`)
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n')
    w.write(LEVEL_0, '--------\t----\t----\n')
    const hard = rq.status?.hard ?? {}
    for (const r of goSortStrings(Object.keys(hard))) {
      const h = quantity(hard[r])
      const usedRaw = rq.status?.used?.[r]
      let used = quantity(usedRaw)
      if (usedRaw === undefined || used.format !== h.format) used = Quantity.fromValue(used.value(), h.format)
      w.write(LEVEL_0, `${r}\t${used.canonical()}\t${h.canonical()}\n`)
    }
  })
}
