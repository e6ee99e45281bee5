// People's photos (migration 20261121200200): the private buckets `avatars` and `address-photos`. A person writes
// and reads only under `<their id>/`; the courier assigned to an active delivery reads the gate photo its order's
// address snapshot names (so may get a signed URL to it), nobody else, and not after the delivery; no public URL.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { PEOPLE, clientFor, ensurePeople, superuser, type Actor } from './actors.ts';
import { CODES, ID, resetFixtures } from './fixtures.ts';

const A = PEOPLE.customer_a.id;
const B = PEOPLE.customer_b.id;
const JPEG = () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
const refusal = { statusCode: '403', message: 'new row violates row-level security policy' };

let db: pg.Pool;
const cleanUp = () =>
  db.query(`delete from storage.objects where bucket_id in ('avatars', 'address-photos')
              and (name like '${A}/%' or name like '${B}/%')`);
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(async () => {
  await resetFixtures(db);
  await cleanUp();
});
afterAll(async () => {
  await cleanUp();
  await resetFixtures(db);
  await db.end();
});

const upload = (actor: Actor, bucket: 'avatars' | 'address-photos', key: string) =>
  clientFor(actor).storage.from(bucket).upload(key, JPEG(), { contentType: 'image/jpeg' });
const sign = (actor: Actor, bucket: 'avatars' | 'address-photos', key: string) =>
  clientFor(actor).storage.from(bucket).createSignedUrl(key, 60);
const snapshotPhoto = (path: string) =>
  db.query(
    `update public.order_contacts set address = address || jsonb_build_object('photo_path', $2::text)
             where order_id = $1`,
    [ID.orderO1, path],
  );

describe('avatars', () => {
  it('lets a person upload their photo, replace it and show it through a signed URL', async () => {
    expect((await upload('customer_a', 'avatars', `${A}/me.jpg`)).error).toBeNull();
    const again = await clientFor('customer_a')
      .storage.from('avatars')
      .upload(`${A}/me.jpg`, JPEG(), { contentType: 'image/jpeg', upsert: true });
    expect(again.error).toBeNull();
    const signed = await sign('customer_a', 'avatars', `${A}/me.jpg`);
    expect(signed.error).toBeNull();
    const res = await fetch(signed.data!.signedUrl);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(JPEG());
  });

  it('refuses writing into somebody else’s folder or outside any folder', async () => {
    expect((await upload('customer_b', 'avatars', `${A}/me.jpg`)).error).toMatchObject(refusal);
    expect((await upload('customer_b', 'avatars', 'me.jpg')).error).toMatchObject(refusal);
    expect((await upload('anon', 'avatars', `${A}/me.jpg`)).error).toMatchObject({ statusCode: '403' });
  });

  it('shows a photo to nobody else: no signed URL for another person or a courier, no public URL', async () => {
    await upload('customer_a', 'avatars', `${A}/me.jpg`);
    for (const actor of ['customer_b', 'courier_on_job', 'merchant_x'] as const) {
      expect((await sign(actor, 'avatars', `${A}/me.jpg`)).error, actor).not.toBeNull();
    }
    const pub = await fetch(`${stack().apiUrl}/storage/v1/object/public/avatars/${A}/me.jpg`);
    expect(pub.status).not.toBe(200);
  });

  it('refuses a file that is not a picture', async () => {
    const r = await clientFor('customer_a')
      .storage.from('avatars')
      .upload(`${A}/doc.pdf`, Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });
    expect(r.error).toMatchObject({ statusCode: '415' });
  });
});

describe('address photos', () => {
  it('lets the courier of an active delivery read the gate photo of its address, and no other courier', async () => {
    expect((await upload('customer_a', 'address-photos', `${A}/gate.jpg`)).error).toBeNull();
    await snapshotPhoto(`address-photos/${A}/gate.jpg`);
    const signed = await sign('courier_on_job', 'address-photos', `${A}/gate.jpg`);
    expect(signed.error).toBeNull();
    expect((await fetch(signed.data!.signedUrl)).status).toBe(200);
    for (const actor of ['courier_not_on_job', 'customer_b', 'merchant_x'] as const) {
      expect((await sign(actor, 'address-photos', `${A}/gate.jpg`)).error, actor).not.toBeNull();
    }
  });

  it('stops once the order is delivered', async () => {
    await upload('customer_a', 'address-photos', `${A}/gate.jpg`);
    await snapshotPhoto(`address-photos/${A}/gate.jpg`);
    await db.query(`select private.transition_order($1, 'delivered', $2, 'courier', null, $3)`, [
      ID.orderO1,
      PEOPLE.courier_on_job.id,
      CODES.O1,
    ]);
    expect((await sign('courier_on_job', 'address-photos', `${A}/gate.jpg`)).error).not.toBeNull();
  });

  it('ignores a snapshot naming a photo outside the customer’s own folder', async () => {
    await upload('customer_b', 'address-photos', `${B}/door.jpg`);
    await snapshotPhoto(`address-photos/${B}/door.jpg`);
    expect((await sign('courier_on_job', 'address-photos', `${B}/door.jpg`)).error).not.toBeNull();
  });
});
