/**
 * The upload baseline: a bare `node:http` server that writes each POST body to its own file
 * the way the im-chat blob store does (a temporary file, flushed, then renamed), with no
 * auth, membership check, type sniffing or record. What im-chat adds is the difference.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readConfig, type TargetConfig } from './ipc.js';
import { serveTarget } from './target-child.js';

void serveTarget(async () => {
  const { dataDir } = readConfig<TargetConfig>();
  await mkdir(join(dataDir, 'tmp'), { recursive: true });
  const server = createServer((request, response) => {
    const name = randomBytes(16).toString('hex');
    const temporary = join(dataDir, 'tmp', name);
    pipeline(request, createWriteStream(temporary, { flags: 'wx', flush: true }))
      .then(() => rename(temporary, join(dataDir, name)))
      .then(
        () => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: name })),
        () => response.writeHead(500).end(),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the sink has no port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
