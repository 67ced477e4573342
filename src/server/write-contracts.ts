/** `npm run contracts`: writes the generated contracts (see contracts.ts) into the repository. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildContracts } from './contracts.js';

const repositoryRoot = new URL('../../', import.meta.url);

for (const contract of await buildContracts()) {
  await writeFile(fileURLToPath(new URL(contract.path, repositoryRoot)), contract.content);
  console.log(`wrote ${contract.path}`);
}
