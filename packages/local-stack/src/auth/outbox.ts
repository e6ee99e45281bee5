// The dev SMS outbox at /_dev/sms: what a phone would have received locally. Auth appends here when no Send SMS
// hook is configured; the send-sms function's dev provider POSTs here. GET is open (local only); POST and DELETE
// need the service_role JWT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireAdmin } from './admin.ts';
import type { AuthContext } from './index.ts';
import { AuthError, badRequest, readJson, sendJson, sendNoContent } from './http.ts';
import { formatPhone } from './phone.ts';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function handleOutbox(
  ctx: AuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const url = new URL(path || '/', 'http://outbox.local');
  if (url.pathname !== '/' && url.pathname !== '') throw new AuthError(404, 'not_found', 'Not Found');
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    const messages = ctx.outbox.list(url.searchParams.get('phone') ?? undefined);
    if ((req.headers.accept ?? '').includes('text/html')) {
      const rows = messages
        .slice()
        .reverse()
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.created_at)}</td><td>${escapeHtml(m.phone)}</td><td>${escapeHtml(m.body)}</td><td>${m.source}</td></tr>`,
        )
        .join('\n');
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev SMS outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body><h1>Dev SMS outbox</h1><p>${messages.length} message(s), newest first.</p>
<table><thead><tr><th>Sent</th><th>To</th><th>Text</th><th>Source</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
      res.end(html);
      return;
    }
    return sendJson(res, 200, { messages });
  }
  if (method === 'POST') {
    requireAdmin(ctx.opts.jwtSecret, req);
    const body = await readJson(req);
    if (typeof body.phone !== 'string' || !/^[1-9][0-9]{1,14}$/.test(formatPhone(body.phone))) {
      throw badRequest('validation_failed', 'phone must be an E.164 number');
    }
    if (typeof body.body !== 'string' || body.body === '') throw badRequest('validation_failed', 'body is required');
    return sendJson(res, 201, ctx.outbox.add(body.phone, body.body, 'hook'));
  }
  if (method === 'DELETE') {
    requireAdmin(ctx.opts.jwtSecret, req);
    ctx.outbox.clear();
    return sendNoContent(res);
  }
  throw new AuthError(405, 'method_not_allowed', 'Method Not Allowed');
}
