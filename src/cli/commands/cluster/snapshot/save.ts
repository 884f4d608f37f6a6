// save.ts is `mkctl cluster snapshot save NAME`: a consistent copy of the running cluster's state.
import {Args, Flags} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {saveSnapshot} from '../../../cluster/snapshot.js'
import {profileFlag} from '../flags.js'

/** ClusterSnapshotSave saves the cluster's state under a name. */
export default class ClusterSnapshotSave extends MkctlCommand {
  static override summary = "Save a snapshot of a local cluster's state"
  static override description =
    'Copies the cluster state while it runs (SQLite online backup) into the profile folder; restore it with "mkctl cluster snapshot restore NAME".'
  static override examples = [
    'mkctl cluster snapshot save baseline',
    'mkctl cluster snapshot save before-upgrade -p exam',
  ]
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {
    profile: profileFlag,
    force: Flags.boolean({summary: 'Replace a snapshot of the same name.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterSnapshotSave)
    await saveSnapshot(flags.profile, args.name, flags.force, this.io)
  }
}
