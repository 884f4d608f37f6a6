// exec.ts holds ExecOptions for `mkctl exec` (kubectl/pkg/cmd/exec/exec.go): resolve POD or TYPE/NAME (or -f) to a
// pod, pick the container (podcmd.FindOrDefaultContainerByName), set the terminal up (raw mode with -it on a
// terminal, term.TTY), then stream the command over WebSocket (client/remotecommand.ts).
import {Writable} from 'node:stream'
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import {streamRemoteCommand, type StreamOptions, type TerminalSize} from '../client/remotecommand.js'
import type {Query} from '../client/rest.js'
import {FlagParseError, UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {newBuilder} from '../resource/builder.js'
import {attachablePodForObject, containerForPod, fetchObject} from '../resource/polymorphic.js'

/** TTY_UNAVAILABLE is term.TTY's warning when -t is asked for without a terminal on stdin. */
export const TTY_UNAVAILABLE = 'Unable to use a TTY - input is not a terminal or the right kind of file'

/** Terminal is the local terminal: raw mode and size (process.stdin/stdout, replaced in tests). */
export interface Terminal {
  isTerminal(): boolean
  setRaw(raw: boolean): void
  size(): TerminalSize | undefined
  onResize(cb: () => void): () => void
}

/** processTerminal is the terminal of this process. */
export function processTerminal(): Terminal {
  const stdin = process.stdin as NodeJS.ReadStream
  return {
    isTerminal: () => Boolean(stdin.isTTY),
    setRaw: (raw) => {
      if (stdin.isTTY) stdin.setRawMode(raw)
    },
    size: () =>
      process.stdout.isTTY ? {width: process.stdout.columns ?? 80, height: process.stdout.rows ?? 24} : undefined,
    onResize: (cb) => {
      process.stdout.on('resize', cb)
      return () => process.stdout.off('resize', cb)
    },
  }
}

/**
 * crlfToLf undoes the remote terminal's CRLF before writing to the local one: Node's raw mode (libuv
 * UV_TTY_MODE_RAW) keeps ONLCR, which Go's term.MakeRaw clears, so the local tty adds the CR back and the bytes on
 * screen are the ones kubectl produces.
 */
export function crlfToLf(out: Writable): Writable {
  let held = false
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      let s = (held ? '\r' : '') + chunk.toString()
      held = s.endsWith('\r')
      if (held) s = s.slice(0, -1)
      out.write(s.replace(/\r\n/g, '\n'), cb)
    },
    final(cb) {
      if (held) out.write('\r')
      cb()
    },
  })
}

/** StreamSetup is the part of exec and attach that sets the terminal up and streams (exec.go StreamOptions). */
export abstract class StreamSetup {
  container = ''
  stdin = false
  tty = false
  quiet = false
  commandPath = 'mkctl exec'
  terminal: Terminal = processTerminal()

  constructor(protected readonly io: IOStreams) {}

  /**
   * setupTTY is StreamOptions.SetupTTY: without -i there is no stdin and no TTY; -t without a terminal on stdin
   * warns and goes on without one.
   */
  protected setupTTY(): {raw: boolean} {
    if (!this.stdin) {
      this.tty = false
      return {raw: false}
    }
    if (!this.tty) return {raw: false}
    if (!this.terminal.isTerminal()) {
      this.tty = false
      if (!this.quiet) this.io.errOut.write(TTY_UNAVAILABLE + '\n')
      return {raw: false}
    }
    return {raw: true}
  }

  /**
   * attachStream is AttachOptions.Run's streaming part: attach to a container, then print the reattach note kubectl
   * prints after an interactive session with a container that may live on (attach.go reattachMessage).
   */
  protected async attachStream(f: Factory, pod: Pod, container: string): Promise<void> {
    const {raw} = await this.stream(f, pod, 'attach', {container})
    if (this.quiet || !this.stdin || !raw || pod.spec?.restartPolicy !== 'Always') return
    const name = pod.metadata?.name ?? ''
    const ephemeral = (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === container)
    this.io.out.write(
      ephemeral
        ? `Session ended, the ephemeral container will not be restarted but may be reattached using 'mkctl attach ${name} -c ${container} -i -t' if it is still running\n`
        : `Session ended, resume using 'mkctl attach ${name} -c ${container} -i -t' command when the pod is running\n`,
    )
  }

  /** stream runs the remote side with the terminal in raw mode when asked (t.Safe restores it). */
  protected async stream(f: Factory, pod: Pod, subresource: 'exec' | 'attach', query: Query): Promise<{raw: boolean}> {
    const t = this.setupTTY()
    const rest = await f.restClient()
    const path = `/api/v1/namespaces/${pod.metadata?.namespace ?? ''}/pods/${pod.metadata?.name ?? ''}/${subresource}`
    const q: Query = {
      ...query,
      stdin: this.stdin || undefined,
      stdout: true,
      stderr: t.raw ? undefined : true,
      tty: t.raw || undefined,
    }
    const opts: StreamOptions = {
      stdin: this.stdin ? this.io.in : undefined,
      stdout: t.raw ? crlfToLf(this.io.out) : this.io.out,
      stderr: t.raw ? undefined : this.io.errOut,
      tty: t.raw,
      size: () => this.terminal.size(),
      onResize: (cb) => this.terminal.onResize(cb),
    }
    if (t.raw) this.terminal.setRaw(true)
    try {
      await streamRemoteCommand(rest, path, q, opts)
    } finally {
      if (t.raw) this.terminal.setRaw(false)
    }
    return t
  }

  /** podFor resolves POD or TYPE/NAME (or the first object of -f) to the pod to talk to (AttachablePodForObjectFn). */
  protected async podFor(f: Factory, resource: string, filenames: string[], timeoutMs: number): Promise<Pod> {
    const args = resource ? (resource.includes('/') ? [resource] : ['pods', resource]) : []
    const b = await newBuilder(f, this.io.in, {args, filenames})
    for await (const item of b.visit()) {
      if ('error' in item) throw item.error
      const obj = await fetchObject(f, item.info)
      return attachablePodForObject(f, obj, timeoutMs)
    }
    throw new Error('expected a resource')
  }

  /** containerName is -c, else podcmd.FindOrDefaultContainerByName (with the `Defaulted container` note). */
  protected containerName(pod: Pod): string {
    if (this.container) return this.container
    if ((pod.spec?.containers ?? []).length === 0)
      throw new Error(`pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} does not have any containers`)
    const quietOut = {write: () => true}
    return containerForPod(pod, undefined, this.quiet ? quietOut : this.io.errOut).container.name
  }
}

/** ExecOptions runs a command in a container. */
export class ExecOptions extends StreamSetup {
  /** args are the positional arguments; argsLenAtDash is how many came before `--` (-1 without one). */
  args: string[] = []
  argsLenAtDash = -1
  filenames: string[] = []
  podRunningTimeout = '1m0s'
  private resourceName = ''
  private command: string[] = []
  private timeoutMs = 60_000
  private namespace = ''

  /** complete is exec.go Complete. */
  async complete(f: Factory): Promise<void> {
    if (this.args.length > 0 && this.argsLenAtDash !== 0) this.resourceName = this.args[0]!
    if (this.argsLenAtDash > -1) this.command = this.args.slice(this.argsLenAtDash)
    else if (this.args.length > 1)
      throw new UsageError(
        'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
        this.commandPath,
      )
    this.namespace = (await f.namespace()).namespace
    const t = parseGoDuration(this.podRunningTimeout)
    if (t === undefined)
      throw new FlagParseError(
        `invalid argument "${this.podRunningTimeout}" for "--pod-running-timeout" flag: time: invalid duration "${this.podRunningTimeout}"`,
        this.commandPath,
      )
    if (t <= 0) throw new Error('--pod-running-timeout must be higher than zero')
    this.timeoutMs = t
  }

  /** validate is exec.go Validate. */
  validate(): void {
    if (!this.resourceName && this.filenames.length === 0)
      throw new Error('pod, type/name or --filename must be specified')
    if (this.command.length === 0) throw new Error('you must specify at least one command for the container')
  }

  /** run is exec.go Run. */
  async run(f: Factory): Promise<void> {
    void this.namespace
    const pod = await this.podFor(f, this.resourceName, this.filenames, this.timeoutMs)
    const phase = pod.status?.phase
    if (phase === 'Succeeded' || phase === 'Failed')
      throw new Error(`cannot exec into a container in a completed pod; current phase is ${phase}`)
    const container = this.containerName(pod)
    await this.stream(f, pod, 'exec', {container, command: this.command})
  }
}
