import { attendedSessions, type ProgrammeSession } from './attended-sessions';

const programme: ProgrammeSession[] = [
  talk('K1', '2026-10-24T07:30:00Z'),
  talk('T2', '2026-10-24T12:00:00Z'),
  { ...talk('W1', '2026-10-24T09:00:00Z'), kind: 'workshop' },
  talk('T3', '2026-10-25T08:00:00Z'),
  // 23:30 UTC on the 24th is already the 25th in Berlin.
  talk('T4', '2026-10-24T22:30:00Z'),
];

function talk(code: string, startsAt: string): ProgrammeSession {
  const start = new Date(startsAt);
  return {
    code,
    title: `Session ${code}`,
    startsAt: start,
    endsAt: new Date(start.getTime() + 3600_000),
    kind: 'talk',
  };
}

const codes = (sessions: { code: string }[]) => sessions.map((s) => s.code);

describe('attendedSessions', () => {
  const base = {
    programme,
    sessionsWithDoorList: new Set(['K1', 'W1']),
    timezone: 'Europe/Berlin',
  };

  it('with door lists only, lists exactly the sessions the person was admitted to', () => {
    const sessions = attendedSessions({
      ...base,
      rule: 'door_lists',
      admissions: [
        { list: 'main', at: new Date('2026-10-24T07:00:00Z') },
        { list: 'W1', at: new Date('2026-10-24T08:55:00Z') },
      ],
    });
    expect(codes(sessions)).toEqual(['W1']);
  });

  it('counts talks without a door list on the days the person entered, in the event’s time zone', () => {
    const sessions = attendedSessions({
      ...base,
      rule: 'talks_on_days_entered',
      admissions: [{ list: 'main', at: new Date('2026-10-24T07:00:00Z') }],
    });
    // K1 has a door list and no admission; W1 is a workshop; T3 and T4 are on the 25th.
    expect(codes(sessions)).toEqual(['T2']);
  });

  it('lists nothing for someone never admitted', () => {
    expect(attendedSessions({ ...base, rule: 'talks_on_days_entered', admissions: [] })).toEqual(
      [],
    );
  });
});
