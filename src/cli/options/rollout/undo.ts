// undo.ts holds UndoOptions for `mkctl rollout undo` (kubectl/pkg/cmd/rollout/rollout_undo.go): roll each object
// back to --to-revision (0: the previous one) through its rollbacker, printing `<kind>/<name> rolled back`.
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import type {IOStreams} from '../../io.js'
import {rollbackerFor} from '../../polymorphic/rollback.js'
import type {Workload} from '../../polymorphic/common.js'
import {toPrinter} from '../../printers/index.js'
import {finalError, type Builder} from '../../resource/builder.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../../resource/openapi.js'
import {rolloutBuilder, visitLatest, type RolloutTarget} from './common.js'

/** UndoOptions rolls back to a previous rollout. */
export class UndoOptions implements RolloutTarget {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  selector?: string
  toRevision = 0
  output = ''
  dryRunFlag?: string
  dryRun: DryRun = 'none'
  private builder?: Builder
  private rest?: RestClient

  constructor(readonly io: IOStreams) {}

  /** complete follows Complete and Validate. */
  async complete(f: Factory): Promise<void> {
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    if (this.args.length === 0 && this.filenames.length === 0) throw new Error('required resource not specified')
    this.rest = await f.restClient()
    this.builder = await rolloutBuilder(f, this.io, this)
  }

  /** run rolls every object back. */
  async run(): Promise<void> {
    const errs: Error[] = []
    for await (const item of visitLatest(this.builder!, this.rest!)) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      try {
        const rollback = rollbackerFor(this.rest!, item.info.mapping)
        const result = await rollback(item.object as Workload, this.toRevision, this.dryRun)
        const printer = toPrinter({output: this.output, operation: result + dryRunSuffix(this.dryRun)}, this.io.out)
        printer.print(item.object)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }
}
