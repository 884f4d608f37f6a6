// common.ts holds what create, apply and delete share beyond the builder: the source-prefixed error wording
// (cmdutil.AddSourceToErr) and the write query parameters (cli-runtime resource.Helper).
import {StatusError} from '../../api/errors.js'
import type {DryRun} from './openapi.js'

/**
 * addSourceToErr prefixes an error with `error when <verb> "<source>": ` (cmdutil.AddSourceToErr); a Status error
 * keeps its reason and only has its message changed.
 */
export function addSourceToErr(verb: string, source: string, err: unknown): Error {
  if (!source) return err as Error
  if (err instanceof StatusError) {
    return new StatusError({...err.status, message: `error when ${verb} "${source}": ${err.status.message ?? ''}`})
  }
  return new Error(`error when ${verb} "${source}": ${(err as Error).message}`)
}

/** writeQuery is the query of a create or patch request (Helper.WithFieldManager/WithFieldValidation/DryRun). */
export function writeQuery(opts: {
  dryRun: DryRun
  fieldManager?: string
  fieldValidation?: string
  force?: boolean
}): Record<string, string | undefined> {
  return {
    dryRun: opts.dryRun === 'server' ? 'All' : undefined,
    fieldManager: opts.fieldManager || undefined,
    fieldValidation: opts.fieldValidation || undefined,
    force: opts.force === undefined ? undefined : String(opts.force),
  }
}

/** ManifestFlags are the parsed flags that `create -f` and `apply` share (kubectl's FilenameOptions, -l, -o, ...). */
export interface ManifestFlags {
  filename?: string[]
  recursive: boolean
  kustomize?: string
  selector?: string
  output?: string
  'dry-run'?: string
  validate?: string
}

/** ManifestOptions holds what commands reading manifests share; CreateOptions and ApplyOptions extend it. */
export class ManifestOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  output = ''
  dryRunFlag?: string
  validateFlag?: string

  /** setManifestFlags copies the shared flags from the command line. */
  setManifestFlags(flags: ManifestFlags): void {
    this.filenames = flags.filename ?? []
    this.recursive = flags.recursive
    this.kustomize = flags.kustomize
    this.selector = flags.selector
    this.output = flags.output ?? ''
    this.dryRunFlag = flags['dry-run']
    this.validateFlag = flags.validate
  }
}
