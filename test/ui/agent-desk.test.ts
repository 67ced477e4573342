import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { ChatClient, VisitorIdentity } from '../../src/client/index.js';
import type { ImChat } from '../../src/ui/index.js';
import { online, stopAllClients, track } from '../support/browser/chat-clients.js';
import { adminApi, serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { startAgent } from '../support/browser/support-widget.js';
import { allInShadow, inShadow } from '../support/browser/widget.js';
import { setViewport } from '../support/browser/input.js';

/** A visitor who asks a question from a product page, through the headless client. */
async function visitorAsks(question: string): Promise<{ client: ChatClient; conversationId: string }> {
  const server = await serverUrl();
  const identity = new VisitorIdentity({ server, storage: sessionStorage });
  identity.forget();
  const { visitorId } = await identity.ensure();
  const client = track(new ChatClient({ server, tokenProvider: identity.tokenProvider, expectedUserId: visitorId }));
  await client.start();
  await online(client, 'the visitor online');
  const conversation = await client.support.start({
    page: { url: 'https://shop.example/products/aurora-lamp', title: 'Aurora desk lamp' },
    context: { productId: 'aurora-lamp', price: 89 },
  });
  await client.send(conversation.id, question);
  return { client, conversationId: conversation.id };
}

const desk = (element: ImChat) => inShadow(element, 'im-agent-desk')!;
const tabs = (element: ImChat) => allInShadow<HTMLButtonElement>(desk(element), 'im-conversation-list', '[role="tab"]');
const tab = (element: ImChat, name: RegExp) => tabs(element).find((button) => name.test(button.textContent!.trim()));
const rows = (element: ImChat) => allInShadow<HTMLButtonElement>(desk(element), 'im-conversation-list', 'button.item');
const casePanel = (element: ImChat) => inShadow(desk(element), 'im-support-case')!;
const caseButton = (element: ImChat, label: string) =>
  [...(casePanel(element).shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find(
    (button) => button.textContent!.trim() === label,
  );

/** A new agent, Ana, at her inbox (`<im-chat mode="agent">`) of the given width, online. */
async function openDesk(width: number): Promise<ImChat> {
  const agentId = uniqueUser('ana');
  await adminApi('PUT', `/users/${agentId}`, { name: 'Ana', roles: ['agent'] });
  const element = await fixture<ImChat>(html`<im-chat
    mode="agent"
    server=${await serverUrl()}
    token=${await tokenFor(agentId, { name: 'Ana' })}
    lang="en"
    style="--im-height: 640px; width: ${width}px"
  ></im-chat>`);
  await waitFor(() => element.chatClient?.status === 'online', 'the desk online', 15_000);
  return element;
}

describe('<im-chat mode="agent">', () => {
  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    await setViewport(800, 600);
  });

  it('lists the cases in tabs, shows the customer’s page, and takes, resolves and reopens', async () => {
    const element = await openDesk(1200);
    await expect(element).to.be.accessible();

    const { conversationId } = await visitorAsks('Is the lamp dimmable?');
    // Ana is the one agent online: the question is hers.
    await waitFor(() => tab(element, /^Mine \(1\)$/), 'the case in Mine');
    tab(element, /^Mine/)!.click();
    const row = await waitFor(() => rows(element)[0], 'the case in the list');
    expect(row.querySelector('.name')!.textContent).to.match(/^Visitor #\d+$/);
    row.click();
    await waitFor(() => casePanel(element)?.shadowRoot?.textContent?.includes('You are answering'), 'the case panel');
    const link = casePanel(element).shadowRoot!.querySelector<HTMLAnchorElement>('a[href="https://shop.example/products/aurora-lamp"]')!;
    expect(link.textContent!.trim()).to.equal('Aurora desk lamp');
    expect(link.rel).to.equal('noopener noreferrer nofollow');
    expect(casePanel(element).shadowRoot!.querySelector('dl.context')!.textContent).to.contain('aurora-lamp');
    await expect(element).to.be.accessible();

    caseButton(element, 'Resolve')!.click();
    await waitFor(() => caseButton(element, 'Reopen'), 'Reopen once resolved');
    tab(element, /^Resolved/)!.click();
    await waitFor(() => rows(element).length === 1, 'the case under Resolved');
    caseButton(element, 'Reopen')!.click();
    await waitFor(() => tab(element, /^Mine \(1\)$/), 'the case back in Mine');

    // Another agent comes online: the case can go to her.
    const kim = await startAgent('Kim');
    casePanel(element).shadowRoot!.querySelector('select')!.focus();
    const select = await waitFor(() => {
      const options = casePanel(element).shadowRoot?.querySelectorAll<HTMLOptionElement>('select option') ?? [];
      return [...options].some((option) => option.value === kim.id) ? casePanel(element).shadowRoot!.querySelector('select')! : null;
    }, 'Kim among the agents to transfer to');
    select.value = kim.id;
    select.dispatchEvent(new Event('change'));
    await waitFor(() => casePanel(element).shadowRoot?.textContent?.includes('Answered by Kim'), 'the transfer');
    await waitFor(() => tab(element, /^Mine$/), 'Mine empty again');
    const { activity } = await element.chatClient!.support.details(conversationId);
    expect(activity.map((entry) => entry.kind)).to.deep.equal(['assigned', 'reopened', 'resolved', 'assigned']);
  });

  it('shows the customer’s question in the case row, ended with “…”, under tabs on one line', async () => {
    await setViewport(1280, 800);
    const element = await openDesk(1280);
    const question = 'Does the chair come in blue, and can the legs be swapped for taller ones later on?';
    await visitorAsks(question);
    await waitFor(() => tab(element, /^Unassigned|^Mine \(1\)$/), 'the case counted');
    tab(element, /^Mine/)!.click();
    const preview = () => rows(element)[0]?.querySelector<HTMLElement>('.preview') ?? null;
    await waitFor(() => preview()?.textContent?.trim().endsWith(question), 'the question in the row');
    expect(preview()!.textContent).not.to.contain('joined');
    // Too long for the row: cut with an ellipsis (which only a block's line gets), not clipped.
    const style = getComputedStyle(preview()!);
    expect([style.display, style.textOverflow, style.whiteSpace]).to.deep.equal(['block', 'ellipsis', 'nowrap']);
    expect(preview()!.scrollWidth).to.be.above(preview()!.clientWidth);

    const [first, ...others] = tabs(element);
    expect(others.every((button) => button.offsetTop === first!.offsetTop), 'the tabs on one line').to.equal(true);
    const list = first!.parentElement!;
    expect(list.scrollWidth, 'every tab in view').to.be.at.most(list.clientWidth);
    // With more cases the counts grow longer: the row scrolls sideways, never wraps.
    expect(getComputedStyle(list).flexWrap).to.equal('nowrap');
  });
});
