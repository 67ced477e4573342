import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The code block that follows a marker comment in README.md. */
async function snippetAfter(marker: string): Promise<string> {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`<!-- ${marker}`);
  expect(start, `README.md has no ${marker} marker`).toBeGreaterThan(-1);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`no js block after ${marker}`);
  return block[1]!;
}

describe('README', () => {
  it('mints a token in Node that the server accepts, as its snippet is written', async () => {
    const snippet = await snippetAfter('readme-node-token');
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
