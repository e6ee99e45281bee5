// Storage's error envelope, as Supabase Storage renders it: `{ statusCode, code, error, message }` where
// `statusCode` is the logical status as a string ("404", "409", "413"…) and the HTTP status is 400 for every
// handled error except internal ones (500). storage-js reads `statusCode`, `code` and `message` from the body.
import type { ServerResponse } from 'node:http';

export class StorageError extends Error {
  /** Logical status, rendered as a string in `statusCode`. */
  readonly status: number;
  readonly code: string;
  readonly error: string;
  /** HTTP status actually sent (Supabase: 400, or 500 for internal errors, unless a route says otherwise). */
  readonly httpStatus: number;

  constructor(opts: { status: number; code: string; error?: string; message: string; httpStatus?: number }) {
    super(opts.message);
    this.status = opts.status;
    this.code = opts.code;
    this.error = opts.error ?? opts.code;
    this.httpStatus = opts.httpStatus ?? (opts.status === 500 ? 500 : 400);
  }

  render(): Record<string, string> {
    return { statusCode: String(this.status), code: this.code, error: this.error, message: this.message };
  }
}

export const errors = {
  noSuchBucket: () =>
    new StorageError({ status: 404, code: 'NoSuchBucket', error: 'Bucket not found', message: 'Bucket not found' }),
  noSuchKey: () =>
    new StorageError({ status: 404, code: 'NoSuchKey', error: 'not_found', message: 'Object not found' }),
  accessDenied: (message: string) =>
    new StorageError({ status: 403, code: 'AccessDenied', error: 'Unauthorized', message: message || 'Access denied' }),
  invalidJwt: (message: string) => new StorageError({ status: 400, code: 'InvalidJWT', message }),
  invalidSignature: (message = 'Invalid signature') =>
    new StorageError({ status: 400, code: 'InvalidSignature', message }),
  expiredSignature: () =>
    new StorageError({ status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' }),
  duplicate: (code: 'KeyAlreadyExists' | 'BucketAlreadyExists' | 'ResourceAlreadyExists' = 'ResourceAlreadyExists') =>
    new StorageError({ status: 409, code, error: 'Duplicate', message: 'The resource already exists' }),
  bucketNotEmpty: () =>
    new StorageError({ status: 409, code: 'ResourceNotEmpty', message: 'The bucket you tried to delete is not empty' }),
  entityTooLarge: () =>
    new StorageError({
      status: 413,
      code: 'EntityTooLarge',
      error: 'Payload too large',
      message: 'The object exceeded the maximum allowed size',
    }),
  invalidMimeType: (mimeType: string) =>
    new StorageError({
      status: 415,
      code: 'InvalidMimeType',
      error: 'invalid_mime_type',
      message: `mime type ${mimeType} is not supported`,
    }),
  invalidKey: (key: string) => new StorageError({ status: 400, code: 'InvalidKey', message: `Invalid key: ${key}` }),
  invalidBucketName: () =>
    new StorageError({
      status: 400,
      code: 'InvalidBucketName',
      error: 'Invalid Input',
      message: 'Bucket name invalid',
    }),
  invalidRequest: (message: string) => new StorageError({ status: 400, code: 'InvalidRequest', message }),
  invalidFileSizeLimit: () =>
    new StorageError({
      status: 400,
      code: 'InvalidRequest',
      message: 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B',
    }),
  missingParameter: (name: string) =>
    new StorageError({ status: 400, code: 'MissingParameter', message: `Missing Required Parameter ${name}` }),
  internal: (message = 'Internal server error') => new StorageError({ status: 500, code: 'InternalError', message }),
};

/** Postgres errors raised while acting as the caller, turned into Storage's answers (RLS → 403, unique → 409). */
export function fromDatabaseError(e: unknown, duplicate: () => StorageError = () => errors.duplicate()): StorageError {
  if (e instanceof StorageError) return e;
  const pgErr = e as { code?: string; message?: string };
  switch (pgErr.code) {
    case '42704': // the JWT names a role this database does not have
      return errors.accessDenied(pgErr.message ?? 'Access denied');
    case '42501':
      return errors.accessDenied((pgErr.message ?? '').replace(/ for table "[^"]*"$/, ''));
    case '23505':
      return duplicate();
    case '23503':
      return errors.noSuchBucket();
    case '22P02':
    case '22023':
      return errors.invalidRequest(pgErr.message ?? 'Invalid input');
    default:
      return errors.internal();
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: StorageError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.httpStatus, e.render());
}
