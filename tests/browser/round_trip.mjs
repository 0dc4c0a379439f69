// A person's whole round trip in headless Chromium: open the list, create a pinned note through
// the form, see the flash, edit it, search for it, delete it, undo from the flash, delete it for
// good from the trash; a note in Markdown shows formatted, its task boxes ticked in place by
// script (one at a time, a stale page falling back to the server's page) and without script; the
// keyboard shortcuts, the leave warning and a new note's draft; a tag filter. Screenshots go to
// the folder given.
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

// WCAG contrast of two computed colours ("rgb(r, g, b)").
function contrast(a, b) {
  const luminance = (css) => {
    const [r, g, bl] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// A search match stands out by more than colour, and its text reads well on its highlight.
async function checkMark(page, scheme) {
  const s = await page.locator('.note-excerpt mark').first().evaluate((m) => {
    const c = getComputedStyle(m);
    return { color: c.color, bg: c.backgroundColor, weight: c.fontWeight, line: c.textDecorationLine };
  });
  assert.ok(Number(s.weight) >= 700, `${scheme}: the match is bold (${s.weight})`);
  assert.match(s.line, /underline/, `${scheme}: the match is underlined`);
  const ratio = contrast(s.color, s.bg);
  assert.ok(ratio >= 4.5, `${scheme}: ${s.color} on ${s.bg} is ${ratio.toFixed(2)}:1`);
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
    '- [ ] buy gas\n- [ ] pack matches');
  await form(page).getByRole('button', { name: 'Create note' }).click();
  await page.waitForURL(/\/notes\/\d+$/);
  const packingUrl = page.url();
  const body = page.locator('.note-content');
  assert.equal(await body.getByRole('heading', { level: 2 }).textContent(), 'Before we go');
  assert.equal(await body.locator('li').count(), 4);
  assert.equal(await body.locator('strong').textContent(), 'tent');
  const link = body.getByRole('link', { name: 'the map' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/map');
  assert.equal(await link.getAttribute('rel'), 'noopener nofollow ugc');
  assert.ok(!(await body.textContent()).includes('**'), 'no raw Markdown on the page');
  await shot(page, 'markdown-note');
  // Ticking a task box posts its form by script (tasks.js): the page stays, the box shows ticked
  // and every form takes the new version, so the next box, by keyboard, works too.
  const boxes = body.getByRole('checkbox');
  const box = (n) => page.locator(`.note-content .task-box[data-task="${n}"]`);
  const ticked = (n, state) => page.locator(
    `.note-content .task-box[data-task="${n}"][aria-checked="${state}"]:not([aria-busy])`).waitFor();
  const version = (form) => page.locator(`${form} input[name="version"]`).inputValue();
  const pinForm = 'form[action$="/pin"]';
  const updated = page.locator('.note-times time').nth(1);
  assert.equal(await boxes.count(), 2);
  assert.equal(await box(1).getAttribute('aria-checked'), 'false');
  const firstVersion = await version('#task-1');
  await page.evaluate(() => { window.__marker = 1; });
  await box(1).click();
  await ticked(1, 'true');
  assert.notEqual(await version('#task-1'), firstVersion);
  await box(2).focus();
  await page.keyboard.press('Space');
  await ticked(2, 'true');
  assert.equal(await page.evaluate(() => window.__marker), 1, 'the page stayed');
  assert.equal(page.url(), packingUrl);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.task), '2', 'focus stays');
  const shownVersion = await version('#task-2');
  assert.equal(await version('#task-1'), shownVersion);
  assert.equal(await version(pinForm), shownVersion);
  const shownUpdated = await updated.getAttribute('datetime');
  assert.match(await updated.getAttribute('title'), /UTC$/, 'the new time is localized');
  await shot(page, 'tasks-ticked-in-place');
  await page.reload();
  assert.equal(await box(1).getAttribute('aria-checked'), 'true', 'kept');
  assert.equal(await box(2).getAttribute('aria-checked'), 'true', 'kept');
  assert.equal(await version(pinForm), shownVersion);
  assert.equal(await updated.getAttribute('datetime'), shownUpdated);

  // A box being posted is busy and a second press posts nothing; a press on another box waits
  // for the first post and sends the version it left.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const posts = [];
  await page.route('**/tasks/*', async (route) => {
    posts.push(new URL(route.request().url()).pathname);
    await held;
    await route.continue();
  });
  await box(1).click();
  await page.locator('.note-content .task-box[data-task="1"][aria-busy="true"]').waitFor();
  await box(1).click({ force: true });
  await box(2).click();
  release();
  await ticked(1, 'false');
  await ticked(2, 'false');
  await page.unroute('**/tasks/*');
  assert.deepEqual(posts.map((p) => p.replace(/^\/notes\/\d+/, '')), ['/tasks/1', '/tasks/2']);
  await page.reload();
  assert.equal(await box(1).getAttribute('aria-checked'), 'false');
  assert.equal(await box(2).getAttribute('aria-checked'), 'false');

  // A stale page (the note changed elsewhere) falls back to the ordinary post: the server's 409
  // page and its message, nothing changed.
  await page.evaluate(async () => {
    window.__marker = 1;
    const pin = document.querySelector('form[action$="/pin"]');
    await fetch(pin.action, { method: 'POST', body: new URLSearchParams(new FormData(pin)) });
  });
  await box(1).click();
  await page.waitForURL(/\/tasks\/1$/);
  await page.getByText('This note changed after this page was shown').waitFor();
  assert.equal(await page.evaluate(() => window.__marker), undefined, 'the page was left');
  const refused = problems.findIndex((p) => /^409 for .*\/tasks\/1$/.test(p));
  assert.ok(refused >= 0, `the script's post saw the 409 (${problems})`);
  problems.splice(refused, 1);
  await page.goto(packingUrl);
  assert.equal(await box(1).getAttribute('aria-checked'), 'false');
  await page.goto(`${base}/notes`);
  assert.equal(await page.locator('.note-excerpt').first().textContent(),
    'Before we go tent and poles stove See the map. buy gas pack matches');

  // Without script a box is a plain form post: 303 back to the note, the box ticked.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  plain.setDefaultTimeout(10_000);
  const noScript = watch(await plain.newPage());
  await noScript.goto(packingUrl);
  const [posted] = await Promise.all([
    noScript.waitForResponse((r) => r.request().method() === 'POST'),
    noScript.locator('.task-box[data-task="2"]').click(),
  ]);
  assert.equal(posted.status(), 303);
  await noScript.locator('.task-box[data-task="2"][aria-checked="true"]').waitFor();
  assert.equal(noScript.url(), packingUrl);
  await plain.close();

  // 8. Writing without friction: "/" and "n" from the keyboard, the shortcut list on "?".
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  await page.keyboard.press('/');
  assert.equal(await focused(), 'search-q');
  await page.keyboard.type('n');
  assert.equal(new URL(page.url()).pathname, '/notes', 'a letter typed in a field is text');
  await page.getByRole('searchbox', { name: 'Search notes' }).fill('');
  await page.evaluate(() => document.activeElement.blur());
  const help = page.locator('#shortcuts');
  assert.equal(await help.evaluate((d) => d.open), false);
  await page.keyboard.press('?');
  assert.equal(await help.evaluate((d) => d.open), true);
  await help.getByText('Search notes').waitFor();
  await shot(page, 'shortcuts');
  await page.keyboard.press('Escape');
  assert.equal(await help.evaluate((d) => d.open), false);
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('n');
  await page.waitForURL(`${base}/notes/new`);
  assert.equal(await focused(), 'title', 'the title field is focused on a new note');

  // Leaving a changed form asks first; the text stays in the browser as a draft, offered back.
  const dialogs = [];
  const answer = (accept) => page.once('dialog', async (d) => {
    dialogs.push(d.type());
    await (accept ? d.accept() : d.dismiss());
  });
  await page.keyboard.type('Ideas for the garden');
  await page.getByLabel('Content').fill('Plant **tulips** in October.');
  await page.getByLabel('Tags').fill('garden, home');
  answer(false);
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, ['beforeunload']);
  assert.equal(new URL(page.url()).pathname, '/notes/new', 'staying keeps the page');
  answer(true);
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(`${base}/notes`);
  assert.deepEqual(dialogs, ['beforeunload', 'beforeunload']);

  await page.getByRole('link', { name: 'New note' }).click();
  await page.waitForURL(`${base}/notes/new`);
  const offer = page.locator('.draft-offer');
  assert.match(await offer.textContent(), /unsaved draft \u201cIdeas for the garden\u201d/);
  assert.equal(await page.getByLabel('Title').inputValue(), '');
  await shot(page, 'draft-offered');
  await offer.getByRole('button', { name: 'Restore draft' }).click();
  assert.equal(await offer.count(), 0);
  assert.equal(await page.getByLabel('Title').inputValue(), 'Ideas for the garden');
  assert.equal(await page.getByLabel('Content').inputValue(), 'Plant **tulips** in October.');
  assert.equal(await page.getByLabel('Tags').inputValue(), 'garden, home');

  // Ctrl+Enter saves; the draft goes once the note exists.
  await page.getByLabel('Content').press('Control+Enter');
  await page.waitForURL(/\/notes\/\d+$/);
  const gardenUrl = page.url();
  assert.equal(await flash(page).textContent(), 'Note created successfully.');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ideas for the garden');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0, 'draft cleared');
  await page.goto(`${base}/notes/new`);
  assert.equal(await page.locator('.draft-offer').count(), 0);

  // An unchanged form leaves without a word; a discarded draft is gone.
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(`${base}/notes`);
  await page.goto(`${base}/notes/new`);
  await page.getByLabel('Title').fill('Half a thought');
  answer(true);
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(`${base}/notes`);
  await page.goto(`${base}/notes/new`);
  await page.getByRole('button', { name: 'Discard draft' }).click();
  assert.equal(await page.locator('.draft-offer').count(), 0);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0);
  assert.equal(await page.getByLabel('Title').inputValue(), '');
  await page.goto(`${base}/notes`);
  assert.deepEqual(dialogs, ['beforeunload', 'beforeunload', 'beforeunload']);

  // The edit page names its note and warns only once something changed.
  await page.goto(`${gardenUrl}/edit`);
  assert.equal(await page.title(), 'Edit \u201cIdeas for the garden\u201d · Notes');
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(gardenUrl);
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Title').fill('Ideas for the garden, spring');
  answer(false);
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  assert.equal(dialogs.length, 4);
  assert.equal(page.url(), `${gardenUrl}/edit`);
  await page.getByLabel('Title').fill('Ideas for the garden');
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(gardenUrl);
  assert.equal(dialogs.length, 4, 'a form changed back is unchanged');

  // A refused save shows the typed text again, not stored: leaving that page asks too.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Title').fill('   ');
  await page.getByLabel('Content').fill('Typed, then refused');
  await form(page).locator('button[type="submit"]').click();
  await page.waitForSelector('.field-error');
  assert.equal(await page.getByLabel('Content').inputValue(), 'Typed, then refused');
  answer(true);
  await form(page).getByRole('link', { name: 'Cancel' }).click();
  await page.waitForURL(gardenUrl);
  assert.equal(dialogs.length, 5, 'leaving a refused save asks');

  // 9. A tag chip on the note page filters the list; the filter comes off again.
  await page.locator('.tag-chips').getByRole('link', { name: 'garden' }).click();
  await page.waitForURL(`${base}/notes?tag=garden`);
  assert.deepEqual(await page.locator('.note-card .note-title').allTextContents(),
    ['Ideas for the garden']);
  await shot(page, 'tag-filter');
  await page.getByRole('link', { name: 'Remove the filter garden' }).click();
  await page.waitForURL(`${base}/notes`);
  assert.equal(await page.locator('.note-card').count(), 2);
  // And one on a card.
  await page.locator('.note-card').getByRole('link', { name: 'home', exact: true }).click();
  await page.waitForURL(`${base}/notes?tag=home`);
  assert.equal(await page.locator('.note-card').count(), 1);
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
  await small.goto(`${base}/notes?q=small`);
  await checkMark(small, 'dark');
  await small.emulateMedia({ colorScheme: 'light' });
  await checkMark(small, 'light');
  await small.emulateMedia({ colorScheme: 'dark' });
  await small.goto(`${base}/notes`);
  // The phone's New note button shows an icon only and is still named; Tab follows the layout.
  await small.getByRole('link', { name: 'New note' }).waitFor();
  const seen = [];
  for (let i = 0; i < 5; i += 1) {
    await small.keyboard.press('Tab');
    seen.push(await small.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { name: el.getAttribute('aria-label') || el.textContent.trim() || el.id,
               top: r.top, bottom: r.bottom, left: r.left };
    }));
  }
  const header = seen.slice(1);  // after the skip link
  assert.deepEqual(header.map((e) => e.name),
    ['Notes, all notes', 'search-q', 'Search', 'New note']);
  for (let i = 1; i < header.length; i += 1) {
    const [a, b] = [header[i - 1], header[i]];
    const same_row = b.top < a.bottom && a.top < b.bottom;
    assert.ok(same_row ? b.left > a.left : b.top >= a.bottom,
      `tab order follows the layout: ${a.name} then ${b.name} (${JSON.stringify(seen)})`);
  }
  await phone.close();

  assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  console.log(`browser round trip passed; screenshots in ${shots}`);
} finally {
  await browser.close();
}
