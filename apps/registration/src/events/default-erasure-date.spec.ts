import { defaultErasureDate } from './event.entity';

describe('the default retention date', () => {
  const now = new Date('2026-12-03T12:00:00Z');

  it('is 90 days after the end of an event still to come', () => {
    expect(defaultErasureDate(new Date('2027-05-02T17:00:00Z'), now).toISOString()).toBe(
      '2027-07-31T17:00:00.000Z',
    );
  });

  it('is 90 days after now for an event entered after it ended (its data must not vanish at once)', () => {
    expect(defaultErasureDate(new Date('2023-09-21T16:00:00Z'), now).toISOString()).toBe(
      '2027-03-03T12:00:00.000Z',
    );
  });
});
