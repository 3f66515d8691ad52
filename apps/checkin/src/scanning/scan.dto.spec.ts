import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { FastValidationPipe, fastCheckOf } from '@einlass/bootstrap';
import { ScanDto } from './scan.dto';

/**
 * The scan body is checked twice over: by hand (the fast path every door scan takes) and by the
 * class-validator decorators (the API document and every refusal). The two must not drift: the
 * same bodies go through both, and the service's pipe must answer each exactly as class-validator
 * alone does, while the bodies the scanner page sends take the fast path.
 */
describe('the scan body: hand check and decorators agree', () => {
  const options = {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
  };
  const metadata: ArgumentMetadata = { type: 'body', metatype: ScanDto, data: undefined };
  const decorators = new ValidationPipe(options);
  const service = new FastValidationPipe(options);
  const fastCheck = fastCheckOf(ScanDto)!;

  const qr = 'EL1.eyJ2IjoxfQ.c2lnbmF0dXJl';
  /** Values for each field, valid and not; undefined leaves the field out. */
  const values: Record<keyof ScanDto, unknown[]> = {
    qr: [qr, '', 'x'.repeat(2048), 'x'.repeat(2049), 42, null, ['a']],
    gate: [
      'Nord',
      'Süd 2',
      'Tor_3.a-b',
      'x'.repeat(64),
      'x'.repeat(65),
      '',
      'Nord!',
      '<b>',
      7,
      null,
    ],
    list: [undefined, 'main', 'WS-03', 'x'.repeat(32), 'x'.repeat(33), 'a b', '', null, 1],
    direction: [undefined, 'in', 'out', 'IN', 'sideways', '', null],
    nonce: [undefined, 'web-abc:12', 'n.1_2-3', 'x'.repeat(100), 'x'.repeat(101), 'a b', '', null],
    scannedAt: [
      undefined,
      '2026-12-04T09:15:00.000Z',
      '2026-12-04T09:15:00+01:00',
      '2026-02-30T09:15:00Z',
      '2026-12-04',
      'yesterday',
      '',
      1733300000000,
      null,
    ],
  };

  /** Every value of each field with the others at a valid default, and some mixes. */
  const bodies = (): unknown[] => {
    const base = { qr, gate: 'Nord', nonce: 'web-1:1' } as Record<string, unknown>;
    const out: unknown[] = [];
    for (const [field, choices] of Object.entries(values)) {
      for (const value of choices) {
        const body = { ...base };
        if (value === undefined) delete body[field];
        else body[field] = value;
        out.push(body);
      }
    }
    // pairs of fields, to catch a check that only holds with the others valid
    const fields = Object.keys(values) as (keyof ScanDto)[];
    for (let i = 0; i < fields.length; i++) {
      for (let j = i + 1; j < fields.length; j++) {
        for (const a of values[fields[i]]) {
          for (const b of values[fields[j]]) {
            const body = { ...base, [fields[i]]: a, [fields[j]]: b };
            for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
            out.push(body);
          }
        }
      }
    }
    out.push({ ...base, extra: 1 }, { ...base, constructor: 'x' }, {}, { qr }, [], 'text');
    return out;
  };

  /** The body as a request brings it: parsed JSON (structuredClone would give another realm's objects). */
  const asSent = (body: unknown) => JSON.parse(JSON.stringify(body)) as unknown;

  const outcome = async (pipe: ValidationPipe, body: unknown) => {
    try {
      return { accepted: { ...(await pipe.transform(asSent(body), metadata)) } };
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      return { refused: error.getResponse() };
    }
  };

  it('answers every body exactly as class-validator alone does', async () => {
    const all = bodies();
    expect(all.length).toBeGreaterThan(500);
    for (const body of all) {
      expect([body, await outcome(service, body)]).toEqual([body, await outcome(decorators, body)]);
    }
  });

  it('accepts by hand only what the decorators accept', async () => {
    for (const body of bodies()) {
      if (fastCheck(asSent(body)) === undefined) continue;
      expect([body, await outcome(decorators, body)]).toEqual([
        body,
        { accepted: expect.any(Object) },
      ]);
    }
  });

  it('takes the fast path for what the scanner page and the offline queue send', () => {
    const sent = [
      { qr, gate: 'Nord', list: 'main', direction: 'in', nonce: 'web-ab12cd34:17' },
      { qr, gate: 'Süd', list: 'WS-03', direction: 'out', nonce: 'web-ab12cd34:18' },
      {
        qr,
        gate: 'Nord',
        list: 'main',
        direction: 'in',
        nonce: 'web-ab12cd34:19',
        scannedAt: '2026-12-04T09:15:00.123Z',
      },
      { qr, gate: 'Nord' },
    ];
    for (const body of sent) expect(fastCheck(body)).toBeInstanceOf(ScanDto);
  });
});
