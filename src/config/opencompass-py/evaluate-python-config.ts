import { parser } from '@lezer/python';
import { ConfigError } from '../../spec/index.js';
import { decodePythonString } from './python-string-literal.js';

// @lezer/common's SyntaxNode, named through @lezer/python (the package sextant depends on).
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** A position in a config file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A name imported from an OpenCompass module that is not a dataset config, e.g. `TurboMindModel`. */
export class PythonImport {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly location: SourceLocation,
  ) {}
}

/** The dataset list a `read_base` import names (`ceval_datasets` of `.datasets.ceval.ceval_gen_5f30c7`). */
export class ImportedDatasets {
  constructor(
    /** The sextant dataset config name the module resolved to (its last segment). */
    readonly configName: string,
    readonly module: string,
    readonly location: SourceLocation,
  ) {}
}

/**
 * A value of the literal subset: `None` → null, numbers, booleans, strings, lists and tuples → arrays, dicts →
 * plain objects; imported names stay references. Spreading an {@link ImportedDatasets} into a list leaves the
 * reference itself as one element ("all datasets of that config").
 */
export type PythonValue = null | boolean | number | string | PythonValue[] | PythonDict | PythonImport | ImportedDatasets;
export interface PythonDict {
  [key: string]: PythonValue;
}

/** What a config file binds at top level, in order, with where each name was bound. */
export interface PythonConfigModule {
  readonly file: string;
  readonly bindings: ReadonlyMap<string, { readonly value: PythonValue; readonly location: SourceLocation }>;
  /** Where each dict's keys and each list's items were written (for messages about a field). */
  locationOf(value: PythonValue, key?: string | number): SourceLocation | undefined;
}

export interface EvaluatePythonConfigOptions {
  /** Shown in messages (the path as the user gave it). */
  readonly file: string;
  readonly source: string;
  /**
   * The sextant dataset config name a `read_base` dataset module resolves to, given the module's last segment
   * (e.g. `ceval_gen_5f30c7`); `undefined` when sextant does not know it.
   */
  readonly resolveDatasetConfig: (moduleName: string) => string | undefined;
}

/** Thrown for anything outside the literal subset; the message starts with `file:line:column`. */
function fail(location: SourceLocation, message: string): never {
  throw new ConfigError({ source: `${location.file}:${location.line}:${location.column}`, message });
}

/**
 * Parse an OpenCompass (mmengine) Python config with a real Python grammar (@lezer/python) and evaluate its literal
 * subset: dicts, lists, tuples, strings, numbers, booleans, `None`, names bound earlier or imported, `*`/`**`
 * unpacking, `dict(...)`/`list(...)`/`tuple(...)`, `+` on lists and strings, and `with read_base():` import blocks.
 * Anything else (other calls, comprehensions, attribute access, lambdas, conditionals…) is refused with the file,
 * line and column of what was found. No Python code is executed.
 */
export function evaluatePythonConfig(options: EvaluatePythonConfigOptions): PythonConfigModule {
  return new Evaluator(options).run();
}

const lineStarts = (source: string): number[] => {
  const starts = [0];
  for (let index = 0; index < source.length; index += 1) if (source[index] === '\n') starts.push(index + 1);
  return starts;
};

class Evaluator {
  private readonly bindings = new Map<string, { value: PythonValue; location: SourceLocation }>();
  private readonly locations = new WeakMap<object, Map<string | number, SourceLocation>>();
  private readonly starts: number[];
  private readonly readBaseNames = new Set<string>();

  constructor(private readonly options: EvaluatePythonConfigOptions) {
    this.starts = lineStarts(options.source);
  }

  run(): PythonConfigModule {
    const tree = parser.parse(this.options.source);
    this.checkSyntax(tree.topNode);
    for (const statement of this.children(tree.topNode)) this.statement(statement);
    return {
      file: this.options.file,
      bindings: this.bindings,
      locationOf: (value, key) => (typeof value === 'object' && value !== null ? this.locations.get(value)?.get(key ?? '') : undefined),
    };
  }

  private at(offset: number): SourceLocation {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { file: this.options.file, line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }

  private text(node: SyntaxNode): string {
    return this.options.source.slice(node.from, node.to);
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const result: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) if (child.name !== 'Comment') result.push(child);
    return result;
  }

  private checkSyntax(top: SyntaxNode): void {
    const cursor = top.cursor();
    do {
      if (cursor.type.isError) {
        const rest = excerpt(this.options.source.slice(cursor.from));
        fail(
          this.at(cursor.from),
          `Python syntax error: unexpected ${rest ? `"${rest}"` : cursor.from >= this.options.source.trimEnd().length ? 'end of file' : 'end of line'}`,
        );
      }
    } while (cursor.next());
  }

  private statement(node: SyntaxNode): void {
    switch (node.name) {
      case 'ImportStatement':
        return this.importStatement(node, false);
      case 'WithStatement':
        return this.withStatement(node);
      case 'AssignStatement':
        return this.assignStatement(node);
      case 'UpdateStatement':
        return this.updateStatement(node);
      case 'ExpressionStatement': {
        const [expression] = this.children(node);
        // A docstring or a bare string is allowed; any other expression statement does something.
        if (expression && (expression.name === 'String' || expression.name === 'ContinuedString')) return;
        return fail(this.at(node.from), `a config may only assign names; found the expression statement "${excerpt(this.text(node))}"`);
      }
      case 'PassStatement':
        return;
      default:
        return fail(this.at(node.from), `a config may only assign names and import; found ${describeStatement(node.name)} "${excerpt(this.text(node))}"`);
    }
  }

  private withStatement(node: SyntaxNode): void {
    const parts = this.children(node);
    const header = parts[1];
    const body = parts.find((part) => part.name === 'Body');
    const isReadBase =
      header?.name === 'CallExpression' &&
      this.readBaseNames.has(this.text(header.firstChild as SyntaxNode)) &&
      this.text(header).replace(/\s/g, '').endsWith('()');
    if (!isReadBase || !body || parts.length !== 3) {
      return fail(this.at(node.from), 'the only `with` block allowed is `with read_base():` (read_base imported from mmengine.config)');
    }
    for (const statement of this.children(body)) {
      if (statement.name === ':' || statement.name === 'PassStatement') continue;
      if (statement.name !== 'ImportStatement')
        fail(this.at(statement.from), `a \`with read_base():\` block may only hold imports; found "${excerpt(this.text(statement))}"`);
      this.importStatement(statement, true);
    }
  }

  private importStatement(node: SyntaxNode, inReadBase: boolean): void {
    const parts = this.children(node);
    if (parts[0]?.name !== 'from') return fail(this.at(node.from), `\`${this.text(node)}\`: only \`from MODULE import NAME\` imports are allowed`);
    const importIndex = parts.findIndex((part) => part.name === 'import');
    const module = parts
      .slice(1, importIndex)
      .map((part) => this.text(part))
      .join('');
    const names: Array<{ name: string; alias: string; node: SyntaxNode }> = [];
    const rest = parts.slice(importIndex + 1).filter((part) => part.name !== '(' && part.name !== ')' && part.name !== ',');
    for (let index = 0; index < rest.length; index += 1) {
      const part = rest[index] as SyntaxNode;
      if (part.name === '*') return fail(this.at(part.from), `\`from ${module} import *\` is not supported; import the names you use`);
      const alias = rest[index + 1]?.name === 'as' ? (rest[index + 2] as SyntaxNode) : part;
      names.push({ name: this.text(part), alias: this.text(alias), node: part });
      if (alias !== part) index += 2;
    }
    const moduleNode = parts[1] as SyntaxNode;
    for (const entry of names)
      this.bind(entry.alias, this.importedValue({ module, moduleNode, name: entry.name, alias: entry.alias, node: entry.node, inReadBase }), entry.node);
  }

  private importedValue(options: { module: string; moduleNode: SyntaxNode; name: string; alias: string; node: SyntaxNode; inReadBase: boolean }): PythonValue {
    const { module, name, node } = options;
    const location = this.at(node.from);
    if (module === 'mmengine.config' && name === 'read_base') {
      this.readBaseNames.add(options.alias);
      return new PythonImport(module, name, location);
    }
    const segments = module.replace(/^\.+/, '').split('.');
    const configIndex = segments[0] === 'opencompass' && segments[1] === 'configs' ? 2 : segments[0] === 'configs' ? 1 : module.startsWith('.') ? 0 : -1;
    const kind = configIndex >= 0 ? segments[configIndex] : undefined;
    if (configIndex >= 0 && kind === 'datasets') {
      if (!options.inReadBase) fail(location, `dataset configs are imported inside \`with read_base():\`; found \`from ${module} import ${name}\` outside it`);
      const last = segments[segments.length - 1] as string;
      const configName = this.options.resolveDatasetConfig(last);
      if (!configName)
        fail(
          this.at(options.moduleNode.from),
          `unknown OpenCompass dataset config module "${module}" (sextant knows the dataset configs \`sextant list\` shows; the module's last part must be one of them)`,
        );
      if (!name.endsWith('_datasets'))
        fail(location, `\`from ${module} import ${name}\`: a dataset config module exports a list named like \`${last.split('_')[0]}_datasets\``);
      return new ImportedDatasets(configName, module, location);
    }
    if (configIndex >= 0) {
      return fail(
        location,
        `cannot resolve \`from ${module} import ${name}\`: sextant resolves OpenCompass dataset config modules only (${kind ?? 'this'} configs are not bundled); write the ${kind === 'models' ? 'model as dict(type=..., ...) in this file' : 'settings in this file'}`,
      );
    }
    if (segments[0] === 'opencompass') return new PythonImport(module, name, location);
    return fail(
      location,
      `unknown import \`from ${module} import ${name}\` (allowed: read_base from mmengine.config, OpenCompass classes, dataset configs in \`with read_base():\`)`,
    );
  }

  private bind(name: string, value: PythonValue, node: SyntaxNode): void {
    this.bindings.set(name, { value, location: this.at(node.from) });
  }

  private assignStatement(node: SyntaxNode): void {
    const parts = this.children(node);
    const valueNode = parts[parts.length - 1] as SyntaxNode;
    const targets = parts.slice(0, -1).filter((part) => part.name !== 'AssignOp');
    for (const target of targets) {
      if (target.name !== 'VariableName') fail(this.at(target.from), `only plain names can be assigned; found "${excerpt(this.text(target))}"`);
    }
    if (parts.some((part) => part.name === 'TypeDef' || part.name === ':')) fail(this.at(node.from), 'annotated assignments are not supported');
    const value = this.expression(valueNode);
    for (const target of targets) this.bind(this.text(target), value, target);
  }

  private updateStatement(node: SyntaxNode): void {
    const [target, operator, valueNode] = this.children(node);
    if (!target || target.name !== 'VariableName' || !operator || this.text(operator) !== '+=' || !valueNode) {
      return fail(this.at(node.from), `only \`NAME += list\` is supported; found "${excerpt(this.text(node))}"`);
    }
    const current = this.lookup(target);
    this.bind(this.text(target), this.add(current, this.expression(valueNode), operator), target);
  }

  private lookup(node: SyntaxNode): PythonValue {
    const name = this.text(node);
    const bound = this.bindings.get(name);
    if (!bound) fail(this.at(node.from), `name "${name}" is not defined above this line (only names assigned or imported earlier can be used)`);
    return bound.value;
  }

  private expression(node: SyntaxNode): PythonValue {
    switch (node.name) {
      case 'Number':
        return this.number(node);
      case 'String':
        return this.string(node);
      case 'ContinuedString':
        return this.children(node)
          .map((part) =>
            part.name === 'String'
              ? (this.string(part) as string)
              : fail(this.at(part.from), `found ${describe(part.name)} in an implicitly concatenated string`),
          )
          .join('');
      case 'Boolean':
        return this.text(node) === 'True';
      case 'None':
        return null;
      case 'VariableName':
        return this.lookup(node);
      case 'ParenthesizedExpression': {
        const inner = this.children(node).filter((part) => part.name !== '(' && part.name !== ')');
        return this.expression(inner[0] as SyntaxNode);
      }
      case 'ArrayExpression':
      case 'TupleExpression':
        return this.sequence(node);
      case 'DictionaryExpression':
        return this.dictionary(node);
      case 'CallExpression':
        return this.call(node);
      case 'UnaryExpression':
        return this.unary(node);
      case 'BinaryExpression': {
        const [left, operator, right] = this.children(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
        if (this.text(operator) !== '+') fail(this.at(operator.from), `operator "${this.text(operator)}" is not supported (only + on lists and strings)`);
        return this.add(this.expression(left), this.expression(right), operator);
      }
      case 'MemberExpression':
        return fail(
          this.at(node.from),
          `${this.text(node).includes('[') && !this.text(node).includes('.') ? 'subscripts' : 'attribute access'} ("${excerpt(this.text(node))}") ${'are not supported in a config; name the value directly'}`,
        );
      default:
        return fail(
          this.at(node.from),
          `${describe(node.name)} ("${excerpt(this.text(node))}") is not supported in a config (literals, names, dict(...) and + only)`,
        );
    }
  }

  private number(node: SyntaxNode): number {
    const text = this.text(node).replace(/_/g, '');
    if (/[jJ]$/.test(text)) fail(this.at(node.from), `complex number ${text} is not supported`);
    const value = /^0[xob]/i.test(text) ? Number(text.toLowerCase()) : /^0\d/.test(text) ? Number.NaN : Number(text);
    if (Number.isNaN(value)) fail(this.at(node.from), `cannot read the number "${this.text(node)}"`);
    return value;
  }

  private string(node: SyntaxNode): string {
    const decoded = decodePythonString(this.text(node));
    if ('unsupported' in decoded) return fail(this.at(node.from), `${decoded.unsupported} is not supported in a config`);
    return decoded.value;
  }

  private unary(node: SyntaxNode): PythonValue {
    const [operator, operand] = this.children(node) as [SyntaxNode, SyntaxNode];
    const value = this.expression(operand);
    const symbol = this.text(operator);
    if ((symbol === '-' || symbol === '+') && typeof value === 'number') return symbol === '-' ? -value : value;
    return fail(this.at(node.from), `operator "${symbol}" is not supported here (only a sign before a number)`);
  }

  private add(left: PythonValue, right: PythonValue, operator: SyntaxNode): PythonValue {
    const asList = (value: PythonValue): PythonValue[] | undefined => (Array.isArray(value) ? value : value instanceof ImportedDatasets ? [value] : undefined);
    const leftList = asList(left);
    const rightList = asList(right);
    if (leftList && rightList) return this.track([...leftList, ...rightList], operator);
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return fail(this.at(operator.from), '+ joins two lists or two strings only');
  }

  private track<Value extends object>(value: Value, node: SyntaxNode, keys: Map<string | number, SourceLocation> = new Map()): Value {
    keys.set('', this.at(node.from));
    this.locations.set(value, keys);
    return value;
  }

  private sequence(node: SyntaxNode): PythonValue[] {
    const items: PythonValue[] = [];
    const keys = new Map<string | number, SourceLocation>();
    const parts = this.children(node).filter((part) => !['[', ']', '(', ')', ','].includes(part.name));
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index] as SyntaxNode;
      if (part.name === '*') {
        const operand = parts[++index] as SyntaxNode;
        const value = this.expression(operand);
        if (value instanceof ImportedDatasets) items.push(value);
        else if (Array.isArray(value)) items.push(...value);
        else fail(this.at(operand.from), `*${excerpt(this.text(operand))} unpacks a list, but "${excerpt(this.text(operand))}" is ${typeName(value)}`);
        continue;
      }
      keys.set(items.length, this.at(part.from));
      items.push(this.expression(part));
    }
    return this.track(items, node, keys);
  }

  private dictionary(node: SyntaxNode): PythonDict {
    const result: PythonDict = {};
    const keys = new Map<string | number, SourceLocation>();
    const parts = this.children(node).filter((part) => !['{', '}', ','].includes(part.name));
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index] as SyntaxNode;
      if (part.name === '**') {
        this.spreadInto(result, keys, parts[++index] as SyntaxNode);
        continue;
      }
      const colon = parts[index + 1];
      const valueNode = parts[index + 2];
      if (colon?.name !== ':' || !valueNode) return fail(this.at(part.from), 'expected `key: value` in a dict');
      const key = this.expression(part);
      if (typeof key !== 'string') fail(this.at(part.from), `dict keys must be strings; found ${typeName(key)}`);
      keys.set(key, this.at(part.from));
      result[key] = this.expression(valueNode);
      index += 2;
    }
    return this.track(result, node, keys);
  }

  private spreadInto(result: PythonDict, keys: Map<string | number, SourceLocation>, operand: SyntaxNode): void {
    const value = this.expression(operand);
    if (!isDict(value))
      return fail(this.at(operand.from), `**${excerpt(this.text(operand))} unpacks a dict, but "${excerpt(this.text(operand))}" is ${typeName(value)}`);
    for (const [key, entry] of Object.entries(value)) {
      result[key] = entry;
      keys.set(key, this.locations.get(value)?.get(key) ?? this.at(operand.from));
    }
  }

  private call(node: SyntaxNode): PythonValue {
    const [callee, argumentList] = this.children(node) as [SyntaxNode, SyntaxNode];
    const name = this.text(callee);
    if (callee.name !== 'VariableName' || !['dict', 'list', 'tuple'].includes(name) || this.bindings.has(name)) {
      const idiom = name === 'sum' && this.text(node).includes('locals()') ? '; list the imported datasets instead: datasets = [*ceval_datasets, ...]' : '';
      return fail(this.at(node.from), `function call ${name}(...) is not supported in a config (only dict(...), list(...) and tuple(...))${idiom}`);
    }
    const parts = this.children(argumentList).filter((part) => !['(', ')', ','].includes(part.name));
    if (name !== 'dict') {
      if (parts.length > 1 || (parts[0] && parts[0].name === 'AssignOp')) fail(this.at(node.from), `${name}(...) takes one list`);
      if (!parts[0]) return this.track([], node);
      const value = this.expression(parts[0]);
      if (!Array.isArray(value)) fail(this.at(parts[0].from), `${name}(...) takes a list or tuple; found ${typeName(value)}`);
      return this.track([...value], node);
    }
    const result: PythonDict = {};
    const keys = new Map<string | number, SourceLocation>();
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index] as SyntaxNode;
      if (part.name === '**') {
        this.spreadInto(result, keys, parts[++index] as SyntaxNode);
        continue;
      }
      if (part.name !== 'VariableName' || parts[index + 1]?.name !== 'AssignOp' || !parts[index + 2]) {
        return fail(this.at(part.from), 'dict(...) takes keyword arguments (key=value) and **mappings only');
      }
      const key = this.text(part);
      keys.set(key, this.at(part.from));
      result[key] = this.expression(parts[index + 2] as SyntaxNode);
      index += 2;
    }
    return this.track(result, node, keys);
  }
}

/**
 * The first line of a piece of source for a message, at most 40 characters, with the contents of string literals
 * left out: a config may hold an API key, and messages must never show one.
 */
function excerpt(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  const masked = line.replace(
    /([rRuUbBfF]{0,2})(['"])(?:\\.|(?!\2).)*(\2|$)/g,
    (_whole, prefix: string, quote: string, end: string) => `${prefix}${quote}…${end}`,
  );
  return masked.length > 40 ? `${masked.slice(0, 40)}…` : masked;
}

/** A plain dict value (not a list or an imported reference). */
export function isDict(value: PythonValue): value is PythonDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PythonImport) && !(value instanceof ImportedDatasets);
}

/** How a value is named in messages. */
export function typeName(value: PythonValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PythonImport) return `the imported name ${value.name}`;
  if (value instanceof ImportedDatasets) return 'a dataset list';
  if (typeof value === 'object') return 'a dict';
  // String contents are never shown: a config may hold an API key.
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value === 'boolean' ? 'boolean' : 'number'} (${JSON.stringify(value)})`;
}

const descriptions: Readonly<Record<string, string>> = {
  ArrayComprehensionExpression: 'a list comprehension',
  DictionaryComprehensionExpression: 'a dict comprehension',
  SetComprehensionExpression: 'a set comprehension',
  ComprehensionExpression: 'a generator expression',
  LambdaExpression: 'a lambda',
  SetExpression: 'a set',
  ConditionalExpression: 'a conditional expression',
  FormatString: 'an f-string',
  Ellipsis: '...',
  AwaitExpression: 'await',
  YieldExpression: 'yield',
  NamedExpression: 'an assignment expression (:=)',
};

function describe(name: string): string {
  return (
    descriptions[name] ??
    `a ${name
      .replace(/Expression$/, ' expression')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()}`
  );
}

function describeStatement(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name
    .replace(/Statement$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()} statement`;
}
