// diff.ts is `mkctl diff` (kubectl/pkg/cmd/diff/diff.go).
import {Flags} from '@oclif/core'
import {flagShapes, globalFlags, MkctlCommand} from '../base-command.js'
import {FlagParseError, RawError, rewriteParseError} from '../errors.js'
import {DiffOptions} from '../options/diff.js'
import {filenameFlags, selectorFlag} from './set/flags.js'

/** Diff diffs the live version against a would-be applied version. */
export default class Diff extends MkctlCommand {
  static override summary = 'Diff the live version against a would-be applied version'
  static override description = `Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.

The output is always YAML.

KUBECTL_EXTERNAL_DIFF environment variable can be used to select your own diff command. Users can use external commands with params too, example: KUBECTL_EXTERNAL_DIFF="colordiff -N -u"

By default, the "diff" command available in your path will be run with the "-u" (unified diff) and "-N" (treat absent files as empty) options.

Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.

Note: KUBECTL_EXTERNAL_DIFF, if used, is expected to follow that convention.`
  static override examples = [
    '# Diff resources included in pod.json\nmkctl diff -f pod.json',
    '# Diff file read from stdin\ncat service.yaml | mkctl diff -f -',
  ]
  static override usage = 'diff -f FILENAME'
  static override strict = false
  static override flags = {
    'prune-allowlist': Flags.string({
      multiple: true,
      summary: 'Overwrite the default allowlist with <group/version/kind> for --prune',
    }),
    prune: Flags.boolean({
      summary:
        'Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned',
    }),
    'show-managed-fields': Flags.boolean({summary: 'If true, include managed fields in the diff.'}),
    concurrency: Flags.integer({
      default: 1,
      summary:
        'Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time.',
    }),
    ...filenameFlags('contains the configuration to diff'),
    'server-side': Flags.boolean({summary: 'If true, apply runs in the server instead of the client.'}),
    'force-conflicts': Flags.boolean({
      summary: 'If true, server-side apply will force the changes against conflicts.',
    }),
    'field-manager': Flags.string({
      default: 'kubectl-client-side-apply',
      summary: 'Name of the manager used to track field ownership.',
    }),
    ...selectorFlag,
  }

  async run(): Promise<void> {
    const {flags, argv, metadata} = await this.parse(Diff)
    const o = new DiffOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.selector = flags.selector
    o.serverSide = flags['server-side']
    o.forceConflicts = flags['force-conflicts']
    // an unchanged --field-manager becomes 'kubectl' under --server-side (cmdutil.GetFieldManagerFlag)
    o.fieldManager = metadata.flags['field-manager']?.setFromDefault ? undefined : flags['field-manager']
    o.showManagedFields = flags['show-managed-fields']
    if (flags.prune) throw new RawError('error: mkctl diff does not support --prune yet', 2)
    await o.complete(this.factory)
    await o.run()
  }

  /** catch reports flag errors as diff's usage errors (SetFlagErrorFunc) with exit code 2. */
  override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    if (err instanceof RawError) return super.catch(err)
    const specs = flagShapes({...globalFlags, ...Diff.flags}).map((f) => ({
      name: f.name,
      ...(f.char ? {char: f.char} : {}),
    }))
    const rewritten = err instanceof FlagParseError ? err : rewriteParseError(err, this.argv, specs, this.commandPath)
    if (rewritten instanceof FlagParseError) {
      return super.catch(
        new RawError(`error: ${rewritten.message}\nSee '${this.commandPath} -h' for help and examples`, 2),
      )
    }
    await super.catch(err)
    if (process.exitCode === 1) process.exitCode = 2
  }
}
