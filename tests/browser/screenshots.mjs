// The pictures in docs/screenshots/: a realistic set of notes (Markdown, tags, one pinned) seeded
// through the JSON API, then the list, a rendered note and a search at desktop (1280 wide) and
// phone (390 wide) widths, in the light colour scheme.
//   node screenshots.mjs <base url of a fresh server> <output folder>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node screenshots.mjs <base url> <output folder>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const notes = [
  ['Weekend trip to the lake', '## Packing\n\n- [x] tent and poles\n- [ ] stove and gas\n' +
    '- [ ] **water filter**\n\nLeave Saturday at 8. Check the [forecast](https://example.com).',
   ['travel', 'family'], true],
  ['Groceries', '- milk\n- eggs\n- sourdough bread\n- tomatoes, basil\n- coffee beans',
   ['home'], true],
  ['Book notes: The Design of Everyday Things', 'Affordances show *what* can be done; ' +
    'signifiers show *where*.\n\n> Good design is actually a lot harder to notice than poor ' +
    'design.\n\nChapter 3 next.', ['reading'], false],
  ['Team meeting, Tuesday', '### Decisions\n\n1. Ship the search page on Friday\n' +
    '2. Move the retro to Thursday\n\n### Follow-ups\n\n- [ ] Ana: release notes\n' +
    '- [ ] Sam: fix the flaky test', ['work', 'meetings'], false],
  ['Ideas for the garden', 'Plant **tulips** in October, tomatoes after the last frost.\n\n' +
    'Ask next door about the compost bin.', ['garden', 'home'], false],
  ['Bread recipe', '500 g flour, 350 g water, 10 g salt, 100 g starter.\n\n' +
    'Fold every 30 minutes for two hours, then rest overnight in the fridge.', ['recipes'], false],
  ['Gift ideas', '- Mum: gardening gloves\n- Leo: a puzzle, 1000 pieces\n- Sara: concert tickets',
   ['family'], false],
  ['Quarterly goals', 'Finish the **migration guide**, run two user interviews a month, ' +
    'and cut page load below 200 ms.', ['work'], false],
  ['Bike service', 'Chain stretched, rear brake pads at 30%. Book the shop for next week.',
   ['errands'], false],
  ['Podcast list', '- *Hardcore History*\n- *99% Invisible*\n- *Software Engineering Daily*',
   ['listening'], false],
];

for (const [title, content, tags, is_pinned] of notes.slice().reverse()) {
  const res = await fetch(`${base}/api/notes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, content, tags, is_pinned }),
  });
  if (res.status !== 201) throw new Error(`seeding "${title}": ${res.status} ${await res.text()}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const [width, height, suffix, mobile] of [[1280, 900, 'desktop', false],
                                                  [390, 844, 'phone', true]]) {
    const context = await browser.newContext({
      viewport: { width, height }, isMobile: mobile, colorScheme: 'light', timezoneId: 'UTC',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    await page.goto(`${base}/notes`);
    await page.screenshot({ path: join(out, `list-${suffix}.png`) });
    await page.getByRole('link', { name: 'Weekend trip to the lake' }).first().click();
    await page.waitForURL(/\/notes\/\d+$/);
    await page.screenshot({ path: join(out, `note-${suffix}.png`) });
    await page.goto(`${base}/notes?q=garden`);
    await page.screenshot({ path: join(out, `search-${suffix}.png`) });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots written to ${out}`);
