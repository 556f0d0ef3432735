/**
 * Facts read from the project's TypeScript sources without running them (they need workerd): the
 * bindings of the generated Env type, the Durable Object classes the Worker exports, the queues its
 * `queue()` handler serves, and the queue consumer settings vitest.config.ts gives the tests. Read
 * with the TypeScript parser rather than regular expressions, so formatting changes do not matter.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

function findAll<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: ts.Node) => {
    if (test(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

export interface EnvBinding {
  name: string;
  /** The type's name without type arguments: `R2Bucket`, `Queue`, `DurableObjectNamespace`, `string`… */
  type: string;
}

/** The members of `__BaseEnv_Env` in worker-configuration.d.ts (what `wrangler types` generated). */
export function envBindings(dtsFile: string): EnvBinding[] {
  const source = parse(dtsFile);
  const env = findAll(source, ts.isInterfaceDeclaration).find((node) => node.name.text === "__BaseEnv_Env");
  if (!env) throw new Error(`${dtsFile} declares no __BaseEnv_Env`);
  return env.members.filter(ts.isPropertySignature).map((member) => {
    const type = member.type;
    const typeName =
      type && ts.isTypeReferenceNode(type) ? type.typeName.getText(source) : (type?.getText(source) ?? "");
    return { name: member.name.getText(source), type: typeName };
  });
}

/**
 * The classes src/index.ts exports that extend DurableObject, following `export { X } from "./y"` to
 * the class declaration.
 */
export function exportedDurableObjects(indexFile: string): string[] {
  const source = parse(indexFile);
  const classes: string[] = [];
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && isExported(statement) && extendsDurableObject(statement)) {
      classes.push(statement.name?.text ?? "");
    }
    if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause) || !statement.moduleSpecifier) continue;
    const target = parse(resolveModule(indexFile, (statement.moduleSpecifier as ts.StringLiteral).text));
    for (const element of statement.exportClause.elements) {
      const name = (element.propertyName ?? element.name).text;
      const declaration = target.statements.find(
        (node): node is ts.ClassDeclaration => ts.isClassDeclaration(node) && node.name?.text === name,
      );
      if (declaration && extendsDurableObject(declaration)) classes.push(element.name.text);
    }
  }
  return classes;
}

/**
 * The queue names the default export's `queue()` handler dispatches on: every `batch.queue === X`
 * comparison, with X resolved through its import to the exported string constant.
 */
export function handledQueues(indexFile: string): string[] {
  const source = parse(indexFile);
  const imports = importedFrom(source, indexFile);
  return findAll(source, ts.isBinaryExpression)
    .filter((node) => node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken)
    .filter((node) => node.left.getText(source) === "batch.queue" && ts.isIdentifier(node.right))
    .map((node) => {
      const name = node.right.getText(source);
      const module = imports.get(name);
      if (!module) throw new Error(`${name} (compared with batch.queue) is not imported`);
      return stringConstant(module, name);
    });
}

/**
 * The `queueConsumers` object literal of vitest.config.ts, as a value (strings, numbers, booleans and
 * nested objects; anything computed is refused, since the check is about what is written there).
 */
export function vitestQueueConsumers(configFile: string): Record<string, Record<string, unknown>> {
  const source = parse(configFile);
  const property = (node: ts.Node, name: string): ts.PropertyAssignment | undefined =>
    ts.isObjectLiteralExpression(node)
      ? node.properties.find(
          (entry): entry is ts.PropertyAssignment =>
            ts.isPropertyAssignment(entry) && entry.name.getText(source) === name,
        )
      : undefined;
  // The Worker's own `miniflare.queueConsumers`, not those of the auxiliary workers listed under it.
  const consumers = findAll(source, ts.isPropertyAssignment)
    .filter((node) => node.name.getText(source) === "miniflare")
    .map((node) => property(node.initializer, "queueConsumers"))
    .find((node) => node !== undefined);
  if (!consumers) throw new Error(`${configFile} has no miniflare.queueConsumers`);
  return literalValue(consumers.initializer, source) as Record<string, Record<string, unknown>>;
}

function literalValue(node: ts.Expression, source: ts.SourceFile): unknown {
  if (ts.isStringLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text.replaceAll("_", ""));
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isObjectLiteralExpression(node)) {
    return Object.fromEntries(
      node.properties.map((property) => {
        if (!ts.isPropertyAssignment(property)) throw new Error(`not a literal: ${property.getText(source)}`);
        const key = property.name;
        const name = ts.isStringLiteral(key) || ts.isIdentifier(key) ? key.text : key.getText(source);
        return [name, literalValue(property.initializer, source)];
      }),
    );
  }
  throw new Error(`not a literal: ${node.getText(source)}`);
}

function isExported(node: ts.ClassDeclaration): boolean {
  return node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function extendsDurableObject(node: ts.ClassDeclaration): boolean {
  return (node.heritageClauses ?? []).some((clause) =>
    clause.types.some((type) => type.expression.getText() === "DurableObject"),
  );
}

function importedFrom(source: ts.SourceFile, file: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const module = resolveModule(file, (statement.moduleSpecifier as ts.StringLiteral).text);
    for (const element of bindings.elements) imports.set(element.name.text, module);
  }
  return imports;
}

function stringConstant(file: string, name: string): string {
  const source = parse(file);
  for (const declaration of findAll(source, ts.isVariableDeclaration)) {
    if (declaration.name.getText(source) !== name) continue;
    if (declaration.initializer && ts.isStringLiteral(declaration.initializer)) {
      return declaration.initializer.text;
    }
  }
  throw new Error(`${file} declares no string constant ${name}`);
}

function resolveModule(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  return base.endsWith(".ts") ? base : `${base}.ts`;
}
