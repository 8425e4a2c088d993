/**
 * `npm run cem`: custom-elements.json, the manifest IDEs and docs read to know
 * the `<p2p-*>` elements' attributes, properties, events, slots, parts and
 * custom properties. The shared base classes are analysed too, so inherited
 * members (`theme`, `provider`) are listed on each element.
 */
import { dirname, join } from 'node:path'

/**
 * The elements are defined with `defineElement(tag, Class)` (a guarded
 * `customElements.define`); record those calls as the manifest's
 * `custom-element-definition` exports, as the analyzer does for `define`.
 */
function defineElementPlugin() {
  return {
    name: 'porchlight-define-element',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isSourceFile(node)) return
      const imports = new Map()
      for (const statement of node.statements) {
        if (!ts.isImportDeclaration(statement)) continue
        const from = statement.moduleSpecifier.text
        const named = statement.importClause?.namedBindings
        if (!named || !ts.isNamedImports(named)) continue
        for (const el of named.elements) imports.set(el.name.text, from)
      }
      const visit = (n) => {
        if (
          ts.isCallExpression(n) &&
          ts.isIdentifier(n.expression) &&
          n.expression.text === 'defineElement' &&
          ts.isStringLiteral(n.arguments[0]) &&
          ts.isIdentifier(n.arguments[1])
        ) {
          const className = n.arguments[1].text
          const from = imports.get(className)
          const module = from
            ? join(dirname(moduleDoc.path), from).replace(/\.js$/, '.ts')
            : moduleDoc.path
          moduleDoc.exports = [
            ...(moduleDoc.exports ?? []),
            {
              kind: 'custom-element-definition',
              name: n.arguments[0].text,
              declaration: { name: className, module },
            },
          ]
        }
        ts.forEachChild(n, visit)
      }
      visit(node)
    },
  }
}

/**
 * The analyzer reads a class's description only from the text before its
 * first tag, and our headers start with `@tagname`: take the `@description`
 * tag's text instead (one paragraph, line breaks as spaces).
 */
function descriptionTagPlugin() {
  return {
    name: 'porchlight-description-tag',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return
      const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === 'description')
      const text = tag && ts.getTextOfJSDocComment(tag.comment)
      if (!text) return
      const doc = moduleDoc.declarations?.find((d) => d.name === node.name.text)
      if (doc) doc.description = text.replace(/\s+/g, ' ').trim()
    },
  }
}

/** Modules in path order: the analyzer reads files in whatever order the disk gives them. */
function sortModulesPlugin() {
  return {
    name: 'porchlight-sort-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path))
    },
  }
}

export default {
  globs: ['components/*/p2p-*.ts', 'components/shared/p2p-element.ts', 'components/index.ts'],
  exclude: ['components/**/*.test.ts', 'components/test-support/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [defineElementPlugin(), descriptionTagPlugin(), sortModulesPlugin()],
}
