// reset.ts holds LabResetOptions for `mkctl lab reset [-p PROFILE]`: starts the lab over in a fresh profile, same seed (src/cli/lab/lab.ts).
import type {IOStreams} from '../../io.js'
import {resetLab} from '../../lab/lab.js'

/** LabResetOptions starts the lab over in a fresh profile, same seed. */
export class LabResetOptions {
  profile?: string
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab reset',
  ) {}

  run(): Promise<void> {
    return resetLab(this.profile, this.io)
  }
}
