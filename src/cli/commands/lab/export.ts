// export.ts is `mkctl lab export [-p PROFILE] [--out FILE]` (docs/labs.md): the session file for submission.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabExportOptions} from '../../options/lab/export.js'

/** LabExport writes the running lab's journal as a session file for lab grade --session. */
export default class LabExport extends MkctlCommand {
  static override summary = 'Write the journal of the running lab as a session file for lab grade'
  static override description =
    'Write every command journaled in the lab profile (mkctl commands with the files they read, and the writes of any other client such as kubectl, as equivalent commands) as one JSON-lines session file that "mkctl lab grade LAB --session FILE" replays. Fails when the journal was altered.'
  static override examples = ['mkctl lab export', 'mkctl lab export -p lab-scale-web --out ann.session.jsonl']
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The lab profile (default: the current context, else the only lab).'}),
    out: Flags.string({summary: 'The file to write (default <lab>[-<student>].session.jsonl).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabExport)
    const o = new LabExportOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    if (flags.out !== undefined) o.out = flags.out
    await o.run()
  }
}
