// types.ts describes a lab file (apiVersion mkctl.dev/v1, kind Lab) as the loader hands it on, after parsing and
// schema validation. labs/schema.json is the same shape as a JSON Schema; docs/labs.md explains every field.
// Text fields may hold `{{ .param }}` references; they are resolved by template.ts once the parameters are drawn.

/** LAB_API_VERSION is the only apiVersion a lab file may have. */
export const LAB_API_VERSION = 'mkctl.dev/v1'

/** LabMetadata names and describes a lab. */
export interface LabMetadata {
  name: string
  title?: string
  description?: string
  tags?: string[]
  /** minutes is the estimated time a student needs. */
  minutes?: number
  /** seed is the default seed (for parameters and the cluster) when neither the session nor --seed gives one. */
  seed?: number
}

/**
 * ParameterSpec draws one value per student: a fixed value, `pick` (alias `choice`, `oneOf`) from a list, an
 * integer in `range: [min, max]`, or a random string from a `pattern` (`web-[a-z0-9]{5}`). `value` may refer to
 * parameters declared before it (`{{ .app }}-svc`). A bare scalar is a fixed value.
 */
export type ParameterSpec =
  | string
  | number
  | boolean
  | {
      value?: string | number | boolean
      pick?: (string | number | boolean)[]
      choice?: (string | number | boolean)[]
      oneOf?: (string | number | boolean)[]
      range?: [number, number]
      pattern?: string
      description?: string
    }

/** ParamValues are the drawn parameters of one student (one seed). */
export type ParamValues = Record<string, string | number | boolean>

/**
 * SetupStep prepares the cluster before the student starts: apply manifests (inline or a file), run a command, add
 * images to the cluster's image catalog, or schedule a fault on the cluster's clock.
 */
export type SetupStep =
  {apply: string | {file: string}} | {run: string} | {images: ImageSpec[] | {file: string}} | {fault: FaultStep}

/**
 * ImageSpec is one image repository a lab adds to the catalog, in the shape of an image file (docs/images.md):
 * `name` without a tag, `tags`, `ports`, `profile` (default `app`), `behavior` (logs, HTTP answers, exit), ...
 */
export interface ImageSpec {
  name: string
  [field: string]: unknown
}

/**
 * FaultStep is one fault scheduled `at` (a Go duration, default 0) after the setup starts, on the cluster's clock:
 * exactly one of `nodeStop`/`nodeStart` (a node's name), `registryFailure` (pulls of an `image` or of a `registry`
 * host fail until `until`, or for ever), `podKill` (the containers of matching pods are killed, and restarted per
 * their restart policy).
 */
export interface FaultStep {
  at?: string
  nodeStop?: string
  nodeStart?: string
  registryFailure?: {image?: string; registry?: string; until?: string; message?: string}
  podKill?: {namespace?: string; name?: string; selector?: string; container?: string}
}

/** ResourceRef selects objects: `kind/name`, or a kind plus `name` or a label `selector`, in `namespace`. */
export interface ResourceRef {
  resource: string
  name?: string
  namespace?: string
  selector?: string
}

/** Bounds is a min/max pair (both optional) for counts. */
export interface Bounds {
  min?: number
  max?: number
}

/** ExistsCheck passes when the selected objects exist (count bounds default to min 1). */
export interface ExistsCheck extends ResourceRef {
  count?: number | Bounds
}

/** FieldCheck evaluates a kubectl JSONPath on the object (or the List of selected objects) and compares it. */
export interface FieldCheck extends ResourceRef {
  jsonpath: string
  equals?: string | number | boolean
  matches?: string
  contains?: string
  gte?: number | string
  lte?: number | string
  /** count is how many values the JSONPath must yield (an integer, or bounds). */
  count?: number | Bounds
}

/** ReadyCheck passes when a workload is rolled out, a pod Ready or a job Complete within `timeout` of virtual time. */
export interface ReadyCheck extends ResourceRef {
  /** timeout is a Go duration of virtual time the grader may let pass (default 5m). */
  timeout?: string
}

/** IngressTarget is a host and path sent to the ingress controller (the Ingress rules pick the backend). */
export interface IngressTarget {
  host?: string
  path?: string
}

/**
 * ReachableCheck sends an HTTP GET through a Service (`service` and `port`), the ingress controller (`ingress`: a
 * host and path, or the name of an Ingress whose first rule gives them) or a NodePort, and wants `status` (default
 * 200) and optionally a body (`bodyContains`, `bodyMatches`; `body` is an alias of `bodyContains`).
 */
export interface ReachableCheck {
  service?: string
  ingress?: string | IngressTarget
  nodePort?: number | string
  namespace?: string
  port?: number | string
  host?: string
  path?: string
  status?: number | string
  body?: string
  bodyContains?: string
  bodyMatches?: string
  /** timeout is a Go duration of virtual time the grader may let pass while the answer is wrong (default 1m). */
  timeout?: string
}

/** CommandCheck counts the session's commands matching a regular expression. */
export interface CommandCheck {
  matches: string
  min?: number
  max?: number
  /** successful counts only commands that exited 0. */
  successful?: boolean
}

/** HistoryCheck looks at the store's revision history of the selected objects. */
export interface HistoryCheck extends ResourceRef {
  /** jsonpath with from/to: some revision had `from` and a later one, next in change, had `to`. */
  jsonpath?: string
  from?: string | number | boolean
  to?: string | number | boolean
  /** recreated: true wants the object deleted and created again at least once; false wants one lifetime only. */
  recreated?: boolean
  /** edited: true wants the object changed in place (spec, labels, annotations or data) after its creation. */
  edited?: boolean
  /** deleted bounds how many of the selected objects were deleted (e.g. a pod was killed and replaced). */
  deleted?: number | Bounds
}

/** ScriptCheck runs one kubectl command line through mkctl in-process; its exit code (and output) decide. */
export interface ScriptCheck {
  run: string
  exitCode?: number
  outputMatches?: string
}

/** CHECK_KINDS lists the check kinds, the keys that select a check's kind. */
export const CHECK_KINDS = ['exists', 'absent', 'field', 'ready', 'reachable', 'command', 'history', 'script'] as const

/** CheckKind is one of CHECK_KINDS. */
export type CheckKind = (typeof CHECK_KINDS)[number]

/** CheckSpec is one check: exactly one kind key, plus optional points, a name and a custom failure message. */
export interface CheckSpec {
  exists?: ExistsCheck
  absent?: ExistsCheck
  field?: FieldCheck
  ready?: ReadyCheck
  reachable?: ReachableCheck
  command?: CommandCheck
  history?: HistoryCheck
  script?: ScriptCheck
  /** points makes the check worth points of its own (partial credit). */
  points?: number
  /** name labels the check in reports (default: a description made from the check). */
  name?: string
  /** message replaces the failure message; `{{ .actual }}` is what the check found. */
  message?: string
}

/** Task is one graded unit of a lab. */
export interface Task {
  name: string
  title?: string
  instructions?: string
  /** points (default 1) are earned when every check passes, unless the checks carry points of their own. */
  points?: number
  hints?: string[]
  checks: CheckSpec[]
}

/** Lab is a whole lab file. */
export interface Lab {
  apiVersion: typeof LAB_API_VERSION
  kind: 'Lab'
  metadata: LabMetadata
  instructions?: string
  /**
   * timeLimit (exam mode) is a Go duration: commands after the deadline are journaled as late and grading judges the
   * cluster as it was at the deadline (docs/labs.md "Exam mode").
   */
  timeLimit?: string
  parameters?: Record<string, ParameterSpec>
  setup?: SetupStep[]
  tasks: Task[]
}

/** checkKind returns the kind key of a check (the first of CHECK_KINDS it has). */
export function checkKind(c: CheckSpec): CheckKind {
  const k = CHECK_KINDS.find((kind) => c[kind] !== undefined)
  if (!k) throw new Error('check has no kind')
  return k
}
