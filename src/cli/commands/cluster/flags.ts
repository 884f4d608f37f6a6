// flags.ts: flags shared by the `cluster` commands.
import {Flags} from '@oclif/core'

/** profileFlag selects the cluster (minikube's -p/--profile). */
export const profileFlag = Flags.string({
  char: 'p',
  summary: 'The name of the cluster (profile) to act on.',
  default: 'mkctl',
})
