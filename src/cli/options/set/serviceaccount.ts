// serviceaccount.ts holds SetServiceAccountOptions for `mkctl set serviceaccount` (kubectl/pkg/cmd/set/
// set_serviceaccount.go): set serviceAccountName in pod templates. Like kubectl it prints every object it changes,
// even when the patch is empty.
import type {Factory} from '../../client/factory.js'
import {podSpecOf, SetOptionsBase, throwAll, type SetInfo} from './common.js'

/** SetServiceAccountOptions updates the service account of pod templates. */
export class SetServiceAccountOptions extends SetOptionsBase {
  args: string[] = []
  override operation = 'serviceaccount updated'
  serviceAccountName = ''
  infos: SetInfo[] = []

  /** complete checks --local/--dry-run, takes the last argument as the service account and resolves the objects. */
  async complete(f: Factory): Promise<void> {
    await this.completeBase(f)
    this.localCheck()
    if (this.args.length === 0) throw new Error('serviceaccount is required')
    this.serviceAccountName = this.args[this.args.length - 1]
    const resources = this.args.slice(0, -1)
    // set_serviceaccount.go passes no selector and, with --local, ignores resource arguments
    this.selector = undefined
    this.infos = await this.loadInfos(this.local ? [] : resources)
  }

  /** run sets the name and patches each object. */
  async run(): Promise<void> {
    const errs: Error[] = []
    await this.patchAll(
      this.infos,
      (obj) => {
        podSpecOf(obj).serviceAccountName = this.serviceAccountName
      },
      'failed to patch ServiceAccountName ',
      errs,
      {skipEmpty: false},
    )
    throwAll(errs)
  }
}
