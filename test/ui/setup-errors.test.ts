import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import type { ImChat, ImErrorDetail } from '../../src/ui/index.js';
import '../../src/ui/index.js';
import { missingCredentialsGraceMs } from '../../src/ui/im-chat/setup-check.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';

/** What a person embedding the widget sees: the `im-error` events and the console's warnings. */
class Reports {
  readonly errors: ImErrorDetail[] = [];
  readonly warnings: string[] = [];
  readonly #warn = console.warn;
  readonly #onError = (event: Event) => this.errors.push((event as CustomEvent<ImErrorDetail>).detail);

  constructor() {
    // Listening on the document from before the element exists: nothing can slip by.
    document.addEventListener('im-error', this.#onError);
    console.warn = (...args: unknown[]) => {
      this.warnings.push(args.map(String).join(' '));
      this.#warn.apply(console, args);
    };
  }

  codes(): string[] {
    return this.errors.map((error) => error.code);
  }

  stop(): void {
    document.removeEventListener('im-error', this.#onError);
    console.warn = this.#warn;
  }
}

describe('<im-chat> says what is missing or refused', () => {
  let reports: Reports;
  beforeEach(() => {
    localStorage.clear();
    reports = new Reports();
  });
  afterEach(() => {
    reports.stop();
    fixtureCleanup();
  });

  it('with no token: im-error no_token and one warning that names what to set', async () => {
    await fixture<ImChat>(html`<im-chat server=${await serverUrl()} lang="en"></im-chat>`);
    await waitFor(() => reports.codes().includes('no_token'), 'im-error no_token');
    expect(reports.codes()).to.deep.equal(['no_token']);
    expect(reports.warnings).to.deep.equal([
      'im-chat: no token — set the `token` attribute or the `tokenProvider` property',
    ]);
  });

  it('with no server: im-error no_server', async () => {
    await fixture<ImChat>(html`<im-chat token=${await tokenFor(uniqueUser('nowhere'))}></im-chat>`);
    await waitFor(() => reports.codes().includes('no_server'), 'im-error no_server');
    expect(reports.warnings.length).to.equal(1);
    expect(reports.warnings[0]).to.contain('set the `server` attribute');
  });

  it('reports a token-provider given as an attribute (as Vue binds it without .prop), in every mode', async () => {
    for (const mode of ['messenger', 'support']) {
      reports.errors.length = 0;
      reports.warnings.length = 0;
      await fixture<ImChat>(html`<im-chat
        server=${await serverUrl()}
        mode=${mode}
        token-provider="async () => (await fetch('/token')).text()"
      ></im-chat>`);
      await waitFor(() => reports.errors.length > 0, `im-error in ${mode} mode`);
      expect(reports.codes(), mode).to.deep.equal(['token_provider_not_function']);
      expect(reports.warnings.length, mode).to.equal(1);
      expect(reports.warnings[0]).to.match(/^im-chat: tokenProvider must be a function, set as a property/);
      fixtureCleanup();
    }
  });

  it('reports a refused token with its code and what to change, in the messenger and the support bubble', async () => {
    const valid = await tokenFor(uniqueUser('forger'));
    const forged = `${valid.slice(0, -4)}${valid.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await fixture<ImChat>(html`<im-chat server=${await serverUrl()} token=${forged}></im-chat>`);
    await waitFor(() => reports.codes().includes('unauthenticated'), 'im-error unauthenticated');
    expect(reports.warnings.filter((warning) => warning.includes('sign it with the secret or key the server checks'))).to.have.length(1);
    fixtureCleanup();

    // The support bubble, signed in by the page with an expired token.
    const expired = await tokenFor(uniqueUser('late'), { expiresIn: -60 });
    await fixture<ImChat>(html`<im-chat mode="support" server=${await serverUrl()} token=${expired}></im-chat>`);
    await waitFor(() => reports.codes().includes('token_expired'), 'im-error token_expired');
    expect(reports.warnings.some((warning) => warning.includes('set the `tokenProvider` property'))).to.equal(true);
  });

  it('stays quiet when the page gives the token provider a moment after the element', async () => {
    const sub = uniqueUser('patient');
    const element = await fixture<ImChat>(html`<im-chat server=${await serverUrl()}></im-chat>`);
    const ready = new Promise((resolve) => element.addEventListener('im-ready', resolve, { once: true }));
    // As the documented embedding does: a module script sets it after the element upgraded.
    await new Promise((resolve) => setTimeout(resolve, 50));
    element.tokenProvider = () => tokenFor(sub);
    await ready;
    // Past the time a missing token would have been reported.
    await new Promise((resolve) => setTimeout(resolve, missingCredentialsGraceMs + 500));
    expect(reports.errors).to.deep.equal([]);
    expect(reports.warnings).to.deep.equal([]);
  });
});
