// tar.ts wraps just-bash's tar for the container sandbox so that `kubectl cp POD:/abs/path .` works: like GNU and
// BusyBox tar, creating an archive from absolute paths strips the leading '/' from member names (kubectl's untar
// refuses members outside the source prefix: "tar contents corrupted") and says so once on stderr, in the wording
// of the image's tar (BusyBox: "tar: removing leading '/' from member names", GNU: "tar: Removing leading `/' from
// member names"). Everything else goes to the bundled command unchanged. Follows busybox archival/tar.c and GNU
// tar's names.c (safer_name_suffix).
import {defineCommand} from 'just-bash'
import type {Command} from 'just-bash'

/** tarLeadingSlashWarning is the line the image's tar prints when it strips a leading '/'. */
export function tarLeadingSlashWarning(busybox: boolean): string {
  return busybox ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n"
}

/** splitTarArgs finds the mode letters (old-style `cf` or `-cf`) and the operands of a tar command line. */
export function splitTarArgs(args: string[]): {create: boolean; hasDir: boolean; operands: number[]} {
  let create = false
  let hasDir = false
  const operands: number[] = []
  // options whose value is the next argument
  const withValue = new Set(['-f', '-C', '-T', '-X', '--file', '--directory', '--files-from', '--exclude-from'])
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (i === 0 && !a.startsWith('-')) {
      // old-style bundled letters: every `f` (and `C`) letter takes the next argument
      if (a.includes('c')) create = true
      for (const ch of a) if (ch === 'f' || ch === 'C' || ch === 'T' || ch === 'X') i++
      continue
    }
    if (a === '--create') create = true
    else if (a === '-C' || a.startsWith('--directory')) hasDir = true
    if (withValue.has(a)) {
      i++
      continue
    }
    if (a.startsWith('--')) continue
    if (a.startsWith('-') && a.length > 1) {
      const letters = a.slice(1)
      if (letters.includes('c')) create = true
      if (letters.includes('C')) hasDir = true
      // a bundled -cf takes the next argument as the archive name
      if (/[fCTX]$/.test(letters)) i++
      continue
    }
    operands.push(i)
  }
  return {create, hasDir, operands}
}

/**
 * tarCommand is the sandbox's `tar`: when creating from absolute paths (and without -C), it archives them relative
 * to `/` under their names without the leading slash, warning once as the image's tar does.
 */
export function tarCommand(isBusybox: () => boolean): Command {
  return defineCommand('tar', async (args, ctx) => {
    const orig = ctx.origCommand
    if (!orig) return {stdout: '', stderr: 'tar: not available\n', exitCode: 127}
    const {create, hasDir, operands} = splitTarArgs(args)
    const absolute = operands.filter((i) => args[i]!.startsWith('/'))
    if (!create || hasDir || absolute.length === 0 || absolute.length !== operands.length) return orig(args)
    const rewritten = [...args]
    for (const i of absolute) rewritten[i] = args[i]!.replace(/^\/+/, '') || '.'
    // -C / goes right before the first operand, so it applies to every member
    rewritten.splice(operands[0]!, 0, '-C', '/')
    const r = await orig(rewritten)
    // the bundled tar names members as given; errors keep the path the user typed
    let stderr = r.stderr
    for (const i of absolute) stderr = stderr.split(`tar: ${rewritten[i + 2]}:`).join(`tar: ${args[i]}:`)
    return {...r, stderr: tarLeadingSlashWarning(isBusybox()) + stderr}
  })
}
