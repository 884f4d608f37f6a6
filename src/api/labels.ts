// labels.ts: label selectors. The string grammar, the parse errors and the canonical string follow
// apimachinery/pkg/labels/selector.go (v0.32); LabelSelector objects follow pkg/apis/meta/v1/helpers.go
// (LabelSelectorAsSelector, FormatLabelSelector) and pkg/apis/meta/v1/validation (ValidateLabelSelector).
// Parse errors reach users as `Error from server (BadRequest): unable to parse requirement: ...`.
import {fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired} from './errors.js'
import type {FieldError} from './errors.js'
import {
  aggregateMessage,
  fieldInvalidRendered,
  formatFieldError,
  goStringSlice,
  isQualifiedName,
  isValidLabelValue,
  validateLabelName,
  validateLabels,
} from './validation.js'

/** Labels is a set of labels. */
export type Labels = Record<string, string>

/** Operator is selection.Operator: the spelling is upstream's (`gt`/`lt` print as `>`/`<` in selector strings). */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt'

const BINARY_OPERATORS: Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
const VALID_OPERATORS: Operator[] = [...BINARY_OPERATORS, 'exists', '!']

/** Requirement is one term of a selector: key, operator and values. */
export interface Requirement {
  readonly key: string
  readonly operator: Operator
  readonly values: readonly string[]
}

/** LabelSelectorError is a selector that does not parse or does not validate; message is upstream's text. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabelSelectorError'
  }
}

/** LabelSelectorRequirement is metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string
  operator: string
  values?: string[] | null
}

/** LabelSelector is metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null
  matchExpressions?: LabelSelectorRequirement[] | null
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

// parseInt64 is strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range.
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const v = BigInt(s)
  return v < INT64_MIN || v > INT64_MAX ? undefined : v
}

function hasLabel(labels: Labels | null | undefined, key: string): labels is Labels {
  return !!labels && Object.prototype.hasOwnProperty.call(labels, key)
}

/** requirementMatches says whether one requirement holds for a label set (Requirement.Matches). */
export function requirementMatches(r: Requirement, labels: Labels | null | undefined): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return hasLabel(labels, r.key) && r.values.includes(labels[r.key]!)
    case 'notin':
    case '!=':
      return !hasLabel(labels, r.key) || !r.values.includes(labels[r.key]!)
    case 'exists':
      return hasLabel(labels, r.key)
    case '!':
      return !hasLabel(labels, r.key)
    case 'gt':
    case 'lt': {
      if (!hasLabel(labels, r.key) || r.values.length !== 1) return false
      const have = parseInt64(labels[r.key]!)
      const want = parseInt64(r.values[0]!)
      if (have === undefined || want === undefined) return false
      return r.operator === 'gt' ? have > want : have < want
    }
  }
}

function sortedIfNeeded(values: readonly string[]): readonly string[] {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return [...values].sort()
  return values
}

/** requirementString renders one requirement as Requirement.String does (`!a`, `a`, `a=b`, `a in (x,y)`, `a>1`). */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key
  switch (r.operator) {
    case 'exists':
    case '!':
      return s
    case 'in':
      s += ' in '
      break
    case 'notin':
      s += ' notin '
      break
    case 'gt':
      s += '>'
      break
    case 'lt':
      s += '<'
      break
    default:
      s += r.operator
  }
  const vals = r.values.length === 1 ? r.values[0]! : sortedIfNeeded(r.values).join(',')
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals
}

// byKey is a stable sort by key: Go's sort.Sort is an insertion sort (so stable) for the short lists selectors have.
function byKey(reqs: Requirement[]): Requirement[] {
  return reqs
    .map((r, i) => ({r, i}))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map((x) => x.r)
}

/**
 * Selector is a parsed label selector: an AND of requirements sorted by key. nothing() is the selector that
 * matches no object (a nil LabelSelector), everything() the one that matches all.
 */
export class Selector {
  private constructor(
    private readonly reqs: readonly Requirement[],
    private readonly isNothing: boolean,
  ) {}

  /** of builds a selector from requirements (sorted by key, as Selector.Add does). */
  static of(reqs: readonly Requirement[]): Selector {
    return new Selector(byKey([...reqs]), false)
  }

  /** nothing is the selector that matches no object. */
  static readonly NOTHING: Selector = new Selector([], true)

  /** matches says whether every requirement holds for the labels. */
  matches(labels: Labels | null | undefined): boolean {
    if (this.isNothing) return false
    return this.reqs.every((r) => requirementMatches(r, labels))
  }

  /** empty is true for a selector that does not restrict (nothing() is not empty). */
  empty(): boolean {
    return !this.isNothing && this.reqs.length === 0
  }

  /** selectsNothing is true only for nothing(). */
  selectsNothing(): boolean {
    return this.isNothing
  }

  /** requirements lists the terms (empty for nothing()). */
  requirements(): readonly Requirement[] {
    return this.reqs
  }

  /** add returns a new selector with more requirements, re-sorted by key. */
  add(...reqs: Requirement[]): Selector {
    if (this.isNothing) return this
    return Selector.of([...this.reqs, ...reqs])
  }

  /** requiresExactMatch returns the value the selector pins key to (=, == or a one-value in), if any. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.reqs.find((x) => x.key === key)
    if (!r) return undefined
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0]
    return undefined
  }

  /** toString is the canonical form: requirements joined with ','; '' for everything() and nothing(). */
  toString(): string {
    return this.reqs.map(requirementString).join(',')
  }
}

/** everything returns the selector that matches every label set. */
export function everything(): Selector {
  return Selector.of([])
}

/** nothing returns the selector that matches no label set. */
export function nothing(): Selector {
  return Selector.NOTHING
}

// path helpers: field.Path strings. A nil path prints "<nil>", a nil path's child is just the child's name.
function child(path: string | undefined, name: string): string {
  return path ? `${path}.${name}` : name
}

/**
 * newRequirement validates and builds a requirement (labels.NewRequirement): the key must be a qualified name,
 * the number of values must fit the operator, gt/lt values must be integers and values must be label values.
 * Errors are thrown as one aggregated message. path prefixes the error fields (none for the string parser).
 */
export function newRequirement(
  key: string,
  operator: Operator,
  values: readonly string[] | null,
  path?: string,
): Requirement {
  const errs: FieldError[] = []
  const keyErrs = isQualifiedName(key)
  if (keyErrs.length > 0) errs.push(fieldInvalid(child(path, 'key'), key, keyErrs.join('; ')))
  const valuePath = child(path, 'values')
  const vals = values ?? []
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push(
          fieldInvalidRendered(
            valuePath,
            goStringSlice(values),
            "for 'in', 'notin' operators, values set can't be empty",
          ),
        )
      }
      break
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) {
        errs.push(
          fieldInvalidRendered(valuePath, goStringSlice(values), 'exact-match compatibility requires one single value'),
        )
      }
      break
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push(
          fieldInvalidRendered(
            valuePath,
            goStringSlice(values),
            'values set must be empty for exists and does not exist',
          ),
        )
      }
      break
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push(
          fieldInvalidRendered(
            valuePath,
            goStringSlice(values),
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        )
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(fieldInvalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"))
        }
      })
      break
    default:
      errs.push(fieldNotSupported(child(path, 'operator'), operator, VALID_OPERATORS))
  }
  vals.forEach((v, i) => {
    const m = isValidLabelValue(v)
    if (m.length > 0) errs.push(fieldInvalid(`${valuePath}[${i}][${key}]`, v, m.join('; ')))
  })
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs.map(formatFieldError)))
  return {key, operator, values: [...vals]}
}

// ---- lexer (selector.go Lexer) ----

type Tok =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'gt'
  | 'identifier'
  | 'in'
  | 'lt'
  | 'notEquals'
  | 'notIn'
  | 'openPar'

interface Item {
  tok: Tok
  lit: string
}

const STRING_TO_TOKEN: Record<string, Tok> = {
  ')': 'closedPar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'gt',
  in: 'in',
  '<': 'lt',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
}

function tokenOf(s: string): Tok | undefined {
  return Object.prototype.hasOwnProperty.call(STRING_TO_TOKEN, s) ? STRING_TO_TOKEN[s] : undefined
}

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const isSpecial = (c: string): boolean =>
  c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<'

function lex(s: string): Item[] {
  const items: Item[] = []
  let pos = 0
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++
    if (pos >= s.length) {
      items.push({tok: 'eos', lit: ''})
      return items
    }
    if (isSpecial(s[pos]!)) {
      // Longest operator wins, but only by extending a token that already matched ("!" then "!=").
      let buf = ''
      let last: Item | undefined
      while (pos < s.length && isSpecial(s[pos]!)) {
        const next = buf + s[pos]!
        const t = tokenOf(next)
        if (t) {
          last = {tok: t, lit: next}
          buf = next
          pos++
        } else if (last) {
          break
        } else {
          buf = next
          pos++
        }
      }
      items.push(last ?? {tok: 'error', lit: `error expected: keyword found '${buf}'`})
    } else {
      const start = pos
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++
      const word = s.slice(start, pos)
      items.push({tok: tokenOf(word) ?? 'identifier', lit: word})
    }
  }
}

// ---- parser (selector.go Parser) ----

type Ctx = 'keyAndOperator' | 'values'

class Parser {
  private position = 0
  constructor(private readonly items: Item[]) {}

  // In the values context the keywords in/notin are plain identifiers ("x in (in)").
  private at(i: number, ctx: Ctx): Item {
    const it = this.items[i]!
    if (ctx === 'values' && (it.tok === 'in' || it.tok === 'notIn')) return {tok: 'identifier', lit: it.lit}
    return it
  }
  lookahead(ctx: Ctx): Item {
    return this.at(this.position, ctx)
  }
  consume(ctx: Ctx): Item {
    return this.at(this.position++, ctx)
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = []
    for (;;) {
      const {tok, lit} = this.lookahead('values')
      if (tok === 'identifier' || tok === 'doesNotExist') {
        let r: Requirement
        try {
          r = this.parseRequirement()
        } catch (e) {
          throw new LabelSelectorError(`unable to parse requirement: ${(e as Error).message}`)
        }
        reqs.push(r)
        const t = this.consume('values')
        if (t.tok === 'eos') return reqs
        if (t.tok === 'comma') {
          const t2 = this.lookahead('values')
          if (t2.tok !== 'identifier' && t2.tok !== 'doesNotExist') {
            throw new LabelSelectorError(`found '${t2.lit}', expected: identifier after ','`)
          }
          continue
        }
        throw new LabelSelectorError(`found '${t.lit}', expected: ',' or 'end of string'`)
      }
      if (tok === 'eos') return reqs
      throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`)
    }
  }

  private parseRequirement(): Requirement {
    const {key, operator} = this.parseKeyAndInferOperator()
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, [])
    const op = this.parseOperator()
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue()
    // sets.String.List(): unique and sorted.
    return newRequirement(key, op, [...new Set(values)].sort())
  }

  private parseKeyAndInferOperator(): {key: string; operator: Operator | undefined} {
    let operator: Operator | undefined
    let t = this.consume('values')
    if (t.tok === 'doesNotExist') {
      operator = '!'
      t = this.consume('values')
    }
    if (t.tok !== 'identifier') throw new Error(`found '${t.lit}', expected: identifier`)
    const keyErrs = isQualifiedName(t.lit)
    // The parser validates the key against a nil field path, hence upstream's "<nil>: Invalid value: ...".
    if (keyErrs.length > 0) throw new Error(formatFieldError(fieldInvalid('<nil>', t.lit, keyErrs.join('; '))))
    const next = this.lookahead('values').tok
    if ((next === 'eos' || next === 'comma') && operator !== '!') operator = 'exists'
    return {key: t.lit, operator}
  }

  private parseOperator(): Operator {
    const t = this.consume('keyAndOperator')
    switch (t.tok) {
      case 'in':
        return 'in'
      case 'equals':
        return '='
      case 'doubleEquals':
        return '=='
      case 'gt':
        return 'gt'
      case 'lt':
        return 'lt'
      case 'notIn':
        return 'notin'
      case 'notEquals':
        return '!='
      default:
        throw new Error(`found '${t.lit}', expected: ${BINARY_OPERATORS.join(', ')}`)
    }
  }

  private parseValues(): string[] {
    const open = this.consume('values')
    if (open.tok !== 'openPar') throw new Error(`found '${open.lit}' expected: '('`)
    const {tok, lit} = this.lookahead('values')
    if (tok === 'identifier' || tok === 'comma') {
      const s = this.parseIdentifiersList()
      if (this.consume('values').tok !== 'closedPar') throw new Error(`found '${lit}', expected: ')'`)
      return s
    }
    if (tok === 'closedPar') {
      this.consume('values')
      return ['']
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`)
  }

  private parseIdentifiersList(): string[] {
    const s: string[] = []
    for (;;) {
      const t = this.consume('values')
      if (t.tok === 'identifier') {
        s.push(t.lit)
        const t2 = this.lookahead('values')
        if (t2.tok === 'comma') continue
        if (t2.tok === 'closedPar') return s
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`)
      } else if (t.tok === 'comma') {
        // Empty values are allowed: "(,a)", "(a,)", "(a,,b)".
        if (s.length === 0) s.push('')
        const t2 = this.lookahead('values')
        if (t2.tok === 'closedPar') {
          s.push('')
          return s
        }
        if (t2.tok === 'comma') {
          this.consume('values')
          s.push('')
        }
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`)
      }
    }
  }

  private parseExactValue(): string[] {
    const la = this.lookahead('values').tok
    if (la === 'eos' || la === 'comma') return ['']
    const t = this.consume('values')
    if (t.tok === 'identifier') return [t.lit]
    throw new Error(`found '${t.lit}', expected: identifier`)
  }
}

/** parseToRequirements parses a selector string into its requirements, sorted by key. */
export function parseToRequirements(selector: string): Requirement[] {
  return byKey(new Parser(lex(selector)).parse())
}

/**
 * parseSelector parses a selector string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`,
 * `a<1`, joined by ',' (AND). An empty string selects everything. Throws LabelSelectorError with upstream's text.
 */
export function parseSelector(selector: string): Selector {
  return Selector.of(parseToRequirements(selector))
}

/** selectorFromSet is the selector `k1=v1,k2=v2` for a label set (not validated, as upstream's SelectorFromSet). */
export function selectorFromSet(set: Labels | null | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([key, v]) => ({key, operator: '=' as Operator, values: [v]})))
}

/** validatedSelectorFromSet is selectorFromSet with every key and value validated. */
export function validatedSelectorFromSet(set: Labels | null | undefined): Selector {
  const keys = Object.keys(set ?? {}).sort()
  return Selector.of(keys.map((k) => newRequirement(k, '=', [set![k]!])))
}

/**
 * labelSelectorFromObject converts a metav1.LabelSelector (LabelSelectorAsSelector): null/undefined selects
 * nothing, an empty selector everything. matchLabels keys are taken in sorted order so the first error reported
 * is stable (Go's map order is random).
 */
export function labelSelectorFromObject(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing()
  const ml = ls.matchLabels ?? {}
  const me = ls.matchExpressions ?? []
  if (Object.keys(ml).length + me.length === 0) return everything()
  const reqs: Requirement[] = []
  for (const k of Object.keys(ml).sort()) reqs.push(newRequirement(k, '=', [ml[k]!]))
  for (const expr of me) {
    let op: Operator
    switch (expr.operator) {
      case 'In':
        op = 'in'
        break
      case 'NotIn':
        op = 'notin'
        break
      case 'Exists':
        op = 'exists'
        break
      case 'DoesNotExist':
        op = '!'
        break
      default:
        throw new LabelSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`)
    }
    const vals = expr.values && expr.values.length > 0 ? [...expr.values] : null
    reqs.push(newRequirement(expr.key, op, vals))
  }
  return Selector.of(reqs)
}

/** formatLabelSelector prints a LabelSelector as kubectl does: `app=nginx,tier in (a,b),!x`, `<none>`, `<error>`. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let s: string
  try {
    s = labelSelectorFromObject(ls).toString()
  } catch {
    return '<error>'
  }
  return s === '' ? '<none>' : s
}

/** formatLabels prints a label set as `k=v` pairs sorted and joined with ',', `<none>` when empty. */
export function formatLabels(labels: Labels | null | undefined): string {
  const s = labelsString(labels)
  return s === '' ? '<none>' : s
}

/** labelsString is labels.Set.String(): sorted `k=v` pairs joined with ',' (sorted as whole strings). */
export function labelsString(labels: Labels | null | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',')
}

/**
 * parseToLabelSelector turns a selector string into a metav1.LabelSelector (ParseToLabelSelector, used by
 * `kubectl set selector`): = and == go to matchLabels, the rest to matchExpressions; gt/lt are rejected.
 */
export function parseToLabelSelector(selector: string): Required<LabelSelector> & {
  matchLabels: Record<string, string>
  matchExpressions: LabelSelectorRequirement[]
} {
  let reqs: Requirement[]
  try {
    reqs = parseToRequirements(selector)
  } catch (e) {
    throw new LabelSelectorError(`couldn't parse the selector string "${selector}": ${(e as Error).message}`)
  }
  const out = {matchLabels: {} as Record<string, string>, matchExpressions: [] as LabelSelectorRequirement[]}
  const names: Partial<Record<Operator, string>> = {in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist'}
  for (const r of reqs) {
    if (r.operator === '=' || r.operator === '==') {
      out.matchLabels[r.key] = r.values[0]!
    } else if (r.operator === 'gt' || r.operator === 'lt') {
      throw new LabelSelectorError(`"${r.operator}" isn't supported in label selectors`)
    } else if (r.operator === '!=') {
      throw new LabelSelectorError(`"!=" is not a valid label selector operator`)
    } else {
      out.matchExpressions.push({key: r.key, operator: names[r.operator]!, values: [...r.values]})
    }
  }
  return out
}

/** LabelSelectorValidationOptions relax validateLabelSelector for old data. */
export interface LabelSelectorValidationOptions {
  allowInvalidLabelValueInSelector?: boolean
}

/**
 * validateLabelSelector checks a LabelSelector inside an object (meta/v1/validation ValidateLabelSelector):
 * matchLabels as labels, each expression's operator, value count, key and values.
 */
export function validateLabelSelector(
  ls: LabelSelector | null | undefined,
  fieldPath: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ls) return []
  const errs = validateLabels(ls.matchLabels, `${fieldPath}.matchLabels`)
  ;(ls.matchExpressions ?? []).forEach((sr, i) => {
    const p = `${fieldPath}.matchExpressions[${i}]`
    const values = sr.values ?? []
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
        }
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        }
        break
      default:
        errs.push(fieldInvalid(`${p}.operator`, sr.operator, 'not a valid selector operator'))
    }
    errs.push(...validateLabelName(sr.key, `${p}.key`))
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const m of isValidLabelValue(v)) errs.push(fieldInvalid(`${p}.values[${j}]`, v, m))
      })
    }
  })
  return errs
}
