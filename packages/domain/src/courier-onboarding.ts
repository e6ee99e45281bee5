// Becoming a courier (courier app onboarding, rpc apply_as_courier): the steps, what each one needs, the same field
// rules as the database (so a bad field is said before anything is sent), the required documents of a vehicle, and
// the status screen's reading of a pending / rejected / suspended courier. Problems are codes; the app holds the
// words (`apply.problem.<code>`).

export type VehicleType = 'moto' | 'tricycle' | 'car';
export const VEHICLE_TYPES: readonly VehicleType[] = ['moto', 'tricycle', 'car'];

export type DocumentKind = 'national_id' | 'driving_licence' | 'vehicle_registration' | 'insurance' | 'municipal_card';

/** The documents a vehicle needs before approval (private.courier_approval_blockers): moto-taxis also the municipal card. */
export function requiredDocuments(vehicle: VehicleType | null): DocumentKind[] {
  const base: DocumentKind[] = ['national_id', 'driving_licence', 'vehicle_registration', 'insurance'];
  return vehicle === 'moto' ? [...base, 'municipal_card'] : base;
}

/** Every document has an expiry date but the carte grise. */
export const expiryRequired = (kind: DocumentKind): boolean => kind !== 'vehicle_registration';

/** The plate as the database stores it (couriers_plate_format: upper case, trimmed). */
export const normalisePlate = (plate: string): string => plate.trim().toUpperCase().replace(/\s+/g, ' ');
export const PLATE_PATTERN = /^[A-Z0-9][A-Z0-9 -]{1,14}[A-Z0-9]$/;
export const NATIONAL_ID_PATTERN = /^[A-Z0-9][A-Z0-9 -]{3,22}[A-Z0-9]$/;

/** What the person typed, saved as they go (every field may still be empty). */
export interface ApplicationDraft {
  fullName: string;
  nationalIdNumber: string;
  vehicleType: VehicleType | null;
  plate: string;
  municipalRegistrationNumber: string;
  vestNumber: string;
  zoneId: string | null;
  documents: Partial<Record<DocumentKind, DocumentDraft>>;
}

export interface DocumentDraft {
  number: string;
  expiresOn: string;
  /** Where the photo goes (`<user id>/<kind>-<draft id>.jpg`), set once a photo is chosen. */
  storagePath: string | null;
}

export function emptyDraft(): ApplicationDraft {
  return {
    fullName: '',
    nationalIdNumber: '',
    vehicleType: null,
    plate: '',
    municipalRegistrationNumber: '',
    vestNumber: '',
    zoneId: null,
    documents: {},
  };
}

/** The screens, one field group each; the documents come one screen per required kind, then the summary. */
export type ApplyStep = 'identity' | 'vehicle' | 'registration' | 'zone' | `document:${DocumentKind}` | 'summary';

export function applySteps(vehicle: VehicleType | null): ApplyStep[] {
  return [
    'identity',
    'vehicle',
    'registration',
    'zone',
    ...requiredDocuments(vehicle).map((k) => `document:${k}` as const),
    'summary',
  ];
}

/** The codes of rpc apply_as_courier; the app says each in words. */
export type ApplyProblem =
  | 'full_name_invalid'
  | 'national_id_number_invalid'
  | 'vehicle_type_invalid'
  | 'plate_invalid'
  | 'municipal_registration_number_required'
  | 'municipal_registration_number_invalid'
  | 'vest_number_required'
  | 'vest_number_invalid'
  | 'zone_invalid'
  | 'document_number_invalid'
  | 'document_expiry_required'
  | 'document_expiry_invalid'
  | 'document_expired'
  | 'document_expiry_implausible'
  | 'document_photo_required';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2027-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Problems of one document (today is YYYY-MM-DD, the phone's date). */
export function documentProblem(
  kind: DocumentKind,
  doc: DocumentDraft | undefined,
  today: string,
): ApplyProblem | null {
  const number = doc?.number.trim() ?? '';
  if (kind !== 'national_id' && (number.length < 2 || number.length > 40)) return 'document_number_invalid';
  const expires = doc?.expiresOn.trim() ?? '';
  if (expires === '') {
    if (expiryRequired(kind)) return 'document_expiry_required';
  } else {
    if (!isIsoDate(expires)) return 'document_expiry_invalid';
    if (expires < today) return 'document_expired';
    if (Number(expires.slice(0, 4)) > Number(today.slice(0, 4)) + 30) return 'document_expiry_implausible';
  }
  if (!doc?.storagePath) return 'document_photo_required';
  return null;
}

/** The first problem of a step, or null when the person may go on. */
export function stepProblem(step: ApplyStep, draft: ApplicationDraft, today: string): ApplyProblem | null {
  switch (step) {
    case 'identity': {
      const name = draft.fullName.trim();
      if (name.length < 3 || name.length > 80 || !/\p{L}/u.test(name)) return 'full_name_invalid';
      if (!NATIONAL_ID_PATTERN.test(draft.nationalIdNumber.trim().toUpperCase())) return 'national_id_number_invalid';
      return null;
    }
    case 'vehicle':
      return draft.vehicleType ? null : 'vehicle_type_invalid';
    case 'registration': {
      if (!PLATE_PATTERN.test(normalisePlate(draft.plate))) return 'plate_invalid';
      const moto = draft.vehicleType === 'moto';
      const municipal = draft.municipalRegistrationNumber.trim();
      const vest = draft.vestNumber.trim();
      if (moto && !municipal) return 'municipal_registration_number_required';
      if (municipal.length > 40) return 'municipal_registration_number_invalid';
      if (moto && !vest) return 'vest_number_required';
      if (vest.length > 20) return 'vest_number_invalid';
      return null;
    }
    case 'zone':
      return draft.zoneId ? null : 'zone_invalid';
    case 'summary':
      return firstProblem(draft, today)?.problem ?? null;
    default: {
      const kind = step.slice('document:'.length) as DocumentKind;
      return documentProblem(kind, draft.documents[kind], today);
    }
  }
}

/** The first step that is not right yet, with its problem (null: ready to send). */
export function firstProblem(
  draft: ApplicationDraft,
  today: string,
): { step: ApplyStep; problem: ApplyProblem } | null {
  for (const step of applySteps(draft.vehicleType)) {
    if (step === 'summary') continue;
    const problem = stepProblem(step, draft, today);
    if (problem) return { step, problem };
  }
  return null;
}

/** The body of rpc apply_as_courier from a complete draft (only the documents the vehicle needs). */
export function applicationBody(draft: ApplicationDraft) {
  const moto = draft.vehicleType === 'moto';
  return {
    full_name: draft.fullName.trim(),
    national_id_number: draft.nationalIdNumber.trim().toUpperCase(),
    vehicle_type: draft.vehicleType ?? '',
    plate: normalisePlate(draft.plate),
    zone_id: draft.zoneId ?? '',
    // A car or tricycle may leave them out (absent, not null: the rpc's defaults).
    ...(draft.municipalRegistrationNumber.trim() || moto
      ? { municipal_registration_number: draft.municipalRegistrationNumber.trim() }
      : {}),
    ...(draft.vestNumber.trim() || moto ? { vest_number: draft.vestNumber.trim() } : {}),
    documents: requiredDocuments(draft.vehicleType).map((kind) => {
      const d = draft.documents[kind];
      return {
        kind,
        number:
          kind === 'national_id'
            ? d?.number.trim() || draft.nationalIdNumber.trim().toUpperCase()
            : (d?.number.trim() ?? ''),
        expires_on: d?.expiresOn.trim() || null,
        storage_path: d?.storagePath ?? '',
      };
    }),
  };
}

/** Reads a saved draft back (anything unreadable starts afresh; unknown or mistyped fields are dropped). */
export function parseDraft(text: string | null): ApplicationDraft {
  const draft = emptyDraft();
  if (!text) return draft;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return draft;
  }
  if (typeof raw !== 'object' || raw === null) return draft;
  const text_ = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  draft.fullName = text_('fullName');
  draft.nationalIdNumber = text_('nationalIdNumber');
  draft.plate = text_('plate');
  draft.municipalRegistrationNumber = text_('municipalRegistrationNumber');
  draft.vestNumber = text_('vestNumber');
  draft.zoneId = text_('zoneId') || null;
  draft.vehicleType = VEHICLE_TYPES.find((v) => v === raw.vehicleType) ?? null;
  const docs = raw.documents;
  if (typeof docs === 'object' && docs !== null) {
    for (const [kind, d] of Object.entries(docs as Record<string, Record<string, unknown>>)) {
      if (!requiredDocuments('moto').includes(kind as DocumentKind) || typeof d !== 'object' || d === null) continue;
      draft.documents[kind as DocumentKind] = {
        number: typeof d.number === 'string' ? d.number : '',
        expiresOn: typeof d.expiresOn === 'string' ? d.expiresOn : '',
        storagePath: typeof d.storagePath === 'string' ? d.storagePath : null,
      };
    }
  }
  return draft;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/**
 * What the status screen says overall: waiting for review, some documents to send again, rejected, suspended, or
 * approved (the duty screen). Only the latest document of each required kind counts.
 */
export function applicationState(
  approval: ApprovalStatus,
  vehicle: VehicleType,
  documents: readonly { kind: DocumentKind; review_status: ReviewStatus; created_at: string }[],
): { state: 'approved' | 'in_review' | 'documents_rejected' | 'rejected' | 'suspended'; toResend: DocumentKind[] } {
  const latest = latestDocuments(documents);
  const toResend = requiredDocuments(vehicle).filter((k) => {
    const d = latest.get(k);
    return !d || d.review_status === 'rejected';
  });
  if (approval === 'approved') return { state: 'approved', toResend };
  if (approval === 'suspended') return { state: 'suspended', toResend };
  if (approval === 'rejected') return { state: 'rejected', toResend };
  return { state: toResend.length > 0 ? 'documents_rejected' : 'in_review', toResend };
}

/** The newest document of each kind. */
export function latestDocuments<T extends { kind: DocumentKind; created_at: string }>(
  documents: readonly T[],
): Map<DocumentKind, T> {
  const latest = new Map<DocumentKind, T>();
  for (const d of documents) {
    const seen = latest.get(d.kind);
    if (!seen || d.created_at > seen.created_at) latest.set(d.kind, d);
  }
  return latest;
}
