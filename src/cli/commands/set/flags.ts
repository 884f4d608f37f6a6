// flags.ts holds the flags the `mkctl set` subcommands share (kubectl's PrintFlags, FilenameOptions, --all,
// --local, --dry-run, --field-manager and -l, as kubectl/pkg/cmd/set/*.go add them).
import {Flags} from '@oclif/core'

/** printFlags are genericclioptions.PrintFlags of a mutating command. */
export const printFlags = {
  output: Flags.string({
    char: 'o',
    summary:
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
  }),
  template: Flags.string({
    summary:
      'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
  }),
  'allow-missing-template-keys': Flags.boolean({
    default: true,
    allowNo: true,
    summary:
      'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
  }),
  'show-managed-fields': Flags.boolean({
    summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
  }),
}

/** filenameFlags are cmdutil.AddFilenameOptionFlags with the command's usage text. */
export function filenameFlags(usage: string) {
  return {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: `Filename, directory, or URL to files ${usage}`,
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({
      char: 'k',
      summary: "Process the kustomization directory. This flag can't be used together with -f or -R.",
    }),
  }
}

/** selectorFlag is cmdutil.AddLabelSelectorFlagVar. */
export const selectorFlag = {
  selector: Flags.string({
    char: 'l',
    summary:
      "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
  }),
}

/** allFlag is --all of the set commands. */
export const allFlag = {
  all: Flags.boolean({summary: 'Select all resources, in the namespace of the specified resource types'}),
}

/** localFlag is --local, worded for one subcommand. */
export function localFlag(what: string) {
  return {
    local: Flags.boolean({summary: `If true, set ${what} will NOT contact api-server but run locally.`}),
  }
}

/** writeFlags are --dry-run and --field-manager. */
export const writeFlags = {
  'dry-run': Flags.string({
    default: 'none',
    summary:
      'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
  }),
  'field-manager': Flags.string({
    default: 'kubectl-set',
    summary: 'Name of the manager used to track field ownership.',
  }),
}

/** recordFlag is the deprecated --record (genericclioptions.RecordFlags); mkctl accepts and ignores it. */
export const recordFlag = {
  record: Flags.boolean({
    summary: 'Record current kubectl command in the resource annotation. (deprecated)',
    hidden: true,
  }),
}

/** DRY_RUN_DEFAULTS is --dry-run's NoOptDefVal. */
export const DRY_RUN_DEFAULTS = {'--dry-run': 'unchanged'}
