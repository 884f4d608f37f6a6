// check.ts holds LabCheckOptions for `mkctl lab check [-p PROFILE]`: grades the live cluster, check by check (src/cli/lab/lab.ts).
import type {IOStreams} from '../../io.js'
import {checkLab} from '../../lab/lab.js'

/** LabCheckOptions grades the live cluster, check by check. */
export class LabCheckOptions {
  profile?: string
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab check',
  ) {}

  run(): Promise<void> {
    return checkLab(this.profile, this.io)
  }
}
