// jsonpath.ts (printers): kubectl's `-o jsonpath=` printer over the shared JSONPath engine in src/api/jsonpath.ts.
import {goQuote, goSyntax} from '../../api/gofmt.js'
import {JsonPath, JsonPathError, type JsonPathOptions} from '../../api/jsonpath.js'
import type {Sink} from './tabwriter.js'

export {JsonPath, JsonPathError, parseJsonPath, type JsonPathOptions} from '../../api/jsonpath.js'

/**
 * JsonPathPrinter is kubectl's `-o jsonpath=` printer: allowMissingKeys defaults to true, and evaluation errors are
 * reported with the template and the object in Go syntax, as cli-runtime's JSONPathPrinter does.
 */
export class JsonPathPrinter {
  private readonly jp: JsonPath

  /** constructor parses the template; a bad one throws `error parsing jsonpath <tpl>, <reason>`. */
  constructor(
    private readonly template: string,
    opts: JsonPathOptions = {},
  ) {
    try {
      this.jp = new JsonPath(template, {allowMissingKeys: true, ...opts})
    } catch (e) {
      throw new JsonPathError(`error parsing jsonpath ${template}, ${(e as Error).message}`, {cause: e})
    }
  }

  /** print evaluates the template on obj and writes the result (nothing is written when evaluation fails). */
  print(obj: unknown, out: Sink): void {
    let text: string
    try {
      text = this.jp.execute(obj)
    } catch (e) {
      const detail =
        `Error executing template: ${(e as Error).message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${this.template}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${goSyntax(obj)}\n\n`
      throw new JsonPathError(`error executing jsonpath ${goQuote(this.template)}: ${detail}\n`, {cause: e})
    }
    out.write(text)
  }
}
