/**
 * `npm run conformance -- --url http://host:port (--token-secret SECRET | --token-command CMD)`
 * runs the protocol conformance suite against a server and prints a report; it exits
 * with 1 if a check failed. Options: `--issuer`, `--audience` (claims for --token-secret),
 * `--admin-key KEY` (an admin API key: the support checks make agents with it),
 * `--only TEXT` (checks whose name contains it), `--json` (the results as JSON).
 */
import { parseArgs } from 'node:util';
import { adminApiAgents } from './agents.js';
import { allChecks, runConformance, type CheckResult } from './suite.js';
import { commandTokens, secretTokens } from './tokens.js';

const usage =
  'usage: npm run conformance -- --url http://host:port (--token-secret SECRET | --token-command "CMD")\n' +
  '  --token-command runs CMD with IM_SUB, IM_NAME and IM_EXP set; it prints a token for that user\n' +
  '  --admin-key KEY: an admin API key, with which the support checks make agents\n' +
  '  [--issuer ISS] [--audience AUD] [--admin-key KEY] [--only TEXT] [--json]';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'token-secret': { type: 'string' },
    'token-command': { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    'admin-key': { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

if (!values.url || !(values['token-secret'] || values['token-command'])) {
  console.error(usage);
  process.exit(2);
}

const tokens = values['token-secret']
  ? secretTokens(values['token-secret'], { issuer: values.issuer, audience: values.audience })
  : commandTokens(values['token-command']!);

const print = (result: CheckResult) => {
  if (values.json) return;
  const mark = result.passed ? '✓' : '✗';
  console.log(`${mark} ${result.name} (${Math.round(result.durationMs)} ms)${result.passed ? '' : `\n    ${result.reason}`}`);
};

if (!values.json) console.log(`im-chat protocol conformance: ${values.url}, ${allChecks.length} checks\n`);
const agents = values['admin-key'] ? adminApiAgents(values.url, values['admin-key']) : undefined;
const results = await runConformance({ url: values.url, tokens, agents, only: values.only, onResult: print });
const failed = results.filter((result) => !result.passed).length;
if (values.json) console.log(JSON.stringify(results, null, 2));
else console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
