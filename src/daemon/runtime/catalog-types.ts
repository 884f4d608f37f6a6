// catalog-types.ts: the shape of the image catalog (catalog.ts) and of lab authors' image files (image-file.ts).

/** OsFamily says which base userland an image has: it decides the shell, its error wording and /etc files. */
export type OsFamily = 'debian' | 'ubuntu' | 'alpine' | 'busybox' | 'rhel' | 'distroless' | 'scratch'

/** HttpAnswer is what a simulated server answers on one path. */
export interface HttpAnswer {
  status: number
  body?: string
  /** afterSeconds applies this answer only once the container has run that long (e.g. start failing later). */
  afterSeconds?: number
}

/**
 * Behavior lets an image (usually a lab author's) describe what its process does without a profile of its own:
 * `profile: app` images run this. Every field is optional.
 */
export interface Behavior {
  /** logs are written at start, one per line; `{time}` is replaced by an RFC 3339 time, `{hostname}` by the pod. */
  logs?: string[]
  /** listen lists the TCP ports the process listens on (default: the image's ports). */
  listen?: number[]
  /** startSeconds is how long the process takes before it listens. */
  startSeconds?: number
  /** http answers by path ("*" for any other path; default 200 "OK"). A list is applied in order of afterSeconds. */
  http?: Record<string, HttpAnswer | HttpAnswer[]>
  /** exitAfterSeconds ends the process by itself with exitCode (default 0, or 1 when a message is given). */
  exitAfterSeconds?: number
  exitCode?: number
  /** exitLogs are written just before the process exits by itself. */
  exitLogs?: string[]
  /** memoryMiB is the process's resident memory: above the container's memory limit it is OOMKilled. */
  memoryMiB?: number
  /** requireEnv names variables without which the process exits 1 at once, printing exitLogs. */
  requireEnv?: string[]
}

/** ImageVariant is one image (one digest) of a repository and the tags that point to it. */
export interface ImageVariant {
  tags: string[]
  sizeBytes: number
  /** version is the software version shown in startup logs ("1.29.3"); defaults to the first tag. */
  version?: string
  /** digest pins the repo digest; by default it is derived from the repository and the first tag. */
  digest?: string
  os?: OsFamily
  entrypoint?: string[]
  cmd?: string[]
  env?: string[]
  workingDir?: string
  ports?: number[]
  profile?: string
  behavior?: Behavior
}

/** ImageDef is one repository of the catalog; its fields are the defaults of its variants. */
export interface ImageDef {
  /** name is the reference as users write it, without a tag: "nginx", "registry.k8s.io/pause". */
  name: string
  profile: string
  os: OsFamily
  entrypoint?: string[]
  cmd?: string[]
  env?: string[]
  workingDir?: string
  ports?: number[]
  behavior?: Behavior
  /** images are the variants; lab authors may instead give `tags` (one image per tag) and `sizeBytes`. */
  images: ImageVariant[]
}
