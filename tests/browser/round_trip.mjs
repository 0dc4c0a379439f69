// A person's whole round trip in headless Chromium: open the list, create a pinned note through
// the form, see the flash, edit it, search for it, delete it, undo from the flash, delete it for
// good from the trash; a note in Markdown shows formatted. Screenshots go to the folder given.
//   node round_trip.mjs <base url> <screenshot folder>
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node round_trip.mjs <base url> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // Without the networking flags Chromium keeps trying to reach hosts this machine cannot reach.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// A CSP violation, a script error or a failed asset fails the test. Pages themselves may answer
// 4xx on purpose (a validation error is a 400), so only subresources count as failed requests.
const problems = [];
function watch(page) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') {
      problems.push(`${r.status()} for ${r.url()}`);
    }
  });
  return page;
}

let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: join(shots, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

const flash = (page) => page.locator('.flash');
const form = (page) => page.locator('form.note-form');

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = watch(await context.newPage());

  // 1. The list, empty at first.
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/notes');
  await page.getByRole('heading', { name: 'No notes yet' }).waitFor();
  assert.equal(await page.title(), 'Your notes · Notes');
  await shot(page, 'empty-list');

  // 2. A pinned note through the form, with a stop at a validation error on the way.
  await page.getByRole('link', { name: 'New note' }).click();
  await page.waitForURL(`${base}/notes/new`);
  await page.getByLabel('Content').fill('Pack the tent\nBuy <snacks> & water');
  await form(page).getByRole('button', { name: 'Create note' }).click();
  assert.equal(await page.locator('#title-error').textContent(), 'Title is required.');
  assert.equal(await page.getByLabel('Content').inputValue(), 'Pack the tent\nBuy <snacks> & water');
  await shot(page, 'validation-error');

  await page.getByLabel('Title').fill('Weekend <trip>');
  await page.getByLabel('Pin this note').check();
  await form(page).getByRole('button', { name: 'Create note' }).click();
  await page.waitForURL(/\/notes\/\d+$/);
  const noteUrl = page.url();
  assert.equal(await flash(page).textContent(), 'Note created successfully.');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Weekend <trip>');
  assert.equal(await page.locator('.note-content').textContent(), 'Pack the tent\nBuy <snacks> & water');
  await page.locator('.badge-pin').waitFor();
  // local-time.js ran (the CSP allows it): it keeps the UTC text as a tooltip.
  assert.match(await page.locator('time').first().getAttribute('title'), /UTC$/);
  await shot(page, 'created-with-flash');

  await page.reload();
  assert.equal(await flash(page).count(), 0, 'a flash is shown once');

  // 3. Edit it.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.waitForURL(`${noteUrl}/edit`);
  assert.equal(await page.getByLabel('Title').inputValue(), 'Weekend <trip>');
  assert.ok(await page.getByLabel('Pin this note').isChecked());
  await page.getByLabel('Title').fill('Weekend trip to the lake');
  await page.getByLabel('Content').fill('Pack the tent\nBuy snacks & water\nCheck the weather');
  await shot(page, 'edit-form');
  await form(page).getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(noteUrl);
  assert.equal(await flash(page).textContent(), 'Note updated.');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Weekend trip to the lake');
  await shot(page, 'updated');

  // 4. Search for it from the box on every page.
  await page.getByRole('searchbox', { name: 'Search notes' }).fill('LAKE');
  await page.getByRole('searchbox', { name: 'Search notes' }).press('Enter');
  await page.waitForURL(/\/notes\?q=LAKE/);
  await page.getByRole('heading', { name: 'Search results' }).waitFor();
  const cards = page.locator('.note-card');
  assert.equal(await cards.count(), 1);
  assert.equal(await cards.first().locator('.note-title').textContent(), 'Weekend trip to the lake');
  await cards.first().locator('.badge-pin').waitFor();
  await shot(page, 'search-results');

  // 5. Delete it, through the confirmation page.
  await cards.first().getByRole('link').click();
  await page.waitForURL(noteUrl);
  await page.getByRole('link', { name: 'Delete' }).click();
  await page.waitForURL(`${noteUrl}/delete`);
  await page.getByRole('heading', { name: 'Delete this note?' }).waitFor();
  await shot(page, 'delete-confirmation');
  await page.getByRole('button', { name: 'Delete note' }).click();
  await page.waitForURL(`${base}/notes`);
  assert.equal(await flash(page).locator('span').textContent(), 'Note moved to the trash.');
  await page.getByRole('heading', { name: 'No notes yet' }).waitFor();
  await shot(page, 'deleted-with-undo');

  // 6. Undo from the flash brings it back; then it goes for good through the trash page.
  await flash(page).getByRole('button', { name: 'Undo' }).click();
  await page.waitForURL(noteUrl);
  assert.equal(await flash(page).textContent(), 'Note restored.');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Weekend trip to the lake');
  await page.getByRole('link', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete note' }).click();
  await page.waitForURL(`${base}/notes`);
  await page.goto(`${base}/trash`);
  await page.getByRole('heading', { name: 'Trash' }).waitFor();
  assert.equal(await page.locator('.note-card').count(), 1);
  await shot(page, 'trash');
  await page.getByRole('button', { name: 'Delete forever' }).click();
  await page.waitForURL(`${base}/trash`);
  assert.equal(await page.locator('.note-card').count(), 0);
  await shot(page, 'trash-emptied');

  const gone = await page.goto(noteUrl);
  assert.equal(gone.status(), 404);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await shot(page, 'not-found');

  // 7. A note written in Markdown reads as formatted text, its link marked as user content.
  await page.goto(`${base}/notes/new`);
  await page.getByLabel('Title').fill('Packing list');
  await page.getByLabel('Content').fill(
    '## Before we go\n\n- **tent** and poles\n- stove\n\nSee [the map](https://example.com/map).\n\n' +
    '- [ ] buy gas');
  await form(page).getByRole('button', { name: 'Create note' }).click();
  await page.waitForURL(/\/notes\/\d+$/);
  const body = page.locator('.note-content');
  assert.equal(await body.getByRole('heading', { level: 2 }).textContent(), 'Before we go');
  assert.equal(await body.locator('li').count(), 3);
  assert.equal(await body.locator('strong').textContent(), 'tent');
  const link = body.getByRole('link', { name: 'the map' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/map');
  assert.equal(await link.getAttribute('rel'), 'noopener nofollow ugc');
  assert.ok(!(await body.textContent()).includes('**'), 'no raw Markdown on the page');
  await shot(page, 'markdown-note');
  // Ticking a task box is a form post: the page comes back with the box ticked.
  const box = body.getByRole('checkbox');
  assert.equal(await box.getAttribute('aria-checked'), 'false');
  await box.click();
  await page.locator('.note-content [role="checkbox"][aria-checked="true"]').waitFor();
  await page.goto(`${base}/notes`);
  assert.equal(await page.locator('.note-excerpt').first().textContent(),
    'Before we go tent and poles stove See the map. buy gas');
  await context.close();

  // The same app on a phone, in dark mode.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: 'dark' });
  phone.setDefaultTimeout(10_000);
  const small = watch(await phone.newPage());
  await small.goto(`${base}/notes/new`);
  await small.getByLabel('Title').fill('From the phone');
  await small.getByLabel('Content').fill('Dark mode, small screen.');
  await form(small).getByRole('button', { name: 'Create note' }).click();
  await small.waitForURL(/\/notes\/\d+$/);
  await shot(small, 'phone-dark-detail');
  await small.goto(`${base}/notes`);
  await shot(small, 'phone-dark-list');
  await phone.close();

  assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  console.log(`browser round trip passed; screenshots in ${shots}`);
} finally {
  await browser.close();
}
