// hint.ts holds LabHintOptions for `mkctl lab hint [-p PROFILE]`: reveals the next hint of the first unfinished task (src/cli/lab/lab.ts).
import type {IOStreams} from '../../io.js'
import {hintLab} from '../../lab/lab.js'

/** LabHintOptions reveals the next hint of the first unfinished task. */
export class LabHintOptions {
  profile?: string
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab hint',
  ) {}

  run(): Promise<void> {
    return hintLab(this.profile, this.io)
  }
}
