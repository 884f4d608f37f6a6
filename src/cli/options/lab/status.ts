// status.ts holds LabStatusOptions for `mkctl lab status [-p PROFILE]`: prints the tasks, the points so far and the hints used (src/cli/lab/lab.ts).
import type {IOStreams} from '../../io.js'
import {statusLab} from '../../lab/lab.js'

/** LabStatusOptions prints the tasks, the points so far and the hints used. */
export class LabStatusOptions {
  profile?: string
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab status',
  ) {}

  run(): Promise<void> {
    return statusLab(this.profile, this.io)
  }
}
