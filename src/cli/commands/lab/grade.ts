// grade.ts is `mkctl lab grade LAB --session FILE...` (docs/labs.md): grade recorded sessions in fresh in-process
// clusters and report per student and for the class.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabGradeOptions} from '../../options/lab/grade.js'

/** LabGrade grades recorded sessions of a lab. */
export default class LabGrade extends MkctlCommand {
  static override summary = 'Grade recorded lab sessions'
  static override description =
    "Replay each session (plain text: one kubectl or mkctl command per line; or the JSON lines of lab export) into a fresh in-process cluster with the session's seed, run the lab's checks, and report the scores per session and for the class. With --kubeconfig (and --context), grade the live cluster it reaches instead, through the Kubernetes API; journal-based checks (command, history) are skipped."
  static override examples = [
    '# Grade two students\nmkctl lab grade labs/examples/scale-web --session alice.session --session bob.session',
    '# Grade a class in parallel, as JSON\nmkctl lab grade lab.yaml --session s1.session --session s2.session --jobs 2 --format json',
    '# Grade the work done on a real cluster (command and history checks are skipped)\nmkctl lab grade lab.yaml --kubeconfig ~/.kube/config --context kind-student1',
  ]
  static override strict = false
  static override flags = {
    session: Flags.string({multiple: true, summary: 'A session file to grade (repeat for more).'}),
    jobs: Flags.integer({summary: 'How many sessions to grade at once (worker threads).', default: 1}),
    format: Flags.string({summary: 'Report format: text, json, junit or csv.', default: 'text'}),
    out: Flags.string({summary: 'Write the report (and one file per session) into this folder instead of stdout.'}),
    seed: Flags.integer({summary: "Seed for sessions that do not carry their own (default: the lab's, else 1)."}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(LabGrade)
    const o = new LabGradeOptions(this.io, this.commandPath)
    o.sessions = flags.session ?? []
    o.jobs = flags.jobs
    o.format = flags.format
    o.out = flags.out ?? ''
    if (flags.seed !== undefined) o.seed = flags.seed
    // --kubeconfig/--context are the global flags: here they select a live cluster to grade instead of sessions.
    o.kubeconfig = flags.kubeconfig ?? ''
    o.context = flags.context ?? ''
    o.validate(argv as string[])
    await o.run()
  }
}
