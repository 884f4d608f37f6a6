// status.ts holds RolloutStatusOptions for `mkctl rollout status` (kubectl/pkg/cmd/rollout/rollout_status.go): for
// each object, list+watch it by name (watchtools.UntilWithSync) and print the status viewer's line on every event
// until the rollout is done, --watch=false, or --timeout passes.
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import {parseGoDuration} from '../../client/factory.js'
import {FlagParseError} from '../../errors.js'
import type {IOStreams} from '../../io.js'
import {finalError, resourcePath, type Builder} from '../../resource/builder.js'
import {statusViewerFor, ViewerError} from '../../polymorphic/status.js'
import type {Workload} from '../../polymorphic/common.js'
import {untilWithSync, TIMED_OUT} from '../wait.js'
import {rolloutBuilder, visitLatest, type RolloutTarget} from './common.js'

/** RolloutStatusOptions shows the status of rollouts. */
export class RolloutStatusOptions implements RolloutTarget {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  selector?: string
  watch = true
  revision = 0
  timeoutFlag = '0s'
  timeoutMs = 0
  commandPath = 'mkctl rollout status'
  private namespace = 'default'
  private builder?: Builder
  private rest?: RestClient

  constructor(readonly io: IOStreams) {}

  /** complete resolves namespace, client and builder (Complete). */
  async complete(f: Factory): Promise<void> {
    this.namespace = (await f.namespace()).namespace
    const ms = parseGoDuration(this.timeoutFlag)
    if (ms === undefined)
      throw new FlagParseError(
        `invalid argument "${this.timeoutFlag}" for "--timeout" flag: time: invalid duration "${this.timeoutFlag}"`,
        this.commandPath,
      )
    this.timeoutMs = ms
    this.validate()
    this.rest = await f.restClient()
    this.builder = await rolloutBuilder(f, this.io, this)
  }

  /** validate follows Validate. */
  validate(): void {
    if (this.args.length === 0 && this.filenames.length === 0) throw new Error('required resource not specified')
    if (this.revision < 0) throw new Error(`revision must be a positive integer: ${this.revision}`)
  }

  /** run watches every object until its rollout is done. */
  async run(): Promise<void> {
    const errs: Error[] = []
    let found = false
    for await (const item of visitLatest(this.builder!, this.rest!)) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      found = true
      const {info} = item
      try {
        const viewer = statusViewerFor(info.mapping)
        const deadline = this.timeoutMs > 0 ? Date.now() + this.timeoutMs : undefined
        const r = await untilWithSync(this.rest!, resourcePath(info.mapping, info.namespace), info.name, {
          deadline,
          condition: (ev) => {
            if (ev.type === 'DELETED') throw new Error('object has been deleted')
            let st
            try {
              st = viewer(ev.object as Workload, this.revision)
            } catch (e) {
              if (e instanceof ViewerError) throw e
              throw e
            }
            this.io.out.write(st.message)
            return st.done || !this.watch
          },
        })
        if (r === TIMED_OUT) throw new Error('timed out waiting for the condition')
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (!found) this.io.errOut.write(`No resources found in ${this.namespace} namespace.\n`)
  }
}
