import { decideScan, ScanFacts } from './scan-decision';

const EVENT = '11111111-1111-4111-8111-111111111111';
const BADGE = '22222222-2222-4222-8222-222222222222';

const facts = (overrides: Partial<ScanFacts> = {}): ScanFacts => ({
  verification: {
    valid: true,
    claims: { keyId: 'abcdef01', eventId: EVENT, badgeId: BADGE, badgeVersion: 1 },
  },
  eventId: EVENT,
  holder: { status: 'registered', badgeVersion: 1, sessions: ['W01'] },
  list: { kind: 'main' },
  direction: 'in',
  ...overrides,
});

describe('decideScan', () => {
  it('admits a genuine, current badge at the entrance', () => {
    expect(decideScan(facts())).toEqual({ action: 'admit' });
  });

  it.each([
    ['malformed', 'unreadable'],
    ['unknown_key', 'unknown key'],
    ['bad_signature', 'forged or altered'],
  ] as const)('refuses a %s code as invalid', (reason, words) => {
    const decision = decideScan(facts({ verification: { valid: false, reason, detail: '' } }));
    expect(decision).toMatchObject({ action: 'refuse', result: 'invalid' });
    expect(decision.action === 'refuse' && decision.message).toContain(words);
  });

  it('refuses a genuine badge of another event', () => {
    const decision = decideScan(facts({ eventId: '33333333-3333-4333-8333-333333333333' }));
    expect(decision).toMatchObject({ action: 'refuse', result: 'wrong_event' });
  });

  it('refuses a badge whose holder check-in does not know', () => {
    expect(decideScan(facts({ holder: undefined }))).toMatchObject({
      action: 'refuse',
      result: 'invalid',
    });
  });

  it('refuses the badge of a cancelled registration as revoked', () => {
    const decision = decideScan(
      facts({ holder: { status: 'cancelled', badgeVersion: 1, sessions: [] } }),
    );
    expect(decision).toMatchObject({ action: 'refuse', result: 'revoked' });
  });

  it('refuses an old badge once a newer version exists, saying so', () => {
    const decision = decideScan(
      facts({ holder: { status: 'registered', badgeVersion: 2, sessions: [] } }),
    );
    expect(decision).toMatchObject({ action: 'refuse', result: 'revoked' });
    expect(decision.action === 'refuse' && decision.message).toMatch(/newer badge/);
  });

  it('refuses a badge signed with a retired key as revoked, on the way in and out', () => {
    for (const direction of ['in', 'out'] as const) {
      expect(decideScan(facts({ keyRetired: true, direction }))).toMatchObject({
        action: 'refuse',
        result: 'revoked',
        reason: 'key_retired',
        message: expect.stringContaining('re-printed badge'),
      });
    }
  });

  it('refuses a retired key as revoked even where the key is no longer held to verify it', () => {
    const verification = { valid: false, reason: 'unknown_key', detail: '' } as const;
    expect(decideScan(facts({ keyRetired: true, verification }))).toMatchObject({
      result: 'revoked',
      reason: 'key_retired',
    });
  });

  it('admits a newer badge than check-in has heard of (the news is on its way)', () => {
    const verification = {
      valid: true as const,
      claims: { keyId: 'abcdef01', eventId: EVENT, badgeId: BADGE, badgeVersion: 3 },
    };
    expect(decideScan(facts({ verification }))).toEqual({ action: 'admit' });
  });

  it('admits to a workshop only those signed up for it', () => {
    const workshop = { kind: 'session' as const, code: 'W01', sessionKind: 'workshop' as const };
    expect(decideScan(facts({ list: workshop }))).toEqual({ action: 'admit' });
    const other = { kind: 'session' as const, code: 'W02', sessionKind: 'workshop' as const };
    expect(decideScan(facts({ list: other }))).toMatchObject({
      action: 'refuse',
      result: 'not_on_list',
    });
  });

  it('admits anyone to a talk', () => {
    const talk = { kind: 'session' as const, code: 'T04', sessionKind: 'talk' as const };
    expect(decideScan(facts({ list: talk }))).toEqual({ action: 'admit' });
  });

  it('records an exit for a genuine badge', () => {
    expect(decideScan(facts({ direction: 'out' }))).toEqual({ action: 'exit' });
  });

  it('checks the signature before anything else', () => {
    const decision = decideScan(
      facts({
        verification: { valid: false, reason: 'bad_signature', detail: '' },
        holder: undefined,
        direction: 'out',
      }),
    );
    expect(decision).toMatchObject({ action: 'refuse', result: 'invalid' });
  });
});
