/**
 * The typed nationality verification as a person fills it in on the compose page of a gateway, in
 * Chromium: by the fields' names (any language) or by their English labels (which the labels test);
 * and the requested state's answer to it.
 */
import type { Page } from 'playwright-core';

export interface VerifiedPerson {
  givenNames: string;
  familyNames: string;
  dateOfBirth: string;
}

const ANA: VerifiedPerson = { givenNames: 'Ana Laura', familyNames: 'Suárez Vidal', dateOfBirth: '2001-03-08' };
const RECORDED_BY = 'Lic. Gómez, Fiscalía de Trata';

/** Subject, victim (a Uruguayan woman), purpose, documents and written consent, found by the fields' names. */
export async function fillVerification(page: Page, subject: string, victim: VerifiedPerson = ANA): Promise<void> {
  const field = (name: string) => page.locator(`[name="t.${name}"]`);
  await page.locator('[name="subject"]').fill(subject);
  await field('victim.given_names').fill(victim.givenNames);
  await field('victim.family_names').fill(victim.familyNames);
  await field('victim.sex').selectOption('female');
  await field('victim.date_of_birth').fill(victim.dateOfBirth);
  await field('victim.nationalities').selectOption('UY');
  await field('verify_nationality').check();
  await field('purpose').selectOption('identification');
  await page.locator('input[name="t.documents_requested"][value="passport"]').check();
  await field('consent.written').check();
  await field('consent.date').fill('2026-11-20');
  await field('consent.recorded_by').fill(RECORDED_BY);
}

/** The same after the subject, found by the English labels a person reads: the reference, the victim, purpose, documents and consent. */
export async function fillVerificationByLabel(page: Page, v: VerifiedPerson & { reference: string; recordedBy?: string }): Promise<void> {
  await page.getByLabel('Your reference').fill(v.reference);
  await page.getByLabel('Given names').fill(v.givenNames);
  await page.getByLabel('Family names').fill(v.familyNames);
  await page.getByLabel('Sex', { exact: true }).selectOption('female');
  await page.getByLabel('Date of birth').fill(v.dateOfBirth);
  await page.getByLabel('Nationalities', { exact: true }).selectOption('UY');
  await page.getByLabel('Verify nationality').check();
  await page.locator('[name="t.purpose"]').selectOption('identification');
  await page.getByRole('checkbox', { name: 'Passport' }).check();
  await page.getByLabel('Written, informed consent').check();
  await page.getByLabel('Date', { exact: true }).fill('2026-11-20');
  await page.getByLabel('Recorded by (name and office)').fill(v.recordedBy ?? RECORDED_BY);
}

/** The requested state's focal point, on the acknowledged request's English page, answers it: confirmed, a national, a passport, with `note`. */
export async function answerVerificationByLabel(page: Page, note: string): Promise<void> {
  await page.getByLabel('Note or answer').fill(note);
  await page.locator('details.answer-form summary').click();
  await page.getByLabel('Outcome').selectOption('confirmed');
  await page.getByLabel('Is a national').check();
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByRole('button', { name: 'Answer and close' }).click();
  await page.waitForURL(/done=complete/);
}
