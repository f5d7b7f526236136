/** Steps through the troubleshooter's UI shared by the doctor e2e tests. */
import type { Locator, Page } from '@playwright/test';
import { expect } from '../bridge';

/** The screen's heading: every entry point lands here. */
export async function expectTroubleshooter(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: "Can't sign in?" })).toBeVisible();
}

/** From the Accounts screen, the "Can't sign in?" button of one account's card. */
export async function troubleshootAccount(page: Page, userName: string): Promise<void> {
  await page
    .getByRole('list', { name: 'Connected accounts' })
    .getByRole('listitem', { name: `${userName} at localhost` })
    .getByRole('button', { name: "Can't sign in?" })
    .click();
  await expectTroubleshooter(page);
}

/** Picks the message by the exact words users saw, runs the checks, and returns the findings list. */
export async function runFor(page: Page, wording: string): Promise<Locator> {
  const form = page.getByRole('form', { name: 'What went wrong' });
  await form.getByRole('radio', { name: `"${wording}"` }).check();
  await form.getByRole('button', { name: 'Run the checks' }).click();
  const findings = page.getByRole('list', { name: 'Findings' });
  await expect(findings).toBeVisible();
  await expect(form.getByRole('button', { name: 'Run the checks' })).toBeEnabled();
  return findings;
}
