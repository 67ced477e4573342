/**
 * custom-elements.json as `npm run build` writes it: what an integrator's editor, docs and
 * framework typings read about `<im-chat>`. Checked against the sources, so that a new
 * custom property, event or part cannot ship undocumented, and nothing internal ships at all.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Documented {
  name: string;
  description?: string;
  type?: { text: string };
  privacy?: string;
  kind?: string;
  static?: boolean;
  parameters?: Documented[];
}
interface ElementDoc {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes: Documented[];
  members: Documented[];
  events: Documented[];
  cssParts: Documented[];
  cssProperties: Documented[];
  slots?: Documented[];
}
interface Manifest {
  modules: { path: string; declarations: ElementDoc[]; exports: { kind: string; name: string }[] }[];
}

let manifest: Manifest;
let imChat: ElementDoc;

/** Every TypeScript file under a folder of the repository, with its text. */
async function sources(dir: string): Promise<{ path: string; text: string }[]> {
  const files = (await readdir(join(root, dir), { recursive: true })).filter((file) => file.endsWith('.ts'));
  return Promise.all(files.map(async (file) => ({ path: join(dir, file), text: await readFile(join(root, dir, file), 'utf8') })));
}

const names = (items: Documented[]) => items.map((item) => item.name).sort();

beforeAll(async () => {
  const text = await readFile(join(root, 'custom-elements.json'), 'utf8').catch(() => {
    throw new Error('custom-elements.json is missing: run `npm run build` first');
  });
  manifest = JSON.parse(text) as Manifest;
  const elements = manifest.modules.flatMap((module) => module.declarations).filter((declaration) => declaration.customElement);
  expect(elements.map((element) => element.tagName)).toEqual(['im-chat']);
  imChat = elements[0]!;
});

describe('custom-elements.json', () => {
  it('defines <im-chat> in the module integrators import', () => {
    const [module] = manifest.modules;
    expect(module!.path).toBe('dist/im-chat.js');
    expect(module!.exports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'js', name: 'ImChat' }),
        expect.objectContaining({ kind: 'custom-element-definition', name: 'im-chat' }),
      ]),
    );
  });

  it('documents every --im-* custom property the styles read, except those the widget sets itself', async () => {
    const files = await sources('src/ui');
    const used = new Set(files.flatMap(({ text }) => [...text.matchAll(/var\((--im-[a-z0-9-]+)/g)].map(([, name]) => name!)));
    const setByScript = new Set(
      files.flatMap(({ text }) => [...text.matchAll(/setProperty\(\s*'(--im-[a-z0-9-]+)'/g)].map(([, name]) => name!)),
    );
    const expected = [...used].filter((name) => !setByScript.has(name)).sort();
    expect(expected.length).toBeGreaterThanOrEqual(36);
    expect(names(imChat.cssProperties)).toEqual(expected);
  });

  it('lists every event <im-chat> dispatches, each with its detail type, and no other', async () => {
    const source = await readFile(join(root, 'src/ui/im-chat/im-chat.ts'), 'utf8');
    const dispatched = new Set(
      [...source.matchAll(/#emit\(([^,]*),/g)].flatMap(([, name]) => [...name!.matchAll(/'(im-[a-z-]+)'/g)].map(([, event]) => event!)),
    );
    expect(dispatched.size).toBeGreaterThan(4);
    expect(names(imChat.events)).toEqual([...dispatched].sort());
    for (const event of imChat.events) expect(event.type?.text, event.name).toMatch(/^CustomEvent<.+>$/);
  });

  it("lists every part of <im-chat>'s own templates and the parts it exports from the support widget", async () => {
    const templates = [
      ...(await sources('src/ui/im-chat')),
      { path: 'notification-controller.ts', text: await readFile(join(root, 'src/ui/notifications/notification-controller.ts'), 'utf8') },
    ];
    const parts = new Set(templates.flatMap(({ text }) => [...text.matchAll(/\bpart="([a-z-]+)"/g)].map(([, name]) => name!)));
    const lists = (await import('../../../src/ui/parts.js')) as unknown as Record<string, readonly string[]>;
    for (const { text } of templates) {
      for (const [, list] of text.matchAll(/exportparts="([^"$]+)"/g)) {
        for (const name of list!.split(',')) parts.add(name.trim());
      }
      // exportparts=${exportParts(listName, ['literal', …], …)}: the lists of src/ui/parts.ts and literal arrays.
      for (const [, args] of text.matchAll(/exportparts=\$\{exportParts\(([^)]*)\)\}/g)) {
        for (const name of args!.match(/\w+Parts\b/g) ?? []) {
          expect(lists[name], `src/ui/parts.ts exports ${name}`).toBeDefined();
          for (const part of lists[name]!) parts.add(part);
        }
        for (const [, literal] of args!.matchAll(/'([a-z-]+)'/g)) parts.add(literal!);
      }
    }
    expect(parts.size).toBeGreaterThan(40);
    expect(names(imChat.cssParts)).toEqual([...parts].sort());
  });

  it("lists every slot <im-chat> offers the page", async () => {
    const slots = new Set<string>();
    for (const { text } of await sources('src/ui/im-chat')) {
      for (const [, name] of text.matchAll(/<slot name="([a-z-]+)"/g)) slots.add(name!);
    }
    expect(slots.size).toBeGreaterThan(0);
    expect(names(imChat.slots ?? [])).toEqual([...slots].sort());
  });

  it('shows only public members: no contexts, no private state, no lifecycle', () => {
    for (const member of imChat.members) {
      expect(member.privacy, member.name).toBeUndefined();
      expect(member.name).not.toMatch(/^#/);
    }
    const memberNames = names(imChat.members);
    for (const internal of ['client', 'session', 'translator', 'settings', 'selected', 'desk', 'render', 'willUpdate']) {
      expect(memberNames).not.toContain(internal);
    }
    expect(names(imChat.events)).not.toContain('type');
    expect(memberNames).toEqual(
      expect.arrayContaining(['server', 'token', 'tokenProvider', 'chatClient', 'openConversation', 'open', 'close', 'logout']),
    );
  });

  it('describes every attribute, property, method and its parameters, event, part and custom property', () => {
    const undescribed = [
      ...imChat.attributes.map((item) => `attribute ${item.name}`.concat(item.description ? '' : ' !')),
      ...imChat.members.map((item) => `${item.kind} ${item.name}`.concat(item.description ? '' : ' !')),
      ...imChat.members.flatMap((method) =>
        (method.parameters ?? []).map((item) => `parameter ${item.name} of ${method.name}`.concat(item.description ? '' : ' !')),
      ),
      ...imChat.events.map((item) => `event ${item.name}`.concat(item.description ? '' : ' !')),
      ...imChat.cssParts.map((item) => `part ${item.name}`.concat(item.description ? '' : ' !')),
      ...imChat.cssProperties.map((item) => `property ${item.name}`.concat(item.description ? '' : ' !')),
      ...(imChat.slots ?? []).map((item) => `slot ${item.name}`.concat(item.description ? '' : ' !')),
    ].filter((entry) => entry.endsWith(' !'));
    expect(undescribed).toEqual([]);
    expect(imChat.attributes.length).toBeGreaterThanOrEqual(19);
  });
});
