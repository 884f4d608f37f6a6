// attach.ts holds AttachOptions for `mkctl attach` (kubectl/pkg/cmd/attach/attach.go): resolve POD or TYPE/NAME to a
// running pod, pick the container, print kubectl's "If you don't see a command prompt" hint for -it, and stream the
// container's output (and stdin) over WebSocket.
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import {FlagParseError, UsageError} from '../errors.js'
import {StreamSetup} from './exec.js'

/** ATTACH_USAGE is kubectl's usage complaint for attach. */
export const ATTACH_USAGE = 'expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw %d: %v'

/** AttachOptions attaches to a running container. */
export class AttachOptions extends StreamSetup {
  args: string[] = []
  podRunningTimeout = '1m0s'
  override commandPath = 'mkctl attach'
  private resource = ''
  private timeoutMs = 60_000

  /** complete is attach.go Complete: POD, TYPE/NAME or TYPE NAME. */
  async complete(f: Factory): Promise<void> {
    if (this.args.length === 0) throw new UsageError('at least 1 argument is required for attach', this.commandPath)
    if (this.args.length > 2)
      throw new UsageError(
        `expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${this.args.length}: [${this.args.join(' ')}]`,
        this.commandPath,
      )
    this.resource = this.args.length === 2 ? `${this.args[0]}/${this.args[1]}` : this.args[0]!
    await f.namespace()
    const t = parseGoDuration(this.podRunningTimeout)
    if (t === undefined)
      throw new FlagParseError(
        `invalid argument "${this.podRunningTimeout}" for "--pod-running-timeout" flag: time: invalid duration "${this.podRunningTimeout}"`,
        this.commandPath,
      )
    if (t <= 0) throw new Error('--pod-running-timeout must be higher than zero')
    this.timeoutMs = t
  }

  /** run is attach.go Run. */
  async run(f: Factory): Promise<void> {
    const pod = await this.podFor(f, this.resource, [], this.timeoutMs)
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
      throw new Error(`cannot attach a container in a completed pod; current phase is ${pod.status.phase}`)
    const container = this.containerName(pod)
    // kubectl 1.32 prints the hint for every attach (observed without -i and -t too), unless --quiet.
    if (!this.quiet) this.io.errOut.write("If you don't see a command prompt, try pressing enter.\n")
    await this.attachStream(f, pod, container)
  }
}
