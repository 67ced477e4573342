import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The code block that follows a marker comment in a Markdown file of the repository. */
async function snippetAfter(file: string, marker: string): Promise<string> {
  const text = await readFile(join(repositoryRoot, file), 'utf8');
  const start = text.indexOf(`<!-- ${marker}`);
  expect(start, `${file} has no ${marker} marker`).toBeGreaterThan(-1);
  const block = /```js\n([\s\S]*?)```/.exec(text.slice(start));
  if (!block) throw new Error(`no js block after ${marker}`);
  return block[1]!;
}

/** README.md and the guides under docs/, as paths from the repository root. */
async function documents(): Promise<string[]> {
  const guides = (await readdir(join(repositoryRoot, 'docs'))).filter((name) => name.endsWith('.md'));
  return ['README.md', ...guides.map((name) => `docs/${name}`)];
}

/** Markdown without its fenced and inline code, where `#` and `[x](y)` are not headings or links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives the headings of a Markdown file. */
async function anchors(path: string): Promise<Set<string>> {
  const slugger = new GithubSlugger();
  const headings = prose(await readFile(path, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm);
  return new Set([...headings].map(([, heading]) => slugger.slug(heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'))));
}

describe('README and docs', () => {
  it('link only to files and headings that exist', async () => {
    const broken: string[] = [];
    for (const document of await documents()) {
      const text = prose(await readFile(join(repositoryRoot, document), 'utf8'));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
        const [path, anchor] = target!.split('#');
        const file = path ? join(repositoryRoot, dirname(document), path) : join(repositoryRoot, document);
        const where = `${document}: ${target}`;
        if (!(await stat(file).catch(() => null))) {
          broken.push(`${where} (no file ${relative(repositoryRoot, file)})`);
        } else if (anchor && !(await anchors(file)).has(anchor)) {
          broken.push(`${where} (no heading #${anchor})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('README stays short, and its first part tells a new user how to start, stop and reset the demo', async () => {
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    const lines = readme.split('\n');
    expect(lines.length, 'guides belong in docs/').toBeLessThanOrEqual(150);
    const tryIt = lines.slice(0, 80).join('\n');
    for (const needed of ['npm install && npm start', 'Demo: http://127.0.0.1:3000/', 'Alice', 'Bob', 'Ctrl+C', '`data/`']) {
      expect(tryIt).toContain(needed);
    }
  });

  it('mints a token in Node that the server accepts, as its snippet is written', async () => {
    const snippet = await snippetAfter('docs/backend-integration.md', 'readme-node-token');
    const dir = await mkdtemp(join(tmpdir(), 'im-chat-readme-'));
    try {
      // A backend's own module: the user it signs in, the snippet, and the token it hands out.
      await symlink(join(repositoryRoot, 'node_modules'), join(dir, 'node_modules'));
      const user = { id: 'u-42', name: 'Ada Lovelace', avatarUrl: 'https://shop.example/ada.png' };
      await writeFile(
        join(dir, 'mint.mjs'),
        `const user = ${JSON.stringify(user)};\n${snippet}\nprocess.stdout.write(token);\n`,
      );
      const secret = 'readme-secret-of-at-least-32-bytes!!';
      const token = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['mint.mjs'], { cwd: dir, env: { ...process.env, IM_JWT_SECRET: secret } }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      );
      const auth = createJwtAuthenticator({ secret: new TextEncoder().encode(secret) });
      const session = await auth.verify(token);
      expect(session.user).toEqual({ id: 'u-42', name: 'Ada Lovelace', avatar: 'https://shop.example/ada.png' });
      expect(session.expiresAt! - Date.now()).toBeGreaterThan(10 * 60_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
