// flags.ts holds the flags the rollout subcommands share (cmdutil.AddFilenameOptionFlags, AddLabelSelectorFlagVar,
// PrintFlags), so each command file only lists its own.
import {Flags} from '@oclif/core'
import {FlagParseError} from '../../errors.js'

/** filenameFlags are -f, -k and -R ("identifying the resource to get from a server."). */
export const filenameFlags = {
  filename: Flags.string({
    char: 'f',
    multiple: true,
    summary: 'Filename, directory, or URL to files identifying the resource to get from a server.',
  }),
  kustomize: Flags.string({
    char: 'k',
    summary: "Process the kustomization directory. This flag can't be used together with -f or -R.",
  }),
  recursive: Flags.boolean({
    char: 'R',
    summary:
      'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
  }),
}

/** selectorFlag is -l/--selector. */
export const selectorFlag = {
  selector: Flags.string({
    char: 'l',
    summary:
      "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
  }),
}

/** printFlags are -o and the template flags of mutating commands. */
export const printFlags = {
  output: Flags.string({
    char: 'o',
    summary:
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
  }),
  template: Flags.string({
    summary: 'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
  }),
  'allow-missing-template-keys': Flags.boolean({
    default: true,
    summary: 'If true, ignore any errors in templates when a field or map key is missing in the template.',
  }),
  'show-managed-fields': Flags.boolean({
    summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
  }),
}

/** fieldManagerFlag is --field-manager with kubectl-rollout's default. */
export const fieldManagerFlag = {
  'field-manager': Flags.string({
    default: 'kubectl-rollout',
    summary: 'Name of the manager used to track field ownership.',
  }),
}

/** kustomizeUnsupported is the error for -k, which mkctl does not implement. */
export function rejectKustomize(k: string | undefined): void {
  if (k) throw new Error('mkctl does not support -k (kustomize)')
}

/** parseInt64 reads an int64 flag the way pflag does, with its error text. */
export function parseInt64(commandPath: string, flag: string, v: string | undefined, dflt = 0): number {
  if (v === undefined) return dflt
  if (!/^[+-]?\d+$/.test(v)) {
    throw new FlagParseError(
      `invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`,
      commandPath,
    )
  }
  return Number(v)
}
