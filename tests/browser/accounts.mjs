// Sign-in in headless Chromium against a notes-server run with AUTH=accounts and two accounts made
// with `notes-server users add`: a page asks for sign-in and comes back after it, a wrong password
// is refused, a signed-in person creates a note and signs out, and the other account sees none of it.
//   node accounts.mjs <base url> <screenshot folder>
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node accounts.mjs <base url> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});

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

const alert = (page) => page.locator('.alert');
const flash = (page) => page.locator('.flash');
const form = (page) => page.locator('form.note-form');

async function signIn(page, username, password) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await form(page).getByRole('button', { name: 'Sign in' }).click();
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = watch(await context.newPage());

  // 1. A page that needs sign-in sends the visitor to /login, remembering where they were going.
  await page.goto(`${base}/notes/new`);
  const login = new URL(page.url());
  assert.equal(login.pathname, '/login');
  assert.equal(login.searchParams.get('next'), '/notes/new');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(page, 'sign-in');

  // 2. A wrong password: the form again, with one message whatever part was wrong.
  await signIn(page, 'alice', 'not her password');
  assert.equal(await alert(page).textContent(), 'Wrong username or password.');
  assert.equal(await page.getByLabel('Username').inputValue(), 'alice');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'a password is never sent back');
  await shot(page, 'wrong-password');

  // 3. The right one: back to the page asked for, with the account in the header.
  await signIn(page, 'alice', 'correct horse battery');
  await page.waitForURL(`${base}/notes/new`);
  assert.equal(await page.locator('.account-link').textContent(), 'alice');

  // 4. A note, created through the form.
  await page.getByLabel('Title').fill('Alice only');
  await page.getByLabel('Content').fill('Nobody else reads this.');
  await form(page).getByRole('button', { name: 'Create note' }).click();
  await page.waitForURL(/\/notes\/\d+$/);
  const noteUrl = page.url();
  assert.equal(await flash(page).textContent(), 'Note created successfully.');
  await page.goto(`${base}/notes`);
  assert.equal(await page.locator('.note-card').count(), 1);
  await shot(page, 'signed-in-list');

  // 5. Sign out from the header: the list and the note ask for sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${base}/login`);
  assert.equal(await flash(page).textContent(), 'You are signed out.');
  assert.equal(await page.locator('.account-link').count(), 0);
  await shot(page, 'signed-out');
  await page.goto(noteUrl);
  assert.equal(new URL(page.url()).pathname, '/login');
  const api = await page.request.get(`${base}/api/notes`);
  assert.equal(api.status(), 401, 'the API needs sign-in too');
  await context.close();

  // 6. The other account sees nothing of alice's: an empty list, and her note is not there.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: 'dark' });
  other.setDefaultTimeout(10_000);
  const bob = watch(await other.newPage());
  await bob.goto(`${base}/notes`);
  await signIn(bob, 'bob', 'another long password');
  await bob.waitForURL(`${base}/notes`);
  await bob.getByRole('heading', { name: 'No notes yet' }).waitFor();
  await shot(bob, 'other-account-empty');
  const hidden = await bob.goto(noteUrl);
  assert.equal(hidden.status(), 404);
  await bob.getByRole('heading', { name: 'Page not found' }).waitFor();
  await other.close();

  assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  console.log(`browser sign-in test passed; screenshots in ${shots}`);
} finally {
  await browser.close();
}
