import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';

// custom-elements.json for the elements a page places itself, and the framework typings made
// from it. The element's JSDoc is the source: attributes, properties, methods, events, parts
// and CSS properties are described there. Run by `npm run build` after `tsc` wrote dist/types.

/** The modules of the public elements (the inner parts live in the widget's own registry). */
const publicElements = ['src/ui/im-chat/im-chat.ts'];

/** The module integrators import the element classes and event details from. */
const entry = 'dist/im-chat.js';

/** Where the generated typings go, next to the declarations `tsc` emits. */
const typesDir = 'dist/types';

export default {
  globs: publicElements,
  outdir: '.',
  litelement: true,
  plugins: [
    imElementDecorator(),
    publicApiOnly(),
    ...asFrameworksSetThem([
        customElementJsxPlugin({
        outdir: typesDir,
        fileName: 'jsx.d.ts',
        globalTypePath: './ui/index.js',
        hideLogs: true,
      }),
      customElementVuejsPlugin({
        outdir: typesDir,
        fileName: 'vue.d.ts',
        globalTypePath: './ui/index.js',
        hideLogs: true,
      }),
    ]),
    frameworkAugmentations(),
  ],
};

/** Our elements register with `@imElement('im-…')` (see src/ui/registry.ts) in place of Lit's `@customElement`. */
function imElementDecorator() {
  return {
    name: 'im-element-decorator',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const modifier of node.modifiers ?? []) {
        if (!ts.isDecorator(modifier) || !ts.isCallExpression(modifier.expression)) continue;
        const { expression, arguments: [tag] } = modifier.expression;
        if (expression.getText() !== 'imElement' || !tag || !ts.isStringLiteral(tag)) continue;
        moduleDoc.exports = [
          ...(moduleDoc.exports ?? []),
          {
            kind: 'custom-element-definition',
            name: tag.text,
            declaration: { name: node.name.text, module: moduleDoc.path },
          },
        ];
      }
    },
  };
}

/**
 * Keeps only what a page may use: no private or protected members (the contexts the element
 * provides, Lit's lifecycle), and module paths that name the published entry, not our sources.
 */
function publicApiOnly() {
  return {
    name: 'im-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const moduleDoc of customElementsManifest.modules) {
        for (const declaration of moduleDoc.declarations ?? []) {
          declaration.members = (declaration.members ?? []).filter(
            (member) => !member.privacy && !member.name.startsWith('#') && !member.static,
          );
        }
        moduleDoc.path = entry;
        for (const item of moduleDoc.exports ?? []) item.declaration.module = entry;
      }
    },
  };
}

/**
 * Runs the typing generators on the element as React 19 and Vue see it, then puts the manifest
 * back as it was. Their event props take the manifest's event type as the detail (our events
 * are typed `CustomEvent<Detail>`, as the schema says); they read every attribute as a field
 * of the class, so the `open` attribute, whose property is the `open()` method that React and
 * Vue would overwrite, stays out; and a read-only property (`chatClient`) is no prop.
 */
function asFrameworksSetThem(generators) {
  const saved = new Map();
  const detail = /^CustomEvent<(.*)>$/s;
  return [
    {
      name: 'im-framework-view',
      packageLinkPhase({ customElementsManifest }) {
        for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
          saved.set(declaration, structuredClone(declaration));
          declaration.attributes = declaration.attributes?.filter((attribute) => attribute.name !== 'open');
          for (const attribute of declaration.attributes ?? []) attribute.fieldName ??= attribute.name;
          declaration.members = declaration.members?.filter((member) => !member.readonly);
          for (const event of declaration.events ?? []) {
            const match = detail.exec(event.type?.text ?? '');
            if (match) event.type = { text: match[1] };
          }
        }
      },
    },
    ...generators,
    {
      name: 'im-framework-view-restore',
      packageLinkPhase({ customElementsManifest }) {
        for (const moduleDoc of customElementsManifest.modules) {
          moduleDoc.declarations = moduleDoc.declarations?.map((declaration) => saved.get(declaration) ?? declaration);
        }
      },
    },
  ];
}

/**
 * Puts the generated JSX props into the `react` and `preact` modules' JSX namespaces, where
 * each looks for intrinsic elements: `import type {} from 'im-chat/react'` (or `/preact`) in an
 * app types them; and names the Vue typings' listeners as Vue's templates look them up.
 */
function frameworkAugmentations() {
  const augment = (framework) => `/** \`<im-chat>\` in ${framework}'s JSX (generated from custom-elements.json). */
import type { CustomElements } from './jsx.js';

declare module '${framework}' {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
}
`;
  return {
    name: 'im-framework-augmentations',
    async packageLinkPhase() {
      await mkdir(typesDir, { recursive: true });
      await writeFile(`${typesDir}/react.d.ts`, augment('react'));
      await writeFile(`${typesDir}/preact.d.ts`, augment('preact'));
      // Vue's templates look a listener up by its camelized name (`@im-open` → `onImOpen`),
      // where the generator writes the event's own (`onim-open`) and the handler goes untyped.
      const vue = `${typesDir}/vue.d.ts`;
      const camelized = (await readFile(vue, 'utf8')).replace(
        /"on([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"\?:/g,
        (_, name) => `on${name.replace(/(?:^|-)([a-z0-9])/g, (_, letter) => letter.toUpperCase())}?:`,
      );
      await writeFile(vue, camelized);
    },
  };
}
