// edit-editor.mjs is the "user's editor" of the edit tests: on its n-th call it applies the n-th [from, to] regex
// replacement of ED_STEPS (the last one again on later calls) to the file it is given, logs what it was shown to
// ED_LOG, and counts calls in ED_COUNT. ED_FAIL=1 makes it exit 3 (an editor that fails).
import {appendFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import process from 'node:process'

const path = process.argv[process.argv.length - 1]
if (process.env.ED_FAIL === '1') process.exit(3)
const steps = JSON.parse(process.env.ED_STEPS ?? '[]')
const countFile = process.env.ED_COUNT
let n = 0
if (countFile && existsSync(countFile)) n = Number(readFileSync(countFile, 'utf8') || 0)
if (countFile) writeFileSync(countFile, String(n + 1))
const text = readFileSync(path, 'utf8')
if (process.env.ED_LOG) appendFileSync(process.env.ED_LOG, `--- call ${n} (${path.endsWith('.json') ? 'json' : 'yaml'})\n${text}`)
const step = steps[Math.min(n, steps.length - 1)]
if (step) writeFileSync(path, step[0] === '^ALL$' ? step[1] : text.replace(new RegExp(step[0], 'm'), step[1]))
