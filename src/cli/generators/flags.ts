// flags.ts reads pflag's list flag types the way kubectl's commands declare them: a StringSlice value is CSV
// (encoding/csv: commas split, double quotes group), a StringArray value is taken whole.

/** stringSlice flattens the values of a repeated StringSlice flag (`--verb=get,list --verb=watch`). */
export function stringSlice(values: string[] | undefined): string[] {
  const out: string[] = []
  for (const v of values ?? []) {
    if (v === '') continue
    out.push(...splitCsv(v))
  }
  return out
}

/** splitCsv splits one CSV record: fields separated by commas, `"..."` quoting with `""` for a quote. */
export function splitCsv(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"' && cur === '') quoted = true
    else if (c === ',') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}
