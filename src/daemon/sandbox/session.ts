// session.ts: an interactive shell in a container (`kubectl exec -it pod -- sh`, or `-i` without a terminal). With a
// terminal it plays the part of the kernel's line discipline (echo, backspace, Ctrl-C, Ctrl-D, CR → CRLF on output)
// and of the shell's prompt (`# ` for dash as root, `/ # ` for BusyBox ash, `root@host:/# ` for bash). Each complete
// input (an open `if`/loop/quote waits for more lines behind a `> ` prompt) runs through just-bash with the cwd and
// environment the previous line left; `exit N` ends the session with N.
import type {ContainerSandbox} from './container.js'
import {ContainerSandbox as Sandbox} from './container.js'

/** SessionIO is where a session writes and how it reports its end. */
export interface SessionIO {
  write(text: string): void
  exit(code: number): void
}

/** SessionOptions configure a session. */
export interface SessionOptions {
  tty: boolean
  /** shell is argv[0] as given (sh, bash, /bin/ash): it decides the prompt. */
  shell: string
}

/** ShellSession is one interactive shell. */
export class ShellSession {
  private env: Record<string, string>
  private cwd: string
  private lineBuf = ''
  private pending = ''
  private status = 0
  private queue: Promise<void> = Promise.resolve()
  private running?: AbortController
  private ended = false
  private escape = 0

  constructor(
    private readonly sb: ContainerSandbox,
    private readonly io: SessionIO,
    private readonly opts: SessionOptions,
  ) {
    this.env = {...sb.env, ...(opts.tty ? {TERM: 'xterm'} : {})}
    this.cwd = sb.cwd
  }

  /** start shows the first prompt. */
  start(): void {
    if (this.opts.tty) this.out(this.prompt())
  }

  /** prompt is PS1 as the image's shell shows it as root (or `$ ` for other users). */
  prompt(): string {
    if (this.pending) return '> '
    const base = this.opts.shell.split('/').pop() ?? 'sh'
    const root = this.sb.uid === 0
    const home = this.env.HOME ?? '/root'
    const short =
      this.cwd === home ? '~' : this.cwd.startsWith(home + '/') ? '~' + this.cwd.slice(home.length) : this.cwd
    if (base === 'bash') return `${root ? 'root' : 'I have no name!'}@${this.sb.hostname}:${short}${root ? '#' : '$'} `
    if (this.sb.flavor === 'ash') return `${short} ${root ? '#' : '$'} `
    return root ? '# ' : '$ '
  }

  private out(text: string): void {
    if (this.ended || text === '') return
    this.io.write(this.opts.tty ? text.replace(/\r?\n/g, '\r\n') : text)
  }

  /** input feeds bytes typed by the user (or piped in). */
  input(data: string): void {
    if (this.ended) return
    if (!this.opts.tty) {
      this.lineBuf += data
      let nl: number
      while ((nl = this.lineBuf.indexOf('\n')) >= 0) {
        const line = this.lineBuf.slice(0, nl)
        this.lineBuf = this.lineBuf.slice(nl + 1)
        this.submit(line)
      }
      return
    }
    for (const ch of data) {
      if (this.escape > 0) {
        // Swallow the rest of an escape sequence (arrow keys: ESC [ A).
        if (this.escape === 1 && ch === '[') this.escape = 2
        else if (this.escape === 2 && /[0-9;]/.test(ch)) this.escape = 2
        else this.escape = 0
        continue
      }
      const code = ch.charCodeAt(0)
      if (ch === '\x1b') this.escape = 1
      else if (ch === '\r' || ch === '\n') {
        const line = this.lineBuf
        this.lineBuf = ''
        this.out('\n')
        this.submit(line)
      } else if (code === 0x7f || code === 0x08) {
        if (this.lineBuf.length > 0) {
          this.lineBuf = this.lineBuf.slice(0, -1)
          this.io.write('\b \b')
        }
      } else if (code === 0x03) {
        if (this.running) this.running.abort()
        this.lineBuf = ''
        this.pending = ''
        this.out('^C\n')
        if (!this.running) this.out(this.prompt())
      } else if (code === 0x04) {
        if (this.lineBuf === '' && !this.running) this.eof()
      } else if (code === 0x15) {
        this.io.write('\b \b'.repeat(this.lineBuf.length))
        this.lineBuf = ''
      } else if (code >= 0x20 || ch === '\t') {
        if (ch === '\t') continue
        this.lineBuf += ch
        this.io.write(ch)
      }
    }
  }

  /** eof ends the input (Ctrl-D, or the client closed stdin): the shell exits with the last status. */
  eof(): void {
    this.queue = this.queue.then(async () => {
      if (this.ended) return
      if (!this.opts.tty && this.lineBuf !== '') {
        const rest = this.lineBuf
        this.lineBuf = ''
        await this.runLine(rest)
        if (this.ended) return
      }
      if (this.opts.tty && (this.opts.shell.split('/').pop() ?? '') === 'bash') this.out('exit\n')
      this.finish(this.status)
    })
  }

  private submit(line: string): void {
    this.queue = this.queue.then(() => this.runLine(line))
  }

  private async runLine(line: string): Promise<void> {
    if (this.ended) return
    const text = this.pending ? `${this.pending}\n${line}` : line
    if (Sandbox.incomplete(text)) {
      this.pending = text
      this.out(this.opts.tty ? this.prompt() : '')
      return
    }
    this.pending = ''
    if (text.trim() !== '') {
      const ac = new AbortController()
      this.running = ac
      const r = await this.sb.line(text, {env: this.env, cwd: this.cwd, signal: ac.signal, tty: this.opts.tty})
      this.running = undefined
      this.out(r.stdout)
      this.out(r.stderr)
      if (r.env) this.env = r.env
      if (r.cwd) this.cwd = r.cwd
      this.status = r.exitCode
      if (r.exited) {
        this.finish(r.exitCode)
        return
      }
    }
    if (this.opts.tty) this.out(this.prompt())
  }

  private finish(code: number): void {
    if (this.ended) return
    this.ended = true
    this.io.exit(code)
  }

  /** done resolves once queued lines have run. */
  idle(): Promise<void> {
    return this.queue
  }
}
