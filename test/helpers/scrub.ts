// scrub.ts replaces values that differ between runs or machines with kwok-style placeholders (`<UID>`, `<PORT>`,
// `<RV>`), so golden files pin everything else exactly (STYLE §2.8).

/** Scrubber is one placeholder rule. */
export interface Scrubber {
  pattern: RegExp
  replace: string
}

/** SCRUBBERS are the default rules, applied in order. */
export const SCRUBBERS: Scrubber[] = [
  // metadata.uid and ownerReferences[].uid (RFC 4122 text form).
  {pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, replace: '<UID>'},
  // The daemon's port: a free port chosen at start.
  {pattern: /\b(127\.0\.0\.1|localhost):\d{2,5}\b/g, replace: '$1:<PORT>'},
  // resourceVersion in YAML (`resourceVersion: "12"`) and JSON (`"resourceVersion": "12"`); an empty one stays.
  {pattern: /(\bresourceVersion"?:\s*)"\d+"/g, replace: '$1"<RV>"'},
]

/** scrub applies the rules (the defaults unless others are given) to a text. */
export function scrub(text: string, rules: Scrubber[] = SCRUBBERS): string {
  return rules.reduce((s, r) => s.replace(r.pattern, r.replace), text)
}
