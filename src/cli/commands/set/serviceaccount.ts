// serviceaccount.ts is `mkctl set serviceaccount` (kubectl/pkg/cmd/set/set_serviceaccount.go).
import {MkctlCommand} from '../../base-command.js'
import {SetServiceAccountOptions} from '../../options/set/serviceaccount.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {allFlag, DRY_RUN_DEFAULTS, filenameFlags, localFlag, printFlags, recordFlag, writeFlags} from './flags.js'

/** SetServiceAccount updates the service account of a resource. */
export default class SetServiceAccount extends MkctlCommand {
  static override summary = 'Update the service account of a resource'
  static override aliases = ['set:sa']
  static override description = `Update the service account of pod template resources.

Possible resources (case insensitive) can be:

replicationcontroller (rc), deployment (deploy), daemonset (ds), job, replicaset (rs), statefulset`
  static override examples = [
    "# Set deployment nginx-deployment's service account to serviceaccount1\nmkctl set serviceaccount deployment nginx-deployment serviceaccount1",
    '# Print the result (in YAML format) of updated nginx deployment with the service account from local file, without hitting the API server\nmkctl set sa -f nginx-deployment.yaml serviceaccount1 --local --dry-run=client -o yaml',
  ]
  static override usage = 'set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...recordFlag,
    ...filenameFlags('identifying the resource to get from a server.'),
    ...allFlag,
    ...localFlag('serviceaccount'),
    ...writeFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetServiceAccount, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetServiceAccountOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    await o.complete(this.factory)
    await o.run()
  }
}
