// selector.ts holds SetSelectorOptions for `mkctl set selector` (kubectl/pkg/cmd/set/set_selector.go): replace the
// selector of Services. Unlike the other set commands it stops at the first error and sends even an empty patch.
import {parseToLabelSelector} from '../../../api/labels.js'
import type {KubeObject} from '../../../api/object.js'
import type {Factory} from '../../client/factory.js'
import {SetOptionsBase, throwAll, type PendingPatch} from './common.js'

/** SetSelectorOptions sets the selector of services. */
export class SetSelectorOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'selector updated'
  resourceVersion = ''
  resources: string[] = []
  selectorValue?: ReturnType<typeof parseToLabelSelector>

  /** complete splits the resources from the selector expression (getResourcesAndSelector). */
  async complete(f: Factory): Promise<void> {
    if (this.args.length > 0) {
      this.resources = this.args.slice(0, -1)
      this.selectorValue = parseToLabelSelector(this.args[this.args.length - 1])
    }
    await this.completeBase(f)
  }

  /** validate requires the selector. */
  validate(): void {
    if (!this.selectorValue) throw new Error('one selector is required')
  }

  /** run visits the objects and patches each selector; errors are collected (ContinueOnError) and reported last. */
  async run(): Promise<void> {
    const infos = await this.loadInfos(this.resources, {selector: false})
    const errs: Error[] = []
    for (const info of infos) {
      const pending: PendingPatch[] = []
      if (this.resourceVersion) delete (info.object.metadata as Record<string, unknown> | undefined)?.resourceVersion
      await this.patchAll([info], (obj: KubeObject) => this.mutate(obj), '', errs, {collectOnly: pending})
      const p = pending[0]
      if (p.err) {
        errs.push(p.err)
        continue
      }
      await this.sendPatches(pending, '', errs, {skipEmpty: false})
    }
    throwAll(errs)
  }

  private mutate(obj: KubeObject): void {
    if (this.resourceVersion) ((obj.metadata ??= {}) as Record<string, unknown>).resourceVersion = this.resourceVersion
    const sel = this.selectorValue!
    if (sel.matchExpressions.length > 0) {
      throw new Error(
        `match expression ${goSlice(sel.matchExpressions as {key: string; operator: string; values?: string[]}[])} not supported on this object`,
      )
    }
    if (obj.apiVersion !== 'v1' || obj.kind !== 'Service') {
      throw new Error('setting a selector is only supported for Services')
    }
    const spec = ((obj as Record<string, any>).spec ??= {}) as Record<string, unknown>
    spec.selector = {...sel.matchLabels}
  }
}

// goSlice prints match expressions as %v of []metav1.LabelSelectorRequirement does: [{key In [a b]}].
function goSlice(reqs: {key: string; operator: string; values?: string[]}[]): string {
  return `[${reqs.map((r) => `{${r.key} ${r.operator} [${(r.values ?? []).join(' ')}]}`).join(' ')}]`
}
