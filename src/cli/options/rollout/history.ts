// history.ts holds RolloutHistoryOptions for `mkctl rollout history` (kubectl/pkg/cmd/rollout/rollout_history.go):
// the name line followed by the history table or one revision's template, or with -o the revision objects.
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import type {IOStreams} from '../../io.js'
import {historyViewerFor} from '../../polymorphic/history.js'
import {formatName, toPrinter} from '../../printers/index.js'
import {finalError, type Builder} from '../../resource/builder.js'
import {rolloutBuilder, visitLatest, type RolloutTarget} from './common.js'

/** RolloutHistoryOptions views rollout history. */
export class RolloutHistoryOptions implements RolloutTarget {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  selector?: string
  revision = 0
  output = ''
  private builder?: Builder
  private rest?: RestClient

  constructor(readonly io: IOStreams) {}

  /** validate follows Validate. */
  validate(): void {
    if (this.args.length === 0 && this.filenames.length === 0) throw new Error('required resource not specified')
    if (this.revision < 0) throw new Error(`revision must be a positive integer: ${this.revision}`)
  }

  /** complete resolves the client and builder. */
  async complete(f: Factory): Promise<void> {
    // the printer is built first, so a bad -o fails before anything else
    if (this.output) toPrinter({output: this.output}, this.io.out)
    this.validate()
    this.rest = await f.restClient()
    this.builder = await rolloutBuilder(f, this.io, this)
  }

  /** run prints the history of every object. */
  async run(): Promise<void> {
    const errs: Error[] = []
    for await (const item of visitLatest(this.builder!, this.rest!)) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const {info, object} = item
      try {
        const viewer = historyViewerFor(this.rest!, info.mapping)
        if (this.output) {
          const printer = toPrinter({output: this.output}, this.io.out)
          const history = await viewer.getHistory(info.namespace, info.name)
          if (this.revision > 0) {
            const obj = history.get(this.revision)
            // kubectl hands a nil object to the printer, which fails quietly
            if (obj) printer.print(obj)
          } else for (const k of [...history.keys()].sort((a, b) => a - b)) printer.print(history.get(k))
          printer.flush()
          continue
        }
        const text = await viewer.viewHistory(info.namespace, info.name, this.revision)
        const withRevision = this.revision > 0 ? `with revision #${this.revision}` : ''
        this.io.out.write(formatName(object, {operation: `${withRevision}\n${text}`}) + '\n')
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }
}
