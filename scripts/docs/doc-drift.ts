import ts from 'typescript';

/** A source file to read: its path (for messages) and text. */
export interface SourceText {
  path: string;
  text: string;
}

/** A name found in the code, with where it was found. */
export interface Found {
  name: string;
  /** For names built with a template (`COGNITO_${pool}_REGION`): what the docs must contain. */
  pattern?: RegExp;
  where: string;
}

const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

function parse(source: SourceText): ts.SourceFile {
  return ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function where(file: ts.SourceFile, node: ts.Node): string {
  return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function isEnvObject(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'env';
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process'
  );
}

/** A string literal in a place where a variable's name is handed on: a call's argument, a table's entry. */
function isNameInTable(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  return (
    (ts.isCallExpression(parent) && parent.arguments.includes(node)) ||
    ts.isArrayLiteralExpression(parent) ||
    (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
    (ts.isElementAccessExpression(parent) && parent.argumentExpression === node)
  );
}

/** `COGNITO_${name}_REGION` as `COGNITO_<…>_REGION`, with the pattern any filled-in or placeholder form matches. */
function templateName(node: ts.TemplateExpression): { name: string; pattern: RegExp } | undefined {
  const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  if (!/^[A-Z][A-Z0-9_]*$/.test(parts[0]) || !parts.slice(1).every((part) => /^[A-Z0-9_]*$/.test(part))) return undefined;
  return {
    name: parts.join('<…>'),
    pattern: new RegExp(`(?<![A-Z0-9_])${parts.join('[A-Za-z0-9_<>…]+')}(?![A-Z0-9_])`),
  };
}

/**
 * Every environment variable a source reads: `env.X`, `process.env.X`, `env['X']`, names handed to a
 * helper that reads them (`integer('PORT', …)`) or kept in a table, and names built with a template.
 */
export function envNamesRead(source: SourceText): Found[] {
  const file = parse(source);
  const found = new Map<string, Found>();
  const add = (name: string, node: ts.Node, pattern?: RegExp) => {
    if (!found.has(name)) found.set(name, { name, pattern, where: where(file, node) });
  };
  walk(file, (node) => {
    if (ts.isPropertyAccessExpression(node) && isEnvObject(node.expression) && ENV_NAME.test(node.name.text)) {
      add(node.name.text, node);
    } else if (ts.isStringLiteralLike(node) && ENV_NAME.test(node.text) && isNameInTable(node)) {
      add(node.text, node);
    } else if (ts.isTemplateExpression(node)) {
      const template = templateName(node);
      if (template) add(template.name, node, template.pattern);
    }
  });
  return [...found.values()];
}

interface ClassInfo {
  file: ts.SourceFile;
  node: ts.ClassDeclaration;
  parent?: string;
  /** Position of the constructor's `code` parameter, when it has one. */
  codeIndex?: number;
  /** The string literal union that parameter is typed with, when it is. */
  codeType?: string;
}

const ROOT_ERROR = 'ApiError';

/**
 * Every error `code` the sources can answer with, read from where errors are made: the `code` argument
 * of `new ApiError(…)` and of its subclasses (or their `super(…)` calls), the string literal union a
 * subclass's `code` parameter is typed with, and error bodies written by hand (`{ statusCode, code }`).
 * A code that cannot be read from the source is reported as a problem, so that no code escapes the docs.
 */
export function errorCodes(sources: SourceText[]): { codes: Found[]; problems: string[] } {
  const files = sources.map(parse);
  const unions = new Map<string, string[]>();
  const classes = new Map<string, ClassInfo>();
  for (const file of files) {
    walk(file, (node) => {
      if (ts.isTypeAliasDeclaration(node)) {
        const members = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
        const literals = members.flatMap((member) =>
          ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? [member.literal.text] : [],
        );
        if (literals.length === members.length) unions.set(node.name.text, literals);
      } else if (ts.isClassDeclaration(node) && node.name) {
        const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
        const constructor = node.members.find(ts.isConstructorDeclaration);
        const codeIndex = constructor?.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'code');
        const codeParameter = codeIndex !== undefined && codeIndex >= 0 ? constructor!.parameters[codeIndex] : undefined;
        classes.set(node.name.text, {
          file,
          node,
          parent: heritage && ts.isIdentifier(heritage.expression) ? heritage.expression.text : undefined,
          codeIndex: codeParameter ? codeIndex : undefined,
          codeType:
            codeParameter?.type && ts.isTypeReferenceNode(codeParameter.type) && ts.isIdentifier(codeParameter.type.typeName)
              ? codeParameter.type.typeName.text
              : undefined,
        });
      }
    });
  }
  const isError = (name: string | undefined, seen = new Set<string>()): boolean =>
    name === ROOT_ERROR || (name !== undefined && !seen.has(name) && isError(classes.get(name)?.parent, seen.add(name)));

  const codes = new Map<string, Found>();
  const problems: string[] = [];
  const add = (code: string, at: string) => {
    if (!CODE.test(code)) problems.push(`${at}: "${code}" is not a code (lowercase words joined by _)`);
    else if (!codes.has(code)) codes.set(code, { name: code, where: at });
  };

  for (const [name, info] of classes) {
    if (name === ROOT_ERROR || !isError(name) || !info.codeType) continue;
    const members = unions.get(info.codeType);
    if (members) for (const code of members) add(code, where(info.file, info.node));
    else problems.push(`${where(info.file, info.node)}: ${name}'s code type ${info.codeType} is not a union of string literals`);
  }

  for (const file of files) {
    /** The string values an expression can have, read without running it; undefined when it cannot be told. */
    const valuesOf = (expression: ts.Expression): string[] | undefined => {
      if (ts.isStringLiteralLike(expression)) return [expression.text];
      if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return valuesOf(expression.expression);
      if (ts.isConditionalExpression(expression)) return both(valuesOf(expression.whenTrue), valuesOf(expression.whenFalse));
      if (
        ts.isBinaryExpression(expression) &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expression.operatorToken.kind)
      ) {
        return both(valuesOf(expression.left), valuesOf(expression.right));
      }
      if (ts.isElementAccessExpression(expression) && ts.isIdentifier(expression.expression))
        return tableValues(expression.expression.text);
      if (ts.isIdentifier(expression)) return constantValue(expression.text);
      // `error.code`: passes on a code made elsewhere, which is read where it is made.
      if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'code') return [];
      return undefined;
    };
    const both = (a: string[] | undefined, b: string[] | undefined) => (a && b ? [...a, ...b] : undefined);
    const declaration = (name: string): ts.Expression | undefined => {
      let found: ts.Expression | undefined;
      walk(file, (node) => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node.initializer;
      });
      return found;
    };
    const tableValues = (name: string): string[] | undefined => {
      const table = declaration(name);
      if (!table || !ts.isObjectLiteralExpression(table)) return undefined;
      const values = table.properties.map((p) => (ts.isPropertyAssignment(p) ? valuesOf(p.initializer) : undefined));
      return values.every(Boolean) ? (values.flat() as string[]) : undefined;
    };
    const constantValue = (name: string): string[] | undefined => {
      const value = declaration(name);
      return value && ts.isStringLiteralLike(value) ? [value.text] : undefined;
    };
    const take = (expression: ts.Expression | undefined, node: ts.Node, what: string) => {
      const at = where(file, node);
      const values = expression && valuesOf(expression);
      if (values) for (const value of values) add(value, at);
      else problems.push(`${at}: cannot tell which code ${what} answers; write the code as a string literal (or a union type of them)`);
    };

    walk(file, (node) => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && isError(node.expression.text)) {
        const info = node.expression.text === ROOT_ERROR ? undefined : classes.get(node.expression.text);
        if (info?.codeType) return; // its union type is the list
        if (info && info.codeIndex === undefined) return; // its super(…) call names the code
        take(node.arguments?.[info?.codeIndex ?? 1], node, `new ${node.expression.text}(…)`);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const owner = ts.findAncestor(node, ts.isClassDeclaration);
        const info = owner?.name ? classes.get(owner.name.text) : undefined;
        if (!info?.parent || !isError(info.parent) || info.codeType || info.codeIndex !== undefined) return;
        const parentIndex = info.parent === ROOT_ERROR ? 1 : classes.get(info.parent)?.codeIndex;
        if (parentIndex !== undefined) take(node.arguments[parentIndex], node, `super(…) of ${owner!.name!.text}`);
      } else if (ts.isObjectLiteralExpression(node)) {
        const property = (name: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name,
          );
        const code = property('code');
        if (code && property('statusCode')) take(code.initializer, node, 'this error body');
      }
    });
  }
  return { codes: [...codes.values()], problems };
}

/** The names a text does not mention as whole words (a template's name: any filled-in form of it). */
export function notMentioned(text: string, names: Found[]): Found[] {
  return names.filter((found) => {
    const pattern = found.pattern ?? new RegExp(`(?<![A-Za-z0-9_])${found.name}(?![A-Za-z0-9_])`);
    return !pattern.test(text);
  });
}

/** The names that have no `NAME=` line, commented out or not, in a .env file. */
export function notAssigned(envFile: string, names: Found[]): Found[] {
  const assigned = envFile.split('\n').flatMap((line) => /^\s*#?\s*([A-Za-z0-9_<>…]+)=/.exec(line)?.[1] ?? []);
  return names.filter(
    (found) => !assigned.some((name) => (found.pattern ? new RegExp(`^${found.pattern.source}$`).test(name) : name === found.name)),
  );
}
