/**
 * JSON text of plain data, as `JSON.stringify` gives it on a page that left the built-in
 * prototypes alone. Old libraries (Prototype.js) put `toJSON` on `Array.prototype` and
 * `String.prototype`, which makes `JSON.stringify` turn arrays into strings: the server
 * would read every socket.io packet as garbage. Dates still become ISO strings.
 */
export function plainJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('A BigInt has no JSON form.');
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : quote(value.toISOString());
      return Array.isArray(value) ? array(value) : object(value);
    default:
      // undefined, functions and symbols have no JSON form, as with JSON.stringify.
      return undefined;
  }
}

function array(items: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) text += `${i === 0 ? '' : ','}${plainJson(items[i]) ?? 'null'}`;
  return `${text}]`;
}

function object(value: object): string {
  let text = '{';
  let first = true;
  // Own enumerable keys only: properties a page added to Object.prototype are not data.
  for (const key of Object.keys(value)) {
    const member = plainJson((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    text += `${first ? '' : ','}${quote(key)}:${member}`;
    first = false;
  }
  return `${text}}`;
}

const escapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A string literal; control characters and lone surrogates escaped, as JSON.stringify does. */
function quote(text: string): string {
  const escaped = text.replace(
    /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => (Object.hasOwn(escapes, char) ? escapes[char]! : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  return `"${escaped}"`;
}
