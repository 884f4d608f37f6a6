// generic.ts is `mkctl create secret generic` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateSecretGenericOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateSecretGeneric: create a secret from a local file, directory, or literal value. */
export default class CreateSecretGeneric extends GeneratorCommand {
  static override summary = 'Create a secret from a local file, directory, or literal value'
  static override description =
    'Create a secret based on a file, directory, or specified literal value.\n\nA single secret may package one or more key/value pairs.\n\nWhen creating a secret based on a file, the key will default to the basename of the file, and the value will default to the file content. If the basename is an invalid key or you wish to chose your own, you may specify an alternate key.\n\nWhen creating a secret based on a directory, each file whose basename is a valid key in the directory will be packaged into the secret. Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).'
  static override examples = [
    '# Create a new secret named my-secret with keys for each file in folder bar\nmkctl create secret generic my-secret --from-file=path/to/bar',
    '# Create a new secret named my-secret with specified keys instead of names on disk\nmkctl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-file=ssh-publickey=path/to/id_rsa.pub',
    '# Create a new secret named my-secret with key1=supersecret and key2=topsecret\nmkctl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret',
    '# Create a new secret named my-secret using a combination of a file and a literal\nmkctl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-literal=passphrase=topsecret',
    '# Create a new secret named my-secret from env files\nmkctl create secret generic my-secret --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env',
  ]
  static override flags = {
    ...createFlags,
    'from-file': Flags.string({
      multiple: true,
      summary:
        'Key file can be specified using its file path, in which case file basename will be used as secret key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid secret key.',
    }),
    'from-literal': Flags.string({
      multiple: true,
      summary: 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)',
    }),
    'from-env-file': Flags.string({
      multiple: true,
      summary: 'Specify the path to a file to read lines of key=val pairs to create a secret.',
    }),
    'append-hash': Flags.boolean({summary: 'Append a hash of the secret to its name.'}),
    type: Flags.string({summary: 'The type of secret to create'}),
  }

  override get commandPath(): string {
    return 'mkctl create secret generic'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        'from-file'?: string[]
        'from-literal'?: string[]
        'from-env-file'?: string[]
        'append-hash': boolean
        type?: string
      }
    >(CreateSecretGeneric)
    const o = new CreateSecretGenericOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.fileSources = slice(flags['from-file'])
    o.literalSources = flags['from-literal'] ?? []
    o.envFileSources = slice(flags['from-env-file'])
    o.appendHash = flags['append-hash']
    o.type = flags.type ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
