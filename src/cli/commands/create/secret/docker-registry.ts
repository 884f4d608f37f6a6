// docker-registry.ts is `mkctl create secret docker-registry` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateSecretDockerRegistryOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateSecretDockerRegistry: create a secret for use with a Docker registry. */
export default class CreateSecretDockerRegistry extends GeneratorCommand {
  static override summary = 'Create a secret for use with a Docker registry'
  static override description =
    "Create a new secret for use with Docker registries.\n\nDockercfg secrets are used to authenticate against Docker registries.\n\nWhen using the Docker command line to push images, you can authenticate to a given registry by running:\n'$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.\n\nThat produces a ~/.dockercfg file that is used by subsequent 'docker push' and 'docker pull' commands to authenticate to the registry. The email address is optional.\n\nWhen creating applications, you may have a Docker registry that requires authentication.  In order for the nodes to pull images on your behalf, they must have the credentials.  You can provide this information by creating a dockercfg secret and attaching it to your service account."
  static override examples = [
    '# If you do not already have a .dockercfg file, create a dockercfg secret directly\nmkctl create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL',
    '# Create a new secret named my-secret from ~/.docker/config.json\nmkctl create secret docker-registry my-secret --from-file=path/to/.docker/config.json',
  ]
  static override flags = {
    ...createFlags,
    'docker-username': Flags.string({summary: 'Username for Docker registry authentication'}),
    'docker-password': Flags.string({summary: 'Password for Docker registry authentication'}),
    'docker-email': Flags.string({summary: 'Email for Docker registry'}),
    'docker-server': Flags.string({
      default: 'https://index.docker.io/v1/',
      summary: 'Server location for Docker registry',
    }),
    'append-hash': Flags.boolean({summary: 'Append a hash of the secret to its name.'}),
    'from-file': Flags.string({
      multiple: true,
      summary:
        'Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create secret docker-registry'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        'docker-username'?: string
        'docker-password'?: string
        'docker-email'?: string
        'docker-server': string
        'append-hash': boolean
        'from-file'?: string[]
      }
    >(CreateSecretDockerRegistry)
    const o = new CreateSecretDockerRegistryOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.username = flags['docker-username'] ?? ''
    o.password = flags['docker-password'] ?? ''
    o.email = flags['docker-email'] ?? ''
    o.server = flags['docker-server']
    o.appendHash = flags['append-hash']
    o.fileSources = slice(flags['from-file'])
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
