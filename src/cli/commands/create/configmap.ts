// configmap.ts is `mkctl create configmap` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateConfigMapOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'
import {stringSlice as slice} from '../../generators/flags.js'

/** CreateConfigMap: create a config map from a local file, directory or literal value. */
export default class CreateConfigMap extends GeneratorCommand {
  static override summary = 'Create a config map from a local file, directory or literal value'
  static override description =
    'Create a config map based on a file, directory, or specified literal value.\n\nA single config map may package one or more key/value pairs.\n\nWhen creating a config map based on a file, the key will default to the basename of the file, and the value will default to the file content.  If the basename is an invalid key, you may specify an alternate key.\n\nWhen creating a config map based on a directory, each file whose basename is a valid key in the directory will be packaged into the config map.  Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).'
  static override examples = [
    '# Create a new config map named my-config based on folder bar\nmkctl create configmap my-config --from-file=path/to/bar',
    '# Create a new config map named my-config with specified keys instead of file basenames on disk\nmkctl create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt',
    '# Create a new config map named my-config with key1=config1 and key2=config2\nmkctl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2',
    '# Create a new config map named my-config from the key=value pairs in the file\nmkctl create configmap my-config --from-file=path/to/bar',
    '# Create a new config map named my-config from an env file\nmkctl create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env',
  ]
  static override flags = {
    ...createFlags,
    'from-file': Flags.string({
      multiple: true,
      summary:
        'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.',
    }),
    'from-literal': Flags.string({
      multiple: true,
      summary: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)',
    }),
    'from-env-file': Flags.string({
      multiple: true,
      summary: 'Specify the path to a file to read lines of key=val pairs to create a configmap.',
    }),
    'append-hash': Flags.boolean({summary: 'Append a hash of the configmap to its name.'}),
  }

  override get commandPath(): string {
    return 'mkctl create configmap'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        'from-file'?: string[]
        'from-literal'?: string[]
        'from-env-file'?: string[]
        'append-hash': boolean
      }
    >(CreateConfigMap)
    const o = new CreateConfigMapOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.fileSources = slice(flags['from-file'])
    o.literalSources = flags['from-literal'] ?? []
    o.envFileSources = slice(flags['from-env-file'])
    o.appendHash = flags['append-hash']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
