// edit.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import Diff from '../commands/diff.js'
import Edit from '../commands/edit.js'
import SetEnv from '../commands/set/env.js'
import SetImage from '../commands/set/image.js'
import SetResources from '../commands/set/resources.js'
import SetSelector from '../commands/set/selector.js'
import SetServiceAccount from '../commands/set/serviceaccount.js'
import SetSubject from '../commands/set/subject.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'set:image': SetImage,
  'set:env': SetEnv,
  'set:resources': SetResources,
  'set:selector': SetSelector,
  'set:serviceaccount': SetServiceAccount,
  'set:sa': SetServiceAccount,
  'set:subject': SetSubject,
  edit: Edit,
  diff: Diff,
}
