/**
 * GraphiQL in a real browser: Debian's Chromium, headless, driven by
 * playwright-core, against the app's front door on a real socket. A newcomer
 * types their key in the Headers tab, runs the default query, reads the
 * documentation of Query.model, and watches a subscription show a change made
 * by another client; the page logs no error and asks nothing of any other
 * host. Screenshots land in test-results/graphiql/ for a person.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../src/graphql/graphiql.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { setupTestApp } from './helpers.ts';
import { ROOT } from './processes.ts';
import { serve } from './sockets.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test-results', 'graphiql');
/** Generous, bounded: a busy 2-core machine parses GraphiQL's 5 MB script slowly. */
const STEP_MS = 60_000;

const app = await setupTestApp();
const tenant = await app.tenant('GraphiQL');
const base = await serve(app.yoga.listener);
const { origin } = new URL(base);

let browser: Browser | undefined;
beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}; the GraphiQL browser test needs it. ` +
        'Install Debian\'s package: `sudo apt-get update && sudo apt-get install -y chromium` (.ci/run does this in CI).',
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'], timeout: STEP_MS });
  // This run's screenshots only.
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
}, 2 * STEP_MS);
afterAll(() => browser?.close());

/** GraphiQL's Monaco editors: the operation, the Headers tab (beside the hidden Variables one), the result. */
const QUERY = '.graphiql-query-editor .view-lines';
const HEADERS = 'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .view-lines';
const RESULT = 'section.result-window .view-lines';

/** The text an editor shows (its rendered lines; spaces come as no-break spaces). */
const shown = (page: Page, editor: string) =>
  page
    .locator(editor)
    .innerText({ timeout: 5_000 })
    .then((text) => text.replaceAll('\u00a0', ' '));

type Session = { page: Page; asked: string[]; outside: Set<string>; consoleErrors: string[]; pageErrors: string[] };

/**
 * Runs `steps` on a browser page of this server that records what a person
 * would not see: requests to any other host (refused), console errors, page
 * errors. A failure saves `failureShot` and says what the browser saw.
 */
async function inSession(failureShot: string, steps: (session: Session) => Promise<void>): Promise<void> {
  const context = await browser!.newContext({
    viewport: { width: 1440, height: 900 },
    serviceWorkers: 'block',
  });
  // Every request: this server's go through; any other host's are refused and recorded.
  const outside = new Set<string>();
  const asked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      asked.push(url);
      return route.continue();
    }
    outside.add(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  // What a route may not see (a worker's own requests, a WebSocket) is recorded too.
  page.on('request', (request) => {
    if (!/^(data|blob):/.test(request.url()) && new URL(request.url()).origin !== origin) outside.add(request.url());
  });
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).host !== new URL(origin).host) outside.add(socket.url());
  });
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  try {
    await steps({ page, asked, outside, consoleErrors, pageErrors });
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, failureShot) }).catch(() => {});
    const seen = { outside: [...outside], consoleErrors, pageErrors };
    throw new Error(`${(error as Error).message}\nThe browser saw: ${JSON.stringify(seen, null, 2)}\nScreenshot: ${path.join(SHOTS, failureShot)}`, { cause: error });
  } finally {
    await context.close();
  }
}

/** Opens GraphiQL and puts the tenant's key in place of <api key> in the Headers tab, typed as a person would. */
async function openGraphiQLWithKey(page: Page) {
  await page.goto(`${base}/graphql`, { timeout: STEP_MS });
  await expect(page.title()).resolves.toBe('Workspace models API');

  // The default query and the headers line to complete, as a newcomer finds them.
  await expect.poll(() => shown(page, QUERY), { timeout: STEP_MS }).toContain('query FirstLook {');
  expect(await shown(page, HEADERS)).toBe('{"Authorization": "Bearer <api key>"}');

  // Put the key in place of <api key>, as the default query says: the editor focused, the placeholder selected, the key typed.
  const line = `{"Authorization": "Bearer ${tenant.adminKey}"}`;
  await page.locator(HEADERS).click();
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest('section.graphiql-editor-tool[aria-label="Headers"]') != null), { timeout: STEP_MS })
    .toBe(true);
  await page.keyboard.press('End');
  for (let i = 0; i < '"}'.length; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < '<api key>'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.insertText(tenant.adminKey);
  await page.keyboard.press('Home');
  await expect.poll(() => shown(page, HEADERS), { timeout: STEP_MS }).toBe(line);
}

it('a newcomer types the key in, runs the default query, reads the docs of Query.model; nothing leaves the server', { timeout: 6 * STEP_MS }, async () => {
  await inSession('failure.png', async ({ page, asked, outside, consoleErrors, pageErrors }) => {
    await openGraphiQLWithKey(page);

    // The run button: the browser gets exactly what the API answers this key, and shows it.
    const expected = await app.gql(DEFAULT_QUERY, { key: tenant.adminKey });
    expect(expected.body.errors).toBeUndefined();
    const workspace = expected.body.data.workspaces.nodes[0];
    expect(workspace.models.nodes.length).toBeGreaterThan(0);
    const answered = page.waitForResponse((response) => response.url() === `${base}/graphql` && /FirstLook/.test(response.request().postData() ?? ''));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual(expected.body);
    const result = () => shown(page, RESULT);
    await expect.poll(result, { timeout: STEP_MS }).toContain(`"id": "${workspace.id}"`);
    const firstModel = workspace.models.nodes[0];
    expect(await result()).toContain(`"name": "${firstModel.metadata.name}"`);
    expect(await result()).toContain(`"externalId": "${firstModel.metadata.externalId}"`);
    expect(await result()).not.toContain('"errors"');
    await page.screenshot({ path: path.join(SHOTS, 'result.png') });

    // The docs explorer, from its root down to Query.model.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^model$/ }).first().click();
    await expect.poll(() => docs.locator('.graphiql-doc-explorer-title').innerText(), { timeout: STEP_MS }).toBe('model');
    const model = schema.getQueryType()!.getFields().model!;
    const text = (await docs.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(model.description!.replace(/\s+/g, ' '));
    expect(text).toContain(model.args.find((arg) => arg.name === 'id')!.description!);
    expect(text).toMatch(/\bModel\b/);
    await page.screenshot({ path: path.join(SHOTS, 'docs.png') });

    // Everything came from this server: the page, GraphiQL's files, Monaco's workers, the answers.
    const files = asked.map((url) => new URL(url).pathname.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['graphql', 'graphiql.js', 'graphiql.css', 'editor.worker.js', 'graphql.worker.js']));
    expect([...outside]).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

it('a subscription in GraphiQL shows a change the moment another client makes it, and stops when the person stops it', { timeout: 6 * STEP_MS }, async () => {
  const [model] = (await app.gql(`query One($ws: ID!) { workspace(id: $ws) { models(first: 1) { nodes { id } } } }`, {
    key: tenant.adminKey,
    variables: { ws: tenant.workspaceId },
  })).body.data.workspace.models.nodes as { id: string }[];
  await inSession('failure-subscription.png', async ({ page, outside, consoleErrors, pageErrors }) => {
    await openGraphiQLWithKey(page);
    // Replace the whole operation with a subscription, typed in.
    const subscription = `subscription Watch { modelStatusChanged(workspaceId: "${tenant.workspaceId}") { model { id metadata { name } } from to profileId requestId at } }`;
    await page.locator(QUERY).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(subscription);
    await expect.poll(() => shown(page, QUERY), { timeout: STEP_MS }).toContain('subscription Watch');
    await page.getByRole('button', { name: /^Prettify/ }).click();
    await expect.poll(() => shown(page, QUERY), { timeout: STEP_MS }).toContain('modelStatusChanged(workspaceId:');
    // Back to its first line, so the screenshot shows the operation from its start.
    await page.locator(QUERY).click();
    await page.keyboard.press('Control+Home');
    // GraphiQL takes the operation's name from the editor a moment after it changes (the
    // tab's title shows it); run before that, and it asks for the old FirstLook.
    await expect.poll(() => page.locator('.graphiql-tab').first().innerText(), { timeout: STEP_MS }).toContain('Watch');
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await expect.poll(() => app.live.subscribers(), { timeout: STEP_MS }).toBe(1);

    // Another client (an admin elsewhere) disables the model: the open page shows it.
    const changed = await app.gql(`mutation Off($id: ID!) { disableModel(input: { id: $id }) { model { id } userErrors { code } } }`, {
      key: tenant.adminKey,
      variables: { id: model!.id },
    });
    expect(changed.body.data.disableModel.userErrors).toEqual([]);
    const requestId = changed.headers.get('x-request-id')!;
    const result = () => shown(page, RESULT);
    await expect.poll(result, { timeout: STEP_MS }).toContain('"to": "MODEL_STATUS_DISABLED"');
    expect(await result()).toContain(`"id": "${model!.id}"`);
    expect(await result()).toContain('"from": "MODEL_STATUS_ENABLED"');
    expect(await result()).toContain(`"requestId": "${requestId}"`);
    expect(await result()).not.toContain('"errors"');
    await page.screenshot({ path: path.join(SHOTS, 'subscription.png') });

    // The stop button ends the stream, and the server lets go of the subscriber.
    await page.getByRole('button', { name: /^Stop/ }).click();
    await expect.poll(() => app.live.subscribers(), { timeout: STEP_MS }).toBe(0);
    expect([...outside]).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
