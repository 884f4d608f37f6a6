// completion.ts is `mkctl completion SHELL`: prints the shell completion script (kubectl/pkg/cmd/completion).
// The scripts call back the hidden `mkctl __complete` command (help/run-complete.ts).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {write} from '../io.js'
import {completionScript, SHELLS, type Shell} from '../help/scripts.js'

/** Completion prints the completion script of a shell. */
export default class Completion extends MkctlCommand {
  static override summary = 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)'
  static override description = `Output shell completion code for the specified shell (bash, zsh, fish, or powershell). The shell code must be evaluated to provide interactive completion of mkctl commands.  This can be done by sourcing it from the .bash_profile.

 Note for zsh users: zsh completions are loaded with compdef, so compinit must have run first.`
  static override usage = 'completion SHELL'
  static override examples = [
    '# Load the mkctl completion code for bash into the current shell\nsource <(mkctl completion bash)',
    '# Write bash completion code to a file and source it from .bash_profile\nmkctl completion bash > ~/.kube/completion.bash.inc\nprintf "\n# mkctl shell completion\nsource \'$HOME/.kube/completion.bash.inc\'\n" >> $HOME/.bash_profile\nsource $HOME/.bash_profile',
    '# Load the mkctl completion code for zsh into the current shell\nsource <(mkctl completion zsh)\n# Set the mkctl completion code for zsh to autoload on startup\nmkctl completion zsh > "${fpath[1]}/_mkctl"',
    '# Load the mkctl completion code for fish into the current shell\nmkctl completion fish | source\n# To load completions for each session, execute once:\nmkctl completion fish > ~/.config/fish/completions/mkctl.fish',
    '# Load the mkctl completion code for powershell into the current shell\nmkctl completion powershell | Out-String | Invoke-Expression',
  ]
  static override strict = false
  static override args = {shell: Args.string({required: false})}

  async run(): Promise<void> {
    const {argv} = await this.parse(Completion)
    const path = this.commandPath
    if (argv.length === 0) throw new UsageError('Shell not specified.', path)
    if (argv.length > 1) throw new UsageError('Too many arguments. Expected only the shell type.', path)
    const shell = String(argv[0])
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`Unsupported shell type "${shell}".`, path)
    await write(this.io.out, completionScript(shell as Shell, 'mkctl'))
  }
}
