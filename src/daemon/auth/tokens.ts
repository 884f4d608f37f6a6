// tokens.ts authenticates bearer tokens (the apiserver's union of token authenticators): the profile's admin
// token, the token users made by `mkctl cluster user add` (kept as SHA-256 hashes in the daemon_state row
// `auth.users`, never in clear), and ServiceAccount tokens from the `token` subresource, which this module signs
// (HMAC-SHA256 with a key kept in daemon_state `auth.signing-key`) so that a token cannot be forged or altered.
// Every comparison is whole and constant-time (crypto.timingSafeEqual on equal-length buffers).
import {createHash, createHmac, randomBytes, timingSafeEqual} from 'node:crypto'
import type {UserInfo} from '../registry/types.js'
import {serviceAccountGroups, serviceAccountUser} from './rbac.js'

/** ADMIN_USER is the identity behind the profile's token. */
export const ADMIN_USER: UserInfo = {username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated']}

/** AUTHENTICATED is the group every authenticated identity has. */
export const AUTHENTICATED = 'system:authenticated'

/** USERS_STATE and SIGNING_KEY_STATE are the daemon_state rows this module owns. */
export const USERS_STATE = 'auth.users'
export const SIGNING_KEY_STATE = 'auth.signing-key'

/** StateStore is the daemon_state access the token authenticators need (storage/store.ts Store). */
export interface StateStore {
  getState(name: string): string | undefined
  setState(name: string, value: string | undefined): void
}

/** TokenUser is one `mkctl cluster user add` user as stored (the token only as its hash). */
export interface TokenUser {
  name: string
  tokenSha256: string
  namespace: string
  role: string
  roleKind: 'ClusterRole' | 'Role'
  created: string
}

/** ServiceAccountClaims are what a ServiceAccount token says. */
export interface ServiceAccountClaims {
  sub: string
  uid: string
  exp: string
}

const sha256 = (s: string) => createHash('sha256').update(s).digest()

/** equalBytes compares whole buffers in constant time (a length difference fails first). */
export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** bearerToken extracts the token of `Authorization: Bearer <token>`, undefined otherwise. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header || !header.startsWith('Bearer ')) return undefined
  const t = header.slice(7).trim()
  return t === '' ? undefined : t
}

/** Tokens authenticates bearer tokens and keeps the token users. */
export class Tokens {
  private users?: Map<string, TokenUser>
  private key?: Buffer
  private readonly admin: Buffer

  constructor(
    private readonly state: StateStore,
    adminToken: string,
    /** serviceAccountUid finds a ServiceAccount's uid (undefined when it does not exist). */
    private readonly serviceAccountUid: (namespace: string, name: string) => string | undefined,
    private readonly now: () => number,
  ) {
    this.admin = Buffer.from(adminToken)
  }

  /** authenticate maps a bearer token to its identity, or undefined (401). */
  authenticate(token: string): UserInfo | undefined {
    const given = Buffer.from(token)
    if (equalBytes(given, this.admin)) return ADMIN_USER
    if (token.startsWith('mkctl.')) return this.serviceAccount(token)
    const hash = sha256(token)
    let found: TokenUser | undefined
    // every user's hash is compared, so the time taken does not depend on which one matched
    for (const u of this.loadUsers().values()) if (equalBytes(hash, Buffer.from(u.tokenSha256, 'hex'))) found = u
    return found ? {username: found.name, groups: [AUTHENTICATED]} : undefined
  }

  private loadUsers(): Map<string, TokenUser> {
    if (!this.users) {
      const raw = this.state.getState(USERS_STATE)
      const list = raw ? (JSON.parse(raw) as TokenUser[]) : []
      this.users = new Map(list.map((u) => [u.name, u]))
    }
    return this.users
  }

  private saveUsers(): void {
    const list = [...this.loadUsers().values()].sort((a, b) => a.name.localeCompare(b.name))
    this.state.setState(USERS_STATE, list.length ? JSON.stringify(list) : undefined)
  }

  /** listUsers are the token users, by name. */
  listUsers(): TokenUser[] {
    return [...this.loadUsers().values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** getUser finds one token user. */
  getUser(name: string): TokenUser | undefined {
    return this.loadUsers().get(name)
  }

  /** addUser stores a new user and returns its token (shown once; only its hash is kept). */
  addUser(u: Omit<TokenUser, 'tokenSha256'>): string {
    const token = randomBytes(24).toString('hex')
    this.loadUsers().set(u.name, {...u, tokenSha256: sha256(token).toString('hex')})
    this.saveUsers()
    return token
  }

  /** deleteUser forgets a user; its token stops working at once. */
  deleteUser(name: string): boolean {
    const had = this.loadUsers().delete(name)
    if (had) this.saveUsers()
    return had
  }

  private signingKey(): Buffer {
    if (!this.key) {
      let hex = this.state.getState(SIGNING_KEY_STATE)
      if (!hex) {
        hex = randomBytes(32).toString('hex')
        this.state.setState(SIGNING_KEY_STATE, hex)
      }
      this.key = Buffer.from(hex, 'hex')
    }
    return this.key
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.signingKey()).update(payload).digest()
  }

  /** signServiceAccountToken makes the token of the `token` subresource: `mkctl.<claims>.<signature>`. */
  signServiceAccountToken(claims: ServiceAccountClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
    return `mkctl.${payload}.${this.mac(payload).toString('base64url')}`
  }

  private serviceAccount(token: string): UserInfo | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const payload = parts[1]!
    if (!equalBytes(Buffer.from(parts[2]!, 'base64url'), this.mac(payload))) return undefined
    let claims: ServiceAccountClaims
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ServiceAccountClaims
    } catch {
      return undefined
    }
    const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(String(claims.sub))
    if (!m) return undefined
    const exp = Date.parse(claims.exp)
    if (!Number.isFinite(exp) || exp <= this.now()) return undefined
    // a token outlives neither its ServiceAccount nor a new one of the same name (bound token semantics)
    const uid = this.serviceAccountUid(m[1]!, m[2]!)
    if (!uid || uid !== claims.uid) return undefined
    return {
      username: serviceAccountUser(m[1]!, m[2]!),
      uid,
      groups: [...serviceAccountGroups(m[1]!), AUTHENTICATED],
    }
  }
}
