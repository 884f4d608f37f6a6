// custom.ts: Tables for custom resources, as apiextensions-apiserver's tableconvertor builds them: Name, then the
// version's additionalPrinterColumns (each a JSONPath into the object), or Age when a CRD declares none.
import {humanDuration} from '../../../api/duration.js'
import {JsonPath} from '../../../api/jsonpath.js'
import type {TableColumnDefinition, TableConvertor} from './types.js'

const NAME: TableColumnDefinition = {name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0}
const AGE_DEFAULT = {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'CreationTimestamp of the object.', priority: 0}

/** customConvertor builds the convertor of one CRD version. */
export function customConvertor(crd: any, version: string): TableConvertor {
  const v = (crd?.spec?.versions ?? []).find((x: any) => x.name === version)
  const declared: any[] = v?.additionalPrinterColumns ?? []
  const cols = declared.length ? declared : [AGE_DEFAULT]
  const paths = cols.map((c) => {
    try {
      return new JsonPath(`{${c.jsonPath}}`, {allowMissingKeys: true})
    } catch {
      return undefined
    }
  })
  return {
    columns: [
      NAME,
      ...cols.map((c) => ({name: c.name, type: c.type ?? 'string', format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0})),
    ],
    rows(obj, now) {
      const cells: unknown[] = [obj?.metadata?.name ?? '']
      cols.forEach((c, i) => {
        let value: unknown
        try {
          const found = paths[i]?.findResults(obj)
          value = found && found.length && found[0]!.length ? found[0]![0] : null
        } catch {
          value = null
        }
        if (value !== null && typeof value === 'object') value = JSON.stringify(value)
        if (c.type === 'date' && typeof value === 'string') {
          const t = Date.parse(value)
          value = Number.isNaN(t) ? value : humanDuration(now - t)
        }
        cells.push(value ?? null)
      })
      return [{cells}]
    },
  }
}
