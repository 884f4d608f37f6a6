// reference.ts: image references normalized the way containerd and the kubelet do it (follows
// distribution/reference normalize.go and regexp.go: ParseNormalizedNamed, splitDockerDomain, TagNameOnly).
// `nginx` → docker.io/library/nginx:latest, `user/app:v1` → docker.io/user/app:v1, `localhost:5000/app` keeps its
// registry, `nginx@sha256:…` is pinned by digest.

/** ImageReference is a parsed, normalized image reference. */
export interface ImageReference {
  /** domain is the registry host (with port): "docker.io", "registry.k8s.io", "localhost:5000". */
  domain: string
  /** path is the repository path inside the registry: "library/nginx". */
  path: string
  /** repository is domain + "/" + path. */
  repository: string
  /** tag is the tag, "latest" when neither a tag nor a digest was given. */
  tag?: string
  /** digest is "sha256:<hex>" when the reference pins one. */
  digest?: string
  /** ref is the normalized reference containerd reports: repository[:tag][@digest]. */
  ref: string
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/
const HEX64 = /^[a-f0-9]{64}$/

/** ReferenceError carries distribution/reference's message ("invalid reference format: ..."). */
export class ImageReferenceError extends Error {}

/**
 * parseReference parses what a pod spec names as ParseNormalizedNamed + TagNameOnly do; throws
 * ImageReferenceError with the upstream wording.
 */
export function parseReference(image: string): ImageReference {
  if (image === '' || image.length > 255 + 150) throw new ImageReferenceError('invalid reference format')
  if (HEX64.test(image)) {
    throw new ImageReferenceError(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`)
  }
  let rest = image
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) throw new ImageReferenceError('invalid reference format')
    if (digest.startsWith('sha256:') && !HEX64.test(digest.slice(7))) {
      throw new ImageReferenceError('invalid checksum digest length')
    }
  }
  let tag: string | undefined
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) throw new ImageReferenceError('invalid reference format')
  }
  // splitDockerDomain: the first component is a registry when it has a dot or a port, is localhost, or has
  // upper-case letters.
  let domain = 'docker.io'
  let path = rest
  const slash = rest.indexOf('/')
  if (slash >= 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first) {
      domain = first
      path = rest.slice(slash + 1)
    }
  }
  if (domain === 'index.docker.io') domain = 'docker.io'
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`
  if (path.toLowerCase() !== path) {
    throw new ImageReferenceError(`invalid reference format: repository name (${path}) must be lowercase`)
  }
  const [host, port] = domain.split(':', 2)
  const badHost = host.split('.').some((c) => !DOMAIN_COMPONENT.test(c)) || (port !== undefined && !/^\d+$/.test(port))
  if (badHost || path === '' || path.split('/').some((c) => !COMPONENT.test(c))) {
    throw new ImageReferenceError('invalid reference format')
  }
  if (tag === undefined && digest === undefined) tag = 'latest'
  const repository = `${domain}/${path}`
  if (repository.length > 255) throw new ImageReferenceError('repository name must not be more than 255 characters')
  const ref = repository + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '')
  return {domain, path, repository, tag, digest, ref}
}

/**
 * invalidImageNameMessage is the kubelet's message for a name that does not parse (reason InvalidImageName), or
 * undefined when the name is valid (follows pkg/kubelet/images/image_manager.go applyDefaultImageTag).
 */
export function invalidImageNameMessage(image: string): string | undefined {
  try {
    parseReference(image)
    return undefined
  } catch (err) {
    if (!(err instanceof ImageReferenceError)) throw err
    return `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${err.message}`
  }
}

/** familiarName shortens a normalized repository the way docker prints it: docker.io/library/nginx → nginx. */
export function familiarName(repository: string): string {
  if (repository.startsWith('docker.io/library/')) return repository.slice('docker.io/library/'.length)
  if (repository.startsWith('docker.io/')) return repository.slice('docker.io/'.length)
  return repository
}
