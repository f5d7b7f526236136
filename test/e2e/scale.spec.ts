/**
 * 10,000 passkeys: the list is virtualized (only a window of rows is in the DOM), scrolling and End reach the
 * last passkey, and search stays quick.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './bridge';
import { seedLargeVault } from './seed';

const TOTAL = 10_000;
const listbox = (page: Page) => page.getByRole('listbox', { name: /^Passkeys/ });

test('10,000 passkeys render a window of rows, scroll to the last one, and filter quickly', async ({
  desk,
  page,
}) => {
  test.setTimeout(120_000);
  await seedLargeVault(desk.services, desk.dataDir, TOTAL);
  const started = Date.now();
  await desk.open();
  await expect(listbox(page)).toHaveAttribute('aria-label', 'Passkeys, 10,000 passkeys');
  const firstPaintMs = Date.now() - started;

  const options = listbox(page).getByRole('option');
  const rendered = await options.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);
  await expect(options.first()).toHaveAttribute('aria-setsize', String(TOTAL));
  await desk.screenshot('scale-top');

  // The mouse wheel to the bottom: the last site's last account comes into view, still a small window.
  await listbox(page).hover();
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 50_000);
  const last = listbox(page).getByRole('option', {
    name: 'user-09999 on site-0499.example, Passkey Desk vault',
  });
  await expect(last).toBeVisible();
  expect(await options.count()).toBeLessThan(60);
  // The current site's header stays pinned above its rows.
  await expect(listbox(page).locator('.sticky-site')).toContainText('site-0499.example');
  await desk.screenshot('scale-bottom');

  // Keyboard: Home then End selects the very last option (aria-posinset 10,000).
  await listbox(page).focus();
  await page.keyboard.press('Home');
  await expect(listbox(page).getByRole('option', { selected: true })).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('End');
  await expect(listbox(page).getByRole('option', { selected: true })).toHaveAttribute(
    'aria-posinset',
    String(TOTAL),
  );
  await expect(
    page.getByRole('heading', { level: 2, name: 'user-09999 on site-0499.example' }),
  ).toBeVisible();

  const searchStarted = Date.now();
  await page.getByLabel('Search').fill('user-04242');
  await expect(options).toHaveCount(1);
  const searchMs = Date.now() - searchStarted;
  test.info().annotations.push({
    type: 'timing',
    description: `first inventory shown ${firstPaintMs} ms; search to one result ${searchMs} ms`,
  });
  console.log(
    `10,000 passkeys: first inventory shown in ${firstPaintMs} ms, search narrowed to one in ${searchMs} ms, ${rendered} options in the DOM`,
  );
  expect(searchMs).toBeLessThan(3_000);
});
