// fields.ts: field selectors. Parsing, escaping and matching follow apimachinery/pkg/fields/selector.go (v0.32).
// The selectable fields of each kind follow the registries' GetAttrs/ToSelectableFields (kubernetes
// pkg/registry/*/*/strategy.go) and the labels each kind accepts follow the field label conversion functions
// (pkg/apis/core/v1/conversion.go, batch/v1, certificates/v1, events/v1 and runtime.DefaultMetaV1FieldSelectorConversion).

/** FieldRequirement is one term: `field=value` (also written `==`) or `field!=value`. */
export interface FieldRequirement {
  readonly field: string
  readonly operator: '=' | '!='
  readonly value: string
}

/** FieldSelectorError is a selector that does not parse or names an unsupported field; message is upstream's. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FieldSelectorError'
  }
}

/** Fields maps selectable field names to their string values; a missing field reads as ''. */
export type Fields = Record<string, string>

/** escapeFieldValue escapes '\', ',' and '=' with a backslash (fields.EscapeValue). */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c)
}

/** unescapeFieldValue undoes escapeFieldValue; an unknown escape or a bare ',' or '=' is an error. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`)
      }
      out += c
      inSlash = false
    } else if (c === '\\') {
      inSlash = true
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, i.e. as its number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    } else {
      out += c
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\')
  return out
}

/**
 * FieldSelector is an AND of field requirements, in the order parsing left them (terms sorted as strings).
 * nothing() matches no object.
 */
export class FieldSelector {
  private constructor(
    private readonly reqs: readonly FieldRequirement[],
    private readonly isNothing: boolean,
  ) {}

  /** of builds a selector from requirements, in the given order. */
  static of(reqs: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector([...reqs], false)
  }

  /** NOTHING matches no object. */
  static readonly NOTHING: FieldSelector = new FieldSelector([], true)

  /** matches says whether every requirement holds; a field missing from fields reads as ''. */
  matches(fields: Fields | null | undefined): boolean {
    if (this.isNothing) return false
    return this.reqs.every((r) => {
      const v = fields && Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field]! : ''
      return r.operator === '=' ? v === r.value : v !== r.value
    })
  }

  /** empty is true when the selector does not restrict (nothing() is not empty). */
  empty(): boolean {
    return !this.isNothing && this.reqs.length === 0
  }

  /** requirements lists the terms. */
  requirements(): readonly FieldRequirement[] {
    return this.reqs
  }

  /** requiresExactMatch returns the value an `=` term pins field to, if any. */
  requiresExactMatch(field: string): string | undefined {
    return this.reqs.find((r) => r.field === field && r.operator === '=')?.value
  }

  /**
   * transform rewrites every term through fn (field label conversion); fn throws for unsupported labels.
   * A term whose field and value both become '' is dropped, as upstream does.
   */
  transform(fn: (field: string, value: string) => {field: string; value: string}): FieldSelector {
    if (this.isNothing) return this
    const out: FieldRequirement[] = []
    for (const r of this.reqs) {
      const t = fn(r.field, r.value)
      if (t.field === '' && t.value === '') continue
      out.push({field: t.field, operator: r.operator, value: t.value})
    }
    return FieldSelector.of(out)
  }

  /** toString prints `f=v,g!=w` with values escaped ('==' prints as '='). */
  toString(): string {
    return this.reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',')
  }
}

/** fieldsEverything returns the selector that matches every object. */
export function fieldsEverything(): FieldSelector {
  return FieldSelector.of([])
}

/** fieldsNothing returns the selector that matches no object. */
export function fieldsNothing(): FieldSelector {
  return FieldSelector.NOTHING
}

/** oneTermEqualSelector is `field=value`. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return FieldSelector.of([{field, operator: '=', value}])
}

/** oneTermNotEqualSelector is `field!=value`. */
export function oneTermNotEqualSelector(field: string, value: string): FieldSelector {
  return FieldSelector.of([{field, operator: '!=', value}])
}

/** fieldSelectorFromSet is the AND of `k=v` for each entry. */
export function fieldSelectorFromSet(set: Fields): FieldSelector {
  return FieldSelector.of(Object.entries(set).map(([field, value]) => ({field, operator: '=' as const, value})))
}

// splitTerms splits on commas that are not escaped; the backslashes stay in the terms.
function splitTerms(s: string): string[] {
  if (s.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') {
      terms.push(s.slice(start, i))
      start = i + 1
    }
  }
  terms.push(s.slice(start))
  return terms
}

// splitTerm splits at the first operator; '!=' and '==' are tried before '=' at each position.
function splitTerm(term: string): {lhs: string; op: string; rhs: string} | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return {lhs: term.slice(0, i), op, rhs: term.slice(i + op.length)}
    }
  }
  return undefined
}

/**
 * parseFieldSelector parses `a=b`, `a==b`, `a!=b` joined by ','; values may escape '\', ',' and '=' with '\'.
 * Terms are sorted as strings first, as upstream does. An empty string selects everything.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort()
  const reqs: FieldRequirement[] = []
  for (const part of parts) {
    if (part === '') continue
    const t = splitTerm(part)
    if (!t) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`)
    const value = unescapeFieldValue(t.rhs)
    reqs.push({field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value})
  }
  return FieldSelector.of(reqs)
}

// ---- supported field labels per kind ----

interface Conversion {
  /** labels passed through unchanged. */
  labels: string[]
  /** labels accepted under another name. */
  renames?: Record<string, string>
  /** the error text for any other label. */
  error: (label: string) => string
}

const META = ['metadata.name', 'metadata.namespace']

const notSupported = (label: string): string => `field label not supported: ${label}`

// Keyed by "group/Kind" ('' for core). Kinds without an entry use the default: metadata.name and metadata.namespace.
const CONVERSIONS: Record<string, Conversion> = {
  '/Pod': {
    labels: [
      ...META,
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
    // Old v1 clients send spec.host.
    renames: {'spec.host': 'spec.nodeName'},
    error: notSupported,
  },
  '/Node': {labels: ['metadata.name', 'spec.unschedulable'], error: notSupported},
  '/ReplicationController': {labels: [...META, 'status.replicas'], error: notSupported},
  '/Event': {
    labels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      ...META,
    ],
    error: notSupported,
  },
  '/Namespace': {labels: ['status.phase', 'metadata.name'], error: notSupported},
  '/Secret': {labels: ['type', ...META], error: notSupported},
  '/Service': {labels: [...META, 'spec.clusterIP', 'spec.type'], error: notSupported},
  'batch/Job': {
    labels: [...META, 'status.successful'],
    error: (l) => `field label ${JSON.stringify(l)} not supported for batchv1.Job`,
  },
  'certificates.k8s.io/CertificateSigningRequest': {labels: ['metadata.name', 'spec.signerName'], error: notSupported},
  // events.k8s.io names the involved object "regarding" and maps onto the core Event's fields.
  'events.k8s.io/Event': {
    labels: ['reason', 'type', ...META],
    renames: {
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
    },
    error: notSupported,
  },
}

const DEFAULT_CONVERSION: Conversion = {
  labels: META,
  error: (l) => `${JSON.stringify(l)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
}

/**
 * convertFieldLabel maps a field label of group/kind to the name objectFields uses, or throws FieldSelectorError
 * with the apiserver's text (`field label not supported: foo`, or for kinds without their own list
 * `"foo" is not a known field selector: only "metadata.name", "metadata.namespace"`).
 */
export function convertFieldLabel(group: string, kind: string, label: string): string {
  const conv = CONVERSIONS[`${group}/${kind}`] ?? DEFAULT_CONVERSION
  if (conv.labels.includes(label)) return label
  if (conv.renames && Object.prototype.hasOwnProperty.call(conv.renames, label)) return conv.renames[label]!
  throw new FieldSelectorError(conv.error(label))
}

/** supportedFieldLabels lists the labels group/kind accepts (without the legacy spec.host alias). */
export function supportedFieldLabels(group: string, kind: string): string[] {
  const conv = CONVERSIONS[`${group}/${kind}`] ?? DEFAULT_CONVERSION
  return [...conv.labels, ...Object.keys(conv.renames ?? {}).filter((l) => l !== 'spec.host')]
}

/**
 * convertFieldSelector checks and rewrites a parsed selector for group/kind as the apiserver's list handler does
 * (terms in order, the first unsupported label throws).
 */
export function convertFieldSelector(group: string, kind: string, sel: FieldSelector): FieldSelector {
  return sel.transform((field, value) => ({field: convertFieldLabel(group, kind, field), value}))
}

// ---- selectable fields of an object ----

type Obj = Record<string, unknown>

function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Obj)[p]
  }
  return cur
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

function int(v: unknown): string {
  return String(typeof v === 'number' ? v : 0)
}

/**
 * objectFields computes the selectable fields of an object of the given kind: metadata.name and
 * metadata.namespace for every kind, plus the kind's own (Pod spec.nodeName, status.phase, ...; Event
 * involvedObject.*; Secret type; Node spec.unschedulable; Namespace status.phase; ReplicaSet and
 * ReplicationController status.replicas; Job status.successful; Service spec.clusterIP and spec.type;
 * CertificateSigningRequest spec.signerName). Booleans print as `true`/`false`, counts as decimal numbers.
 * group only matters for events.k8s.io Events, whose involved object is `regarding`.
 */
export function objectFields(kind: string, obj: unknown, group = ''): Fields {
  const f: Fields = {
    'metadata.name': str(get(obj, 'metadata', 'name')),
    'metadata.namespace': str(get(obj, 'metadata', 'namespace')),
  }
  switch (kind) {
    case 'Pod': {
      f['spec.nodeName'] = str(get(obj, 'spec', 'nodeName'))
      f['spec.restartPolicy'] = str(get(obj, 'spec', 'restartPolicy'))
      f['spec.schedulerName'] = str(get(obj, 'spec', 'schedulerName'))
      f['spec.serviceAccountName'] = str(get(obj, 'spec', 'serviceAccountName'))
      f['spec.hostNetwork'] = String(get(obj, 'spec', 'hostNetwork') === true)
      f['status.phase'] = str(get(obj, 'status', 'phase'))
      // The internal type keeps only podIPs; v1's podIP is its first entry.
      const ips = get(obj, 'status', 'podIPs')
      const first = Array.isArray(ips) && ips.length > 0 ? get(ips[0], 'ip') : get(obj, 'status', 'podIP')
      f['status.podIP'] = str(first)
      f['status.nominatedNodeName'] = str(get(obj, 'status', 'nominatedNodeName'))
      break
    }
    case 'Event': {
      const inv = group === 'events.k8s.io' ? 'regarding' : 'involvedObject'
      for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
        f[`involvedObject.${k}`] = str(get(obj, inv, k))
      }
      f['reason'] = str(get(obj, 'reason'))
      f['reportingComponent'] = str(
        group === 'events.k8s.io' ? get(obj, 'reportingController') : get(obj, 'reportingComponent'),
      )
      f['source'] = str(
        group === 'events.k8s.io' ? get(obj, 'deprecatedSource', 'component') : get(obj, 'source', 'component'),
      )
      f['type'] = str(get(obj, 'type'))
      break
    }
    case 'Secret':
      f['type'] = str(get(obj, 'type'))
      break
    case 'Node':
      f['spec.unschedulable'] = String(get(obj, 'spec', 'unschedulable') === true)
      break
    case 'Namespace':
      f['status.phase'] = str(get(obj, 'status', 'phase'))
      break
    case 'ReplicaSet':
    case 'ReplicationController':
      f['status.replicas'] = int(get(obj, 'status', 'replicas'))
      break
    case 'Job':
      f['status.successful'] = int(get(obj, 'status', 'succeeded'))
      break
    case 'Service':
      f['spec.clusterIP'] = str(get(obj, 'spec', 'clusterIP'))
      f['spec.type'] = str(get(obj, 'spec', 'type'))
      break
    case 'CertificateSigningRequest':
      f['spec.signerName'] = str(get(obj, 'spec', 'signerName'))
      break
  }
  return f
}
