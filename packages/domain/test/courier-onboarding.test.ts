import { describe, expect, it } from 'vitest';
import {
  applicationBody,
  applicationState,
  applySteps,
  documentProblem,
  emptyDraft,
  firstProblem,
  isIsoDate,
  normalisePlate,
  parseDraft,
  requiredDocuments,
  stepProblem,
  type ApplicationDraft,
} from '../src/courier-onboarding.ts';

const TODAY = '2026-11-21';
const U = 'a0000000-0000-4000-8000-000000000001';
const photo = (kind: string) => `${U}/${kind}-d1.jpg`;

const complete = (over: Partial<ApplicationDraft> = {}): ApplicationDraft => ({
  fullName: 'Abou Koné',
  nationalIdNumber: 'ci 0012 3456 78',
  vehicleType: 'moto',
  plate: ' 2471  ts 01 ',
  municipalRegistrationNumber: 'TSL-MT-0999',
  vestNumber: '217',
  zoneId: '5a1e0000-0000-4000-8000-000000000001',
  documents: {
    national_id: { number: '', expiresOn: '2030-01-31', storagePath: photo('national_id') },
    driving_licence: { number: 'PA-1', expiresOn: '2031-03-31', storagePath: photo('driving_licence') },
    vehicle_registration: { number: 'CG-9', expiresOn: '', storagePath: photo('vehicle_registration') },
    insurance: { number: 'AS-7', expiresOn: '2027-06-30', storagePath: photo('insurance') },
    municipal_card: { number: 'MC-3', expiresOn: '2027-12-31', storagePath: photo('municipal_card') },
  },
  ...over,
});

describe('required documents and steps', () => {
  it('asks a moto-taxi for the municipal card, a car or tricycle not', () => {
    expect(requiredDocuments('moto')).toContain('municipal_card');
    expect(requiredDocuments('car')).not.toContain('municipal_card');
    expect(requiredDocuments('tricycle')).toHaveLength(4);
  });

  it('has one screen per field group and per document, then the summary', () => {
    expect(applySteps('car')).toEqual([
      'identity',
      'vehicle',
      'registration',
      'zone',
      'document:national_id',
      'document:driving_licence',
      'document:vehicle_registration',
      'document:insurance',
      'summary',
    ]);
    expect(applySteps('moto')).toContain('document:municipal_card');
  });
});

describe('field rules (the database’s, said before sending)', () => {
  it('accepts a complete moto-taxi application', () => {
    expect(firstProblem(complete(), TODAY)).toBeNull();
    expect(stepProblem('summary', complete(), TODAY)).toBeNull();
  });

  it.each([
    ['identity', { fullName: 'Ab' }, 'full_name_invalid'],
    ['identity', { fullName: '12345' }, 'full_name_invalid'],
    ['identity', { nationalIdNumber: 'C1' }, 'national_id_number_invalid'],
    ['identity', { nationalIdNumber: 'CI#12/34' }, 'national_id_number_invalid'],
    ['vehicle', { vehicleType: null }, 'vehicle_type_invalid'],
    ['registration', { plate: '24/71' }, 'plate_invalid'],
    ['registration', { plate: '' }, 'plate_invalid'],
    ['registration', { municipalRegistrationNumber: ' ' }, 'municipal_registration_number_required'],
    ['registration', { vestNumber: '' }, 'vest_number_required'],
    ['registration', { vestNumber: '1'.repeat(21) }, 'vest_number_invalid'],
    ['zone', { zoneId: null }, 'zone_invalid'],
  ] as const)('step %s refuses %j with %s', (step, over, code) => {
    expect(stepProblem(step, complete(over as Partial<ApplicationDraft>), TODAY)).toBe(code);
  });

  it('does not ask a car for the municipal registration or the vest', () => {
    const car = complete({ vehicleType: 'car', municipalRegistrationNumber: '', vestNumber: '' });
    expect(stepProblem('registration', car, TODAY)).toBeNull();
  });

  it('writes the plate in upper case with single spaces', () => {
    expect(normalisePlate(' 2471  ts 01 ')).toBe('2471 TS 01');
  });

  it('refuses an expired document before sending, and an impossible or far date', () => {
    const doc = { number: 'AS-7', expiresOn: '2026-11-20', storagePath: photo('insurance') };
    expect(documentProblem('insurance', doc, TODAY)).toBe('document_expired');
    expect(documentProblem('insurance', { ...doc, expiresOn: TODAY }, TODAY)).toBeNull();
    expect(documentProblem('insurance', { ...doc, expiresOn: '2027-02-30' }, TODAY)).toBe('document_expiry_invalid');
    expect(documentProblem('insurance', { ...doc, expiresOn: '2060-01-01' }, TODAY)).toBe(
      'document_expiry_implausible',
    );
    expect(documentProblem('insurance', { ...doc, expiresOn: '' }, TODAY)).toBe('document_expiry_required');
    expect(documentProblem('vehicle_registration', { ...doc, expiresOn: '' }, TODAY)).toBeNull();
    expect(documentProblem('insurance', { ...doc, expiresOn: TODAY, number: '' }, TODAY)).toBe(
      'document_number_invalid',
    );
    expect(documentProblem('insurance', { ...doc, expiresOn: TODAY, storagePath: null }, TODAY)).toBe(
      'document_photo_required',
    );
    expect(documentProblem('insurance', undefined, TODAY)).toBe('document_number_invalid');
  });

  it('knows a calendar date', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('29/02/2028')).toBe(false);
  });

  it('finds the first step still wrong', () => {
    const draft = complete();
    draft.documents.insurance = { number: 'AS-7', expiresOn: '2020-01-15', storagePath: photo('insurance') };
    expect(firstProblem(draft, TODAY)).toEqual({ step: 'document:insurance', problem: 'document_expired' });
  });
});

describe('the application sent', () => {
  it('is the rpc body, with the national id number on the id card and only the vehicle’s documents', () => {
    const body = applicationBody(complete({ vehicleType: 'car', municipalRegistrationNumber: '', vestNumber: '' }));
    expect(body).toMatchObject({
      full_name: 'Abou Koné',
      national_id_number: 'CI 0012 3456 78',
      vehicle_type: 'car',
      plate: '2471 TS 01',
    });
    expect(body).not.toHaveProperty('municipal_registration_number');
    expect(body).not.toHaveProperty('vest_number');
    expect(body.documents.map((d) => d.kind)).toEqual([
      'national_id',
      'driving_licence',
      'vehicle_registration',
      'insurance',
    ]);
    expect(body.documents[0]).toEqual({
      kind: 'national_id',
      number: 'CI 0012 3456 78',
      expires_on: '2030-01-31',
      storage_path: photo('national_id'),
    });
    expect(body.documents[2]?.expires_on).toBeNull();
  });

  it('survives a reload: the draft reads back, and garbage starts afresh', () => {
    const draft = complete();
    expect(parseDraft(JSON.stringify(draft))).toEqual(draft);
    expect(parseDraft('{oops')).toEqual(emptyDraft());
    expect(parseDraft(null)).toEqual(emptyDraft());
    expect(parseDraft(JSON.stringify({ vehicleType: 'plane', fullName: 3, documents: { passport: {} } }))).toEqual(
      emptyDraft(),
    );
  });
});

describe('the status screen', () => {
  const doc = (kind: string, review_status: string, created_at = '2026-11-21T10:00:00Z') =>
    ({ kind, review_status, created_at }) as Parameters<typeof applicationState>[2][number];
  const all = (status: string) => requiredDocuments('moto').map((k) => doc(k, status));

  it('waits for review while every document is pending', () => {
    expect(applicationState('pending', 'moto', all('pending'))).toEqual({ state: 'in_review', toResend: [] });
  });

  it('lists the rejected documents to send again, until a newer one is sent', () => {
    const docs = [...all('pending').filter((d) => d.kind !== 'insurance'), doc('insurance', 'rejected')];
    expect(applicationState('pending', 'moto', docs)).toEqual({ state: 'documents_rejected', toResend: ['insurance'] });
    const resent = [...docs, doc('insurance', 'pending', '2026-11-21T11:00:00Z')];
    expect(applicationState('pending', 'moto', resent).state).toBe('in_review');
    expect(applicationState('rejected', 'moto', docs)).toEqual({ state: 'rejected', toResend: ['insurance'] });
  });

  it('says approved and suspended as they are', () => {
    expect(applicationState('approved', 'car', all('approved')).state).toBe('approved');
    expect(applicationState('suspended', 'car', all('approved')).state).toBe('suspended');
  });
});
