import { expect } from '@open-wc/testing';
import { LitElement, type ReactiveElement } from 'lit';
import { createElement, defined, imElement, onDemand, whenDefined } from '../../src/ui/registry.js';

class ImTestLater extends LitElement {
  ready(): boolean {
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-test-later': ImTestLater;
    'im-test-flaky': ImTestLater;
  }
}

/** A host that counts the updates it is asked for. */
function countingHost(): ReactiveElement & { updates: number } {
  const host = { updates: 0, requestUpdate: () => void host.updates++ };
  return host as unknown as ReactiveElement & { updates: number };
}

describe('parts defined on demand', () => {
  it('load once, when a host first asks to render one, and the host updates when it can', async () => {
    let loads = 0;
    let arrive = () => {};
    onDemand('im-test-later', () => {
      loads++;
      return new Promise<void>((resolve) => (arrive = resolve)).then(() => imElement('im-test-later')(class extends ImTestLater {}));
    });
    const host = countingHost();
    expect(defined('im-test-later', host), 'not before its module is there').to.equal(false);
    expect(defined('im-test-later', host)).to.equal(false);
    expect(host.updates).to.equal(0);

    arrive();
    await whenDefined('im-test-later');
    await Promise.resolve();
    expect(host.updates).to.be.greaterThan(0);
    expect(defined('im-test-later', host)).to.equal(true);
    expect(createElement('im-test-later').ready(), 'an element made now is upgraded').to.equal(true);
    expect(loads).to.equal(1);
  });

  it('try a failed load again the next time they are asked for', async () => {
    let attempts = 0;
    onDemand('im-test-flaky', async () => {
      attempts++;
      if (attempts === 1) throw new Error('offline');
      imElement('im-test-flaky')(class extends ImTestLater {});
    });
    const failure = await whenDefined('im-test-flaky').then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.equal('offline');
    await whenDefined('im-test-flaky');
    expect(attempts).to.equal(2);
    expect(createElement('im-test-flaky').ready()).to.equal(true);
  });
});
