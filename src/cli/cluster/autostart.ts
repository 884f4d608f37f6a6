// autostart.ts starts the local cluster on demand (DESIGN §2, auto-start): a kubectl-style command whose context
// is a local profile that is not running starts it first, with one line on stderr; on a fresh $MKCTL_HOME with no
// kubeconfig at all the default profile is created. MKCTL_AUTOSTART=0 turns this off, leaving kubectl's
// "connection refused" message.
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {BeforeConnect} from '../client/factory.js'
import {defaultKubeconfigPath} from '../client/kubeconfig.js'
import {write} from '../io.js'
import {
  DEFAULT_PROFILE,
  daemonInfo,
  profileDir,
  profileToken,
  readProfileConfig,
  startProfile,
  upsertKubeconfig,
} from './profiles.js'

/** autoStart is the Factory hook that starts a stopped local profile before the first request. */
export const autoStart: BeforeConnect = async (ctx, f) => {
  const env = f.env
  if (env.MKCTL_AUTOSTART === '0' || f.flags.server) return
  let profile: string | undefined
  if (ctx.contextName && readProfileConfig(ctx.contextName, env)) profile = ctx.contextName
  else if (!ctx.contextName && !f.flags.kubeconfig && !env.KUBECONFIG && !existsSync(defaultKubeconfigPath(env)))
    profile = DEFAULT_PROFILE
  if (!profile) return
  const kubeconfig = defaultKubeconfigPath(env)
  const running = daemonInfo(profile, env)
  if (running) {
    // The profile runs but the kubeconfig may name an old port: point it at the daemon again.
    if (ctx.server !== running.url && (!ctx.configFile || ctx.configFile === kubeconfig)) {
      await upsertKubeconfig(
        kubeconfig,
        profile,
        running.url,
        readFileSync(join(profileDir(profile, env), 'ca.crt'), 'utf8'),
        profileToken(profile, env),
        !ctx.contextName,
      )
    }
    return
  }
  const cfg = readProfileConfig(profile, env) ?? {
    name: profile,
    nodes: 1,
    cpus: 2,
    memoryMiB: 4096,
    timing: 'realistic' as const,
  }
  await write(f.io.errOut, `* Starting local cluster "${profile}" (mkctl cluster start -p ${profile})...\n`)
  const res = await startProfile(cfg, {env})
  await upsertKubeconfig(
    kubeconfig,
    profile,
    res.info.url,
    readFileSync(join(profileDir(profile, env), 'ca.crt'), 'utf8'),
    profileToken(profile, env),
    !ctx.contextName || ctx.contextName === profile,
  )
}
