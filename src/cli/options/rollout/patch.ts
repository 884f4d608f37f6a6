// patch.ts holds RolloutPatchOptions, shared by `mkctl rollout pause|resume|restart` (kubectl/pkg/cmd/rollout/
// rollout_pause.go, rollout_resume.go, rollout_restart.go): every object gets the patch its patcher computes, sent as
// a strategic merge patch with fieldManager kubectl-rollout; patcher errors read `<resource> "<name>" <reason>`.
import type {KubeObject} from '../../../api/object.js'
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import type {IOStreams} from '../../io.js'
import {pauser, restarterAt, resumer, type ObjectPatcher} from '../../polymorphic/patchers.js'
import type {Workload} from '../../polymorphic/common.js'
import {toPrinter} from '../../printers/index.js'
import {finalError, GoAggregate, resourcePath, type Builder, type Info} from '../../resource/builder.js'
import {rolloutBuilder, visitLatest, type RolloutTarget} from './common.js'

/** RolloutVerb is the subcommand. */
export type RolloutVerb = 'pause' | 'resume' | 'restart'

/** RolloutPatchOptions pauses, resumes or restarts resources. */
export class RolloutPatchOptions implements RolloutTarget {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  selector?: string
  output = ''
  fieldManager = 'kubectl-rollout'
  /** now is the restart time (kubectl uses the local clock; tests may pin it). */
  now: () => Date = () => new Date()
  private namespace = 'default'
  private builder?: Builder
  private rest?: RestClient

  constructor(
    readonly io: IOStreams,
    readonly verb: RolloutVerb,
  ) {}

  /** complete follows Complete and Validate. */
  async complete(f: Factory): Promise<void> {
    this.namespace = (await f.namespace()).namespace
    toPrinter({output: this.output}, this.io.out)
    if (this.args.length === 0 && this.filenames.length === 0) throw new Error('required resource not specified')
    this.rest = await f.restClient()
    this.builder = await rolloutBuilder(f, this.io, this)
  }

  /** run computes and sends the patches. */
  async run(): Promise<void> {
    const errs: Error[] = []
    const infos: {info: Info; object: KubeObject}[] = []
    const visitErrs: Error[] = []
    for await (const item of visitLatest(this.builder!, this.rest!)) {
      if ('error' in item) visitErrs.push(item.error)
      else infos.push(item)
    }
    // r.Infos() stops at the first error but keeps what it had, as one aggregate
    if (visitErrs.length > 0) errs.push(visitErrs.length === 1 ? visitErrs[0] : new GoAggregate(visitErrs))
    if (infos.length === 0 && errs.length === 0) {
      this.io.errOut.write(`No resources found in ${this.namespace} namespace.\n`)
      return
    }
    const patcher: ObjectPatcher =
      this.verb === 'pause' ? pauser : this.verb === 'resume' ? resumer : restarterAt(this.now())
    for (const {info, object} of infos) {
      let patch: Record<string, unknown>
      try {
        patch = patcher(object as Workload)
      } catch (e) {
        const m = info.mapping
        const res = m.group ? `${m.plural}.${m.group}` : m.plural
        errs.push(new Error(`error: ${res} ${JSON.stringify(info.name)} ${(e as Error).message}`))
        continue
      }
      if (Object.keys(patch).length === 0) {
        if (this.verb === 'restart') {
          errs.push(
            new Error(
              `failed to create patch for ${info.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
            ),
          )
        } else {
          toPrinter({output: this.output, operation: `already ${this.verb}d`}, this.io.out).print(object)
        }
        continue
      }
      let updated: KubeObject
      try {
        updated = await this.rest!.patch<KubeObject>(
          resourcePath(info.mapping, info.namespace, info.name),
          patch,
          'application/strategic-merge-patch+json',
          {query: {fieldManager: this.fieldManager}},
        )
      } catch (e) {
        errs.push(new Error(`failed to patch: ${(e as Error).message}`))
        continue
      }
      const op = this.verb === 'restart' ? 'restarted' : `${this.verb}d`
      toPrinter({output: this.output, operation: op}, this.io.out).print(updated)
    }
    const err = finalError(errs)
    if (err) throw err
  }
}
