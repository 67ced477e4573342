/**
 * Build plugin that keeps the bundled code working on pages that put enumerable properties
 * on built-in prototypes (`Object.prototype.get = 1`, naive `Array.prototype.find` polyfills)
 * or removed some (`delete Array.prototype.flat`).
 *
 * Property descriptors are objects, and `Object.defineProperty` reads `get`, `set`, `value`
 * and `writable` through the prototype chain: a literal such as `{ get, enumerable: true }`
 * (the bundler's own export helper, Lit's decorators, Dexie) then carries the page's `set`
 * or `value` too and throws. `for…in` also lists the page's additions as if they were keys
 * of every object. Neither can be fixed in each library, so the plugin rewrites the output
 * chunks (ours, the libraries' and the bundler's helpers alike):
 * - `Object.defineProperty` and its relatives take and give descriptors made of own fields
 *   only, on a null prototype;
 * - `for (key in object)` skips keys that come from a built-in prototype;
 * - arrays are flattened without `Array.prototype.flat`/`flatMap` (Lit's styles, the emoji index).
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';

/** Functions that take or return descriptors, by `Object.<name>` / `Reflect.<name>`, and their replacement. */
const replacements: Readonly<Record<string, string>> = {
  'Object.defineProperty': '__imDefineProperty',
  'Object.defineProperties': '__imDefineProperties',
  'Object.create': '__imCreate',
  'Object.getOwnPropertyDescriptor': '__imGetOwnPropertyDescriptor',
  'Object.getOwnPropertyDescriptors': '__imGetOwnPropertyDescriptors',
  'Reflect.defineProperty': '__imReflectDefineProperty',
  'Reflect.getOwnPropertyDescriptor': '__imGetOwnPropertyDescriptor',
};

// Runs before anything else in the chunk, with the platform's functions as they were found.
const prelude = `
const __imHas = Object.prototype.hasOwnProperty;
const __imIsEnumerable = Object.prototype.propertyIsEnumerable;
const __imDescriptorFields = ['value', 'writable', 'get', 'set', 'enumerable', 'configurable'];
const __imOwnDescriptor = (descriptor) => {
  if (descriptor === null || typeof descriptor !== 'object') return descriptor;
  const own = Object.create(null);
  for (const field of __imDescriptorFields) if (__imHas.call(descriptor, field)) own[field] = descriptor[field];
  // \`{ get: source.get, set: source.set }\` copies the page's \`set\` when source has none: an
  // accessor that is not a function would only throw, so it is left out.
  for (const field of ['get', 'set']) {
    if (own[field] !== undefined && typeof own[field] !== 'function') delete own[field];
  }
  return own;
};
const __imOwnDescriptors = (descriptors) => {
  if (descriptors === null || typeof descriptors !== 'object') return descriptors;
  const own = Object.create(null);
  for (const key of Reflect.ownKeys(descriptors)) {
    if (__imIsEnumerable.call(descriptors, key)) own[key] = __imOwnDescriptor(descriptors[key]);
  }
  return own;
};
const __imDefineProperty = (target, key, descriptor) => Object.defineProperty(target, key, __imOwnDescriptor(descriptor));
const __imReflectDefineProperty = (target, key, descriptor) => Reflect.defineProperty(target, key, __imOwnDescriptor(descriptor));
const __imDefineProperties = (target, descriptors) => Object.defineProperties(target, __imOwnDescriptors(descriptors));
const __imCreate = (prototype, descriptors) =>
  descriptors === undefined ? Object.create(prototype) : Object.create(prototype, __imOwnDescriptors(descriptors));
const __imGetOwnPropertyDescriptor = (target, key) => __imOwnDescriptor(Object.getOwnPropertyDescriptor(target, key));
const __imGetOwnPropertyDescriptors = (target) => __imOwnDescriptors(Object.getOwnPropertyDescriptors(target));
// For \`const { defineProperty } = Object\` (Lit does that): the same functions, read by name.
const __imStatics = (target, overrides) =>
  new Proxy(target, { get: (_, key) => (__imHas.call(overrides, key) ? overrides[key] : target[key]) });
const __imObject = __imStatics(Object, {
  defineProperty: __imDefineProperty,
  defineProperties: __imDefineProperties,
  create: __imCreate,
  getOwnPropertyDescriptor: __imGetOwnPropertyDescriptor,
  getOwnPropertyDescriptors: __imGetOwnPropertyDescriptors,
});
const __imReflect = __imStatics(Reflect, {
  defineProperty: __imReflectDefineProperty,
  getOwnPropertyDescriptor: __imGetOwnPropertyDescriptor,
});
// \`flat\` and \`flatMap\` for arrays, as pages that delete or replace them leave none.
const __imFlatten = (items, depth, out) => {
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) continue;
    if (depth > 0 && Array.isArray(items[i])) __imFlatten(items[i], depth - 1, out);
    else out.push(items[i]);
  }
  return out;
};
const __imFlat = (target, depth) =>
  Array.isArray(target) ? __imFlatten(target, depth === undefined ? 1 : Math.trunc(Number(depth)) || 0, []) : target.flat(depth);
const __imFlatMap = (target, map, thisArg) => {
  if (!Array.isArray(target)) return target.flatMap(map, thisArg);
  const mapped = [];
  for (let i = 0; i < target.length; i++) if (i in target) mapped.push(map.call(thisArg, target[i], i, target));
  return __imFlatten(mapped, 1, []);
};
const __imBuiltinPrototypes = new Set([Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype]);
function* __imForInKeys(target) {
  for (const key in target) {
    let holder = Object(target);
    while (holder !== null && !__imHas.call(holder, key)) holder = Object.getPrototypeOf(holder);
    if (!__imBuiltinPrototypes.has(holder)) yield key;
  }
}
`;

interface Node {
  type: string;
  start: number;
  end: number;
  [field: string]: unknown;
}

export function prototypeGuard(): Plugin {
  return {
    name: 'im-chat-prototype-guard',
    apply: 'build',
    renderChunk(code, _chunk, options) {
      const program = this.parse(code) as unknown as Node;
      const output = new MagicString(code);
      let firstFunction: Node | null = null;
      walk(program, (node) => {
        if (node.type === 'MemberExpression' && !node.computed) {
          const name = replacements[`${nameOf(node.object as Node)}.${nameOf(node.property as Node)}`];
          if (name) output.overwrite(node.start, node.end, name);
        } else if (/^(VariableDeclarator|AssignmentExpression)$/.test(node.type)) {
          const source = destructured(node);
          const name = source && nameOf(source);
          if (source && (name === 'Object' || name === 'Reflect')) output.overwrite(source.start, source.end, `__im${name}`);
        } else if (node.type === 'CallExpression' && flattens(node)) {
          const callee = node.callee as Node;
          const name = nameOf(callee.property as Node)!;
          const dot = code.lastIndexOf('.', (callee.property as Node).start);
          const openParen = code.indexOf('(', callee.end);
          output.prependRight(callee.start, `__im${name === 'flat' ? 'Flat' : 'FlatMap'}(`);
          output.overwrite(dot, openParen + 1, (node.arguments as Node[]).length > 0 ? ', ' : '');
        } else if (node.type === 'ForInStatement') {
          const left = node.left as Node;
          const right = node.right as Node;
          const keyword = code.slice(left.end, right.start).search(/\bin\b/);
          output.overwrite(left.end + keyword, left.end + keyword + 2, 'of __imForInKeys((');
          output.appendLeft(right.end, '))');
        } else if (/^(Function|ArrowFunction)Expression$/.test(node.type)) {
          if (!firstFunction || node.start < firstFunction.start) firstFunction = node;
        }
      });
      output.prependLeft(preludePosition(options.format === 'iife' ? firstFunction : null), prelude);
      return { code: output.toString(), map: output.generateMap({ hires: true }) };
    },
  };
}

/** Where the prelude goes: inside the IIFE's function (no globals), after its directives. */
function preludePosition(wrapper: Node | null): number {
  if (!wrapper) return 0;
  const body = wrapper.body as Node & { body: Node[] };
  const directives = body.body.filter((statement) => typeof statement.directive === 'string');
  return directives.length > 0 ? directives[directives.length - 1]!.end : body.start + 1;
}

/** `x.flat(…)` or `x.flatMap(…)`, not optional. */
function flattens(node: Node): boolean {
  const callee = node.callee as Node;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.optional || node.optional) return false;
  const name = nameOf(callee.property as Node);
  return name === 'flat' || name === 'flatMap';
}

/** What `const { a, b } = source` or `({ a, b } = source)` takes its properties from. */
function destructured(node: Node): Node | null {
  if (node.type === 'VariableDeclarator' && (node.id as Node).type === 'ObjectPattern' && isNode(node.init)) {
    return node.init;
  }
  if (node.type === 'AssignmentExpression' && (node.left as Node).type === 'ObjectPattern') return node.right as Node;
  return null;
}

function nameOf(node: Node): string | undefined {
  return node.type === 'Identifier' ? (node.name as string) : undefined;
}

/** Visits every node, parents before children, in source order. */
function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) walk(child, visit);
    } else if (isNode(value)) {
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}
