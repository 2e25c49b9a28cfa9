import ts from 'typescript';

/** A source file to read: its path (for messages) and text. */
export interface SourceText {
  path: string;
  text: string;
}

/** A name found in the code, with where it was found. */
export interface Found {
  name: string;
  where: string;
  /** For a name built from another variable's value (`COGNITO_<NAME>_REGION`): the forms the docs may give it. */
  pattern?: RegExp;
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

/** Every variable a source reads by name: `env.X`, `process.env.X`, `env['X']`, and `f(env, 'X')` (a name handed with the environment). */
export function envNamesRead(source: SourceText): Found[] {
  const file = parse(source);
  const found = new Map<string, Found>();
  walk(file, (node) => {
    if (ts.isCallExpression(node) && node.arguments.some(isEnvObject)) {
      for (const argument of node.arguments) {
        if (ts.isStringLiteralLike(argument) && ENV_NAME.test(argument.text) && !found.has(argument.text)) {
          found.set(argument.text, { name: argument.text, where: where(file, argument) });
        }
      }
    }
    const name =
      ts.isPropertyAccessExpression(node) && isEnvObject(node.expression)
        ? node.name.text
        : ts.isElementAccessExpression(node) && isEnvObject(node.expression) && ts.isStringLiteralLike(node.argumentExpression)
          ? node.argumentExpression.text
          : undefined;
    if (name && ENV_NAME.test(name) && !found.has(name)) found.set(name, { name, where: where(file, node) });
  });
  return [...found.values()];
}

export type Env = Record<string, string | undefined>;

/** The first frame of the current stack inside `sources` (a path fragment such as `src/config/`) but outside this file, as path:line. */
function frameIn(sources: string): string {
  for (const line of new Error().stack?.split('\n') ?? []) {
    const at = /\(?(?:file:\/\/)?([^\s()]+):(\d+):\d+\)?$/.exec(line.trim());
    const index = at?.[1].lastIndexOf(sources) ?? -1;
    if (at && index >= 0 && !at[1].endsWith('/doc-drift.ts')) return `${at[1].slice(index)}:${at[2]}`;
  }
  return sources;
}

/** The value every variable has in one of the recording environments; a name holding it was built from a value. */
const MARK = 'x1';
const MARK_SEGMENT = new RegExp(`(?<=^|_)${MARK.toUpperCase()}(?=_|$)`, 'g');

/**
 * Every variable `load` reads, found by running it on recording environments: empty, every variable
 * set (so that a setting read only beside another is read too), and production. Names the code builds
 * at run time (`${prefix}REGION`) are found as they are read, wherever it keeps their parts; a name
 * built from another variable's value (a list of pools) is reported with `<NAME>` in the value's place,
 * and the docs may give it so or with any name there.
 */
export function envNamesReadBy(load: (env: Env) => unknown, sources: string): Found[] {
  const found = new Map<string, Found>();
  const environments: ((name: string) => string | undefined)[] = [
    () => undefined,
    () => MARK,
    (name) => (name === 'NODE_ENV' ? 'production' : undefined),
  ];
  for (const valueOf of environments) {
    const record = (name: string | symbol): name is string => {
      if (typeof name !== 'string' || !ENV_NAME.test(name)) return false;
      const shown = name.replace(MARK_SEGMENT, '<NAME>');
      if (!found.has(shown)) {
        const pattern = shown === name ? undefined : wholeWord(shown.split('<NAME>').join('(?:[A-Z0-9]+|<NAME>)'));
        found.set(shown, { name: shown, where: frameIn(sources), pattern });
      }
      return true;
    };
    const env = new Proxy<Env>(
      {},
      {
        get: (_target, name) => (record(name) ? valueOf(name) : undefined),
        has: (_target, name) => record(name) && valueOf(name) !== undefined,
      },
    );
    try {
      load(env);
    } catch {
      // A configuration error is expected: every variable has been read before it is raised.
    }
  }
  return [...found.values()];
}

interface ClassInfo {
  file: ts.SourceFile;
  node: ts.ClassDeclaration;
  parent?: string;
  /** Positions of the constructor's `status` and `code` parameters, when it has them. */
  statusIndex?: number;
  codeIndex?: number;
  /** The string literal union the `code` parameter is typed with, when it is. */
  codeType?: string;
}

/** An error code found in the code, with every HTTP status it is answered with where the source says. */
export interface FoundCode extends Found {
  statuses: number[];
}

/** A code an expression can have, and its status when the expression says (a table keyed by status). */
interface CodeValue {
  code: string;
  status?: number;
}

const ROOT_ERROR = 'ApiError';

function parameterIndex(constructor: ts.ConstructorDeclaration | undefined, name: string): number | undefined {
  const index = constructor?.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name) ?? -1;
  return index >= 0 ? index : undefined;
}

/**
 * Every error `code` the sources can answer with, and its status, read from where errors are made: the
 * `code` argument of `new ApiError(…)` and of its subclasses (or their `super(…)` calls), the string
 * literal union a subclass's `code` parameter is typed with, and error bodies written by hand
 * (`{ statusCode, code }`). A status is a number or `HttpStatus.NAME` (`statusNames` gives the numbers).
 * A code that cannot be read from the source is reported as a problem, so that no code escapes the docs.
 */
export function errorCodes(sources: SourceText[], statusNames: Record<string, number> = {}): { codes: FoundCode[]; problems: string[] } {
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
        const codeIndex = parameterIndex(constructor, 'code');
        const codeType = codeIndex === undefined ? undefined : constructor!.parameters[codeIndex].type;
        classes.set(node.name.text, {
          file,
          node,
          parent: heritage && ts.isIdentifier(heritage.expression) ? heritage.expression.text : undefined,
          statusIndex: parameterIndex(constructor, 'status'),
          codeIndex,
          codeType: codeType && ts.isTypeReferenceNode(codeType) && ts.isIdentifier(codeType.typeName) ? codeType.typeName.text : undefined,
        });
      }
    });
  }
  const isError = (name: string | undefined, seen = new Set<string>()): boolean =>
    name === ROOT_ERROR || (name !== undefined && !seen.has(name) && isError(classes.get(name)?.parent, seen.add(name)));
  const root = classes.get(ROOT_ERROR);
  const indexes = (name: string) =>
    name === ROOT_ERROR
      ? { status: root?.statusIndex ?? 0, code: root?.codeIndex ?? 1 }
      : { status: classes.get(name)?.statusIndex, code: classes.get(name)?.codeIndex };
  const statusOf = (expression: ts.Expression | undefined): number | undefined => {
    if (expression && ts.isNumericLiteral(expression)) return Number(expression.text);
    if (
      expression &&
      ts.isPropertyAccessExpression(expression) &&
      ts.isIdentifier(expression.expression) &&
      expression.expression.text === 'HttpStatus'
    ) {
      return statusNames[expression.name.text];
    }
    return undefined;
  };

  const codes = new Map<string, FoundCode>();
  const problems: string[] = [];
  const add = (code: string, at: string, status: number | undefined) => {
    if (!CODE.test(code)) return problems.push(`${at}: "${code}" is not a code (lowercase words joined by _)`);
    const found = codes.get(code) ?? codes.set(code, { name: code, where: at, statuses: [] }).get(code)!;
    if (status !== undefined && !found.statuses.includes(status)) found.statuses.push(status);
  };

  for (const file of files) {
    /** The codes an expression can have, read without running it; undefined when it cannot be told. */
    const valuesOf = (expression: ts.Expression, status: number | undefined): CodeValue[] | undefined => {
      if (ts.isStringLiteralLike(expression)) return [{ code: expression.text, status }];
      if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return valuesOf(expression.expression, status);
      if (ts.isConditionalExpression(expression))
        return both(valuesOf(expression.whenTrue, status), valuesOf(expression.whenFalse, status));
      if (
        ts.isBinaryExpression(expression) &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expression.operatorToken.kind)
      ) {
        return both(valuesOf(expression.left, status), valuesOf(expression.right, status));
      }
      if (ts.isElementAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
        return tableValues(expression.expression.text, status);
      }
      if (ts.isIdentifier(expression)) return constantValue(expression.text, status);
      // `error.code`: passes on a code made elsewhere, which is read where it is made.
      if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'code') return [];
      return undefined;
    };
    const both = (a: CodeValue[] | undefined, b: CodeValue[] | undefined) => (a && b ? [...a, ...b] : undefined);
    const declaration = (name: string): ts.Expression | undefined => {
      let found: ts.Expression | undefined;
      walk(file, (node) => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node.initializer;
      });
      return found;
    };
    /** A table's codes; keyed by status (`{ 404: 'not_found' }`), each takes its key as its status. */
    const tableValues = (name: string, status: number | undefined): CodeValue[] | undefined => {
      const table = declaration(name);
      if (!table || !ts.isObjectLiteralExpression(table)) return undefined;
      const values = table.properties.map((p) =>
        ts.isPropertyAssignment(p) ? valuesOf(p.initializer, ts.isNumericLiteral(p.name) ? Number(p.name.text) : status) : undefined,
      );
      return values.every(Boolean) ? values.flatMap((value) => value!) : undefined;
    };
    const constantValue = (name: string, status: number | undefined): CodeValue[] | undefined => {
      const value = declaration(name);
      return value && ts.isStringLiteralLike(value) ? [{ code: value.text, status }] : undefined;
    };
    const take = (expression: ts.Expression | undefined, status: number | undefined, node: ts.Node, what: string) => {
      const at = where(file, node);
      const values = expression && valuesOf(expression, status);
      if (values) for (const value of values) add(value.code, at, value.status);
      else problems.push(`${at}: cannot tell which code ${what} answers; write the code as a string literal (or a union type of them)`);
    };

    walk(file, (node) => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && isError(node.expression.text)) {
        const info = classes.get(node.expression.text);
        if (node.expression.text !== ROOT_ERROR && (info?.codeType || info?.codeIndex === undefined)) return; // read at its super(…) call
        const at = indexes(node.expression.text);
        take(node.arguments?.[at.code!], statusOf(node.arguments?.[at.status ?? -1]), node, `new ${node.expression.text}(…)`);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const owner = ts.findAncestor(node, ts.isClassDeclaration);
        const info = owner?.name ? classes.get(owner.name.text) : undefined;
        if (!info?.parent || !isError(info.parent) || (info.codeIndex !== undefined && !info.codeType)) return;
        const at = indexes(info.parent);
        const status = statusOf(node.arguments[at.status ?? -1]);
        if (info.codeType) {
          const members = unions.get(info.codeType);
          if (members) for (const code of members) add(code, where(info.file, info.node), status);
          else
            problems.push(
              `${where(info.file, info.node)}: ${owner!.name!.text}'s code type ${info.codeType} is not a union of string literals`,
            );
        } else if (at.code !== undefined) take(node.arguments[at.code], status, node, `super(…) of ${owner!.name!.text}`);
      } else if (ts.isObjectLiteralExpression(node)) {
        const property = (name: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name,
          );
        const code = property('code');
        const statusCode = property('statusCode');
        if (code && statusCode) take(code.initializer, statusOf(statusCode.initializer), node, 'this error body');
      }
    });
  }
  return { codes: [...codes.values()], problems };
}

/** The rows of a markdown section's tables, as their cells' text (without the header and separator rows' meaning). */
export function tableRows(markdown: string, heading: string): string[][] | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,2} /.test(line));
  return (end < 0 ? rest : rest.slice(0, end))
    .filter((line) => line.startsWith('|') && !/^\|\s*:?-/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

function wholeWord(pattern: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_])${pattern}(?![A-Za-z0-9_])`);
}

/** The names a text does not mention as whole words. */
export function notMentioned(text: string, names: Found[]): Found[] {
  return names.filter((found) => !(found.pattern ?? wholeWord(found.name)).test(text));
}

/** The names that have no `NAME=` line, commented out or not, in a .env file. */
export function notAssigned(envFile: string, names: Found[]): Found[] {
  const assigned = envFile.split('\n').flatMap((line) => /^\s*#?\s*([A-Z0-9_<>]+)=/.exec(line)?.[1] ?? []);
  return names.filter((found) => !assigned.some((name) => (found.pattern ? found.pattern.test(name) : name === found.name)));
}

/** The backticked names in one column of the tables of a markdown section (its `## heading` line), or undefined without that section. */
export function tableNames(markdown: string, heading: string, column = 0): string[] | undefined {
  return tableRows(markdown, heading)?.flatMap((cells) => [...(cells[column] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}
