/**
 * The shared schema registry gives every admin route's document all of its schemas (an
 * input and an output form of each); only those the operations reach are kept, so that
 * linters and client generators see no dead components.
 */
type Document = { components?: { schemas?: Record<string, unknown> } } & Record<string, unknown>;

const refPrefix = '#/components/schemas/';

export function withoutUnusedSchemas<T extends object>(document: T): T {
  const { components, ...rest } = document as Document;
  const schemas = components?.schemas;
  if (!schemas) return document;
  const used = new Set<string>();
  const pending: unknown[] = [rest, { ...components, schemas: undefined }];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...value);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(refPrefix)) {
          const name = child.slice(refPrefix.length);
          if (!used.has(name)) {
            used.add(name);
            pending.push(schemas[name]);
          }
        } else pending.push(child);
      }
    }
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...components, schemas: kept } };
}
