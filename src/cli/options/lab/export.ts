// export.ts holds LabExportOptions for `mkctl lab export [-p PROFILE] [--out FILE]`: the lab profile's journal as
// one JSON-lines session file, the format `lab grade --session` reads (src/cli/lab/lab.ts).
import type {IOStreams} from '../../io.js'
import {exportLab} from '../../lab/lab.js'

/** LabExportOptions writes the session file of a lab profile. */
export class LabExportOptions {
  profile?: string
  out?: string
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab export',
  ) {}

  run(): Promise<void> {
    return exportLab(this.profile, this.out, this.io)
  }
}
