// fake-runtime.ts: a small Runtime for the kubelet tests, so they do not depend on the real catalog: three
// images (nginx serves, busybox runs its command, memhog is OOM-killed), per-node caches, and probe answers a
// test can steer.
import type {Probe} from 'kubernetes-types/core/v1.js'
import type {
  ContainerInstance,
  ExitPlan,
  ImageInfo,
  LogLine,
  ProbeAnswer,
  PullResult,
  Runtime,
  StartRequest,
} from '../../../src/daemon/runtime/types.js'

const IMAGES: Record<string, Omit<ImageInfo, 'ref' | 'tag'>> = {
  nginx: {
    repository: 'docker.io/library/nginx',
    digest: 'sha256:' + 'a'.repeat(64),
    sizeBytes: 72099410,
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: [],
    ports: [80],
    profile: 'nginx',
  },
  busybox: {
    repository: 'docker.io/library/busybox',
    digest: 'sha256:' + 'b'.repeat(64),
    sizeBytes: 2166802,
    entrypoint: [],
    cmd: ['sh'],
    env: [],
    ports: [],
    profile: 'shell',
  },
  memhog: {
    repository: 'docker.io/library/memhog',
    digest: 'sha256:' + 'c'.repeat(64),
    sizeBytes: 1000,
    entrypoint: [],
    cmd: ['hog'],
    env: [],
    ports: [],
    profile: 'memhog',
  },
}

function resolve(image: string): ImageInfo | undefined {
  const [repo, tag = 'latest'] = image.split(':') as [string, string?]
  const base = IMAGES[repo]
  if (!base) return undefined
  return {...base, tag, ref: `${base.repository}:${tag}`}
}

/** FakeRuntime implements the runtime contract with a tiny fixed catalog. */
export class FakeRuntime implements Runtime {
  readonly caches = new Map<string, Map<string, ImageInfo>>()
  readonly instances: ContainerInstance[] = []
  readonly killed: string[] = []
  readonly forgotten: string[] = []
  /** probe answers every probe; tests replace it. */
  probe: (inst: ContainerInstance, probe: Probe, now: number) => ProbeAnswer = () => ({success: true})
  private seq = 0

  pull(node: string, image: string, policy: 'Always' | 'IfNotPresent' | 'Never', _now: number): PullResult {
    const cache = this.caches.get(node) ?? new Map<string, ImageInfo>()
    this.caches.set(node, cache)
    const cached = cache.get(image)
    if (cached && policy !== 'Always') return {ok: true, image: cached, alreadyPresent: true, durationMs: 0}
    if (policy === 'Never') return {ok: false, message: 'not present'}
    const info = resolve(image)
    if (!info) {
      const ref = `docker.io/library/${image.includes(':') ? image : image + ':latest'}`
      return {
        ok: false,
        message: `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization`,
      }
    }
    cache.set(image, info)
    return {ok: true, image: info, alreadyPresent: false, durationMs: 1234}
  }

  hasImage(node: string, image: string): boolean {
    return this.caches.get(node)?.has(image) ?? false
  }

  imagesOn(node: string): {names: string[]; sizeBytes: number}[] {
    return [...(this.caches.get(node)?.values() ?? [])].map((i) => ({
      names: [`${i.repository}@${i.digest}`, i.ref],
      sizeBytes: i.sizeBytes,
    }))
  }

  start(req: StartRequest): ContainerInstance {
    const words = [...(req.container.command ?? []), ...(req.container.args ?? [])]
    let exit: ExitPlan | undefined
    if (req.image.profile === 'memhog') exit = {afterMs: 5000, code: 137, reason: 'OOMKilled'}
    else if (req.image.profile === 'shell') {
      const line = words.length > 0 ? words.join(' ') : 'sh'
      const sleep = /sleep (\d+)/.exec(line)
      const code = /exit (\d+)/.exec(line)
      if (line === 'false') exit = {afterMs: 0, code: 1, reason: 'Error'}
      else if (code) exit = {afterMs: 0, code: Number(code[1]), reason: Number(code[1]) === 0 ? 'Completed' : 'Error'}
      else if (sleep && !/while/.test(line)) exit = {afterMs: Number(sleep[1]) * 1000, code: 0, reason: 'Completed'}
      else if (!sleep) exit = {afterMs: 0, code: 0, reason: 'Completed'}
    }
    const id = 'containerd://' + (++this.seq).toString(16).padStart(64, '0')
    const inst: ContainerInstance = {
      id,
      podUid: String(req.pod.metadata?.uid),
      container: req.container.name,
      restartCount: req.restartCount,
      startedAt: req.now,
      image: req.image,
      ...(exit ? {exit} : {}),
      probe: (probe, now) => this.probe(inst, probe, now),
      // nginx exits 0 at once on SIGTERM; a shell (or sleep) ignores it and waits for SIGKILL.
      termination: () => (req.image.profile === 'nginx' ? {afterMs: 0, code: 0} : undefined),
    }
    this.instances.push(inst)
    return inst
  }

  end(inst: ContainerInstance, now: number, exitCode: number): void {
    inst.exit ??= {afterMs: now - inst.startedAt, code: exitCode, reason: exitCode === 0 ? 'Completed' : 'Error'}
  }

  kill(inst: ContainerInstance, now: number, exitCode?: number): void {
    this.killed.push(`${inst.container}#${inst.restartCount}`)
    inst.finishedAt ??= now
    inst.exitCode ??= exitCode ?? (inst.image.profile === 'nginx' ? 0 : 137)
  }

  logs(_podUid: string, _container: string, _opts: {previous?: boolean; now: number}): LogLine[] | undefined {
    return undefined
  }

  appendLog(): void {}

  forgetPod(podUid: string): void {
    this.forgotten.push(podUid)
  }
}
